package dev.ctx;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code cancel()} creates the {@link ContextCancelledException} only when it is asked
 * for: the context must still be done at once and report one instance, everywhere.
 */
class CancelErrTests {

	@Test
	void cancelShouldMakeContextDoneAndErrReturnOneInstance() {
		CancellableContext context = Context.background().withCancel();
		context.cancel();
		assertThat(context.isDone()).isTrue();
		ContextException err = context.err();
		assertThat(err).isInstanceOf(ContextCancelledException.class).hasMessage("context canceled");
		assertThat(context.err()).isSameAs(err);
		assertThat(context.readOnly().err()).isSameAs(err);
		assertThat(context.cause()).isSameAs(err);
	}

	@Test
	void cancelWithCauseShouldReportCauseOnErrAndCause() {
		IllegalStateException cause = new IllegalStateException("stop");
		CancellableContext context = Context.background().withCancel();
		context.cancel(cause);
		assertThat(context.err()).isInstanceOf(ContextCancelledException.class).hasCause(cause);
		assertThat(context.cause()).isSameAs(cause);
	}

	@Test
	void cancelWhenParentDoneShouldGiveChildrenTheParentInstance() {
		CancellableContext parent = Context.background().withCancel();
		CancellableContext before = parent.withCancel();
		Context value = parent.withValue(ContextKey.named("k"), "v");
		parent.cancel();
		CancellableContext after = parent.withCancel();
		ContextException err = parent.err();
		assertThat(before.err()).isSameAs(err);
		assertThat(value.err()).isSameAs(err);
		assertThat(after.isDone()).isTrue();
		assertThat(after.err()).isSameAs(err);
	}

	@Test
	void errWhenCalledConcurrentlyShouldReturnTheSameInstanceToEveryThread() throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			for (int round = 0; round < 200; round++) {
				CancellableContext context = Context.background().withCancel();
				context.cancel();
				CountDownLatch start = new CountDownLatch(1);
				List<Future<ContextException>> results = IntStream.range(0, 4)
					.mapToObj((i) -> executor.submit(() -> {
						start.await();
						return context.err();
					}))
					.toList();
				start.countDown();
				ContextException first = results.get(0).get(10, TimeUnit.SECONDS);
				for (Future<ContextException> result : results) {
					assertThat(result.get(10, TimeUnit.SECONDS)).isSameAs(first);
				}
				assertThat(context.err()).isSameAs(first);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void throwIfDoneWhenCancelledShouldThrowErr() {
		CancellableContext context = Context.background().withCancel();
		context.cancel();
		ContextException err = context.err();
		assertThatExceptionOfType(ContextCancelledException.class).isThrownBy(context::throwIfDone)
			.isSameAs(err);
	}

}
