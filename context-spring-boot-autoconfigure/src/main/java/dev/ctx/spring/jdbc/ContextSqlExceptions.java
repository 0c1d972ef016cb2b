package dev.ctx.spring.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import dev.ctx.Context;
import dev.ctx.ContextException;
import dev.ctx.DeadlineExceededException;

import org.jspecify.annotations.Nullable;

/**
 * Classifies driver failures and builds the exceptions thrown when a context stops JDBC
 * work.
 */
final class ContextSqlExceptions {

	/** SQLState "query canceled" (PostgreSQL, H2). */
	static final String QUERY_CANCELED = "57014";

	/** SQLState "query interrupted" (MariaDB and MySQL, KILL QUERY and max_statement_time). */
	static final String QUERY_INTERRUPTED = "70100";

	// How long to wait for the deadline timer when the driver's query timeout, which is
	// rounded up to whole seconds, fired a moment before the context noticed its deadline
	private static final Duration TIMER_GRACE = Duration.ofMillis(200);

	private ContextSqlExceptions() {
	}

	/**
	 * Returns the context's error when {@code failure} was caused by the context: the
	 * context is done (or its deadline has passed) and the driver reports a cancelled or
	 * interrupted query. The exception type is not used: drivers disagree on it.
	 */
	static @Nullable ContextException causedBy(Context context, SQLException failure) {
		if (!isCancellation(failure)) {
			return null;
		}
		ContextException err = context.err();
		if (err == null && deadlinePassed(context)) {
			try {
				context.await(TIMER_GRACE);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			err = context.err();
		}
		return err;
	}

	private static boolean isCancellation(SQLException failure) {
		for (SQLException ex = failure; ex != null; ex = ex.getNextException()) {
			String state = ex.getSQLState();
			if (QUERY_CANCELED.equals(state) || QUERY_INTERRUPTED.equals(state)) {
				return true;
			}
		}
		return false;
	}

	private static boolean deadlinePassed(Context context) {
		Optional<Duration> remaining = context.remaining();
		return remaining.isPresent() && remaining.get().isZero();
	}

	/**
	 * Returns the exception for work stopped by {@code err}, with the driver's own
	 * failure, if any, as a suppressed exception.
	 */
	static SQLException stopped(String reason, ContextException err, @Nullable SQLException driverFailure) {
		String message = reason + ": " + err.getMessage();
		SQLException ex = (err instanceof DeadlineExceededException deadline)
				? new ContextSQLTimeoutException(message, deadline) : new ContextCancelledSQLException(message, err);
		if (driverFailure != null) {
			ex.addSuppressed(driverFailure);
		}
		return ex;
	}

}
