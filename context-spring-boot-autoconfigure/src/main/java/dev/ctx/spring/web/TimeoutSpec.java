package dev.ctx.spring.web;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The timeout configured for a request: a duration, or none (no deadline).
 *
 * @param timeout the timeout, {@code null} for no deadline
 * @since 0.1.0
 */
public record TimeoutSpec(@Nullable Duration timeout) {

	/**
	 * No deadline.
	 */
	public static final TimeoutSpec NONE = new TimeoutSpec(null);

}
