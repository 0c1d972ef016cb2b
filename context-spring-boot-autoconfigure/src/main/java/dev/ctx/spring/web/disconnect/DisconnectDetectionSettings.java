package dev.ctx.spring.web.disconnect;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * Immutable settings of a {@link DisconnectDetector}, meant to be bound from
 * {@code context.web.disconnect.*} properties. Start from {@link #defaults()} and derive
 * with the {@code with…} methods, each of which returns a new instance.
 *
 * @since 0.1.0
 */
public final class DisconnectDetectionSettings {

	private static final DisconnectDetectionSettings DEFAULTS = new DisconnectDetectionSettings(true,
			Duration.ofMillis(100), Duration.ofMillis(100), true);

	private final boolean enabled;

	private final Duration pollInterval;

	private final Duration grace;

	private final boolean halfCloseMeansGone;

	private DisconnectDetectionSettings(boolean enabled, Duration pollInterval, Duration grace,
			boolean halfCloseMeansGone) {
		Assert.notNull(pollInterval, "'pollInterval' must not be null");
		Assert.notNull(grace, "'grace' must not be null");
		Assert.isTrue(!pollInterval.isNegative() && !pollInterval.isZero(), "'pollInterval' must be positive");
		Assert.isTrue(!grace.isNegative(), "'grace' must not be negative");
		this.enabled = enabled;
		this.pollInterval = pollInterval;
		this.grace = grace;
		this.halfCloseMeansGone = halfCloseMeansGone;
	}

	/**
	 * Returns the defaults: enabled, a poll interval of 100 ms, a grace period of 100 ms
	 * and half-close treated as gone.
	 * @return the default settings
	 */
	public static DisconnectDetectionSettings defaults() {
		return DEFAULTS;
	}

	/**
	 * Whether disconnect detection is enabled. When disabled, the detector starts no
	 * thread and every watch does nothing.
	 * @return whether detection is enabled
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * The time between two periodic rounds of the watcher thread, which register the
	 * connections of requests that passed the grace period and poll HTTP/2 stream probes.
	 * Each round costs a few microseconds per request older than the grace period. A
	 * disconnect of a registered HTTP/1.1 connection does not wait for a round: the
	 * watcher is woken when the kernel reports the connection ready. For HTTP/2 streams
	 * on Tomcat, detection latency is up to this interval.
	 * @return the poll interval, positive
	 */
	public Duration pollInterval() {
		return this.pollInterval;
	}

	/**
	 * The minimum age of a request before its connection is probed. Requests that end
	 * sooner never touch the watcher. Should be at least the poll interval.
	 * @return the grace period, zero or positive
	 */
	public Duration grace() {
		return this.grace;
	}

	/**
	 * Whether a client that shut down only its sending side (a TCP half-close) counts as
	 * gone. A half-close and a full close are indistinguishable without writing to the
	 * connection, so with {@code false} only a reset (RST) is detected. Almost all clients
	 * close fully, which is why {@code true} is the default; turn it off for clients that
	 * send a request, half-close and then wait for the response.
	 * @return whether a half-close means the client is gone
	 */
	public boolean isHalfCloseMeansGone() {
		return this.halfCloseMeansGone;
	}

	/**
	 * Returns a copy with detection enabled or disabled.
	 * @param enabled whether detection is enabled
	 * @return new settings
	 */
	public DisconnectDetectionSettings withEnabled(boolean enabled) {
		return new DisconnectDetectionSettings(enabled, this.pollInterval, this.grace, this.halfCloseMeansGone);
	}

	/**
	 * Returns a copy with the given poll interval.
	 * @param pollInterval the poll interval, positive
	 * @return new settings
	 */
	public DisconnectDetectionSettings withPollInterval(Duration pollInterval) {
		return new DisconnectDetectionSettings(this.enabled, pollInterval, this.grace, this.halfCloseMeansGone);
	}

	/**
	 * Returns a copy with the given grace period.
	 * @param grace the grace period, zero or positive
	 * @return new settings
	 */
	public DisconnectDetectionSettings withGrace(Duration grace) {
		return new DisconnectDetectionSettings(this.enabled, this.pollInterval, grace, this.halfCloseMeansGone);
	}

	/**
	 * Returns a copy with the given half-close policy.
	 * @param halfCloseMeansGone whether a half-close means the client is gone
	 * @return new settings
	 */
	public DisconnectDetectionSettings withHalfCloseMeansGone(boolean halfCloseMeansGone) {
		return new DisconnectDetectionSettings(this.enabled, this.pollInterval, this.grace, halfCloseMeansGone);
	}

	@Override
	public String toString() {
		return "DisconnectDetectionSettings[enabled=" + this.enabled + ", pollInterval=" + this.pollInterval
				+ ", grace=" + this.grace + ", halfCloseMeansGone=" + this.halfCloseMeansGone + "]";
	}

}
