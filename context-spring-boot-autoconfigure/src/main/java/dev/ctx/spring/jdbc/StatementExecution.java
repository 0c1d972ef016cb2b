package dev.ctx.spring.jdbc;

import java.sql.SQLException;
import java.sql.Statement;

import dev.ctx.Context;
import dev.ctx.ContextException;

/**
 * An execution of a statement under a context that can be done, with its own
 * {@link StatementGuard} registered for the execution.
 */
final class StatementExecution extends Execution {

	private final Context context;

	private final Statement statement;

	private final ContextAwareConnection connection;

	private final int previousTimeout;

	private final StatementGuard guard;

	private boolean stoppedByContext;

	private StatementExecution(Context context, Statement statement, ContextAwareConnection connection,
			int previousTimeout) {
		this.context = context;
		this.statement = statement;
		this.connection = connection;
		this.previousTimeout = previousTimeout;
		this.guard = StatementGuard.register(context, statement, true);
	}

	/**
	 * Begins an execution of {@code statement} under {@code context}.
	 * @throws SQLException when the context is done: the statement is not sent
	 */
	static Execution begin(Context context, Statement statement, ContextAwareConnection connection)
			throws SQLException {
		if (ContextAwareDataSource.isNeverDone(context)) {
			return NONE;
		}
		ContextException err = context.err();
		if (err != null) {
			connection.listener().statementRejected(context);
			throw ContextSqlExceptions.stopped("Statement not executed", err, null);
		}
		int previousTimeout = QueryTimeouts.apply(statement, QueryTimeouts.remainingNanos(context));
		return new StatementExecution(context, statement, connection, previousTimeout);
	}

	@Override
	SQLException failed(SQLException ex) {
		ContextException cause = ContextSqlExceptions.causedBy(this.context, ex);
		if (cause == null) {
			return ex;
		}
		this.stoppedByContext = true;
		return ContextSqlExceptions.stopped("Statement stopped", cause, ex);
	}

	@Override
	void end() {
		// Waits for a cancel in progress: the next statement on this connection must
		// never meet it
		boolean cancelled = this.guard.end();
		this.guard.close();
		QueryTimeouts.restore(this.statement, this.previousTimeout);
		if (cancelled || this.stoppedByContext) {
			this.connection.listener().statementCancelled(this.context);
		}
		if (cancelled && !this.stoppedByContext) {
			// The cancel did not stop the statement, which completed (or failed for
			// another reason): the driver may keep it for a later statement
			this.connection.markSuspect();
		}
	}

}
