package dev.ctx;

import org.jspecify.annotations.Nullable;

/**
 * Immutable identity map from {@link ContextKey} to value, shared by reference between a
 * context and the children that add no value. {@link #with} copies: adding the n-th
 * value costs O(n), which keeps {@link #get} O(1) whatever the depth of the context
 * chain (a linked walk would cost one hop per ancestor).
 *
 * <p>Open addressing with linear probing, keys and values interleaved in one array,
 * load factor at most one half.
 */
final class ValueMap {

	static final ValueMap EMPTY = new ValueMap(new @Nullable Object[2], 0);

	// [key0, value0, key1, value1, ...]; capacity (table.length / 2) is a power of two
	private final @Nullable Object[] table;

	private final int size;

	private ValueMap(@Nullable Object[] table, int size) {
		this.table = table;
		this.size = size;
	}

	@SuppressWarnings("unchecked")
	<T> @Nullable T get(ContextKey<T> key) {
		@Nullable Object[] table = this.table;
		int mask = (table.length >> 1) - 1;
		int i = key.hash & mask;
		while (true) {
			Object candidate = table[i << 1];
			if (candidate == key) {
				return (T) table[(i << 1) + 1];
			}
			if (candidate == null) {
				return null;
			}
			i = (i + 1) & mask;
		}
	}

	ValueMap with(ContextKey<?> key, Object value) {
		int capacity = this.table.length >> 1;
		int newSize = this.size + 1;
		if (newSize * 2 > capacity) {
			capacity = Integer.highestOneBit(newSize * 2 - 1) << 1;
		}
		@Nullable Object[] copy = new @Nullable Object[capacity << 1];
		int entries = 0;
		for (int i = 0; i < this.table.length; i += 2) {
			Object k = this.table[i];
			if (k != null && k != key) {
				put(copy, (ContextKey<?>) k, this.table[i + 1]);
				entries++;
			}
		}
		put(copy, key, value);
		return new ValueMap(copy, entries + 1);
	}

	int size() {
		return this.size;
	}

	private static void put(@Nullable Object[] table, ContextKey<?> key, @Nullable Object value) {
		int mask = (table.length >> 1) - 1;
		int i = key.hash & mask;
		while (table[i << 1] != null) {
			i = (i + 1) & mask;
		}
		table[i << 1] = key;
		table[(i << 1) + 1] = value;
	}

}
