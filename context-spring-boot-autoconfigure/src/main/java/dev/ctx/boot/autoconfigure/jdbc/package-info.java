/**
 * Auto-configuration that makes JDBC statements obey the current
 * {@link dev.ctx.Context}.
 */
@NullMarked
package dev.ctx.boot.autoconfigure.jdbc;

import org.jspecify.annotations.NullMarked;
