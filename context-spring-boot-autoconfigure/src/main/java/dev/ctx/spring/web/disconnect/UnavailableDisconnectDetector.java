package dev.ctx.spring.web.disconnect;

import jakarta.servlet.http.HttpServletRequest;

/**
 * {@link DisconnectDetector} used when detection is disabled or unsupported: every watch
 * does nothing.
 */
final class UnavailableDisconnectDetector implements DisconnectDetector {

	private final String reason;

	UnavailableDisconnectDetector(String reason) {
		this.reason = reason;
	}

	@Override
	public Watch watch(HttpServletRequest request, Runnable onDisconnect) {
		return SelectorDisconnectDetector.NoOpWatch.INSTANCE;
	}

	@Override
	public boolean isAvailable() {
		return false;
	}

	@Override
	public void close() {
	}

	/**
	 * Returns why detection is unavailable.
	 * @return the reason
	 */
	String reason() {
		return this.reason;
	}

	@Override
	public String toString() {
		return "UnavailableDisconnectDetector[" + this.reason + "]";
	}

}
