package dev.ctx.boot.autoconfigure.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for request contexts in Spring MVC.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("context.web")
public class ContextWebProperties {

	/**
	 * Whether to run each servlet request under its own context.
	 */
	private boolean enabled = true;

	/**
	 * Timeout of requests that no rule or @Timeout annotation covers. If not set, such
	 * requests have no deadline unless an upstream service sends one.
	 */
	private @Nullable Duration defaultTimeout;

	/**
	 * Upper bound on every request timeout: defaults, rules, annotations and inbound
	 * timeout headers. If not set, timeouts are not capped.
	 */
	private @Nullable Duration maxTimeout;

	/**
	 * Timeout rules by path pattern and HTTP method; the first matching rule wins over
	 * the default timeout, and @Timeout annotations win over the rules.
	 */
	private List<Rule> timeouts = new ArrayList<>();

	/**
	 * Request header carrying the remaining budget of an upstream service, in
	 * milliseconds (or in gRPC's grpc-timeout format). It can only shorten the deadline.
	 * Empty to ignore inbound timeouts.
	 */
	private String inboundTimeoutHeader = "Request-Timeout-Ms";

	/**
	 * HTTP status of the problem response to requests whose context is done.
	 */
	private int timeoutStatus = 503;

	/**
	 * Whether to interrupt the request thread when the request's deadline passes while
	 * its handler runs synchronously.
	 */
	private boolean interruptOnDeadline;

	private final Disconnect disconnect = new Disconnect();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Duration getDefaultTimeout() {
		return this.defaultTimeout;
	}

	public void setDefaultTimeout(@Nullable Duration defaultTimeout) {
		this.defaultTimeout = defaultTimeout;
	}

	public @Nullable Duration getMaxTimeout() {
		return this.maxTimeout;
	}

	public void setMaxTimeout(@Nullable Duration maxTimeout) {
		this.maxTimeout = maxTimeout;
	}

	public List<Rule> getTimeouts() {
		return this.timeouts;
	}

	public void setTimeouts(List<Rule> timeouts) {
		this.timeouts = timeouts;
	}

	public String getInboundTimeoutHeader() {
		return this.inboundTimeoutHeader;
	}

	public void setInboundTimeoutHeader(String inboundTimeoutHeader) {
		this.inboundTimeoutHeader = inboundTimeoutHeader;
	}

	public int getTimeoutStatus() {
		return this.timeoutStatus;
	}

	public void setTimeoutStatus(int timeoutStatus) {
		this.timeoutStatus = timeoutStatus;
	}

	public boolean isInterruptOnDeadline() {
		return this.interruptOnDeadline;
	}

	public void setInterruptOnDeadline(boolean interruptOnDeadline) {
		this.interruptOnDeadline = interruptOnDeadline;
	}

	public Disconnect getDisconnect() {
		return this.disconnect;
	}

	/**
	 * A timeout rule.
	 */
	public static class Rule {

		/**
		 * Path pattern (Spring's PathPattern syntax) matched against the request path
		 * within the application, e.g. /reports/**.
		 */
		private @Nullable String pattern;

		/**
		 * HTTP methods the rule applies to. If empty, it applies to every method.
		 */
		private List<String> methods = new ArrayList<>();

		/**
		 * Timeout of matching requests.
		 */
		private @Nullable Duration timeout;

		public @Nullable String getPattern() {
			return this.pattern;
		}

		public void setPattern(@Nullable String pattern) {
			this.pattern = pattern;
		}

		public List<String> getMethods() {
			return this.methods;
		}

		public void setMethods(List<String> methods) {
			this.methods = methods;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Client disconnect detection.
	 */
	public static class Disconnect {

		/**
		 * Whether to cancel a request's context when its client disconnects while the
		 * handler is blocked.
		 */
		private boolean enabled = true;

		/**
		 * How often the connections of new in-flight requests are registered for
		 * watching and HTTP/2 streams are checked. A watched HTTP/1.1 connection's
		 * disconnect is seen when the kernel reports it, not at this interval.
		 */
		private Duration checkInterval = Duration.ofMillis(100);

		/**
		 * Age a request must reach before its connection is checked, so that short
		 * requests cost nothing.
		 */
		private Duration gracePeriod = Duration.ofMillis(100);

		/**
		 * Whether a client that half-closes its connection (shuts down its output after
		 * sending the request) counts as disconnected.
		 */
		private boolean halfCloseAsDisconnect = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getCheckInterval() {
			return this.checkInterval;
		}

		public void setCheckInterval(Duration checkInterval) {
			this.checkInterval = checkInterval;
		}

		public Duration getGracePeriod() {
			return this.gracePeriod;
		}

		public void setGracePeriod(Duration gracePeriod) {
			this.gracePeriod = gracePeriod;
		}

		public boolean isHalfCloseAsDisconnect() {
			return this.halfCloseAsDisconnect;
		}

		public void setHalfCloseAsDisconnect(boolean halfCloseAsDisconnect) {
			this.halfCloseAsDisconnect = halfCloseAsDisconnect;
		}

	}

}
