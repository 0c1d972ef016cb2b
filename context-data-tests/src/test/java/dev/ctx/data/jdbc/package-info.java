/**
 * A Spring Data JDBC application.
 */
@NullMarked
package dev.ctx.data.jdbc;

import org.jspecify.annotations.NullMarked;
