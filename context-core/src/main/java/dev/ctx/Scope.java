package dev.ctx;

/**
 * The binding of a context to the current thread, made by {@link Context#attach()}.
 * Closing it restores the context that was current before.
 *
 * <pre>{@code
 * try (Scope scope = ctx.attach()) {
 *     service.work();          // Context.current() == ctx here
 * }                            // and the previous context again here
 * }</pre>
 *
 * <p>Every {@code attach()} should be closed on the same thread, in the same method,
 * in reverse order of attaching: try-with-resources does exactly that. Closing scopes
 * out of order logs a warning (with the stack trace) and still restores the context
 * that was current when this scope was opened. Closing a scope twice has no effect.
 *
 * @since 0.1.0
 */
public interface Scope extends AutoCloseable {

	/**
	 * Restores the context that was current when this scope was opened. Never throws.
	 */
	@Override
	void close();

}
