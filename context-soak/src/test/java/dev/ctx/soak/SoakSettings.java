package dev.ctx.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The knobs of the harness, from system properties (the pom passes its defaults: the
 * short profile).
 */
final class SoakSettings {

	private SoakSettings() {
	}

	static long requests() {
		return Long.getLong("soak.requests", 10_000);
	}

	static Duration duration() {
		String value = System.getProperty("soak.duration", "120s").trim().toLowerCase(Locale.ROOT);
		try {
			if (value.endsWith("m")) {
				return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
			}
			if (value.endsWith("s")) {
				return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
			}
			return Duration.parse(value.toUpperCase(Locale.ROOT));
		}
		catch (NumberFormatException | DateTimeParseException ex) {
			throw new IllegalArgumentException("soak.duration must look like 120s, 30m or PT30M, not " + value, ex);
		}
	}

	static int concurrency() {
		return Integer.getInteger("soak.concurrency", 8);
	}

	static long seed() {
		return Long.getLong("soak.seed", 20261124);
	}

	static String skip() {
		return System.getProperty("soak.skip", "");
	}

	/**
	 * A tri-state expectation for a part that lands later: {@code true}, {@code false}, or
	 * {@code auto} (detected from the running application).
	 */
	static boolean expect(String part, boolean detected) {
		String value = System.getProperty("soak.expect." + part, "auto").trim();
		return value.equalsIgnoreCase("auto") ? detected : Boolean.parseBoolean(value);
	}

	static void report(String markdown) {
		System.out.println(markdown);
		String file = System.getProperty("soak.report");
		if (file == null) {
			return;
		}
		try {
			Path path = Path.of(file);
			Files.createDirectories(path.toAbsolutePath().getParent());
			Files.writeString(path, markdown + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			System.err.println("Could not write the soak report to " + file + ": " + ex);
		}
	}

}
