package dev.ctx.spring.jdbc;

import java.sql.SQLException;

import dev.ctx.Context;
import dev.ctx.ContextException;

/**
 * Thrown by a {@link ContextAwareDataSource} connection when the current {@link Context}
 * was cancelled before or while a statement ran, or while a connection was being
 * acquired. Its {@linkplain #getCause() cause} is the context's
 * {@link Context#err() err()}; its SQLState is {@code 57014} (query canceled).
 *
 * @since 0.1.0
 */
public class ContextCancelledSQLException extends SQLException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates a new exception.
	 * @param reason the description
	 * @param cause the context's {@link Context#err() err()}
	 */
	public ContextCancelledSQLException(String reason, ContextException cause) {
		super(reason, ContextSqlExceptions.QUERY_CANCELED, cause);
	}

}
