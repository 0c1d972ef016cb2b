package dev.ctx.spring.web;

import java.time.Duration;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Property-based fuzz (jqwik) of the parsers of untrusted input: inbound timeout headers
 * come from any client, and {@code @Timeout} values from placeholders. Each parser gets
 * arbitrary strings and strings from an alphabet close to valid input, where the edge
 * cases are.
 */
class UntrustedInputPropertyTests {

	@Property(tries = 3000)
	void inboundTimeoutOfAnyStringIsInvalidOrNonNegative(@ForAll String value) {
		assertInvalidOrNonNegative(value);
	}

	@Property(tries = 3000)
	void inboundTimeoutOfNearlyValidStringIsInvalidOrNonNegative(
			@ForAll @StringLength(max = 14) @CharRange(from = '0', to = '9')
			@Chars({ 'H', 'M', 'S', 'm', 'u', 'n', ' ', '\t', '-', '+', '.', 'e' }) String value) {
		assertInvalidOrNonNegative(value);
	}

	private static void assertInvalidOrNonNegative(String value) {
		long nanos = InboundTimeout.parseNanos(value);
		assertThat(nanos == InboundTimeout.INVALID || nanos >= 0).as("'%s' gave %d", value, nanos).isTrue();
	}

	@Property(tries = 3000)
	void durationOfAnyStringIsParsedOrRejectedWithIllegalArgument(@ForAll String value) {
		assertParsedOrIllegalArgument(value);
	}

	@Property(tries = 3000)
	void durationOfNearlyValidStringIsParsedOrRejectedWithIllegalArgument(
			@ForAll @StringLength(max = 24) @CharRange(from = '0', to = '9')
			@Chars({ 'P', 'T', 'D', 'H', 'M', 'S', 'n', 'u', 'm', 's', 'h', 'd', '.', ',', '-', '+', ' ' }) String value) {
		assertParsedOrIllegalArgument(value);
	}

	private static void assertParsedOrIllegalArgument(String value) {
		Throwable failure = catchThrowable(() -> {
			Duration parsed = Durations.parse(value);
			assertThat(parsed).as("'%s'", value).isNotNull();
			assertThat(parsed.isNegative()).as("'%s' gave %s", value, parsed).isFalse();
		});
		if (failure != null) {
			assertThat(failure).as("'%s'", value).isExactlyInstanceOf(IllegalArgumentException.class);
		}
	}

}
