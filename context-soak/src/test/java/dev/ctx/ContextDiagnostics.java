package dev.ctx;

/**
 * Reads core's package-private diagnostics for the soak harness: it lives in package
 * {@code dev.ctx} of the test sources so that core needs no public diagnostic API.
 */
public final class ContextDiagnostics {

	private ContextDiagnostics() {
	}

	/**
	 * Returns the number of deadline timers armed on the system clock, in the whole JVM.
	 * @return the armed timers
	 */
	public static int pendingDeadlineTimers() {
		return ContextClock.systemPendingTimers();
	}

}
