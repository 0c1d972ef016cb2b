package dev.ctx.sample;

/**
 * Java functions for the embedded H2 database, registered by {@code schema-h2.sql}.
 *
 * @since 0.1.0
 */
public final class H2Functions {

	private H2Functions() {
	}

	/**
	 * Waits, as a stand-in for a row that is expensive to produce. Called once per row,
	 * so H2 still checks for cancellation ({@code Statement.cancel()}) between rows; one
	 * long sleep would not be cancellable.
	 * @param millis how long to wait
	 * @return {@code millis}
	 * @throws InterruptedException if the thread is interrupted
	 */
	public static long pause(long millis) throws InterruptedException {
		Thread.sleep(millis);
		return millis;
	}

}
