/**
 * Auto-configuration for {@link dev.ctx.Context}.
 */
@NullMarked
package dev.ctx.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
