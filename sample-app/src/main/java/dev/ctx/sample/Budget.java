package dev.ctx.sample;

import java.time.Duration;

import dev.ctx.Context;
import org.jspecify.annotations.Nullable;

/**
 * Reads a context's budget for responses.
 */
final class Budget {

	private Budget() {
	}

	static @Nullable Long remainingMillis(Context ctx) {
		return ctx.remaining().map(Duration::toMillis).orElse(null);
	}

}
