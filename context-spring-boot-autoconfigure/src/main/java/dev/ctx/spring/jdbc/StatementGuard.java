package dev.ctx.spring.jdbc;

import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

import dev.ctx.Context;
import dev.ctx.Registration;

/**
 * Cancels one statement when its context is done, but only while the statement is
 * executing.
 * <p>{@link Statement#cancel()} is not safe to call at any time: MariaDB Connector/J sends
 * {@code KILL QUERY} for the whole connection, so a cancel that races a statement's
 * completion can kill the next statement on the same pooled connection. The guard keeps
 * an {@code executing} flag under a lock; {@link #run()} (the {@code afterDone} action)
 * calls {@code cancel()} only while the flag is set and holds the lock during the call;
 * {@link #end()} clears the flag under the same lock. So once {@code end()} returns, no
 * cancel is in progress and none will start: the connection is safe to reuse.
 * <p>A guard can be {@linkplain #begin() begun} and ended several times (one result set
 * row fetch after another) and is {@linkplain #close() closed} once.
 */
final class StatementGuard implements Runnable {

	private static final System.Logger logger = System.getLogger(StatementGuard.class.getName());

	private static final Registration NOT_REGISTERED = () -> false;

	private final Statement statement;

	private final ReentrantLock lock = new ReentrantLock();

	// Guarded by lock
	private boolean executing;

	// Guarded by lock
	private boolean cancelled;

	private Registration registration = NOT_REGISTERED;

	private StatementGuard(Statement statement) {
		this.statement = statement;
	}

	/**
	 * Creates a guard for {@code statement} that is registered with {@code context}.
	 * Whoever calls this must {@link #close()} the guard.
	 * @param executing whether the statement is executing already: set before the
	 * registration, so that a context done in between still cancels it
	 */
	static StatementGuard register(Context context, Statement statement, boolean executing) {
		StatementGuard guard = new StatementGuard(statement);
		guard.executing = executing;
		// The default afterDone executor, not a direct one: cancel() does network I/O
		// (MariaDB opens a connection to send KILL QUERY), which must block neither the
		// thread that cancels the context nor the shared deadline timer.
		guard.registration = context.afterDone(guard);
		return guard;
	}

	void begin() {
		this.lock.lock();
		try {
			this.executing = true;
			this.cancelled = false;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Ends an execution; waits for a cancel in progress to finish.
	 * @return whether the statement was cancelled during this execution
	 */
	boolean end() {
		this.lock.lock();
		try {
			this.executing = false;
			return this.cancelled;
		}
		finally {
			this.lock.unlock();
		}
	}

	void close() {
		end();
		this.registration.stop();
	}

	@Override
	public void run() {
		this.lock.lock();
		try {
			if (!this.executing) {
				return;
			}
			this.cancelled = true;
			this.statement.cancel();
		}
		catch (SQLException | RuntimeException ex) {
			logger.log(Level.DEBUG, "Statement.cancel() failed", ex);
		}
		finally {
			this.lock.unlock();
		}
	}

}
