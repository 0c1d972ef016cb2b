package dev.ctx;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

	/**
	 * {@code CompletableFuture} completes a stage it creates from completed sources
	 * without running that stage's dependents (its {@code uniApplyNow} family), where the
	 * stage's de-registration lives: every stage-creating method must deregister it.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("stageFactories")
	void stagesCreatedFromCompletedSourceShouldNotStayRegistered(String name,
			Function<CompletableFuture<String>, CompletableFuture<?>> factory) {
		try (CancellableContext ctx = Context.background().withCancel()) {
			CompletableFuture<String> succeeded = ContextFutures.newFuture(ctx, Runnable::run);
			succeeded.complete("a");
			CompletableFuture<?> fromSuccess = factory.apply(succeeded);
			CompletableFuture<String> failed = ContextFutures.newFuture(ctx, Runnable::run);
			failed.completeExceptionally(new IllegalStateException("boom"));
			CompletableFuture<?> fromFailure = factory.apply(failed);
			assertThat(fromSuccess).isDone();
			assertThat(fromFailure).isDone();
			assertThat(((CancelContext) ctx).cancelerCount()).isZero();
		}
	}

	static Stream<Arguments> stageFactories() {
		Executor direct = Runnable::run;
		CompletableFuture<String> other = CompletableFuture.completedFuture("b");
		Map<String, Function<CompletableFuture<String>, CompletableFuture<?>>> factories = new LinkedHashMap<>();
		factories.put("thenApply", (f) -> f.thenApply((v) -> v));
		factories.put("thenApplyAsync", (f) -> f.thenApplyAsync((v) -> v));
		factories.put("thenApplyAsync(executor)", (f) -> f.thenApplyAsync((v) -> v, direct));
		factories.put("thenAccept", (f) -> f.thenAccept((v) -> { }));
		factories.put("thenAcceptAsync", (f) -> f.thenAcceptAsync((v) -> { }));
		factories.put("thenAcceptAsync(executor)", (f) -> f.thenAcceptAsync((v) -> { }, direct));
		factories.put("thenRun", (f) -> f.thenRun(() -> { }));
		factories.put("thenRunAsync", (f) -> f.thenRunAsync(() -> { }));
		factories.put("thenRunAsync(executor)", (f) -> f.thenRunAsync(() -> { }, direct));
		factories.put("thenCombine", (f) -> f.thenCombine(other, String::concat));
		factories.put("thenCombineAsync", (f) -> f.thenCombineAsync(other, String::concat));
		factories.put("thenCombineAsync(executor)", (f) -> f.thenCombineAsync(other, String::concat, direct));
		factories.put("thenAcceptBoth", (f) -> f.thenAcceptBoth(other, (a, b) -> { }));
		factories.put("thenAcceptBothAsync", (f) -> f.thenAcceptBothAsync(other, (a, b) -> { }));
		factories.put("thenAcceptBothAsync(executor)", (f) -> f.thenAcceptBothAsync(other, (a, b) -> { }, direct));
		factories.put("runAfterBoth", (f) -> f.runAfterBoth(other, () -> { }));
		factories.put("runAfterBothAsync", (f) -> f.runAfterBothAsync(other, () -> { }));
		factories.put("runAfterBothAsync(executor)", (f) -> f.runAfterBothAsync(other, () -> { }, direct));
		factories.put("applyToEither", (f) -> f.applyToEither(f, (v) -> v));
		factories.put("applyToEitherAsync", (f) -> f.applyToEitherAsync(f, (v) -> v));
		factories.put("applyToEitherAsync(executor)", (f) -> f.applyToEitherAsync(f, (v) -> v, direct));
		factories.put("acceptEither", (f) -> f.acceptEither(f, (v) -> { }));
		factories.put("acceptEitherAsync", (f) -> f.acceptEitherAsync(f, (v) -> { }));
		factories.put("acceptEitherAsync(executor)", (f) -> f.acceptEitherAsync(f, (v) -> { }, direct));
		factories.put("runAfterEither", (f) -> f.runAfterEither(f, () -> { }));
		factories.put("runAfterEitherAsync", (f) -> f.runAfterEitherAsync(f, () -> { }));
		factories.put("runAfterEitherAsync(executor)", (f) -> f.runAfterEitherAsync(f, () -> { }, direct));
		factories.put("thenCompose", (f) -> f.thenCompose((v) -> other));
		factories.put("thenComposeAsync", (f) -> f.thenComposeAsync((v) -> other));
		factories.put("thenComposeAsync(executor)", (f) -> f.thenComposeAsync((v) -> other, direct));
		factories.put("handle", (f) -> f.handle((v, ex) -> v));
		factories.put("handleAsync", (f) -> f.handleAsync((v, ex) -> v));
		factories.put("handleAsync(executor)", (f) -> f.handleAsync((v, ex) -> v, direct));
		factories.put("whenComplete", (f) -> f.whenComplete((v, ex) -> { }));
		factories.put("whenCompleteAsync", (f) -> f.whenCompleteAsync((v, ex) -> { }));
		factories.put("whenCompleteAsync(executor)", (f) -> f.whenCompleteAsync((v, ex) -> { }, direct));
		factories.put("exceptionally", (f) -> f.exceptionally((ex) -> "x"));
		factories.put("exceptionallyAsync", (f) -> f.exceptionallyAsync((ex) -> "x"));
		factories.put("exceptionallyAsync(executor)", (f) -> f.exceptionallyAsync((ex) -> "x", direct));
		factories.put("exceptionallyCompose", (f) -> f.exceptionallyCompose((ex) -> other));
		factories.put("exceptionallyComposeAsync", (f) -> f.exceptionallyComposeAsync((ex) -> other));
		factories.put("exceptionallyComposeAsync(executor)",
				(f) -> f.exceptionallyComposeAsync((ex) -> other, direct));
		factories.put("copy", CompletableFuture::copy);
		return factories.entrySet().stream().map((entry) -> Arguments.of(entry.getKey(), entry.getValue()));
	}

	@Test
	void everyStageCreatingMethodShouldBeOverridden() throws Exception {
		Class<?> bound = ContextFutures.newFuture(Context.background(), Runnable::run).getClass();
		// Methods that return this, or a stage that is not a CompletableFuture subclass
		Set<String> notCreating = Set.of("completeAsync", "orTimeout", "completeOnTimeout", "toCompletableFuture",
				"newIncompleteFuture", "minimalCompletionStage");
		List<String> missing = new ArrayList<>();
		for (Method method : CompletableFuture.class.getMethods()) {
			if (Modifier.isStatic(method.getModifiers())
					|| !CompletionStage.class.isAssignableFrom(method.getReturnType())
					|| notCreating.contains(method.getName())) {
				continue;
			}
			if (bound.getMethod(method.getName(), method.getParameterTypes()).getDeclaringClass() != bound) {
				missing.add(method.toString());
			}
		}
		assertThat(missing).isEmpty();
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
