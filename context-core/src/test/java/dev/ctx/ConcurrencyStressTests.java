package dev.ctx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plain stress tests: many rounds of two threads released together by a barrier, with
 * the outcome of each round checked, where {@link CancelLincheckTests} explores the
 * interleavings of a few operations exhaustively.
 */
class ConcurrencyStressTests {

	private static final int ROUNDS = 20_000;

	private ExecutorService executor;

	@BeforeEach
	void startThreads() {
		this.executor = Executors.newFixedThreadPool(2);
	}

	@AfterEach
	void stopThreads() throws InterruptedException {
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void childrenDerivedConcurrentlyWithCancelShouldAllBeDone() throws Exception {
		Context longLived = Context.background().withCancel();
		for (int round = 0; round < 2_000; round++) {
			CancelContext parent = (CancelContext) longLived.withCancel();
			List<Context> children = new ArrayList<>();
			CyclicBarrier start = new CyclicBarrier(2);
			Future<?> deriving = this.executor.submit(() -> {
				start.await();
				for (int i = 0; i < 20; i++) {
					children.add(parent.withCancel());
					children.add(parent.withTimeout(Duration.ofHours(1)));
					children.add(parent.withValue(ContextKey.named("k"), i).withCancel());
					children.add(parent.readOnly().withValue(ContextKey.named("k"), i));
				}
				return null;
			});
			Future<?> cancelling = this.executor.submit(() -> {
				start.await();
				// Cancel at a random point of the derivation
				for (int spin = ThreadLocalRandom.current().nextInt(200); spin > 0; spin--) {
					Thread.onSpinWait();
				}
				parent.cancel();
				return null;
			});
			deriving.get(30, TimeUnit.SECONDS);
			cancelling.get(30, TimeUnit.SECONDS);
			for (Context child : children) {
				assertThat(child.isDone()).as("round %d: %s", round, child).isTrue();
				assertThat(child.err()).isSameAs(parent.err());
			}
			assertThat(parent.cancelerCount()).isZero();
		}
		assertThat(((CancelContext) longLived).cancelerCount()).isZero();
	}

	@Test
	void afterDoneRacingCancelAndStopShouldRunOnceOrBeStoppedNeverBoth() throws Exception {
		// Many actions per context: the cancelling thread starts them one after the other
		// while the other thread stops them, so the two loops overlap for a long stretch
		int perRound = 64;
		int total = 0;
		AtomicInteger runs = new AtomicInteger();
		AtomicInteger stops = new AtomicInteger();
		for (int round = 0; round < ROUNDS / 10; round++) {
			CancellableContext ctx = Context.background().withCancel();
			AtomicInteger[] ran = new AtomicInteger[perRound];
			Registration[] registrations = new Registration[perRound];
			for (int i = 0; i < perRound; i++) {
				AtomicInteger count = new AtomicInteger();
				ran[i] = count;
				registrations[i] = ctx.afterDone(() -> {
					count.incrementAndGet();
					runs.incrementAndGet();
				}, Runnable::run);
			}
			total += perRound;
			CyclicBarrier start = new CyclicBarrier(2);
			Future<?> cancelling = this.executor.submit(() -> {
				start.await();
				ctx.cancel();
				return null;
			});
			Future<boolean[]> stopping = this.executor.submit(() -> {
				boolean[] stopped = new boolean[perRound];
				start.await();
				for (int i = perRound - 1; i >= 0; i--) {
					stopped[i] = registrations[i].stop();
				}
				return stopped;
			});
			cancelling.get(30, TimeUnit.SECONDS);
			boolean[] stopped = stopping.get(30, TimeUnit.SECONDS);
			for (int i = 0; i < perRound; i++) {
				if (stopped[i]) {
					stops.incrementAndGet();
				}
				// With a direct executor the action has run when cancel() returns
				assertThat(ran[i].get()).as("round %d action %d: stopped %s", round, i, stopped[i])
					.isEqualTo(stopped[i] ? 0 : 1);
			}
			assertThat(((CancelContext) ctx).cancelerCount()).isZero();
		}
		assertThat(runs.get() + stops.get()).isEqualTo(total);
		// Both outcomes happened, or the race was never run
		assertThat(runs.get()).isPositive();
		assertThat(stops.get()).isPositive();
	}

	@Test
	void afterDoneOnPoolRacingCancelAndStopShouldNeverBeLost() throws Exception {
		AtomicInteger runs = new AtomicInteger();
		AtomicInteger stops = new AtomicInteger();
		for (int round = 0; round < ROUNDS; round++) {
			CancellableContext ctx = Context.background().withCancel();
			CyclicBarrier start = new CyclicBarrier(2);
			Future<Registration> registering = this.executor.submit(() -> {
				start.await();
				return ctx.afterDone(runs::incrementAndGet);
			});
			Future<?> cancelling = this.executor.submit(() -> {
				start.await();
				ctx.cancel();
				return null;
			});
			Registration registration = registering.get(30, TimeUnit.SECONDS);
			cancelling.get(30, TimeUnit.SECONDS);
			// Every third action is also raced by a stop() after the cancel
			if (round % 3 == 0 && registration.stop()) {
				stops.incrementAndGet();
			}
		}
		// The shared pool runs the actions asynchronously: wait for them
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(runs.get() + stops.get()).isEqualTo(ROUNDS));
		// stop() after cancel() returned must always come too late
		assertThat(stops).hasValue(0);
	}

	@Test
	void concurrentCancelsWithCausesShouldAgreeOnTheFirstCause() throws Exception {
		for (int round = 0; round < ROUNDS / 4; round++) {
			CancellableContext parent = Context.background().withCancel();
			CancellableContext child = parent.withCancel();
			Context grandchild = child.withValue(ContextKey.named("k"), 1);
			RuntimeException a = new RuntimeException("a");
			RuntimeException b = new RuntimeException("b");
			CyclicBarrier start = new CyclicBarrier(2);
			Future<?> first = this.executor.submit(() -> {
				start.await();
				parent.cancel(a);
				return null;
			});
			Future<?> second = this.executor.submit(() -> {
				start.await();
				child.cancel(b);
				return null;
			});
			first.get(30, TimeUnit.SECONDS);
			second.get(30, TimeUnit.SECONDS);
			assertThat(parent.cause()).isSameAs(a);
			// The child took whichever came first, and its whole subtree agrees
			assertThat(child.cause()).isIn(a, b);
			assertThat(grandchild.cause()).isSameAs(child.cause());
			assertThat(grandchild.err()).isSameAs(child.err());
			assertThat(child.err().getCause()).isSameAs(child.cause());
		}
	}

}
