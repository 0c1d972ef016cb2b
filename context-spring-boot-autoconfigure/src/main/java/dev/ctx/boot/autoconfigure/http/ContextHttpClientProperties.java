package dev.ctx.boot.autoconfigure.http;

import java.time.Duration;

import dev.ctx.spring.http.OutboundDeadline;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for outbound HTTP requests made while a context is current.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("context.http-client")
public class ContextHttpClientProperties {

	/**
	 * Whether to tie outbound RestClient, RestTemplate and WebClient requests to the
	 * current context: fail fast when it is done, send its remaining budget, abort when
	 * it becomes done.
	 */
	private boolean enabled = true;

	/**
	 * Request header carrying the remaining budget, as a relative number of
	 * milliseconds.
	 */
	private String timeoutHeader = OutboundDeadline.DEFAULT_TIMEOUT_HEADER;

	/**
	 * Time subtracted from the budget sent downstream, for the response to travel back.
	 */
	private Duration safetyMargin = OutboundDeadline.DEFAULT_SAFETY_MARGIN;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getTimeoutHeader() {
		return this.timeoutHeader;
	}

	public void setTimeoutHeader(String timeoutHeader) {
		this.timeoutHeader = timeoutHeader;
	}

	public Duration getSafetyMargin() {
		return this.safetyMargin;
	}

	public void setSafetyMargin(Duration safetyMargin) {
		this.safetyMargin = safetyMargin;
	}

}
