package dev.ctx.spring.jdbc;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.SQLException;
import java.sql.Statement;

import dev.ctx.Context;
import dev.ctx.ContextException;
import dev.ctx.Registration;

import org.jspecify.annotations.Nullable;

/**
 * What a context's end does to the work on one connection, registered once with
 * {@link Context#afterDone(Runnable)}: interrupt the thread waiting for the connection
 * from the pool, or cancel the statement executing on it.
 * <p>A {@link ContextAwareDataSource} registers one guard per checkout, with the context
 * current when the connection is acquired, and stops it when the connection is closed.
 * Every statement that executes under that context reuses it as its {@link Execution}: no
 * registration and no allocation per statement. A statement that executes under another
 * context, or while another thread executes on the same connection (legal, rare), gets
 * a guard of its own for that one execution. The row fetches of a streaming result set run
 * on it too (without touching the query timeout) when they run under its context, and on
 * a guard the result set registers for itself otherwise.
 * <h2>Protocol</h2>
 * <p>{@link Statement#cancel()} is not safe to call at any time: MariaDB Connector/J sends
 * {@code KILL QUERY} for the whole connection, so a cancel that races a statement's
 * completion could kill the next statement on the same pooled connection. The guard's
 * state is one word, changed by compare-and-set only:
 * <pre>
 * ACQUIRING --acquired()--&gt; IDLE --begin()--&gt; the executing Statement --end()--&gt; IDLE
 * ACQUIRING --run()--&gt; INTERRUPTING         IDLE --run()--&gt; DONE
 * the executing Statement --run()--&gt; CANCELLING --end()--&gt; DONE
 * </pre>
 * {@link #run()}, the {@code afterDone} action, makes its transition and the
 * {@code interrupt()} or {@code cancel()} that goes with it while holding the guard's
 * monitor. The executing thread ends with a compare-and-set from its statement back to
 * {@code IDLE}. If that succeeds, no cancel has started, and none will for this
 * execution: {@code run()} finds {@code IDLE} and moves it to {@code DONE}. If it fails,
 * {@code run()} won and holds the monitor until {@code cancel()} returned, so the
 * executing thread takes the monitor, which waits for the cancel to finish. Either way,
 * when {@link #end()} returns no cancel is in progress and none will start: the next
 * statement on the connection never meets it. The executing thread's cost is two
 * compare-and-sets; it takes the monitor only when its statement was cancelled.
 * <p>The guard is done once its context is: a guard found {@code DONE} or
 * {@code CANCELLING} by {@link #begin(Statement)} rejects the statement.
 */
final class ConnectionGuard extends Execution implements Runnable {

	private static final System.Logger logger = System.getLogger(ConnectionGuard.class.getName());

	private static final VarHandle STATE;

	static {
		try {
			STATE = MethodHandles.lookup().findVarHandle(ConnectionGuard.class, "state", Object.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private static final Registration NOT_REGISTERED = () -> false;

	/**
	 * The states other than "executing", in which the state is the executing statement.
	 */
	private enum Phase {

		/** A thread waits for a pooled connection. */
		ACQUIRING,

		/** Nothing executes. */
		IDLE,

		/** The context is done; the waiting thread is being or was interrupted. */
		INTERRUPTING,

		/** The context is done; the executing statement is being or was cancelled. */
		CANCELLING,

		/** The context is done; nothing is in progress and nothing will be. */
		DONE

	}

	// A Phase, or the Statement executing
	private volatile Object state;

	private final Context context;

	private final JdbcCancellationListener listener;


	// Whether the guard serves one execution and is stopped at its end
	private final boolean single;

	// The thread waiting for a pooled connection, while ACQUIRING
	private final @Nullable Thread acquiring;

	private final boolean hasDeadline;

	// On the System.nanoTime() clock, as the context keeps it
	private final long deadlineNanos;

	private Registration registration = NOT_REGISTERED;

	// The connection marked suspect after a late cancel: set once, before the connection
	// is handed out, by the thread that acquired it
	private @Nullable ContextAwareConnection connection;

	// The execution in progress: written and read only by the thread that moved the state
	// from IDLE to its statement, until it moves it back
	private @Nullable Statement statement;

	private int previousTimeout;

	private boolean stoppedByContext;

	// Whether the execution in progress is a row fetch of a streaming result set: its
	// query timeout is left alone, and a late cancel does not make the connection suspect
	private boolean fetching;

	private ConnectionGuard(Context context, JdbcCancellationListener listener, Object state, boolean fetch,
			boolean single, @Nullable Thread acquiring, long remainingNanos) {
		this.context = context;
		this.listener = listener;
		this.state = state;
		this.fetching = fetch;
		this.single = single;
		this.acquiring = acquiring;
		this.hasDeadline = remainingNanos != QueryTimeouts.NO_DEADLINE;
		this.deadlineNanos = this.hasDeadline ? System.nanoTime() + remainingNanos : 0;
	}

	/**
	 * Creates and registers the guard of a checkout, for the current thread, which is
	 * about to wait for a pooled connection. Whoever calls this must call
	 * {@link #acquired()} once the wait is over and {@link #stop()} the guard when the
	 * connection is closed or not handed out.
	 */
	static ConnectionGuard acquiring(Context context, JdbcCancellationListener listener) {
		// The deadline is read once per checkout: no Optional or Duration per statement
		ConnectionGuard guard = new ConnectionGuard(context, listener, Phase.ACQUIRING, false, false,
				Thread.currentThread(), QueryTimeouts.remainingNanos(context));
		guard.register();
		return guard;
	}

	/**
	 * Creates and registers the guard of a streaming result set's row fetches. Whoever
	 * calls this must {@link #stop()} the guard.
	 */
	static ConnectionGuard fetching(Context context, JdbcCancellationListener listener) {
		ConnectionGuard guard = new ConnectionGuard(context, listener, Phase.IDLE, true, false, null,
				QueryTimeouts.NO_DEADLINE);
		guard.register();
		return guard;
	}

	/**
	 * Begins an execution of {@code statement} under {@code context} on a guard of its
	 * own, registered for this execution only.
	 * @param connection the wrapper of the connection the statement belongs to
	 * @throws SQLException when the context is done: the statement is not sent
	 */
	static Execution begin(Context context, Statement statement, ContextAwareConnection connection,
			JdbcCancellationListener listener) throws SQLException {
		throwIfDone(context, listener, false);
		int previousTimeout = QueryTimeouts.apply(statement, QueryTimeouts.remainingNanos(context));
		return single(context, listener, false, connection, statement, previousTimeout);
	}

	private static ConnectionGuard single(Context context, JdbcCancellationListener listener, boolean fetch,
			@Nullable ContextAwareConnection connection, Statement statement, int previousTimeout) {
		// Executing before it is registered, so that a context done in between still
		// cancels the statement
		ConnectionGuard guard = new ConnectionGuard(context, listener, statement, fetch, true, null,
				QueryTimeouts.NO_DEADLINE);
		guard.connection = connection;
		guard.statement = statement;
		guard.previousTimeout = previousTimeout;
		guard.register();
		return guard;
	}

	private void register() {
		// The default afterDone executor, not a direct one: cancel() does network I/O
		// (MariaDB opens a connection to send KILL QUERY), which must block neither the
		// thread that cancels the context nor the shared deadline timer.
		this.registration = this.context.afterDone(this);
	}

	/**
	 * Returns the context this guard is registered with.
	 */
	Context context() {
		return this.context;
	}

	/**
	 * Names the connection to {@linkplain ContextAwareConnection#markSuspect() mark
	 * suspect} after a late cancel; called once, before the connection is handed out.
	 */
	void bind(ContextAwareConnection connection) {
		this.connection = connection;
	}

	/**
	 * Ends the wait for a pooled connection and clears the interrupt this guard sent, if
	 * any (with any other interrupt sent during the wait).
	 * @return whether the context was done during the wait
	 */
	boolean acquired() {
		if (STATE.compareAndSet(this, Phase.ACQUIRING, Phase.IDLE)) {
			return false;
		}
		synchronized (this) {
			// run() interrupted this thread holding the monitor: the interrupt has landed
			Thread.interrupted();
		}
		return true;
	}

	/**
	 * Begins an execution of {@code statement} (or a row fetch of it) on this guard,
	 * or on a guard of its own when another thread executes on this one.
	 * @throws SQLException when the context is done: the statement is not sent
	 */
	Execution begin(Statement statement) throws SQLException {
		return begin(statement, false);
	}

	/**
	 * Begins a row fetch of a streaming result set of {@code statement} on this guard,
	 * or on a guard of its own when another thread executes on this one. The query
	 * timeout is left as it is.
	 * @throws SQLException when the context is done: the row is not fetched
	 */
	Execution beginFetch(Statement statement) throws SQLException {
		return begin(statement, true);
	}

	private Execution begin(Statement statement, boolean fetch) throws SQLException {
		throwIfDone(this.context, this.listener, fetch);
		int previousTimeout = (fetch || !this.hasDeadline) ? QueryTimeouts.UNCHANGED
				: QueryTimeouts.apply(statement, Math.max(0, this.deadlineNanos - System.nanoTime()));
		Object witness = STATE.compareAndExchange(this, Phase.IDLE, statement);
		if (witness == Phase.IDLE) {
			this.statement = statement;
			this.previousTimeout = previousTimeout;
			this.stoppedByContext = false;
			this.fetching = fetch;
			return this;
		}
		if (witness instanceof Statement) {
			// Another thread executes on this connection: legal JDBC, rare
			return single(this.context, this.listener, fetch, this.connection, statement, previousTimeout);
		}
		// CANCELLING or DONE: run() has run, the context is done
		QueryTimeouts.restore(statement, previousTimeout);
		throwIfDone(this.context, this.listener, fetch);
		throw new IllegalStateException("Guard " + witness + " but its context is not done");
	}

	private static void throwIfDone(Context context, JdbcCancellationListener listener, boolean fetch)
			throws SQLException {
		ContextException err = context.err();
		if (err != null) {
			listener.statementRejected(context);
			throw ContextSqlExceptions.stopped(fetch ? "Row not fetched" : "Statement not executed", err, null);
		}
	}

	@Override
	SQLException failed(SQLException ex) {
		ContextException cause = ContextSqlExceptions.causedBy(this.context, ex);
		if (cause == null) {
			return ex;
		}
		this.stoppedByContext = true;
		return ContextSqlExceptions.stopped(this.fetching ? "Fetch stopped" : "Statement stopped", cause, ex);
	}

	@Override
	void end() {
		// Read before the state goes back to IDLE, after which another thread may begin
		Statement statement = this.statement;
		int previousTimeout = this.previousTimeout;
		boolean stoppedByContext = this.stoppedByContext;
		boolean fetching = this.fetching;
		ContextAwareConnection connection = this.connection;
		boolean cancelled = !STATE.compareAndSet(this, statement, Phase.IDLE);
		if (cancelled) {
			synchronized (this) {
				// run() held the monitor from its compare-and-set until cancel() returned
				this.state = Phase.DONE;
			}
		}
		if (this.single) {
			this.registration.stop();
		}
		if (statement != null) {
			QueryTimeouts.restore(statement, previousTimeout);
		}
		if (cancelled || stoppedByContext) {
			this.listener.statementCancelled(this.context);
		}
		if (cancelled && !stoppedByContext && !fetching && connection != null) {
			// The cancel did not stop the statement, which completed (or failed for
			// another reason): the driver may keep it for a later statement
			connection.markSuspect();
		}
	}

	/**
	 * Stops this guard's registration: nothing will be interrupted or cancelled after
	 * the context is done.
	 */
	void stop() {
		this.registration.stop();
	}

	/**
	 * The {@code afterDone} action: interrupts the thread waiting for a pooled
	 * connection or cancels the statement executing, if any.
	 */
	@Override
	public void run() {
		synchronized (this) {
			while (true) {
				Object state = this.state;
				if (state == Phase.ACQUIRING) {
					if (STATE.compareAndSet(this, state, Phase.INTERRUPTING)) {
						this.acquiring.interrupt();
						return;
					}
				}
				else if (state == Phase.IDLE) {
					if (STATE.compareAndSet(this, state, Phase.DONE)) {
						return;
					}
				}
				else if (state instanceof Statement statement) {
					if (STATE.compareAndSet(this, state, Phase.CANCELLING)) {
						cancel(statement);
						return;
					}
				}
				else {
					return;
				}
			}
		}
	}

	private static void cancel(Statement statement) {
		try {
			statement.cancel();
		}
		catch (SQLException | RuntimeException ex) {
			logger.log(Level.DEBUG, "Statement.cancel() failed", ex);
		}
	}

	@Override
	public String toString() {
		Object state = this.state;
		return "ConnectionGuard[" + ((state instanceof Phase) ? state : "EXECUTING") + ", " + this.context + "]";
	}

}
