package dev.ctx.spring.jdbc;

import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

import dev.ctx.Context;

/**
 * Query timeouts derived from a context's deadline: the time left, rounded up to whole
 * seconds like Spring's {@code DataSourceUtils.applyTimeout}, unless a shorter one is
 * set already (by the application, {@code JdbcTemplate} or
 * {@code @Transactional(timeout = ...)}). The timeout is a backstop: the
 * {@code afterDone} cancel stops the statement to the millisecond.
 */
final class QueryTimeouts {

	/** Returned by {@link #apply} when the timeout was left as it was. */
	static final int UNCHANGED = -1;

	/** Returned by {@link #remainingNanos} for a context without a deadline. */
	static final long NO_DEADLINE = -1;

	private static final System.Logger logger = System.getLogger(QueryTimeouts.class.getName());

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private QueryTimeouts() {
	}

	/**
	 * Returns the time left until the deadline of {@code context}, never negative, or
	 * {@link #NO_DEADLINE}.
	 */
	static long remainingNanos(Context context) {
		Optional<Duration> remaining = context.remaining();
		return remaining.isPresent() ? remaining.get().toNanos() : NO_DEADLINE;
	}

	/**
	 * Sets the query timeout of {@code statement} to {@code remainingNanos} rounded up to
	 * whole seconds, unless it has a shorter one.
	 * @param remainingNanos the time left, or {@link #NO_DEADLINE}
	 * @return the timeout to {@linkplain #restore restore}, or {@link #UNCHANGED}
	 */
	static int apply(Statement statement, long remainingNanos) throws SQLException {
		if (remainingNanos == NO_DEADLINE) {
			return UNCHANGED;
		}
		long seconds = Math.max(1, (remainingNanos / NANOS_PER_SECOND)
				+ ((remainingNanos % NANOS_PER_SECOND != 0) ? 1 : 0));
		int timeout = (int) Math.min(seconds, Integer.MAX_VALUE);
		int current = statement.getQueryTimeout();
		if (current > 0 && current <= timeout) {
			return UNCHANGED;
		}
		statement.setQueryTimeout(timeout);
		return current;
	}

	/**
	 * Restores the timeout {@link #apply} replaced, if any.
	 */
	static void restore(Statement statement, int previousTimeout) {
		if (previousTimeout == UNCHANGED) {
			return;
		}
		try {
			statement.setQueryTimeout(previousTimeout);
		}
		catch (SQLException | RuntimeException ex) {
			// Closed by the driver after a failure: nothing left to restore
			logger.log(Level.DEBUG, "Could not restore query timeout", ex);
		}
	}

}
