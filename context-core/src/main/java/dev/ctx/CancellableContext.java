package dev.ctx;

/**
 * A {@link Context} together with the right to cancel it, returned by
 * {@link Context#withCancel()}, {@link Context#withTimeout(java.time.Duration)} and
 * {@link Context#withDeadline(java.time.Instant)}. Keep it to yourself and hand down
 * {@link #readOnly()} (or pass it to {@link #attach()}, which binds the read-only view),
 * so that callees can observe cancellation but not cause it.
 *
 * <p>Closing is cancelling, so try-with-resources is Go's {@code defer cancel()}:
 *
 * <pre>{@code
 * try (CancellableContext ctx = Context.current().withTimeout(Duration.ofMillis(500))) {
 *     return client.fetch(ctx);
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public sealed interface CancellableContext extends Context, AutoCloseable permits CancelContext {

	/**
	 * Cancels this context and all its descendants, with {@link ContextCancelledException}
	 * as {@link #err()} and as {@link #cause()}, unless it is already done. Removes this
	 * context from its parent and stops its deadline timer. Idempotent: only the first
	 * call of any {@code cancel}, or the deadline, has an effect. Never runs or waits
	 * for {@link #afterDone(Runnable) afterDone} actions (unless they were registered
	 * with a direct executor). Go equivalent: the {@code CancelFunc}.
	 */
	void cancel();

	/**
	 * Like {@link #cancel()}, recording {@code cause} as {@link #cause()}, also for every
	 * descendant. The first cause wins. Go equivalent: the {@code CancelCauseFunc} of
	 * {@code context.WithCancelCause}.
	 * @param cause why the work is no longer wanted
	 */
	void cancel(Throwable cause);

	/**
	 * Same as {@link #cancel()}.
	 */
	@Override
	void close();

	/**
	 * Returns a view of this context without the right to cancel it: the same
	 * cancellation, deadline and values. It is what {@link Context#current()} returns
	 * while this context is attached. The same instance is returned on every call.
	 * @return the read-only view
	 */
	Context readOnly();

}
