package dev.ctx.spring.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import dev.ctx.Context;
import dev.ctx.ContextException;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.util.Assert;

/**
 * A {@link DataSource} whose statements obey the {@linkplain Context#current() current}
 * {@link Context}. For each execution ({@code execute*}, including batches and the
 * large variants, and row fetches of result sets the driver streams) while the current
 * context can be done:
 * <ul>
 * <li>if the context is done, the statement is not sent: a
 * {@link ContextSQLTimeoutException} (deadline) or a {@link ContextCancelledSQLException}
 * (cancelled) is thrown, whose cause is the context's {@link Context#err() err()};</li>
 * <li>otherwise the query timeout is set to the time left, rounded up to whole seconds
 * (never longer than a timeout already set, for example by
 * {@code @Transactional(timeout = ...)}), and {@link java.sql.Statement#cancel()} is
 * called the moment the context is done, only while the statement is executing, so that
 * a cancel never reaches the next statement on a pooled connection, and again 50, 250
 * and 1,250 ms later while the execution has not ended (drivers ignore a cancel that
 * arrives just before they send the statement);</li>
 * <li>a failure is attributed to the context when the context is done and the driver
 * reports a cancelled or interrupted query (SQLState {@code 57014} on PostgreSQL and H2,
 * {@code 70100} on MariaDB and MySQL); it is then rethrown as one of the exceptions
 * above, with the driver's exception suppressed.</li>
 * </ul>
 * <p>When a cancel reaches a statement that completes anyway (the race the guard cannot
 * exclude: the driver finished a moment before the statement returned) or fails for
 * another reason, the connection is evicted from the pool on close when the pool offers {@code evictConnection}
 * (HikariCP), unless the database is one whose late cancels are harmless once the
 * guard returned (PostgreSQL, MariaDB, MySQL): H2 keeps such a cancel on its cached
 * command and fails the next execution of the same SQL on that session. Within the same
 * checkout that H2 behaviour remains.
 * <p>{@link #getConnection()} fails fast when the context is done and, while the context
 * can be done, interrupts the wait for a pooled connection when it becomes done (HikariCP
 * stops waiting when interrupted, while its {@code connectionTimeout} is one global
 * value). The interrupt is sent only during the wait and cleared before the method
 * returns; an interrupt that another thread sends during the same wait is cleared with
 * it.
 * <p>Cost: connections, statements and streaming result sets are wrapped by hand-written
 * classes that call the driver directly. With no context, one connection wrapper per
 * checkout; statements are not wrapped. With a context that can be done, one
 * {@code afterDone} registration per platform thread and context, made by the thread's
 * first checkout under the context and shared by its later checkouts and their statements
 * until the context is done; one wrapper per statement; and per checkout and per
 * execution two compare-and-sets and no allocation, plus two {@code setQueryTimeout}
 * calls per execution when the context has a deadline. A checkout on a virtual thread
 * registers for itself until the connection is closed. A statement executed under another
 * context than the one its connection was acquired under (or while another thread
 * executes on the same connection) registers for that execution; a streaming result set
 * under another context registers once for its row fetches.
 * <p>Statements created while {@link Context#background()} or {@link Context#todo()} is
 * current, on a connection acquired while one of them was current, are returned
 * unwrapped: no wrapper, no extra work, also when they execute later under a context.
 * Connections are always wrapped, because a transaction's connection is often acquired
 * before the work that runs under a deadline.
 * <p>Subclassing {@link DelegatingDataSource} keeps {@code unwrap}, Spring Boot's
 * {@code DataSourceUnwrapper} and the pool metrics working.
 *
 * @since 0.1.0
 */
public class ContextAwareDataSource extends DelegatingDataSource {

	private final JdbcCancellationListener listener;

	private volatile @Nullable ConnectionEvictor evictor;

	/**
	 * Creates a new instance.
	 * @param targetDataSource the data source to wrap
	 */
	public ContextAwareDataSource(DataSource targetDataSource) {
		this(targetDataSource, JdbcCancellationListener.NONE);
	}

	/**
	 * Creates a new instance.
	 * @param targetDataSource the data source to wrap
	 * @param listener told when a context rejects or stops a statement
	 */
	public ContextAwareDataSource(DataSource targetDataSource, JdbcCancellationListener listener) {
		super(targetDataSource);
		Assert.notNull(listener, "'listener' must not be null");
		this.listener = listener;
	}

	/**
	 * Returns the listener told when a context rejects or stops a statement.
	 * @return the listener
	 */
	public JdbcCancellationListener listener() {
		return this.listener;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return acquire(null, null);
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return acquire(username, password);
	}

	private Connection acquire(@Nullable String username, @Nullable String password) throws SQLException {
		Context context = Context.current();
		if (isNeverDone(context)) {
			return wrap(obtain(username, password), null);
		}
		ContextException err = context.err();
		if (err != null) {
			// The statement the connection was for will not be sent
			this.listener.statementRejected(context);
			throw ContextSqlExceptions.stopped("Connection not acquired", err, null);
		}
		// Registered at least for the whole checkout: it interrupts the wait for a pooled
		// connection now, and cancels the connection's statements later
		ConnectionGuard guard = ConnectionGuard.checkout(context);
		Connection connection = null;
		SQLException failure = null;
		boolean interrupted;
		try {
			connection = obtain(username, password);
		}
		catch (SQLException ex) {
			failure = ex;
		}
		finally {
			interrupted = guard.acquired();
			if (connection == null || interrupted) {
				guard.release();
			}
		}
		if (interrupted) {
			// The context was done during the wait: whatever the pool answered, the
			// caller's work is over
			if (connection != null) {
				connection.close();
			}
			this.listener.statementRejected(context);
			throw ContextSqlExceptions.stopped("Connection not acquired", errOf(context), failure);
		}
		if (failure != null) {
			throw failure;
		}
		return wrap(connection, guard);
	}

	private static ContextException errOf(Context context) {
		ContextException err = context.err();
		Assert.state(err != null, "Context interrupted the connection wait but is not done");
		return err;
	}

	private Connection obtain(@Nullable String username, @Nullable String password) throws SQLException {
		DataSource target = obtainTargetDataSource();
		return (username != null) ? target.getConnection(username, password) : target.getConnection();
	}

	private Connection wrap(Connection connection, @Nullable ConnectionGuard guard) {
		if (connection instanceof ContextAwareConnection) {
			// A routing or layered data source whose targets are wrapped already: they
			// guard the connection
			if (guard != null) {
				guard.release();
			}
			return connection;
		}
		return new ContextAwareConnection(connection, guard, this.listener, evictor());
	}

	private ConnectionEvictor evictor() {
		ConnectionEvictor evictor = this.evictor;
		if (evictor == null) {
			evictor = new ConnectionEvictor(obtainTargetDataSource());
			this.evictor = evictor;
		}
		return evictor;
	}

	/**
	 * Whether {@code context} can never be done, checked without allocating: the roots
	 * current when no context is attached.
	 */
	static boolean isNeverDone(Context context) {
		return context == Context.background() || context == Context.todo();
	}

	@Override
	public String toString() {
		return "ContextAwareDataSource[" + obtainTargetDataSource() + "]";
	}

}
