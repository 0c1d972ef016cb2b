package dev.ctx.spring.jdbc;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ctx.Context;
import dev.ctx.ContextException;
import dev.ctx.Registration;

import org.jspecify.annotations.Nullable;

/**
 * What a context's end does to the work on connections, registered with
 * {@link Context#afterDone(Runnable)}: interrupt the thread waiting for a connection
 * from the pool, or cancel the statement executing.
 * <h2>Which guard</h2>
 * <ul>
 * <li>A platform thread keeps one guard <em>parked</em> for the context its last
 * checkout was made under. Its next checkouts under the same context use it again, and
 * so do all their statements under that context: a request whose queries each check a
 * connection out and back in (a {@code JdbcTemplate} outside a transaction) registers
 * once, not once per query. The guard stays registered until its context is done (a
 * request's context is cancelled when the request ends), or until the thread checks out
 * under another context and the checkouts it served are closed: then it is stopped. It
 * forgets its context once that is done, so an idle thread keeps no finished request's
 * context reachable.</li>
 * <li>A checkout on a virtual thread (they come and go by the million, and a parked guard
 * would stay registered with a long-lived context after its thread ended), or while
 * another thread executes on a connection of the parked guard's, registers a guard for
 * itself, stopped when the connection is closed.</li>
 * <li>A statement that executes under another context than its connection's guard, or
 * while another thread executes on that guard, gets a guard of its own for that one
 * execution. The row fetches of a streaming result set run on its connection's guard
 * (without touching the query timeout) when they run under its context, and on a guard
 * the result set registers for itself otherwise.</li>
 * </ul>
 * <h2>Protocol</h2>
 * <p>{@link Statement#cancel()} is not safe to call at any time: MariaDB Connector/J sends
 * {@code KILL QUERY} for the whole connection, so a cancel that races a statement's
 * completion could kill the next statement on the same pooled connection. The guard's
 * state is one word, changed by compare-and-set only:
 * <pre>
 * IDLE --checkout()--&gt; ACQUIRING --acquired()--&gt; IDLE --begin()--&gt; the executing Statement --end()--&gt; IDLE
 * ACQUIRING --run()--&gt; INTERRUPTING         IDLE --run()--&gt; DONE         IDLE --replaced--&gt; RETIRED
 * the executing Statement --run()--&gt; CANCELLING --end()--&gt; DONE
 * </pre>
 * {@link #run()}, the {@code afterDone} action, runs on the thread that made the context
 * done and holds the guard's monitor while it moves the state on: it interrupts a waiting
 * thread itself, and hands a statement to the context's afterDone executor, where the
 * guard's monitor is held from the compare-and-set to {@code CANCELLING} until
 * {@code cancel()} returned. The executing thread ends with a compare-and-set from its
 * statement back to {@code IDLE}. If that succeeds, no cancel has started, and none will
 * for this execution. If it fails, the cancel won and holds the monitor until
 * {@code cancel()} returned, so the executing thread takes the monitor, which waits for
 * the cancel to finish. Either way, when {@link #end()} returns no cancel is in progress
 * and none will start: the next statement on the connection never meets it. The
 * executing thread's cost is two compare-and-sets; it takes the monitor only when its
 * statement was cancelled.
 * <p>The guard is done once its context is: a guard found {@code INTERRUPTING},
 * {@code CANCELLING} or {@code DONE} by {@link #begin} rejects the statement.
 * <p>A statement is marked executing just before the driver sends it, and drivers ignore
 * a cancel that arrives in between (pgjdbc while its statement is idle, H2 without a
 * command in progress, MariaDB's {@code KILL QUERY} finding no query). So while the state
 * stays {@code CANCELLING} (the execution has not ended), the statement is cancelled
 * again 50, 250 and 1,250 ms after the first cancel, each time under the monitor as the
 * first: the same guarantee holds, and a context that ends in that moment still stops
 * the statement. A repeated cancel may arrive after the driver stopped the statement
 * and before the execution ended, which H2 remembers as a late cancel: the connection is
 * then marked suspect, as after a cancel that did not stop its statement.
 */
final class ConnectionGuard extends Execution implements Runnable {

	private static final System.Logger logger = System.getLogger(ConnectionGuard.class.getName());

	private static final VarHandle STATE;

	private static final VarHandle CLOSED_ELSEWHERE;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			STATE = lookup.findVarHandle(ConnectionGuard.class, "state", Object.class);
			CLOSED_ELSEWHERE = lookup.findVarHandle(ConnectionGuard.class, "closedElsewhere", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private static final Registration NOT_REGISTERED = () -> false;

	// After a cancel, the statement is cancelled again after each of these delays while
	// its execution has not ended (1.25 s in all). Not sooner: a cancel that took effect
	// usually ends the execution within milliseconds, but a loaded machine can take longer
	// to run the executing thread, and on MariaDB every cancel opens a connection.
	private static final long[] RECANCEL_DELAYS_MILLIS = { 50, 200, 1000 };

	// The guard a platform thread's checkouts share while they run under the same context
	private static final ThreadLocal<ConnectionGuard> PARKED = new ThreadLocal<>();

	// Thread.isVirtual(), on Java 21 and later
	private static final @Nullable MethodHandle IS_VIRTUAL = isVirtualHandle();

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
		DONE,

		/**
		 * A parked guard replaced by one for another context: its registration is
		 * stopped, and statements that still name it register for themselves.
		 */
		RETIRED

	}

	// A Phase, or the Statement executing
	private volatile Object state;

	// The context this guard is registered with; cleared once it is done or the guard
	// retired, so that a parked guard does not keep a finished request's context (and its
	// values) reachable from an idle thread. Read without synchronization: a stale value
	// only sends a caller to the compare-and-set on state, which decides.
	private @Nullable Context context;

	// Whether the guard outlives its checkout: the current thread's, for all its checkouts
	// under the same context
	private final boolean parked;

	// Whether the guard serves one execution and is stopped at its end
	private final boolean single;

	// The thread waiting for a pooled connection, while ACQUIRING: the thread that
	// created the guard, for the guards of checkouts
	private final @Nullable Thread owner;

	private final boolean hasDeadline;

	// On the System.nanoTime() clock, as the context keeps it
	private final long deadlineNanos;

	// The checkouts this guard served, counted by its owner (parked guards only)
	private int checkouts;

	// Those of them closed on another thread than the owner
	private volatile int closedElsewhere;

	// Whether the owner replaced this parked guard: the close of its last open checkout
	// stops it. Written by the owner; a closer on another thread that reads it late
	// leaves the guard registered until its context is done, which is all the harm.
	private boolean replaced;

	// Read and stopped by the threads that end checkouts, reset by run(): either value
	// is one to stop
	private Registration registration = NOT_REGISTERED;

	// The execution in progress: written and read only by the thread that moved the state
	// from IDLE to its statement, until it moves it back
	private @Nullable Statement statement;

	private @Nullable Context executionContext;

	// The wrapper of the connection the statement belongs to, marked suspect after a
	// late cancel; null for the row fetches of a result set under another context
	private @Nullable ContextAwareConnection connection;

	private JdbcCancellationListener listener = JdbcCancellationListener.NONE;

	private int previousTimeout;

	private boolean stoppedByContext;

	// Whether the statement executing was cancelled more than once: written and read
	// holding the monitor
	private boolean recancelled;

	// Whether the execution in progress is a row fetch of a streaming result set: its
	// query timeout is left alone, and a late cancel does not make the connection suspect
	private boolean fetching;

	private ConnectionGuard(Context context, Object state, boolean parked, boolean single, @Nullable Thread owner,
			long remainingNanos) {
		this.context = context;
		this.state = state;
		this.parked = parked;
		this.single = single;
		this.owner = owner;
		this.hasDeadline = remainingNanos != QueryTimeouts.NO_DEADLINE;
		this.deadlineNanos = this.hasDeadline ? System.nanoTime() + remainingNanos : 0;
	}

	/**
	 * Returns the guard of a checkout under {@code context} by the current thread, which
	 * is about to wait for a pooled connection. On a platform thread that is the thread's
	 * parked guard when it was registered with the same context, and becomes it
	 * otherwise: consecutive checkouts under one context (a request's queries outside a
	 * transaction) share one registration. Whoever calls this must call
	 * {@link #acquired()} once the wait is over and {@link #release()} when the
	 * connection is closed or not handed out.
	 */
	static ConnectionGuard checkout(Context context) {
		Thread thread = Thread.currentThread();
		if (isVirtual(thread)) {
			// Virtual threads come and go by the million: a guard parked on each would
			// stay registered with a long-lived context after its thread ended
			return register(new ConnectionGuard(context, Phase.ACQUIRING, false, false, thread,
					QueryTimeouts.remainingNanos(context)));
		}
		ConnectionGuard parked = PARKED.get();
		if (parked != null) {
			if (parked.context == context) {
				if (STATE.compareAndSet(parked, Phase.IDLE, Phase.ACQUIRING)) {
					parked.checkouts++;
					return parked;
				}
				// Another thread executes on a connection of one of this thread's
				// checkouts (or the context has just become done): this checkout
				// registers for itself
				return register(new ConnectionGuard(context, Phase.ACQUIRING, false, false, thread,
						QueryTimeouts.remainingNanos(context)));
			}
			parked.replaced = true;
			if (parked.openCheckouts() == 0) {
				parked.retire();
			}
		}
		ConnectionGuard guard = register(new ConnectionGuard(context, Phase.ACQUIRING, true, false, thread,
				QueryTimeouts.remainingNanos(context)));
		guard.checkouts = 1;
		PARKED.set(guard);
		return guard;
	}

	/**
	 * Creates and registers the guard of a streaming result set's row fetches under a
	 * context other than its checkout's. Whoever calls this must {@link #stop()} the
	 * guard.
	 */
	static ConnectionGuard fetching(Context context) {
		return register(new ConnectionGuard(context, Phase.IDLE, false, false, null, QueryTimeouts.NO_DEADLINE));
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
		ConnectionGuard guard = new ConnectionGuard(context, statement, false, true, null, QueryTimeouts.NO_DEADLINE);
		guard.statement = statement;
		guard.executionContext = context;
		guard.connection = connection;
		guard.listener = listener;
		guard.previousTimeout = previousTimeout;
		guard.fetching = fetch;
		return register(guard);
	}

	private static ConnectionGuard register(ConnectionGuard guard) {
		// Run by the thread that cancels the context (or the deadline timer): run() only
		// changes the state and interrupts, and hands a cancel(), which does network I/O
		// (MariaDB opens a connection to send KILL QUERY), to the context's afterDone
		// executor. A request's context is cancelled when the request ends, which finds
		// the parked guards of the threads that served it: that costs no task hand-off.
		guard.registration = Objects.requireNonNull(guard.context).afterDone(guard, Runnable::run);
		if (guard.context == null) {
			// Done already: run() ran inside afterDone(), before the assignment. A
			// registration that ran still refers to its context, which a parked guard
			// must not keep reachable.
			guard.registration = NOT_REGISTERED;
		}
		return guard;
	}

	/**
	 * Returns whether executions under {@code context} run on this guard.
	 */
	boolean isFor(Context context) {
		return this.context == context;
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
	 * Ends a checkout: stops the registration of a guard that served this checkout
	 * alone. A parked guard stays registered for the thread's next checkout.
	 */
	void release() {
		if (!this.parked) {
			this.registration.stop();
			return;
		}
		if (Thread.currentThread() == this.owner) {
			this.checkouts--;
		}
		else {
			CLOSED_ELSEWHERE.getAndAdd(this, 1);
		}
		if (this.replaced && openCheckouts() == 0) {
			// The thread parked another guard meanwhile: this one served its last checkout
			retire();
		}
	}

	private int openCheckouts() {
		return this.checkouts - this.closedElsewhere;
	}

	/**
	 * Stops this guard's registration: nothing will be interrupted or cancelled after
	 * the context is done.
	 */
	void stop() {
		this.registration.stop();
	}

	private void retire() {
		// Unless it is done, or a statement executes on it on another thread right now (a
		// checkout closed elsewhere before its statement ended): then it stays registered
		// until its context is done
		if (STATE.compareAndSet(this, Phase.IDLE, Phase.RETIRED)) {
			this.registration.stop();
			this.context = null;
		}
	}

	/**
	 * Begins an execution of {@code statement} under {@code context}, the context this
	 * guard is {@linkplain #isFor for}, on this guard, or on a guard of its own when
	 * another thread executes on this one.
	 * @param connection the wrapper of the connection the statement belongs to, or
	 * {@code null} for a row fetch of a result set under another context
	 * @param fetch whether this is a row fetch of a streaming result set: the query
	 * timeout is left as it is
	 * @throws SQLException when the context is done: the statement is not sent
	 */
	Execution begin(Context context, Statement statement, @Nullable ContextAwareConnection connection,
			JdbcCancellationListener listener, boolean fetch) throws SQLException {
		throwIfDone(context, listener, fetch);
		int previousTimeout = (fetch || !this.hasDeadline) ? QueryTimeouts.UNCHANGED
				: QueryTimeouts.apply(statement, Math.max(0, this.deadlineNanos - System.nanoTime()));
		Object witness = STATE.compareAndExchange(this, Phase.IDLE, statement);
		if (witness == Phase.IDLE) {
			this.statement = statement;
			this.executionContext = context;
			this.connection = connection;
			this.listener = listener;
			this.previousTimeout = previousTimeout;
			this.stoppedByContext = false;
			this.fetching = fetch;
			return this;
		}
		if (witness instanceof Statement || witness == Phase.ACQUIRING || witness == Phase.RETIRED) {
			// Another thread executes on a connection of this guard's, or acquires one
			// (legal JDBC, rare), or the guard was replaced
			return single(context, listener, fetch, connection, statement, previousTimeout);
		}
		// INTERRUPTING, CANCELLING or DONE: run() has run, the context is done
		QueryTimeouts.restore(statement, previousTimeout);
		throwIfDone(context, listener, fetch);
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

	/**
	 * Returns the context of the execution in progress; called by the executing thread.
	 */
	Context executionContext() {
		return Objects.requireNonNull(this.executionContext);
	}

	@Override
	SQLException failed(SQLException ex) {
		ContextException cause = ContextSqlExceptions.causedBy(executionContext(), ex);
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
		Context context = this.executionContext;
		int previousTimeout = this.previousTimeout;
		boolean stoppedByContext = this.stoppedByContext;
		boolean fetching = this.fetching;
		ContextAwareConnection connection = this.connection;
		JdbcCancellationListener listener = this.listener;
		// Not kept beyond the execution by a parked guard
		this.statement = null;
		this.executionContext = null;
		this.connection = null;
		boolean cancelled = !STATE.compareAndSet(this, statement, Phase.IDLE);
		boolean recancelled = false;
		if (cancelled) {
			synchronized (this) {
				// The cancel held the monitor from its compare-and-set until cancel()
				// returned
				this.state = Phase.DONE;
				recancelled = this.recancelled;
			}
		}
		if (this.single) {
			this.registration.stop();
		}
		if (statement != null) {
			QueryTimeouts.restore(statement, previousTimeout);
		}
		if ((cancelled || stoppedByContext) && context != null) {
			listener.statementCancelled(context);
		}
		if (cancelled && (!stoppedByContext || recancelled) && !fetching && connection != null) {
			// The cancel did not stop the statement, which completed (or failed for
			// another reason), or a repeated one may have come after it stopped: the
			// driver may keep it for a later statement
			connection.markSuspect();
		}
	}

	/**
	 * The {@code afterDone} action, run by the thread that made the context done:
	 * interrupts the thread waiting for a pooled connection, or has the statement
	 * executing cancelled on the context's afterDone executor.
	 */
	@Override
	public void run() {
		Context context = this.context;
		if (act(false) != null && context != null) {
			// On a context that is done, afterDone runs the action at once, on the
			// context's afterDone executor
			context.afterDone(() -> cancelExecuting(context));
		}
		// The registration has run (it refers to its context too): nothing to stop
		this.context = null;
		this.registration = NOT_REGISTERED;
	}

	private void cancelExecuting(Context context) {
		Statement cancelled = act(true);
		if (cancelled != null) {
			cancelAgainLater(cancelled, context, 0);
		}
	}

	/**
	 * Cancels {@code statement} again after the next of {@link #RECANCEL_DELAYS_MILLIS}
	 * if its execution has not ended by then: a cancel that arrives before the driver has
	 * sent the statement is lost, as pgjdbc ignores it, H2 has no command to cancel yet
	 * and MariaDB's {@code KILL QUERY} finds no query.
	 */
	private void cancelAgainLater(Statement statement, Context context, int attempt) {
		if (attempt < RECANCEL_DELAYS_MILLIS.length) {
			// Run on the context's afterDone executor, as the first cancel: it does I/O
			CompletableFuture
				.delayedExecutor(RECANCEL_DELAYS_MILLIS[attempt], TimeUnit.MILLISECONDS, context::afterDone)
				.execute(() -> cancelAgain(statement, context, attempt));
		}
	}

	private void cancelAgain(Statement statement, Context context, int attempt) {
		synchronized (this) {
			// Until the execution ends, end() finds CANCELLING and moves it to DONE
			// holding the monitor, and nothing executes on a guard that is DONE: the
			// statement is still the one the first cancel was for
			if (this.state != Phase.CANCELLING) {
				return;
			}
			this.recancelled = true;
			cancel(statement);
		}
		cancelAgainLater(statement, context, attempt + 1);
	}

	/**
	 * Moves the state on from whatever it is now that the context is done, holding the
	 * monitor throughout. Returns the statement executing, if any: left for the caller
	 * to have it cancelled later, by {@link #cancelExecuting}, when {@code cancel} is
	 * {@code false}, and cancelled when it is {@code true}.
	 */
	private @Nullable Statement act(boolean cancel) {
		synchronized (this) {
			while (true) {
				Object state = this.state;
				if (state == Phase.ACQUIRING) {
					if (STATE.compareAndSet(this, state, Phase.INTERRUPTING)) {
						Objects.requireNonNull(this.owner).interrupt();
						return null;
					}
				}
				else if (state == Phase.IDLE) {
					if (STATE.compareAndSet(this, state, Phase.DONE)) {
						return null;
					}
				}
				else if (state instanceof Statement statement) {
					if (!cancel) {
						return statement;
					}
					if (STATE.compareAndSet(this, state, Phase.CANCELLING)) {
						cancel(statement);
						return statement;
					}
				}
				else {
					return null;
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

	private static boolean isVirtual(Thread thread) {
		MethodHandle isVirtual = IS_VIRTUAL;
		if (isVirtual == null) {
			return false;
		}
		try {
			return (boolean) isVirtual.invokeExact(thread);
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static @Nullable MethodHandle isVirtualHandle() {
		try {
			return MethodHandles.publicLookup()
				.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
		}
		catch (NoSuchMethodException | IllegalAccessException ex) {
			// Java 17: no virtual threads
			return null;
		}
	}

	@Override
	public String toString() {
		Object state = this.state;
		return "ConnectionGuard[" + ((state instanceof Phase) ? state : "EXECUTING") + ", " + this.context + "]";
	}

}
