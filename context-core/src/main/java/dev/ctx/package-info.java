/**
 * Go's {@code context} package for Java: a cancellation signal, a deadline and
 * request-scoped values, carried down the call stack and across threads.
 *
 * <p>Start at {@link dev.ctx.Context}.
 */
@NullMarked
package dev.ctx;

import org.jspecify.annotations.NullMarked;
