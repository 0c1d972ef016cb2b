package dev.ctx.spring.task;

/**
 * What an {@code @Async} method that returns no future (fire-and-forget) receives of
 * its caller's context.
 *
 * @since 0.1.0
 */
public enum FireAndForget {

	/**
	 * The caller's values, without its cancellation and deadline
	 * ({@link dev.ctx.Context#withoutCancel()}): the task outlives the request that
	 * started it, as an audit write should. Go's {@code context.WithoutCancel}.
	 */
	VALUES_ONLY,

	/**
	 * The caller's context as it is: the task does not start if the context is done,
	 * and sees it done when the caller's request ends.
	 */
	FULL,

	/**
	 * Nothing: the task runs with {@link dev.ctx.Context#background()}.
	 */
	NONE

}
