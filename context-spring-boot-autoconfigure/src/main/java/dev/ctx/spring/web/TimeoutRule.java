package dev.ctx.spring.web;

import java.time.Duration;
import java.util.Set;

import org.springframework.http.server.PathContainer;
import org.springframework.util.Assert;
import org.springframework.web.util.pattern.PathPattern;

/**
 * A timeout for the requests whose path (within the application) matches a
 * {@link PathPattern} and whose method is one of the given methods (any method when
 * empty).
 *
 * @param pattern the path pattern
 * @param methods the HTTP methods, upper case; empty for any
 * @param timeout the timeout of matching requests
 * @since 0.1.0
 */
public record TimeoutRule(PathPattern pattern, Set<String> methods, Duration timeout) {

	public TimeoutRule {
		Assert.notNull(pattern, "'pattern' must not be null");
		Assert.notNull(methods, "'methods' must not be null");
		Assert.notNull(timeout, "'timeout' must not be null");
		Assert.isTrue(!timeout.isNegative(), "'timeout' must not be negative");
		methods = Set.copyOf(methods);
	}

	/**
	 * Returns whether the rule applies to a request.
	 * @param method the request's method
	 * @param path the request's path within the application
	 * @return whether the rule matches
	 */
	public boolean matches(String method, PathContainer path) {
		return (this.methods.isEmpty() || this.methods.contains(method)) && this.pattern.matches(path);
	}

}
