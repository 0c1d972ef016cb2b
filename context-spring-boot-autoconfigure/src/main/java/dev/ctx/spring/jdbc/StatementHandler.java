package dev.ctx.spring.jdbc;

import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

import dev.ctx.Context;
import dev.ctx.ContextException;

import org.jspecify.annotations.Nullable;

/**
 * Behind a statement created while a context was current: makes each execution obey
 * the context current when it runs.
 */
final class StatementHandler implements InvocationHandler {

	private static final System.Logger logger = System.getLogger(StatementHandler.class.getName());

	private static final int UNCHANGED = -1;

	private final Statement target;

	private final ConnectionHandler connection;

	private final JdbcCancellationListener listener;

	private final Statement proxy;

	StatementHandler(Statement target, Class<?> type, ConnectionHandler connection,
			JdbcCancellationListener listener) {
		this.target = target;
		this.connection = connection;
		this.listener = listener;
		this.proxy = JdbcProxies.statement(type, this);
	}

	Statement proxy() {
		return this.proxy;
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
		String name = method.getName();
		if (name.startsWith("execute")) {
			return execute(method, args);
		}
		return switch (name) {
			case "getConnection" -> this.connection.proxy();
			case "getResultSet" -> streamingResultSet(Context.current(),
					(ResultSet) JdbcProxies.invoke(this.target, method, args));
			default -> JdbcProxies.isOwnMethod(name) ? JdbcProxies.invokeOwnMethod(proxy, this.target, method, args)
					: JdbcProxies.invoke(this.target, method, args);
		};
	}

	private @Nullable Object execute(Method method, @Nullable Object @Nullable [] args) throws Throwable {
		Context context = Context.current();
		if (ContextAwareDataSource.isNeverDone(context)) {
			return JdbcProxies.invoke(this.target, method, args);
		}
		ContextException err = context.err();
		if (err != null) {
			this.listener.statementRejected(context);
			throw ContextSqlExceptions.stopped("Statement not executed", err, null);
		}
		int previousTimeout = applyQueryTimeout(context);
		StatementGuard guard = StatementGuard.register(context, this.target, true);
		boolean stoppedByContext = false;
		boolean completed = false;
		try {
			Object result = JdbcProxies.invoke(this.target, method, args);
			completed = true;
			return (result instanceof ResultSet resultSet) ? streamingResultSet(context, resultSet) : result;
		}
		catch (SQLException ex) {
			ContextException cause = ContextSqlExceptions.causedBy(context, ex);
			if (cause == null) {
				throw ex;
			}
			stoppedByContext = true;
			throw ContextSqlExceptions.stopped("Statement stopped", cause, ex);
		}
		finally {
			// Waits for a cancel in progress: the next statement on this connection must
			// never meet it
			boolean cancelled = guard.end();
			guard.close();
			restoreQueryTimeout(previousTimeout);
			if (cancelled || stoppedByContext) {
				this.listener.statementCancelled(context);
			}
			if (cancelled && completed) {
				this.connection.markSuspect();
			}
		}
	}

	/**
	 * Sets the query timeout to the time left, rounded up to whole seconds like Spring's
	 * {@code DataSourceUtils.applyTimeout}, unless a shorter one is set already (by the
	 * application, {@code JdbcTemplate} or {@code @Transactional(timeout = ...)}). The
	 * timeout is a backstop: the {@code afterDone} cancel stops the statement to the
	 * millisecond.
	 * @return the timeout to restore, or {@link #UNCHANGED}
	 */
	private int applyQueryTimeout(Context context) throws SQLException {
		Optional<Duration> remaining = context.remaining();
		if (remaining.isEmpty()) {
			return UNCHANGED;
		}
		long nanos = remaining.get().toNanos();
		long seconds = Math.max(1, (nanos / 1_000_000_000L) + ((nanos % 1_000_000_000L != 0) ? 1 : 0));
		int timeout = (int) Math.min(seconds, Integer.MAX_VALUE);
		int current = this.target.getQueryTimeout();
		if (current > 0 && current <= timeout) {
			return UNCHANGED;
		}
		this.target.setQueryTimeout(timeout);
		return current;
	}

	private void restoreQueryTimeout(int previousTimeout) {
		if (previousTimeout == UNCHANGED) {
			return;
		}
		try {
			this.target.setQueryTimeout(previousTimeout);
		}
		catch (SQLException | RuntimeException ex) {
			// Closed by the driver after a failure: nothing left to restore
			logger.log(Level.DEBUG, "Could not restore query timeout", ex);
		}
	}

	/**
	 * Wraps a result set the driver streams (a fetch size was set), so that fetching
	 * rows obeys the context too. Fully buffered result sets are returned as they are.
	 */
	private @Nullable ResultSet streamingResultSet(Context context, @Nullable ResultSet resultSet)
			throws SQLException {
		if (resultSet == null || ContextAwareDataSource.isNeverDone(context) || this.target.getFetchSize() <= 0) {
			return resultSet;
		}
		return new ResultSetHandler(resultSet, this.target, this.proxy, context, this.listener).proxy();
	}

}
