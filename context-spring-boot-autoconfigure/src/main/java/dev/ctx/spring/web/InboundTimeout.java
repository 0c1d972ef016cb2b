package dev.ctx.spring.web;

/**
 * Parses the timeout an upstream service sends in a request header: the remaining
 * budget as a relative integer number of milliseconds ({@code Request-Timeout-Ms: 250},
 * at most 9 digits), or gRPC's {@code grpc-timeout} format (at most 8 digits and a unit:
 * {@code H}ours, {@code M}inutes, {@code S}econds, {@code m}illis, {@code u}micros,
 * {@code n}anos, e.g. {@code 250m}, {@code 2S}). Relative values need no clock agreement
 * between services, as in gRPC and Envoy.
 *
 * <p>Everything else is invalid: signs, spaces inside, non-ASCII digits, fractions,
 * several values, more digits. Parsing never throws.
 */
final class InboundTimeout {

	/**
	 * Returned for a value that is not a valid timeout.
	 */
	static final long INVALID = -1;

	private static final int MAX_MILLIS_DIGITS = 9;

	private static final int MAX_GRPC_DIGITS = 8;

	private InboundTimeout() {
	}

	/**
	 * Returns the timeout in nanoseconds (0 means already expired), or {@link #INVALID}.
	 */
	static long parseNanos(String value) {
		int start = 0;
		int end = value.length();
		// Optional whitespace around a header value is not part of it (RFC 9110 5.5)
		while (start < end && isOptionalWhitespace(value.charAt(start))) {
			start++;
		}
		while (end > start && isOptionalWhitespace(value.charAt(end - 1))) {
			end--;
		}
		if (start == end) {
			return INVALID;
		}
		char last = value.charAt(end - 1);
		boolean grpc = !isDigit(last);
		int digitsEnd = grpc ? end - 1 : end;
		int digits = digitsEnd - start;
		if (digits < 1 || digits > (grpc ? MAX_GRPC_DIGITS : MAX_MILLIS_DIGITS)) {
			return INVALID;
		}
		long amount = 0;
		for (int i = start; i < digitsEnd; i++) {
			char c = value.charAt(i);
			if (!isDigit(c)) {
				return INVALID;
			}
			amount = amount * 10 + (c - '0');
		}
		if (!grpc) {
			return amount * 1_000_000L;
		}
		return switch (last) {
			case 'H' -> saturatedMultiply(amount, 3_600_000_000_000L);
			case 'M' -> saturatedMultiply(amount, 60_000_000_000L);
			case 'S' -> saturatedMultiply(amount, 1_000_000_000L);
			case 'm' -> amount * 1_000_000L;
			case 'u' -> amount * 1_000L;
			case 'n' -> amount;
			default -> INVALID;
		};
	}

	// 99,999,999 hours do not fit in a long of nanoseconds; such a budget is "forever"
	// and the configured timeouts cap it
	private static long saturatedMultiply(long amount, long factor) {
		return (amount > Long.MAX_VALUE / factor) ? Long.MAX_VALUE : amount * factor;
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static boolean isOptionalWhitespace(char c) {
		return c == ' ' || c == '\t';
	}

}
