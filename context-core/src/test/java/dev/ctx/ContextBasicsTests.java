package dev.ctx;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Smoke tests of the basic contract of {@link Context}.
 */
class ContextBasicsTests {

	private static final ContextKey<String> USER = ContextKey.named("user");

	@Test
	void backgroundIsNeverDoneAndHasNoDeadline() {
		Context background = Context.background();
		assertThat(background.isDone()).isFalse();
		assertThat(background.err()).isNull();
		assertThat(background.cause()).isNull();
		assertThat(background.deadline()).isEmpty();
		assertThat(background.remaining()).isEmpty();
		assertThat(background).hasToString("Context.background");
		assertThat(Context.todo()).hasToString("Context.todo");
	}

	@Test
	void cancelCascadesToChildrenButNotToParent() {
		try (CancellableContext parent = Context.background().withCancel()) {
			CancellableContext child = parent.withCancel();
			Context grandchild = child.withValue(USER, "ann");
			child.cancel();
			assertThat(child.isDone()).isTrue();
			assertThat(grandchild.err()).isSameAs(child.err());
			assertThat(parent.isDone()).isFalse();
			parent.cancel();
			assertThat(child.err()).isInstanceOf(ContextCancelledException.class);
		}
	}

	@Test
	void pastDeadlineIsDoneAtBirth() {
		CancellableContext ctx = Context.background().withTimeout(Duration.ofMillis(-1));
		assertThat(ctx.err()).isInstanceOf(DeadlineExceededException.class);
		assertThatExceptionOfType(DeadlineExceededException.class).isThrownBy(ctx::throwIfDone);
	}

	@Test
	void attachBindsReadOnlyViewAndRestores() {
		try (CancellableContext ctx = Context.background().withCancel()) {
			try (Scope scope = ctx.attach()) {
				assertThat(Context.current()).isSameAs(ctx.readOnly()).isNotInstanceOf(CancellableContext.class);
			}
			assertThat(Context.current()).isSameAs(Context.background());
		}
	}

}
