package dev.ctx;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Go's {@code AfterFunc} tests ({@code TestAfterFunc*} in golang/go
 * {@code src/context/x_test.go} and {@code afterfunc_test.go}), ported to
 * {@link Context#afterDone(Runnable)}. The tests of {@code afterfunc_test.go} that
 * exercise user-defined contexts with their own {@code AfterFunc} have no Java
 * equivalent (the interface is sealed); their unregistration checks are ported against
 * the built-in contexts.
 */
class GoAfterDoneTests {

	private static final long SHORT_MILLIS = 50;

	private static final long QUIESCENT_SECONDS = 20;

	// TestAfterFuncCalledAfterCancel
	@Test
	void afterDoneShouldRunAfterCancel() throws InterruptedException {
		CancellableContext ctx = Context.background().withCancel();
		CountDownLatch ran = new CountDownLatch(1);
		Registration stop = ctx.afterDone(ran::countDown);
		assertThat(ran.await(SHORT_MILLIS, TimeUnit.MILLISECONDS)).as("ran before cancel").isFalse();
		ctx.cancel();
		assertThat(ran.await(QUIESCENT_SECONDS, TimeUnit.SECONDS)).isTrue();
		assertThat(stop.stop()).isFalse();
	}

	// TestAfterFuncCalledAfterTimeout
	@Test
	void afterDoneShouldRunAfterTimeout() throws InterruptedException {
		try (CancellableContext ctx = Context.background().withTimeout(Duration.ofMillis(1))) {
			CountDownLatch ran = new CountDownLatch(1);
			ctx.afterDone(ran::countDown);
			assertThat(ran.await(QUIESCENT_SECONDS, TimeUnit.SECONDS)).isTrue();
			assertThat(ctx.err()).isInstanceOf(DeadlineExceededException.class);
		}
	}

	// TestAfterFuncCalledImmediately
	@Test
	void afterDoneShouldRunAtOnceWhenAlreadyDone() throws InterruptedException {
		CancellableContext ctx = Context.background().withCancel();
		ctx.cancel();
		CountDownLatch ran = new CountDownLatch(1);
		Registration stop = ctx.afterDone(ran::countDown);
		assertThat(ran.await(QUIESCENT_SECONDS, TimeUnit.SECONDS)).isTrue();
		assertThat(stop.stop()).isFalse();
		assertThat(((CancelContext) ctx).cancelerCount()).isZero();
	}

	// TestAfterFuncNotCalledAfterStop
	@Test
	void afterDoneShouldNotRunAfterStop() throws InterruptedException {
		CancellableContext ctx = Context.background().withCancel();
		CountDownLatch ran = new CountDownLatch(1);
		Registration stop = ctx.afterDone(ran::countDown);
		assertThat(stop.stop()).isTrue();
		ctx.cancel();
		assertThat(ran.await(SHORT_MILLIS, TimeUnit.MILLISECONDS)).as("ran after stop").isFalse();
		assertThat(stop.stop()).isFalse();
	}

	// TestAfterFuncCalledAsynchronously: cancel() must not wait for the action
	@Test
	void cancelShouldNotWaitForAfterDoneActions() throws InterruptedException {
		CancellableContext ctx = Context.background().withCancel();
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch finished = new CountDownLatch(1);
		AtomicReference<Thread> runner = new AtomicReference<>();
		Registration stop = ctx.afterDone(() -> {
			runner.set(Thread.currentThread());
			try {
				// Blocks until the test, after cancel() returned, releases it
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finished.countDown();
		});
		ctx.cancel();
		release.countDown();
		assertThat(finished.await(QUIESCENT_SECONDS, TimeUnit.SECONDS)).isTrue();
		assertThat(runner.get()).isNotSameAs(Thread.currentThread());
		assertThat(runner.get().isDaemon()).isTrue();
		assertThat(stop.stop()).isFalse();
	}

	// TestCustomContextAfterFuncUnregisterAfterFunc, on built-in contexts
	@Test
	void stopShouldUnregisterTheAction() {
		CancelContext ctx = (CancelContext) Context.background().withCancel();
		Registration stop = ctx.afterDone(() -> {
		});
		assertThat(ctx.cancelerCount()).isOne();
		assertThat(stop.stop()).isTrue();
		assertThat(ctx.cancelerCount()).isZero();
		Registration viaValue = ctx.withValue(ContextKey.named("k"), 1).afterDone(() -> {
		});
		Registration viaView = ctx.readOnly().afterDone(() -> {
		});
		// Registered with the nearest cancellable context
		assertThat(ctx.cancelerCount()).isEqualTo(2);
		viaValue.stop();
		viaView.stop();
		assertThat(ctx.cancelerCount()).isZero();
	}

	// TestCustomContextAfterFuncUnregisterCancel / ...UnregisterTimeout
	@Test
	void cancelledChildrenShouldUnregister() {
		CancelContext ctx = (CancelContext) Context.background().withCancel();
		CancellableContext child1 = ctx.withCancel();
		CancellableContext child2 = ctx.withTimeout(Duration.ofHours(1000));
		assertThat(ctx.cancelerCount()).isEqualTo(2);
		child1.cancel();
		child2.cancel();
		assertThat(ctx.cancelerCount()).isZero();
	}

	@Test
	void afterDoneShouldRunExactlyOnce() throws InterruptedException {
		CancellableContext parent = Context.background().withCancel();
		CancellableContext ctx = parent.withCancel();
		AtomicInteger runs = new AtomicInteger();
		CountDownLatch ran = new CountDownLatch(1);
		ctx.afterDone(() -> {
			runs.incrementAndGet();
			ran.countDown();
		});
		ctx.cancel();
		ctx.cancel(new RuntimeException("again"));
		parent.cancel();
		assertThat(ran.await(QUIESCENT_SECONDS, TimeUnit.SECONDS)).isTrue();
		// Give a wrongly repeated run the time to happen
		Thread.sleep(SHORT_MILLIS);
		assertThat(runs).hasValue(1);
	}

	@Test
	void directExecutorShouldRunOnCancellingThreadBeforeCancelReturns() {
		CancellableContext ctx = Context.background().withCancel();
		AtomicReference<Thread> runner = new AtomicReference<>();
		AtomicReference<Boolean> stopInside = new AtomicReference<>();
		AtomicReference<Registration> registration = new AtomicReference<>();
		registration.set(ctx.afterDone(() -> {
			runner.set(Thread.currentThread());
			// Once the action started, stop() must say it came too late
			stopInside.set(registration.get().stop());
		}, Runnable::run));
		ctx.cancel();
		assertThat(runner.get()).isSameAs(Thread.currentThread());
		assertThat(stopInside.get()).isFalse();
	}

	@Test
	void afterDoneOnNeverDoneContextShouldNeverRunAndStopOnce() {
		AtomicInteger runs = new AtomicInteger();
		for (Context ctx : new Context[] { Context.background(), Context.todo(),
				Context.background().withCancel().withoutCancel() }) {
			Registration stop = ctx.afterDone(runs::incrementAndGet, Runnable::run);
			assertThat(stop.stop()).isTrue();
			assertThat(stop.stop()).isFalse();
		}
		assertThat(runs).hasValue(0);
	}

	@Test
	void rejectedActionShouldNotBreakCancellation() {
		CancelContext ctx = (CancelContext) Context.background().withCancel();
		AtomicInteger runs = new AtomicInteger();
		ctx.afterDone(runs::incrementAndGet, (task) -> {
			throw new java.util.concurrent.RejectedExecutionException("full");
		});
		CancellableContext child = ctx.withCancel();
		ctx.afterDone(runs::incrementAndGet, Runnable::run);
		ctx.cancel();
		assertThat(child.isDone()).isTrue();
		assertThat(runs).hasValue(1);
		assertThat(ctx.done().toCompletableFuture()).isCompleted();
	}

	@Test
	void throwingDirectActionShouldNotBreakCancellation() {
		CancelContext ctx = (CancelContext) Context.background().withCancel();
		AtomicInteger runs = new AtomicInteger();
		ctx.afterDone(() -> {
			throw new IllegalStateException("boom");
		}, Runnable::run);
		CancellableContext child = ctx.withCancel();
		ctx.afterDone(runs::incrementAndGet, Runnable::run);
		// Whatever the order of the children, a failing action must neither escape
		// cancel() nor keep the other children and done() from completing
		ctx.cancel();
		assertThat(ctx.isDone()).isTrue();
		assertThat(child.isDone()).isTrue();
		assertThat(runs).hasValue(1);
		assertThat(ctx.done().toCompletableFuture()).isCompleted();
	}

	@Test
	void throwingDirectActionShouldNotBreakDeadlineExpiry() {
		FakeClock clock = new FakeClock(0);
		CancellableContext ctx = clock.root().withTimeout(Duration.ofSeconds(1));
		ctx.afterDone(() -> {
			throw new IllegalStateException("boom");
		}, Runnable::run);
		CancellableContext child = ctx.withCancel();
		clock.advance(Duration.ofSeconds(1));
		assertThat(ctx.err()).isInstanceOf(DeadlineExceededException.class);
		assertThat(child.err()).isSameAs(ctx.err());
	}

}
