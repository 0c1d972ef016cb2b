/**
 * Auto-configuration for carrying the {@link dev.ctx.Context} to task executors and
 * {@code @Async} methods.
 */
@NullMarked
package dev.ctx.boot.autoconfigure.task;

import org.jspecify.annotations.NullMarked;
