package dev.ctx;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Value lookups through the context's own entry (the newest value) and through the
 * table (every older one) must agree.
 */
class ValueLookupTests {

	private static final ContextKey<String> FIRST = ContextKey.named("first");

	private static final ContextKey<String> SECOND = ContextKey.named("second");

	@Test
	void valueWhenKeyAddedLastShouldReturnItsValue() {
		Context context = Context.background().withValue(FIRST, "a").withValue(SECOND, "b");
		assertThat(context.value(SECOND)).isEqualTo("b");
		assertThat(context.value(FIRST)).isEqualTo("a");
	}

	@Test
	void valueWhenKeyRedefinedShouldReturnNewestValueAndLeaveParentUnchanged() {
		Context parent = Context.background().withValue(FIRST, "a").withValue(SECOND, "b");
		Context child = parent.withValue(FIRST, "c");
		assertThat(child.value(FIRST)).isEqualTo("c");
		assertThat(child.value(SECOND)).isEqualTo("b");
		assertThat(child.withValue(SECOND, "d").value(FIRST)).isEqualTo("c");
		assertThat(parent.value(FIRST)).isEqualTo("a");
	}

	@Test
	void valueWhenKeyMissingShouldReturnNullAlsoAfterWithoutCancel() {
		Context context = Context.background().withValue(FIRST, "a").withoutCancel();
		assertThat(context.value(FIRST)).isEqualTo("a");
		assertThat(context.value(SECOND)).isNull();
		assertThat(Context.background().withValue(FIRST, "a").value(SECOND)).isNull();
	}

	@Test
	void valueWhenKeyNullShouldThrowAlsoOnContextWithoutOwnKey() {
		assertThatNullPointerException().isThrownBy(() -> Context.background().withoutCancel().value(null));
		assertThatNullPointerException().isThrownBy(() -> Context.background().withValue(FIRST, "a").value(null));
	}

}
