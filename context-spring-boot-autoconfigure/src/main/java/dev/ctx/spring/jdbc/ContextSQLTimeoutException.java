package dev.ctx.spring.jdbc;

import java.sql.SQLTimeoutException;

import dev.ctx.Context;
import dev.ctx.DeadlineExceededException;

/**
 * Thrown by a {@link ContextAwareDataSource} connection when the deadline of the current
 * {@link Context} passed before or while a statement ran, or while a connection was being
 * acquired. Its {@linkplain #getCause() cause} is the context's
 * {@link Context#err() err()}; its SQLState is {@code 57014} (query canceled). Spring's
 * exception translation turns it into a
 * {@link org.springframework.dao.QueryTimeoutException}.
 *
 * @since 0.1.0
 */
public class ContextSQLTimeoutException extends SQLTimeoutException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates a new exception.
	 * @param reason the description
	 * @param cause the context's {@link Context#err() err()}
	 */
	public ContextSQLTimeoutException(String reason, DeadlineExceededException cause) {
		super(reason, ContextSqlExceptions.QUERY_CANCELED, cause);
	}

}
