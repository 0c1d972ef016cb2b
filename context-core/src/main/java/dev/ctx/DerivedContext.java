package dev.ctx;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A context made by {@link Context#withValue} (with a key) or
 * {@link Context#withoutCancel()} (without one, and without a cancellable ancestor).
 */
final class DerivedContext extends AbstractContext {

	private final Context parent;

	private final @Nullable ContextKey<?> key;

	// Also in values: kept here so that reading the value this context added, the most
	// common lookup, costs two field reads instead of a walk through the table
	private final @Nullable Object value;

	private final @Nullable CancelContext cancelNode;

	DerivedContext(AbstractContext parent, @Nullable ContextKey<?> key, @Nullable Object value, ValueMap values,
			@Nullable CancelContext cancelNode) {
		super(parent.clock, values);
		this.parent = parent;
		this.key = key;
		this.value = value;
		this.cancelNode = cancelNode;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T value(ContextKey<T> key) {
		Objects.requireNonNull(key, "key");
		if (key == this.key) {
			return (T) this.value;
		}
		return this.values.get(key);
	}

	@Override
	@Nullable CancelContext cancelNode() {
		return this.cancelNode;
	}

	@Override
	public String toString() {
		if (this.key == null) {
			return this.parent + ".withoutCancel";
		}
		// The value's type, not the value: toString() ends up in logs, values may be secrets
		Object value = this.value;
		String type = (value != null) ? value.getClass().getSimpleName() : "null";
		return this.parent + ".withValue(" + this.key + ", " + type + ")";
	}

}
