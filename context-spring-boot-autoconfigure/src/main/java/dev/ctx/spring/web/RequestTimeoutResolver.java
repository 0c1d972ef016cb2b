package dev.ctx.spring.web;

import java.time.Duration;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Decides the timeout the configuration gives a request: the handler's
 * {@link Timeout @Timeout} annotation, else the first matching {@link TimeoutRule},
 * else the default timeout; then capped by the maximum timeout.
 *
 * @since 0.1.0
 */
public class RequestTimeoutResolver {

	private final @Nullable Duration defaultTimeout;

	private final @Nullable Duration maxTimeout;

	private final List<TimeoutRule> rules;

	private final @Nullable AnnotatedTimeouts annotations;

	/**
	 * Creates a new instance.
	 * @param defaultTimeout the timeout of requests no rule or annotation covers;
	 * {@code null} for no deadline
	 * @param maxTimeout the cap on every timeout; {@code null} for none
	 * @param rules the rules, first match wins
	 * @param annotations the handler annotations, or {@code null} to ignore them
	 */
	public RequestTimeoutResolver(@Nullable Duration defaultTimeout, @Nullable Duration maxTimeout,
			List<TimeoutRule> rules, @Nullable AnnotatedTimeouts annotations) {
		this.defaultTimeout = defaultTimeout;
		this.maxTimeout = maxTimeout;
		this.rules = List.copyOf(rules);
		this.annotations = annotations;
	}

	/**
	 * Returns the configured timeout of a request.
	 * @param request the request
	 * @return the timeout, or {@code null} for no deadline
	 */
	public @Nullable Duration resolve(HttpServletRequest request) {
		return cap(configured(request));
	}

	/**
	 * Returns the cap on every timeout, including those from inbound headers.
	 * @return the maximum timeout, or {@code null} if there is none
	 */
	public @Nullable Duration maxTimeout() {
		return this.maxTimeout;
	}

	private @Nullable Duration configured(HttpServletRequest request) {
		if (this.annotations != null) {
			TimeoutSpec spec = this.annotations.find(request);
			if (spec != null) {
				return spec.timeout();
			}
		}
		if (!this.rules.isEmpty()) {
			PathContainer path = ServletRequestPathUtils.hasParsedRequestPath(request)
					? ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication()
					: ServletRequestPathUtils.parse(request).pathWithinApplication();
			String method = request.getMethod();
			for (TimeoutRule rule : this.rules) {
				if (rule.matches(method, path)) {
					return rule.timeout();
				}
			}
		}
		return this.defaultTimeout;
	}

	private @Nullable Duration cap(@Nullable Duration timeout) {
		if (this.maxTimeout == null) {
			return timeout;
		}
		return (timeout == null || timeout.compareTo(this.maxTimeout) > 0) ? this.maxTimeout : timeout;
	}

}
