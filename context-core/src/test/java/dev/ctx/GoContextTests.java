package dev.ctx;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Go's own context test suite ({@code src/context/x_test.go} and
 * {@code context_test.go} in golang/go), ported test by test. Each test names the Go
 * test it ports. Go tests with no Java meaning are not ported: {@code TestAllocs}
 * (allocation counts of the Go runtime), {@code TestInvalidDerivedFail} (a nil parent
 * cannot call an instance method), {@code TestCustomContextGoroutines},
 * {@code TestCustomContextPropagation} and {@code TestCustomContextCause} (Java's
 * {@link Context} is sealed: there are no user implementations to propagate from).
 * Go's {@code otherContext} wrapper is played by the read-only view and by value
 * children, the two other context classes a cancellable context can hide behind.
 */
class GoContextTests {

	// Go's veryLongDuration: an upper bound no test reaches
	private static final Duration VERY_LONG = Duration.ofHours(1000);

	// Go's shortDuration
	private static final Duration SHORT = Duration.ofMillis(1);

	// Go's quiescent(t): generous, the machine is shared
	private static final Duration QUIESCENT = Duration.ofSeconds(20);

	private static final ContextKey<String> K1 = ContextKey.named("k1");

	private static final ContextKey<String> K2 = ContextKey.named("k2");

	private static final ContextKey<String> K3 = ContextKey.named("k3");

	// TestBackground, TestTODO
	@Test
	void backgroundAndTodoShouldNeverBeDone() {
		assertThat(Context.background()).hasToString("Context.background");
		assertThat(Context.todo()).hasToString("Context.todo");
		for (Context c : List.of(Context.background(), Context.todo())) {
			assertNotDone(c);
			assertThat(c.deadline()).isEmpty();
		}
	}

	// TestWithCancel
	@Test
	void withCancelShouldPropagateCancelSynchronously() {
		CancellableContext c1 = Context.background().withCancel();
		assertThat(c1).hasToString("Context.background.withCancel");
		Context o = c1.readOnly();
		CancellableContext c2 = o.withCancel();
		Context v = c1.withValue(K1, "v");
		List<Context> contexts = List.of(c1, o, c2, v);
		for (Context c : contexts) {
			assertNotDone(c);
		}
		c1.cancel();
		for (Context c : contexts) {
			assertDone(c);
			assertThat(c.err()).isInstanceOf(ContextCancelledException.class).isSameAs(c1.err());
		}
	}

	// TestParentFinishesChild
	@Test
	void parentShouldFinishChildren() {
		// parent -> cancelChild; parent -> valueChild -> timerChild
		CancelContext parent = (CancelContext) Context.background().withCancel();
		CancellableContext cancelChild = parent.withCancel();
		Context valueChild = parent.withValue(K1, "value");
		CancellableContext timerChild = valueChild.withTimeout(Duration.ofHours(10000));
		for (Context c : List.of(parent, cancelChild, valueChild, timerChild)) {
			assertNotDone(c);
		}
		// Both cancellable children link to the parent, the timer child through the value child
		assertThat(parent.cancelerCount()).isEqualTo(2);
		parent.cancel();
		assertThat(parent.cancelerCount()).isZero();
		for (Context c : List.of(parent, cancelChild, valueChild, timerChild)) {
			assertDone(c);
			assertThat(c.err()).isInstanceOf(ContextCancelledException.class).isSameAs(parent.err());
		}
		// A child of a cancelled parent is cancelled at birth
		Context precancelledChild = parent.withValue(K1, "value");
		assertDone(precancelledChild);
		assertThat(precancelledChild.err()).isSameAs(parent.err());
		CancellableContext precancelledCancel = parent.withCancel();
		assertDone(precancelledCancel);
		assertThat(precancelledCancel.err()).isSameAs(parent.err());
		assertThat(parent.cancelerCount()).isZero();
	}

	// TestChildFinishesFirst
	@Test
	void childShouldFinishFirstWithoutTouchingParent() {
		try (CancellableContext cancellable = Context.background().withCancel()) {
			for (Context parent : List.of(Context.background(), cancellable)) {
				CancellableContext child = parent.withCancel();
				assertNotDone(parent);
				assertNotDone(child);
				if (parent instanceof CancelContext node) {
					assertThat(node.cancelerCount()).isOne();
				}
				child.cancel();
				if (parent instanceof CancelContext node) {
					assertThat(node.cancelerCount()).isZero();
				}
				assertDone(child);
				assertThat(child.err()).isInstanceOf(ContextCancelledException.class);
				assertNotDone(parent);
			}
		}
	}

	// TestDeadline
	@Test
	void withDeadlineShouldExpire() throws InterruptedException {
		CancellableContext c = Context.background().withDeadline(Instant.now().plus(SHORT));
		assertThat(c.toString()).startsWith("Context.background.withDeadline(");
		assertDeadlineExceeded(c);

		c = Context.background().withDeadline(Instant.now().plus(SHORT));
		assertDeadlineExceeded(c.readOnly());

		c = Context.background().withDeadline(Instant.now().plus(SHORT));
		c = c.readOnly().withDeadline(Instant.now().plus(VERY_LONG));
		assertDeadlineExceeded(c);

		c = Context.background().withDeadline(Instant.now().minus(SHORT));
		assertDeadlineExceeded(c);

		c = Context.background().withDeadline(Instant.now());
		assertDeadlineExceeded(c);
	}

	// TestTimeout
	@Test
	void withTimeoutShouldExpire() throws InterruptedException {
		CancellableContext c = Context.background().withTimeout(SHORT);
		assertThat(c.toString()).startsWith("Context.background.withDeadline(");
		assertDeadlineExceeded(c);

		c = Context.background().withTimeout(SHORT);
		assertDeadlineExceeded(c.readOnly());

		c = Context.background().withTimeout(SHORT);
		c = c.readOnly().withTimeout(VERY_LONG);
		assertDeadlineExceeded(c);
	}

	// TestCanceledTimeout
	@Test
	void cancelBeforeTimeoutShouldGiveCancelled() {
		CancellableContext outer = Context.background().withTimeout(Duration.ofSeconds(1));
		CancellableContext c = outer.readOnly().withTimeout(VERY_LONG);
		c.cancel();
		assertDone(c);
		assertThat(c.err()).isInstanceOf(ContextCancelledException.class);
		outer.cancel();
	}

	// TestValues. Go's WithValue(c3, k1, nil) masks k1 with nil; Java rejects null
	// values, so shadowing is tested with another value.
	@Test
	void valuesShouldBeInheritedAndShadowed() {
		Context c0 = Context.background();
		checkValues(c0, null, null, null);
		Context c1 = Context.background().withValue(K1, "c1k1");
		checkValues(c1, "c1k1", null, null);
		assertThat(c1).hasToString("Context.background.withValue(k1, String)");
		Context c2 = c1.withValue(K2, "c2k2");
		checkValues(c2, "c1k1", "c2k2", null);
		assertThat(c2).hasToString("Context.background.withValue(k1, String).withValue(k2, String)");
		Context c3 = c2.withValue(K3, "c3k3");
		checkValues(c3, "c1k1", "c2k2", "c3k3");
		Context c4 = c3.withValue(K1, "c4k1");
		checkValues(c4, "c4k1", "c2k2", "c3k3");
		checkValues(c3, "c1k1", "c2k2", "c3k3");

		CancellableContext cancellable = c4.withCancel();
		Context o3 = cancellable.readOnly();
		checkValues(o3, "c4k1", "c2k2", "c3k3");
		Context o4 = o3.withValue(K3, "o4k3");
		checkValues(o4, "c4k1", "c2k2", "o4k3");
		cancellable.cancel();
		checkValues(o4, "c4k1", "c2k2", "o4k3");
	}

	private static void checkValues(Context c, String v1, String v2, String v3) {
		assertThat(c.value(K1)).isEqualTo(v1);
		assertThat(c.value(K2)).isEqualTo(v2);
		assertThat(c.value(K3)).isEqualTo(v3);
	}

	// TestSimultaneousCancels
	@Test
	void simultaneousCancelsShouldAllComplete() throws InterruptedException {
		CancellableContext root = Context.background().withCancel();
		List<CancellableContext> all = new ArrayList<>();
		all.add(root);
		Deque<CancellableContext> queue = new ArrayDeque<>(all);
		while (!queue.isEmpty() && all.size() < 100) {
			CancellableContext parent = queue.poll();
			for (int i = 0; i < 4; i++) {
				CancellableContext child = parent.withCancel();
				all.add(child);
				queue.add(child);
			}
		}
		List<CancellableContext> shuffled = new ArrayList<>(all);
		Collections.shuffle(shuffled);
		CountDownLatch returned = new CountDownLatch(shuffled.size());
		for (CancellableContext ctx : shuffled) {
			startThread(() -> {
				ctx.cancel();
				returned.countDown();
			});
		}
		Collections.shuffle(shuffled);
		for (CancellableContext ctx : shuffled) {
			assertThat(ctx.await(QUIESCENT)).as("%s done", ctx).isTrue();
		}
		assertThat(returned.await(QUIESCENT.toSeconds(), TimeUnit.SECONDS)).as("all cancels returned").isTrue();
		for (CancellableContext ctx : all) {
			assertThat(((CancelContext) ctx).cancelerCount()).isZero();
		}
	}

	// TestInterlockedCancels
	@Test
	void childCancelledFromParentsDoneShouldNotDeadlock() throws InterruptedException {
		CancellableContext parent = Context.background().withCancel();
		CancellableContext child = parent.withCancel();
		Thread waiter = startThread(() -> {
			try {
				parent.await();
				child.cancel();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		// The same interlock through a dependent of done(), run on the cancelling thread
		parent.done().thenRun(child::cancel);
		parent.cancel();
		assertThat(child.await(QUIESCENT)).isTrue();
		waiter.join(QUIESCENT.toMillis());
		assertThat(waiter.isAlive()).isFalse();
	}

	// TestLayersCancel
	@Test
	void layersShouldBeCancelledByAnyCancel() {
		long seed = System.nanoTime();
		Random random = new Random(seed);
		Layers layers = Layers.build(random, VERY_LONG);
		assertNotDone(layers.ctx);
		assertThat(layers.ctx.toString()).as("seed=%d", seed).startsWith("Context.background.");
		layers.checkValues(seed);
		layers.cancels.get(random.nextInt(layers.cancels.size())).cancel();
		assertThat(layers.ctx.isDone()).as("seed=%d", seed).isTrue();
		assertThat(layers.ctx.err()).as("seed=%d", seed).isInstanceOf(ContextCancelledException.class);
		layers.checkValues(seed);
		layers.cancels.forEach(CancellableContext::cancel);
	}

	// TestLayersTimeout
	@Test
	void layersShouldTimeOut() throws InterruptedException {
		long seed = System.nanoTime();
		Layers layers = Layers.build(new Random(seed), SHORT);
		assertThat(layers.ctx.toString()).as("seed=%d", seed).startsWith("Context.background.");
		layers.checkValues(seed);
		assertThat(layers.ctx.await(QUIESCENT)).as("seed=%d", seed).isTrue();
		assertThat(layers.ctx.err()).as("seed=%d", seed).isInstanceOf(DeadlineExceededException.class);
		layers.checkValues(seed);
		layers.cancels.forEach(CancellableContext::cancel);
	}

	private record Layers(Context ctx, List<ContextKey<Object>> keys, List<CancellableContext> cancels) {

		static Layers build(Random random, Duration timeout) {
			List<ContextKey<Object>> keys = new ArrayList<>();
			List<CancellableContext> cancels = new ArrayList<>();
			int timers = 0;
			Context ctx = Context.background();
			for (int i = 0; i < 30 || timers == 0 || cancels.isEmpty() || keys.isEmpty(); i++) {
				switch (random.nextInt(3)) {
					case 0 -> {
						ContextKey<Object> key = ContextKey.named("layer" + i);
						ctx = ctx.withValue(key, key);
						keys.add(key);
					}
					case 1 -> {
						CancellableContext child = ctx.withCancel();
						cancels.add(child);
						ctx = child;
					}
					default -> {
						CancellableContext child = ctx.withTimeout(timeout);
						cancels.add(child);
						ctx = child;
						timers++;
					}
				}
			}
			return new Layers(ctx, keys, cancels);
		}

		void checkValues(long seed) {
			for (ContextKey<Object> key : this.keys) {
				assertThat(this.ctx.value(key)).as("seed=%d", seed).isSameAs(key);
			}
		}

	}

	// TestCancelRemoves
	@Test
	void cancelShouldRemoveChildFromParent() {
		CancelContext ctx = (CancelContext) Context.background().withCancel();
		assertThat(ctx.cancelerCount()).isZero();
		CancellableContext child = ctx.withCancel();
		assertThat(ctx.cancelerCount()).isOne();
		child.cancel();
		assertThat(ctx.cancelerCount()).isZero();

		ctx = (CancelContext) Context.background().withCancel();
		child = ctx.withTimeout(Duration.ofMinutes(60));
		assertThat(ctx.cancelerCount()).isOne();
		child.cancel();
		assertThat(ctx.cancelerCount()).isZero();
	}

	// TestWithCancelCanceledParent
	@Test
	void childOfCancelledParentShouldBeDoneAtBirthWithParentsCause() {
		CancellableContext parent = Context.background().withCancel();
		RuntimeException cause = new RuntimeException("Because!");
		parent.cancel(cause);
		CancellableContext c = parent.withCancel();
		assertDone(c);
		assertThat(c.err()).isInstanceOf(ContextCancelledException.class).isSameAs(parent.err());
		assertThat(c.cause()).isSameAs(cause);
	}

	// TestWithCancelSimultaneouslyCanceledParent
	@Test
	void childOfConcurrentlyCancelledParentShouldGetParentsCause() throws InterruptedException {
		for (int i = 0; i < 100; i++) {
			CancellableContext parent = Context.background().withCancel();
			RuntimeException cause = new RuntimeException("Because!");
			startThread(() -> parent.cancel(cause));
			CancellableContext c = parent.withCancel();
			assertThat(c.await(QUIESCENT)).isTrue();
			assertThat(c.err()).isInstanceOf(ContextCancelledException.class);
			assertThat(c.cause()).isSameAs(cause);
		}
	}

	// TestWithValueChecksKey (Java's type system already rules out non-comparable keys)
	@Test
	void withValueShouldRejectNullKeyAndValue() {
		assertThatNullPointerException().isThrownBy(() -> Context.background().withValue(null, "bar"))
			.withMessage("key");
		assertThatNullPointerException().isThrownBy(() -> Context.background().withValue(K1, null))
			.withMessage("value");
		assertThatNullPointerException().isThrownBy(() -> Context.background().value(null));
	}

	// TestDeadlineExceededSupportsTimeout: Go marks DeadlineExceeded as a timeout; in
	// Java both errors are CancellationExceptions that futures understand, told apart by
	// type.
	@Test
	void contextExceptionsShouldBeCancellationExceptions() {
		CancellableContext timedOut = Context.background().withTimeout(Duration.ZERO);
		CancellableContext cancelled = Context.background().withCancel();
		cancelled.cancel();
		assertThat(timedOut.err()).isInstanceOf(CancellationException.class)
			.isInstanceOf(DeadlineExceededException.class)
			.hasMessage("context deadline exceeded");
		assertThat(cancelled.err()).isInstanceOf(CancellationException.class).hasMessage("context canceled");
		CompletableFuture<Void> future = new CompletableFuture<>();
		future.completeExceptionally(timedOut.err());
		assertThat(future.isCancelled()).isTrue();
		// No stack trace: one instance is shared by a whole tree of contexts
		assertThat(timedOut.err().getStackTrace()).isEmpty();
	}

	// TestCause
	static Stream<Arguments> causeCases() {
		RuntimeException parentCause = new RuntimeException("parentCause");
		RuntimeException childCause = new RuntimeException("childCause");
		RuntimeException tooSlow = new RuntimeException("tooSlow");
		RuntimeException finishedEarly = new RuntimeException("finishedEarly");
		Duration forever = Duration.ofSeconds(1_000_000);
		return Stream.of(
				cause("Background", Context::background, null, null),
				cause("TODO", Context::todo, null, null),
				cause("WithCancel", () -> {
					CancellableContext ctx = Context.background().withCancel();
					ctx.cancel();
					return ctx;
				}, ContextCancelledException.class, null),
				cause("WithCancelCause", () -> {
					CancellableContext ctx = Context.background().withCancel();
					ctx.cancel(parentCause);
					return ctx;
				}, ContextCancelledException.class, parentCause),
				cause("WithCancelCause: parent cause before child", () -> {
					CancellableContext parent = Context.background().withCancel();
					CancellableContext ctx = parent.withCancel();
					parent.cancel(parentCause);
					ctx.cancel(childCause);
					return ctx;
				}, ContextCancelledException.class, parentCause),
				cause("WithCancelCause: parent cause after child", () -> {
					CancellableContext parent = Context.background().withCancel();
					CancellableContext ctx = parent.withCancel();
					ctx.cancel(childCause);
					parent.cancel(parentCause);
					return ctx;
				}, ContextCancelledException.class, childCause),
				cause("WithCancelCause: parent cause before nil", () -> {
					CancellableContext parent = Context.background().withCancel();
					CancellableContext ctx = parent.withCancel();
					parent.cancel(parentCause);
					ctx.cancel();
					return ctx;
				}, ContextCancelledException.class, parentCause),
				cause("WithCancelCause: parent cause after nil", () -> {
					CancellableContext parent = Context.background().withCancel();
					CancellableContext ctx = parent.withCancel();
					ctx.cancel();
					parent.cancel(parentCause);
					return ctx;
				}, ContextCancelledException.class, null),
				cause("WithCancelCause: child cause after nil", () -> {
					CancellableContext parent = Context.background().withCancel();
					CancellableContext ctx = parent.withCancel();
					parent.cancel();
					ctx.cancel(childCause);
					return ctx;
				}, ContextCancelledException.class, null),
				cause("WithCancelCause: child cause before nil", () -> {
					CancellableContext parent = Context.background().withCancel();
					CancellableContext ctx = parent.withCancel();
					ctx.cancel(childCause);
					parent.cancel();
					return ctx;
				}, ContextCancelledException.class, childCause),
				cause("WithTimeout", () -> {
					CancellableContext ctx = Context.background().withTimeout(Duration.ZERO);
					ctx.cancel();
					return ctx;
				}, DeadlineExceededException.class, null),
				cause("WithTimeout canceled", () -> {
					CancellableContext ctx = Context.background().withTimeout(forever);
					ctx.cancel();
					return ctx;
				}, ContextCancelledException.class, null),
				cause("WithTimeoutCause", () -> {
					CancellableContext ctx = Context.background().withTimeout(Duration.ZERO, tooSlow);
					ctx.cancel();
					return ctx;
				}, DeadlineExceededException.class, tooSlow),
				cause("WithTimeoutCause canceled", () -> {
					CancellableContext ctx = Context.background().withTimeout(forever, tooSlow);
					ctx.cancel();
					return ctx;
				}, ContextCancelledException.class, null),
				cause("WithTimeoutCause stacked", () -> {
					CancellableContext parent = Context.background().withCancel();
					CancellableContext ctx = parent.withTimeout(Duration.ZERO, tooSlow);
					parent.cancel(finishedEarly);
					return ctx;
				}, DeadlineExceededException.class, tooSlow),
				cause("WithTimeoutCause stacked canceled", () -> {
					CancellableContext parent = Context.background().withCancel();
					CancellableContext ctx = parent.withTimeout(forever, tooSlow);
					parent.cancel(finishedEarly);
					return ctx;
				}, ContextCancelledException.class, finishedEarly),
				cause("WithoutCancel", () -> Context.background().withoutCancel(), null, null),
				cause("WithoutCancel canceled", () -> {
					CancellableContext parent = Context.background().withCancel();
					Context ctx = parent.withoutCancel();
					parent.cancel(finishedEarly);
					return ctx;
				}, null, null),
				cause("WithoutCancel timeout", () -> {
					CancellableContext parent = Context.background().withTimeout(Duration.ZERO, tooSlow);
					Context ctx = parent.withoutCancel();
					parent.cancel();
					return ctx;
				}, null, null));
	}

	// cause == null with an err means Go's "cause: err": cause() returns err() itself
	private static Arguments cause(String name, Supplier<Context> ctx, Class<? extends ContextException> err,
			Throwable cause) {
		return Arguments.of(name, ctx, err, cause);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("causeCases")
	void causeShouldMatchGo(String name, Supplier<Context> supplier, Class<? extends ContextException> err,
			Throwable cause) {
		Context ctx = supplier.get();
		if (err == null) {
			assertThat(ctx.err()).isNull();
			assertThat(ctx.cause()).isNull();
			assertThat(ctx.isDone()).isFalse();
			return;
		}
		assertThat(ctx.err()).isExactlyInstanceOf(err);
		assertThat(ctx.cause()).isSameAs((cause != null) ? cause : ctx.err());
		assertThat(ctx.err().getCause()).isSameAs(cause);
	}

	// TestCauseRace: the cause must be visible as soon as the context is seen done
	@Test
	void causeShouldBeVisibleTogetherWithErr() throws InterruptedException {
		for (int i = 0; i < 300; i++) {
			RuntimeException cause = new RuntimeException("TestCauseRace");
			CancellableContext ctx = Context.background().withCancel();
			Thread canceller = startThread(() -> ctx.cancel(cause));
			Throwable seen;
			while ((seen = ctx.cause()) == null) {
				Thread.onSpinWait();
			}
			assertThat(seen).isSameAs(cause);
			canceller.join();
		}
	}

	// TestWithoutCancel
	@Test
	void withoutCancelShouldKeepValuesOnly() {
		CancellableContext parent = Context.background().withValue(K1, "value").withTimeout(Duration.ofSeconds(30));
		Context ctx = parent.withoutCancel();
		assertThat(ctx.deadline()).isEmpty();
		assertThat(ctx.remaining()).isEmpty();
		assertThat(ctx.err()).isNull();
		assertThat(ctx.value(K1)).isEqualTo("value");
		parent.cancel();
		assertNotDone(ctx);
		assertThat(ctx.value(K1)).isEqualTo("value");
		assertThat(ctx.toString()).endsWith(".withoutCancel");
		// Children of a never-done context can be cancelled on their own
		CancellableContext child = ctx.withCancel();
		assertNotDone(child);
		child.cancel();
		assertDone(child);
		assertNotDone(ctx);
	}

	private static Thread startThread(Runnable task) {
		Thread thread = new Thread(task);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static void assertNotDone(Context c) {
		assertThat(c.isDone()).as("%s isDone", c).isFalse();
		assertThat(c.err()).as("%s err", c).isNull();
		assertThat(c.cause()).as("%s cause", c).isNull();
		assertThat(c.done().toCompletableFuture()).as("%s done()", c).isNotDone();
		c.throwIfDone();
	}

	private static void assertDone(Context c) {
		assertThat(c.isDone()).as("%s isDone", c).isTrue();
		assertThat(c.err()).as("%s err", c).isNotNull().isSameAs(c.err());
		assertThat(c.done().toCompletableFuture()).as("%s done()", c).isCompleted();
	}

	private static void assertDeadlineExceeded(Context c) throws InterruptedException {
		assertThat(c.await(QUIESCENT)).as("%s timed out", c).isTrue();
		assertThat(c.err()).isInstanceOf(DeadlineExceededException.class);
		assertThat(c.done().toCompletableFuture()).isCompleted();
	}

}
