package dev.ctx;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Context#wrap(Executor)} and
 * {@link Context#wrap(ExecutorService)}.
 */
class ContextExecutorWrapTests {

	private static final ContextKey<String> USER = ContextKey.named("user");

	private final ExecutorService pool = Executors.newSingleThreadExecutor();

	@AfterEach
	void shutdown() throws InterruptedException {
		this.pool.shutdownNow();
		assertThat(this.pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void wrappedExecutorRunsTasksUnderContextAndRestoresThread() throws Exception {
		Context ctx = Context.background().withValue(USER, "ann");
		AtomicReference<Context> seen = new AtomicReference<>();
		ctx.wrap((Executor) this.pool).execute(() -> seen.set(Context.current()));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seen.get()).isNotNull());
		assertThat(seen.get()).isSameAs(ctx);
		assertThat(this.pool.submit(Context::current).get(10, TimeUnit.SECONDS)).isSameAs(Context.background());
	}

	@Test
	void wrappedExecutorBindsReadOnlyViewOfCancellableContext() throws Exception {
		try (CancellableContext ctx = Context.background().withCancel()) {
			ExecutorService wrapped = ctx.wrap(this.pool);
			assertThat(wrapped.submit(Context::current).get(10, TimeUnit.SECONDS)).isSameAs(ctx.readOnly())
				.isNotInstanceOf(CancellableContext.class);
		}
	}

	@Test
	void wrappedExecutorServiceBindsSubmitInvokeAllAndInvokeAny() throws Exception {
		Context ctx = Context.background().withValue(USER, "bob");
		ExecutorService wrapped = ctx.wrap(this.pool);
		Callable<String> user = () -> Context.current().value(USER);
		Future<String> submitted = wrapped.submit(user);
		assertThat(submitted.get(10, TimeUnit.SECONDS)).isEqualTo("bob");
		List<Future<String>> all = wrapped.invokeAll(List.of(user, user));
		for (Future<String> future : all) {
			assertThat(future.get()).isEqualTo("bob");
		}
		assertThat(wrapped.invokeAny(List.of(user))).isEqualTo("bob");
		AtomicReference<String> executed = new AtomicReference<>();
		wrapped.execute(() -> executed.set(Context.current().value(USER)));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(executed.get()).isEqualTo("bob"));
		assertThat(this.pool.submit(Context::current).get(10, TimeUnit.SECONDS)).isSameAs(Context.background());
	}

	@Test
	void wrappedExecutorServiceShutdownShutsDownDelegate() throws InterruptedException {
		ExecutorService wrapped = Context.background().wrap(this.pool);
		wrapped.shutdown();
		assertThat(wrapped.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.pool.isShutdown()).isTrue();
		assertThat(wrapped.isTerminated()).isTrue();
	}

	@Test
	void wrappedTaskRestoresContextOfCallingThreadWhenRunInline() {
		Context outer = Context.background().withValue(USER, "outer");
		Context inner = Context.background().withValue(USER, "inner");
		AtomicReference<String> seen = new AtomicReference<>();
		try (Scope scope = outer.attach()) {
			inner.wrap((Executor) Runnable::run).execute(() -> seen.set(Context.current().value(USER)));
			assertThat(Context.current()).isSameAs(outer);
		}
		assertThat(seen.get()).isEqualTo("inner");
	}

}
