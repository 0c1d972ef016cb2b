/**
 * Spring task execution integration: the {@link dev.ctx.Context} crosses to
 * {@code TaskExecutor} and {@code @Async} tasks.
 */
@NullMarked
package dev.ctx.spring.task;

import org.jspecify.annotations.NullMarked;
