package dev.ctx.spring.jdbc;

import java.sql.SQLException;

/**
 * One execution of a statement (or one row fetch of a streaming result set), as the
 * wrappers run it:
 * <pre class="code">
 * Execution execution = begin();
 * try {
 *     return this.target.executeUpdate(sql);
 * }
 * catch (SQLException ex) {
 *     throw execution.failed(ex);
 * }
 * finally {
 *     execution.end();
 * }
 * </pre>
 * The wrappers call the driver directly, so that an execution allocates nothing of its
 * own: {@link #NONE} when no context can stop it, otherwise a guard that is reused
 * across executions when it can be.
 */
abstract class Execution {

	/**
	 * An execution that no context can stop.
	 */
	static final Execution NONE = new Execution() {

		@Override
		SQLException failed(SQLException ex) {
			return ex;
		}

		@Override
		void end() {
		}

	};

	/**
	 * Returns the exception to throw for a failure of the driver during this execution:
	 * {@code ex}, or the context's exception when the context stopped the execution.
	 * @param ex the driver's failure
	 * @return the exception to throw
	 */
	abstract SQLException failed(SQLException ex);

	/**
	 * Ends this execution, in a {@code finally} block, once; waits for a cancel in
	 * progress to finish.
	 */
	abstract void end();

}
