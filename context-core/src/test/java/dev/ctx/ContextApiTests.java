package dev.ctx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * The rest of the public contract: keys, values, {@code toString()}, the read-only
 * view, {@code run}/{@code call}/{@code wrap}, {@code err()} and {@code done()}.
 */
class ContextApiTests {

	private static final ContextKey<String> TENANT = ContextKey.named("tenant");

	@Test
	void keysWithTheSameNameShouldBeDifferentKeys() {
		ContextKey<String> first = ContextKey.named("same");
		ContextKey<String> second = ContextKey.named("same");
		assertThat(first).isNotEqualTo(second).hasToString("same");
		assertThat(first.name()).isEqualTo("same");
		Context ctx = Context.background().withValue(first, "one");
		assertThat(ctx.value(first)).isEqualTo("one");
		assertThat(ctx.value(second)).isNull();
		ctx = ctx.withValue(second, "two");
		assertThat(ctx.value(first)).isEqualTo("one");
		assertThat(ctx.value(second)).isEqualTo("two");
		assertThatNullPointerException().isThrownBy(() -> ContextKey.named(null));
	}

	@Test
	void manyValuesShouldAllBeFoundAndShadowedWithoutTouchingAncestors() {
		List<ContextKey<Integer>> keys = new ArrayList<>();
		List<Context> chain = new ArrayList<>();
		Context ctx = Context.background();
		for (int i = 0; i < 300; i++) {
			ContextKey<Integer> key = ContextKey.named("k" + i);
			keys.add(key);
			ctx = ctx.withValue(key, i);
			chain.add(ctx);
			if (i % 50 == 0) {
				// A cancellable layer now and then: values go through it unchanged
				ctx = ((CancellableContext) ctx.withCancel()).readOnly();
			}
		}
		for (int i = 0; i < keys.size(); i++) {
			assertThat(ctx.value(keys.get(i))).isEqualTo(i);
		}
		// Each context sees exactly the keys added up to it
		Context middle = chain.get(149);
		assertThat(middle.value(keys.get(149))).isEqualTo(149);
		assertThat(middle.value(keys.get(150))).isNull();
		// Shadow every other key
		Context shadowed = ctx;
		for (int i = 0; i < keys.size(); i += 2) {
			shadowed = shadowed.withValue(keys.get(i), -i);
		}
		for (int i = 0; i < keys.size(); i++) {
			assertThat(shadowed.value(keys.get(i))).isEqualTo((i % 2 == 0) ? -i : i);
			assertThat(ctx.value(keys.get(i))).isEqualTo(i);
		}
		assertThat(((AbstractContext) shadowed).values.size()).isEqualTo(keys.size());
		// Unknown keys miss, however full the table
		for (int i = 0; i < 1000; i++) {
			ContextKey<String> unknown = ContextKey.named("unknown");
			assertThat(shadowed.value(unknown)).isNull();
		}
	}

	@Test
	void toStringShouldShowTheChainWithoutValues() {
		Context background = Context.background();
		assertThat(background.withCancel()).hasToString("Context.background.withCancel");
		assertThat(Context.todo().withCancel()).hasToString("Context.todo.withCancel");
		assertThat(background.withValue(TENANT, "secret-tenant"))
			.hasToString("Context.background.withValue(tenant, String)");
		assertThat(background.withValue(ContextKey.named("n"), 42).withoutCancel())
			.hasToString("Context.background.withValue(n, Integer).withoutCancel");
		CancellableContext timeout = background.withTimeout(Duration.ofHours(1));
		assertThat(timeout.toString()).matches("Context\\.background\\.withDeadline\\(\\d{4}-.*Z \\[PT(59M.*|1H)S?\\]\\)");
		// The remaining time moves between two calls: compare up to it
		String upToRemaining = timeout.toString().substring(0, timeout.toString().indexOf('['));
		assertThat(timeout.readOnly().toString()).startsWith(upToRemaining);
		// A timeout that cannot shorten the parent's deadline is just a cancel
		assertThat(timeout.withTimeout(Duration.ofHours(2)).toString()).endsWith("]).withCancel");
		timeout.cancel();
	}

	@Test
	void readOnlyViewShouldObserveButNotCancel() {
		CancellableContext ctx = Context.background().withValue(TENANT, "acme").withCancel();
		Context view = ctx.readOnly();
		assertThat(view).isNotInstanceOf(CancellableContext.class);
		assertThat(ctx.readOnly()).isSameAs(view);
		assertThat(view.value(TENANT)).isEqualTo("acme");
		try (Scope scope = ctx.attach()) {
			assertThat(Context.current()).isSameAs(view);
		}
		ctx.run(() -> assertThat(Context.current()).isSameAs(view));
		assertThat(view.isDone()).isFalse();
		ctx.cancel();
		assertThat(view.isDone()).isTrue();
		assertThat(view.err()).isSameAs(ctx.err());
		assertThat(view.done().toCompletableFuture()).isCompleted();
	}

	@Test
	void runAndCallShouldRestoreThePreviousContextAlsoWhenTheTaskThrows() throws Exception {
		Context outer = Context.background().withValue(TENANT, "outer");
		Context inner = Context.background().withValue(TENANT, "inner");
		try (Scope scope = outer.attach()) {
			assertThatIllegalStateException().isThrownBy(() -> inner.run(() -> {
				assertThat(Context.current()).isSameAs(inner);
				throw new IllegalStateException("run");
			}));
			assertThat(Context.current()).isSameAs(outer);
			assertThat(inner.call(() -> Context.current().value(TENANT))).isEqualTo("inner");
			assertThatExceptionOfType(Exception.class).isThrownBy(() -> inner.call(() -> {
				throw new Exception("call");
			})).withMessage("call");
			assertThat(Context.current()).isSameAs(outer);
			assertThatIllegalStateException().isThrownBy(() -> inner.wrap((Runnable) () -> {
				throw new IllegalStateException("wrap");
			}).run());
			assertThat(Context.current()).isSameAs(outer);
		}
		assertThat(Context.current()).isSameAs(Context.background());
	}

	@Test
	void wrapShouldCarryTheContextToAnotherThread() throws Exception {
		CancellableContext ctx = Context.background().withValue(TENANT, "acme").withCancel();
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			AtomicReference<Context> seen = new AtomicReference<>();
			AtomicReference<Thread> thread = new AtomicReference<>();
			executor.submit(ctx.wrap(() -> {
				seen.set(Context.current());
				thread.set(Thread.currentThread());
			})).get(30, TimeUnit.SECONDS);
			assertThat(thread.get()).isNotSameAs(Thread.currentThread());
			// The read-only view travels, never the right to cancel
			assertThat(seen.get()).isSameAs(ctx.readOnly());
			Callable<String> callable = ctx.wrap(() -> Context.current().value(TENANT));
			assertThat(executor.submit(callable).get(30, TimeUnit.SECONDS)).isEqualTo("acme");
			// Afterwards the pool thread is back to what it had
			Future<Context> after = executor.submit(Context::current);
			assertThat(after.get(30, TimeUnit.SECONDS)).isSameAs(Context.background());
		}
		finally {
			executor.shutdownNow();
			ctx.cancel();
		}
	}

	@Test
	void errShouldBeTheSameInstanceOnEveryCallAndBeWhatThrowIfDoneThrows() {
		CancellableContext ctx = Context.background().withCancel();
		Context child = ctx.withValue(TENANT, "t");
		ctx.cancel();
		ContextException err = ctx.err();
		assertThat(ctx.err()).isSameAs(err);
		assertThat(child.err()).isSameAs(err);
		assertThat(ctx.readOnly().err()).isSameAs(err);
		assertThatExceptionOfType(ContextCancelledException.class).isThrownBy(child::throwIfDone)
			.isSameAs(err);
		ctx.cancel(new RuntimeException("later"));
		assertThat(ctx.err()).isSameAs(err);
		assertThat(ctx.cause()).isSameAs(err);
	}

	@Test
	void doneShouldCompleteWhenDoneAndNotBeCompletableByCallers() throws Exception {
		CancellableContext ctx = Context.background().withCancel();
		CompletionStage<Void> done = ctx.done();
		// Callers get copies: completing one must not complete the context's stage
		CompletableFuture<Void> copy = done.toCompletableFuture();
		copy.complete(null);
		copy.obtrudeException(new IllegalStateException());
		assertThat(done.toCompletableFuture()).isNotDone();
		CompletableFuture<String> dependent = done.thenApply((ignored) -> "done").toCompletableFuture();
		assertThat(dependent).isNotDone();
		ctx.cancel();
		assertThat(dependent.get(30, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(done.toCompletableFuture()).isCompletedWithValue(null);
		assertThat(ctx.withCancel().done().toCompletableFuture()).isCompleted();
	}

	@Test
	void neverDoneContextsShouldNeverCompleteDone() throws InterruptedException {
		Context never = Context.background().withCancel().withoutCancel();
		for (Context ctx : List.of(Context.background(), Context.todo(), never)) {
			assertThat(ctx.done().toCompletableFuture()).isNotDone();
			assertThat(ctx.await(Duration.ofMillis(10))).isFalse();
		}
		// await() on a never-done context blocks until interrupted
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		Thread waiter = new Thread(() -> {
			try {
				never.await();
			}
			catch (InterruptedException ex) {
				thrown.set(ex);
			}
		});
		waiter.start();
		waiter.interrupt();
		waiter.join(30_000);
		assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
	}

	@Test
	void awaitShouldReturnOnceCancelledFromAnotherThread() throws InterruptedException {
		CancellableContext ctx = Context.background().withCancel();
		Thread canceller = new Thread(() -> ctx.cancel(new RuntimeException("elsewhere")));
		canceller.start();
		ctx.await();
		assertThat(ctx.isDone()).isTrue();
		assertThat(ctx.await(Duration.ZERO)).isTrue();
		canceller.join(30_000);
	}

	@Test
	void nullArgumentsShouldBeRejected() {
		Context ctx = Context.background();
		assertThatNullPointerException().isThrownBy(() -> ctx.withTimeout(null));
		assertThatNullPointerException().isThrownBy(() -> ctx.withTimeout(Duration.ZERO, null));
		assertThatNullPointerException().isThrownBy(() -> ctx.withDeadline(null));
		assertThatNullPointerException().isThrownBy(() -> ctx.afterDone(null));
		assertThatNullPointerException().isThrownBy(() -> ctx.afterDone(() -> {
		}, null));
		assertThatNullPointerException().isThrownBy(() -> ctx.run(null));
		assertThatNullPointerException().isThrownBy(() -> ctx.wrap((Runnable) null));
	}

}
