package dev.ctx.spring.web;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations of {@link Timeout @Timeout}: the simple style of Spring Boot's
 * properties ({@code 500ms}, {@code 2s}) and ISO-8601 ({@code PT2S}), with no Spring Boot
 * dependency.
 */
final class Durations {

	private static final Pattern SIMPLE = Pattern.compile("^([0-9]{1,12})\\s*(ns|us|ms|s|m|h|d)?$");

	private Durations() {
	}

	static Duration parse(String value) {
		String trimmed = value.trim();
		Matcher matcher = SIMPLE.matcher(trimmed);
		if (matcher.matches()) {
			long amount = Long.parseLong(matcher.group(1));
			String unit = matcher.group(2);
			return Duration.of(amount, unit(unit != null ? unit : "ms").toChronoUnit());
		}
		try {
			Duration duration = Duration.parse(trimmed);
			if (duration.isNegative()) {
				throw new IllegalArgumentException("'" + value + "' is negative");
			}
			return duration;
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(
					"'" + value + "' is not a duration (expected e.g. 500ms, 2s, 5m, 1h, 1d or PT2S)", ex);
		}
	}

	private static TimeUnit unit(String unit) {
		return switch (unit) {
			case "ns" -> TimeUnit.NANOSECONDS;
			case "us" -> TimeUnit.MICROSECONDS;
			case "ms" -> TimeUnit.MILLISECONDS;
			case "s" -> TimeUnit.SECONDS;
			case "m" -> TimeUnit.MINUTES;
			case "h" -> TimeUnit.HOURS;
			default -> TimeUnit.DAYS;
		};
	}

}
