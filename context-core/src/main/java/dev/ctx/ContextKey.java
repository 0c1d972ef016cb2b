package dev.ctx;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Key for a request-scoped value carried by a {@link Context}.
 *
 * <p>Keys compare by identity, never by name: two keys with the same name are two
 * different keys, so no package can read or overwrite another package's values by
 * accident. Keep keys in {@code static final} fields:
 *
 * <pre>{@code
 * static final ContextKey<String> TENANT = ContextKey.named("tenant");
 *
 * Context ctx = parent.withValue(TENANT, "acme");
 * String tenant = ctx.value(TENANT);   // "acme"
 * }</pre>
 *
 * <p>Go equivalent: an unexported key type, as the Go documentation recommends
 * ({@code type tenantKey struct{}}).
 *
 * @param <T> the type of the value
 * @since 0.1.0
 */
public final class ContextKey<T> {

	private static final AtomicInteger SEQUENCE = new AtomicInteger();

	private final String name;

	// Fibonacci hashing of a sequence number: keys made one after the other spread
	// evenly over the open-addressed value tables (see ValueMap).
	final int hash = SEQUENCE.getAndIncrement() * 0x61c88647;

	private ContextKey(String name) {
		this.name = name;
	}

	/**
	 * Creates a new key. The name is for debugging only ({@link #toString()}, logs);
	 * it plays no part in lookups.
	 * @param name a name for debugging
	 * @param <T> the type of the value
	 * @return a new key, distinct from every other key
	 */
	public static <T> ContextKey<T> named(String name) {
		return new ContextKey<>(Objects.requireNonNull(name, "name"));
	}

	/**
	 * Returns the key's name.
	 * @return the name given to {@link #named(String)}
	 */
	public String name() {
		return this.name;
	}

	@Override
	public String toString() {
		return this.name;
	}

}
