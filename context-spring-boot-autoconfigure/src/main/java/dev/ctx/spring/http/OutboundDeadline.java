package dev.ctx.spring.http;

import java.time.Duration;
import java.util.function.Consumer;

import dev.ctx.Context;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * How outbound requests carry the current {@link Context}: the header that sends the
 * remaining budget downstream and the margin kept for the way back. Shared by
 * {@link ContextClientHttpRequestInterceptor} and {@link ContextExchangeFilterFunction}.
 *
 * <p>The header value is a relative integer number of milliseconds (relative, so that
 * clocks of caller and callee need not agree), the remaining time minus the margin, and
 * {@code 0} when less than the margin is left. Go's gRPC sends the same thing as
 * {@code grpc-timeout}.
 *
 * @param timeoutHeader the request header carrying the budget
 * @param safetyMargin time subtracted from the budget sent downstream, for the response
 * to travel back
 * @param cancellations called with the context of every request that was not sent or
 * was aborted because its context was done (for meters)
 * @since 0.1.0
 */
public record OutboundDeadline(String timeoutHeader, Duration safetyMargin, Consumer<Context> cancellations) {

	/**
	 * The default header: {@code Request-Timeout-Ms}.
	 */
	public static final String DEFAULT_TIMEOUT_HEADER = "Request-Timeout-Ms";

	/**
	 * The default margin: 10 milliseconds.
	 */
	public static final Duration DEFAULT_SAFETY_MARGIN = Duration.ofMillis(10);

	/**
	 * Creates settings.
	 * @param timeoutHeader the request header carrying the budget
	 * @param safetyMargin time subtracted from the budget sent downstream
	 * @param cancellations called with the context of every request that was not sent or
	 * was aborted because its context was done
	 */
	public OutboundDeadline {
		Assert.hasText(timeoutHeader, "'timeoutHeader' must not be empty");
		Assert.notNull(safetyMargin, "'safetyMargin' must not be null");
		Assert.isTrue(!safetyMargin.isNegative(), "'safetyMargin' must not be negative");
		Assert.notNull(cancellations, "'cancellations' must not be null");
	}

	/**
	 * Returns the defaults, without meters.
	 * @return the default settings
	 */
	public static OutboundDeadline defaults() {
		return new OutboundDeadline(DEFAULT_TIMEOUT_HEADER, DEFAULT_SAFETY_MARGIN, (context) -> {
		});
	}

	/**
	 * Returns the header value for the given context: the remaining budget in
	 * milliseconds minus the margin, never negative.
	 * @param context the context
	 * @return the header value, or {@code null} when the context has no deadline
	 */
	public @Nullable String headerValue(Context context) {
		Duration remaining = context.remaining().orElse(null);
		if (remaining == null) {
			return null;
		}
		long millis = remaining.minus(this.safetyMargin).toMillis();
		return Long.toString(Math.max(0, millis));
	}

}
