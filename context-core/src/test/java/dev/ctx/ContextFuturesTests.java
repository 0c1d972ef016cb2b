package dev.ctx;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ContextFutures}.
 */
class ContextFuturesTests {

	private static final ContextKey<String> USER = ContextKey.named("user");

	private final ExecutorService pool = Executors.newFixedThreadPool(2);

	@AfterEach
	void shutdown() throws InterruptedException {
		this.pool.shutdownNow();
		assertThat(this.pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void asyncStagesRunWithContextAttached() throws Exception {
		Context ctx = Context.background().withValue(USER, "ann");
		CompletableFuture<String> chain = ContextFutures.supplyAsync(ctx, () -> Context.current().value(USER), this.pool)
			.thenApplyAsync((user) -> user + "+" + Context.current().value(USER))
			.thenComposeAsync((users) -> CompletableFuture.completedFuture(users + "+" + Context.current().value(USER)));
		assertThat(chain.get(10, TimeUnit.SECONDS)).isEqualTo("ann+ann+ann");
		assertThat(this.pool.submit(Context::current).get(10, TimeUnit.SECONDS)).isSameAs(Context.background());
	}

	@Test
	void cancelWhileStageRunsShouldCompleteEveryPendingStageWithErr() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean secondRan = new AtomicBoolean();
		CancellableContext ctx = Context.background().withCancel();
		CompletableFuture<String> first = ContextFutures.supplyAsync(ctx, () -> {
			started.countDown();
			awaitLatch(release);
			return "first";
		}, this.pool);
		CompletableFuture<String> second = first.thenApplyAsync((value) -> {
			secondRan.set(true);
			return value;
		});
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		ctx.cancel();
		assertThat(first.isCancelled()).isTrue();
		assertThat(second.isDone()).isTrue();
		assertCancelledWith(() -> first.get(10, TimeUnit.SECONDS), ctx.err());
		assertThat(second).isCompletedExceptionally();
		release.countDown();
		// The running supplier finishes, but its result is discarded and nothing after it runs
		this.pool.submit(() -> null).get(10, TimeUnit.SECONDS);
		assertThat(first.isCancelled()).isTrue();
		assertThat(secondRan).isFalse();
	}

	@Test
	void supplierShouldNotRunWhenContextIsAlreadyDone() throws Exception {
		CancellableContext ctx = Context.background().withTimeout(Duration.ZERO);
		AtomicBoolean ran = new AtomicBoolean();
		CompletableFuture<Boolean> future = ContextFutures.supplyAsync(ctx, () -> ran.getAndSet(true), this.pool);
		assertThat(ctx.err()).isInstanceOf(DeadlineExceededException.class);
		assertCancelledWith(() -> future.get(10, TimeUnit.SECONDS), ctx.err());
		this.pool.submit(() -> null).get(10, TimeUnit.SECONDS);
		assertThat(ran).isFalse();
	}

	@Test
	void deadlineShouldCancelChain() {
		try (CancellableContext ctx = Context.background().withTimeout(Duration.ofMillis(50))) {
			CompletableFuture<Object> never = ContextFutures.newFuture(ctx, this.pool);
			CompletableFuture<Object> dependent = never.thenApply((value) -> value);
			await().atMost(Duration.ofSeconds(10)).until(never::isDone);
			assertThat(ctx.err()).isInstanceOf(DeadlineExceededException.class);
			assertCancelledWith(() -> never.get(10, TimeUnit.SECONDS), ctx.err());
			assertThat(dependent).isCompletedExceptionally();
		}
	}

	@Test
	void completedStagesShouldNotStayRegisteredWithContext() throws Exception {
		try (CancellableContext ctx = Context.background().withCancel()) {
			CompletableFuture<String> chain = ContextFutures.supplyAsync(ctx, () -> "a", this.pool)
				.thenApplyAsync((value) -> value + "b")
				.thenApply((value) -> value + "c");
			assertThat(chain.get(10, TimeUnit.SECONDS)).isEqualTo("abc");
			// Each stage deregisters in a dependent action, which may run just after get() returns
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(((CancelContext) ctx).cancelerCount()).isZero());
		}
	}

	@Test
	void completeWhenDoneShouldFailForeignFutureAndDeregisterOnCompletion() {
		try (CancellableContext ctx = Context.background().withCancel()) {
			CompletableFuture<String> completed = ContextFutures.completeWhenDone(ctx, new CompletableFuture<>());
			completed.complete("ok");
			assertThat(((CancelContext) ctx).cancelerCount()).isZero();
			CompletableFuture<String> pending = ContextFutures.completeWhenDone(ctx, new CompletableFuture<>());
			AtomicReference<Throwable> failure = new AtomicReference<>();
			pending.whenComplete((result, ex) -> failure.set(ex));
			ctx.cancel();
			assertThat(failure.get()).isSameAs(ctx.err());
			assertThat(completed.join()).isEqualTo("ok");
		}
	}

	/**
	 * {@code get()}/{@code join()} of a future completed with a {@link CancellationException}
	 * throw that exception up to JDK 22 and a new one with it as the cause from JDK 23 on.
	 */
	private static void assertCancelledWith(ThrowingCallable call, Throwable err) {
		assertThatExceptionOfType(CancellationException.class).isThrownBy(call)
			.satisfies((ex) -> assertThat((ex == err) || (ex.getCause() == err)).as("%s is or wraps %s", ex, err).isTrue());
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
