package dev.ctx.spring.jdbc;

import dev.ctx.Context;

/**
 * Told by a {@link ContextAwareDataSource} when a context stops JDBC work, for metrics
 * or logging. Methods run on the thread that executed the statement, after the
 * execution ended; they must be fast and must not throw.
 *
 * @since 0.1.0
 */
public interface JdbcCancellationListener {

	/**
	 * A listener that does nothing.
	 */
	JdbcCancellationListener NONE = new JdbcCancellationListener() {
	};

	/**
	 * Called when a statement was not sent because its context was already done.
	 * @param context the current context, which is done
	 */
	default void statementRejected(Context context) {
	}

	/**
	 * Called when a statement in flight was stopped by its context: it was cancelled with
	 * {@link java.sql.Statement#cancel()}, or it failed with the query timeout derived
	 * from the context's deadline.
	 * @param context the current context, which is done
	 */
	default void statementCancelled(Context context) {
	}

}
