package dev.ctx;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link CompletableFuture} chains that run under a {@link Context} and stop when it is
 * done: Go's pattern of handing {@code ctx} to every goroutine of a pipeline
 * ({@code errgroup.WithContext}), for {@code CompletableFuture}.
 *
 * <pre>{@code
 * try (CancellableContext ctx = Context.current().withTimeout(Duration.ofSeconds(2))) {
 *     CompletableFuture<Invoice> invoice = ContextFutures.supplyAsync(ctx, orders::load, pool)
 *             .thenApplyAsync(pricing::price)        // runs on pool, Context.current() == ctx
 *             .thenApplyAsync(invoices::create);
 *     return invoice.get();                          // throws DeadlineExceededException after 2s
 * }
 * }</pre>
 *
 * <p>Every stage of a chain started here, including stages created by
 * {@code thenApply}, {@code thenCompose}, {@code handle} and so on:
 * <ul>
 * <li>completes exceptionally with the context's {@link Context#err() err()} as soon as
 * the context is done, unless it completed before. {@code err()} is a
 * {@link java.util.concurrent.CancellationException}, so the stage
 * {@linkplain CompletableFuture#isCancelled() reports itself cancelled}, {@code get()}
 * and {@code join()} throw a {@code CancellationException} (the {@link ContextException}
 * itself up to JDK 22; from JDK 23 on, {@code CompletableFuture} throws a new one with
 * it as the cause), and stages that have not started yet never run;</li>
 * <li>runs its {@code *Async} actions that name no executor on {@code executor} with
 * the context {@linkplain Context#attach() attached} ({@link Context#wrap(Executor)}).
 * Actions of non-{@code Async} stages run on whichever thread completes the previous
 * stage, without binding: use the {@code *Async} variants when the action needs
 * {@link Context#current()}.</li>
 * </ul>
 *
 * <p>Notes and cautions:
 * <ul>
 * <li>Cancellation completes the futures; it does not interrupt a running action (as in
 * Go, the action has to look at {@link Context#isDone()}). A running action's result
 * is discarded when its stage was completed by the cancellation first.</li>
 * <li>Each stage registers with the context until it completes, and stops that
 * registration when it completes, so a long-lived context keeps no reference to
 * completed stages.</li>
 * <li>{@code toCompletableFuture()}, {@code obtrudeValue} and the like behave as in
 * {@code CompletableFuture}.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public final class ContextFutures {

	private ContextFutures() {
	}

	/**
	 * Returns a new incomplete future bound to {@code context}: it completes
	 * exceptionally with {@code context.err()} when the context is done, and its
	 * dependent stages are bound the same way. Useful to start a chain with
	 * {@code thenComposeAsync}, or to complete from a callback.
	 * @param context the context (a {@link CancellableContext} is bound through its
	 * read-only view)
	 * @param executor the default executor of the chain's {@code *Async} stages
	 * @param <T> the result type
	 * @return a new incomplete future
	 */
	public static <T> CompletableFuture<T> newFuture(Context context, Executor executor) {
		Objects.requireNonNull(context, "context");
		Objects.requireNonNull(executor, "executor");
		AbstractContext bound = (AbstractContext) ((AbstractContext) context).attachable();
		return new ContextCompletableFuture<>(bound, bound.wrap(executor));
	}

	/**
	 * Returns a future bound to {@code context} (see {@link #newFuture}) completed by
	 * {@code supplier}, run on {@code executor} with the context attached. The supplier
	 * does not run when the context is done before it would start. Go equivalent:
	 * {@code go func() { ch <- f(ctx) }()} with a {@code select} on {@code ctx.Done()}.
	 * @param context the context
	 * @param supplier the action
	 * @param executor the executor of the action and of the chain's {@code *Async} stages
	 * @param <T> the result type
	 * @return the future
	 */
	public static <T> CompletableFuture<T> supplyAsync(Context context, Supplier<T> supplier, Executor executor) {
		Objects.requireNonNull(supplier, "supplier");
		CompletableFuture<T> future = newFuture(context, executor);
		future.defaultExecutor().execute(() -> {
			if (future.isDone()) {
				return;
			}
			try {
				future.complete(supplier.get());
			}
			catch (Throwable ex) {
				future.completeExceptionally(ex);
			}
		});
		return future;
	}

	/**
	 * Like {@link #supplyAsync(Context, Supplier, Executor)} for an action without a
	 * result.
	 * @param context the context
	 * @param action the action
	 * @param executor the executor of the action and of the chain's {@code *Async} stages
	 * @return the future, completed with {@code null}
	 */
	public static CompletableFuture<Void> runAsync(Context context, Runnable action, Executor executor) {
		Objects.requireNonNull(action, "action");
		return supplyAsync(context, () -> {
			action.run();
			return null;
		}, executor);
	}

	/**
	 * Completes {@code future} exceptionally with {@code context.err()} when
	 * {@code context} is done, unless it completed before; for futures made elsewhere
	 * (an HTTP client, a driver). Completing a future made by
	 * {@code java.net.http.HttpClient.sendAsync} this way does not abort the exchange:
	 * use {@code future.cancel(true)} from {@link Context#afterDone(Runnable)} for that.
	 * The registration with the context ends when the future completes.
	 * @param context the context
	 * @param future the future
	 * @param <T> the result type
	 * @param <F> the future type
	 * @return {@code future}
	 */
	public static <T, F extends CompletableFuture<T>> F completeWhenDone(Context context, F future) {
		Objects.requireNonNull(context, "context");
		Objects.requireNonNull(future, "future");
		Registration registration = context.afterDone(() -> failWithErr(context, future), Runnable::run);
		future.whenComplete((result, ex) -> registration.stop());
		return future;
	}

	static void failWithErr(Context context, CompletableFuture<?> future) {
		ContextException err = context.err();
		future.completeExceptionally((err != null) ? err : new ContextCancelledException(null));
	}

	/**
	 * The stages of a chain: each registers with the context when it is created, and
	 * deregisters when it completes.
	 *
	 * <p>Deregistration runs as a dependent of the stage, but {@code CompletableFuture}
	 * completes a stage it has just created, when the stage's sources are already
	 * complete, by writing its result directly without running its dependents (the
	 * {@code uniApplyNow} family: it assumes a fresh stage has none). Every method that
	 * creates a stage is therefore overridden to deregister a stage it returns already
	 * completed.
	 */
	private static final class ContextCompletableFuture<T> extends CompletableFuture<T> {

		private final AbstractContext context;

		private final Executor executor;

		private final Registration registration;

		// True only while the constructor adds its own clean-up stage, which must be a
		// plain future: a bound one would register (and add a clean-up stage) again.
		private boolean plain;

		ContextCompletableFuture(AbstractContext context, Executor executor) {
			this.context = context;
			this.executor = executor;
			// The direct executor keeps the reaction to cancel() immediate and cheap:
			// completing a future runs no user code except dependents that are not Async.
			Registration registration = context.afterDone(() -> failWithErr(context, this), Runnable::run);
			this.registration = registration;
			this.plain = true;
			try {
				super.whenComplete((result, ex) -> registration.stop());
			}
			finally {
				this.plain = false;
			}
		}

		@Override
		public <U> CompletableFuture<U> newIncompleteFuture() {
			return this.plain ? new CompletableFuture<>() : new ContextCompletableFuture<>(this.context, this.executor);
		}

		@Override
		public Executor defaultExecutor() {
			return this.executor;
		}

		private static <U> CompletableFuture<U> settled(CompletableFuture<U> stage) {
			if (stage instanceof ContextCompletableFuture<U> bound && bound.isDone()) {
				bound.registration.stop();
			}
			return stage;
		}

		@Override
		public <U> CompletableFuture<U> thenApply(Function<? super T, ? extends U> fn) {
			return settled(super.thenApply(fn));
		}

		@Override
		public <U> CompletableFuture<U> thenApplyAsync(Function<? super T, ? extends U> fn) {
			return settled(super.thenApplyAsync(fn));
		}

		@Override
		public <U> CompletableFuture<U> thenApplyAsync(Function<? super T, ? extends U> fn, Executor executor) {
			return settled(super.thenApplyAsync(fn, executor));
		}

		@Override
		public CompletableFuture<Void> thenAccept(Consumer<? super T> action) {
			return settled(super.thenAccept(action));
		}

		@Override
		public CompletableFuture<Void> thenAcceptAsync(Consumer<? super T> action) {
			return settled(super.thenAcceptAsync(action));
		}

		@Override
		public CompletableFuture<Void> thenAcceptAsync(Consumer<? super T> action, Executor executor) {
			return settled(super.thenAcceptAsync(action, executor));
		}

		@Override
		public CompletableFuture<Void> thenRun(Runnable action) {
			return settled(super.thenRun(action));
		}

		@Override
		public CompletableFuture<Void> thenRunAsync(Runnable action) {
			return settled(super.thenRunAsync(action));
		}

		@Override
		public CompletableFuture<Void> thenRunAsync(Runnable action, Executor executor) {
			return settled(super.thenRunAsync(action, executor));
		}

		@Override
		public <U, V> CompletableFuture<V> thenCombine(CompletionStage<? extends U> other,
				BiFunction<? super T, ? super U, ? extends V> fn) {
			return settled(super.thenCombine(other, fn));
		}

		@Override
		public <U, V> CompletableFuture<V> thenCombineAsync(CompletionStage<? extends U> other,
				BiFunction<? super T, ? super U, ? extends V> fn) {
			return settled(super.thenCombineAsync(other, fn));
		}

		@Override
		public <U, V> CompletableFuture<V> thenCombineAsync(CompletionStage<? extends U> other,
				BiFunction<? super T, ? super U, ? extends V> fn, Executor executor) {
			return settled(super.thenCombineAsync(other, fn, executor));
		}

		@Override
		public <U> CompletableFuture<Void> thenAcceptBoth(CompletionStage<? extends U> other,
				BiConsumer<? super T, ? super U> action) {
			return settled(super.thenAcceptBoth(other, action));
		}

		@Override
		public <U> CompletableFuture<Void> thenAcceptBothAsync(CompletionStage<? extends U> other,
				BiConsumer<? super T, ? super U> action) {
			return settled(super.thenAcceptBothAsync(other, action));
		}

		@Override
		public <U> CompletableFuture<Void> thenAcceptBothAsync(CompletionStage<? extends U> other,
				BiConsumer<? super T, ? super U> action, Executor executor) {
			return settled(super.thenAcceptBothAsync(other, action, executor));
		}

		@Override
		public CompletableFuture<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
			return settled(super.runAfterBoth(other, action));
		}

		@Override
		public CompletableFuture<Void> runAfterBothAsync(CompletionStage<?> other, Runnable action) {
			return settled(super.runAfterBothAsync(other, action));
		}

		@Override
		public CompletableFuture<Void> runAfterBothAsync(CompletionStage<?> other, Runnable action,
				Executor executor) {
			return settled(super.runAfterBothAsync(other, action, executor));
		}

		@Override
		public <U> CompletableFuture<U> applyToEither(CompletionStage<? extends T> other,
				Function<? super T, U> fn) {
			return settled(super.applyToEither(other, fn));
		}

		@Override
		public <U> CompletableFuture<U> applyToEitherAsync(CompletionStage<? extends T> other,
				Function<? super T, U> fn) {
			return settled(super.applyToEitherAsync(other, fn));
		}

		@Override
		public <U> CompletableFuture<U> applyToEitherAsync(CompletionStage<? extends T> other,
				Function<? super T, U> fn, Executor executor) {
			return settled(super.applyToEitherAsync(other, fn, executor));
		}

		@Override
		public CompletableFuture<Void> acceptEither(CompletionStage<? extends T> other, Consumer<? super T> action) {
			return settled(super.acceptEither(other, action));
		}

		@Override
		public CompletableFuture<Void> acceptEitherAsync(CompletionStage<? extends T> other,
				Consumer<? super T> action) {
			return settled(super.acceptEitherAsync(other, action));
		}

		@Override
		public CompletableFuture<Void> acceptEitherAsync(CompletionStage<? extends T> other,
				Consumer<? super T> action, Executor executor) {
			return settled(super.acceptEitherAsync(other, action, executor));
		}

		@Override
		public CompletableFuture<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
			return settled(super.runAfterEither(other, action));
		}

		@Override
		public CompletableFuture<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action) {
			return settled(super.runAfterEitherAsync(other, action));
		}

		@Override
		public CompletableFuture<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action,
				Executor executor) {
			return settled(super.runAfterEitherAsync(other, action, executor));
		}

		@Override
		public <U> CompletableFuture<U> thenCompose(Function<? super T, ? extends CompletionStage<U>> fn) {
			return settled(super.thenCompose(fn));
		}

		@Override
		public <U> CompletableFuture<U> thenComposeAsync(Function<? super T, ? extends CompletionStage<U>> fn) {
			return settled(super.thenComposeAsync(fn));
		}

		@Override
		public <U> CompletableFuture<U> thenComposeAsync(Function<? super T, ? extends CompletionStage<U>> fn,
				Executor executor) {
			return settled(super.thenComposeAsync(fn, executor));
		}

		@Override
		public <U> CompletableFuture<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
			return settled(super.handle(fn));
		}

		@Override
		public <U> CompletableFuture<U> handleAsync(BiFunction<? super T, Throwable, ? extends U> fn) {
			return settled(super.handleAsync(fn));
		}

		@Override
		public <U> CompletableFuture<U> handleAsync(BiFunction<? super T, Throwable, ? extends U> fn,
				Executor executor) {
			return settled(super.handleAsync(fn, executor));
		}

		@Override
		public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
			return settled(super.whenComplete(action));
		}

		@Override
		public CompletableFuture<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action) {
			return settled(super.whenCompleteAsync(action));
		}

		@Override
		public CompletableFuture<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action,
				Executor executor) {
			return settled(super.whenCompleteAsync(action, executor));
		}

		@Override
		public CompletableFuture<T> exceptionally(Function<Throwable, ? extends T> fn) {
			return settled(super.exceptionally(fn));
		}

		@Override
		public CompletableFuture<T> exceptionallyAsync(Function<Throwable, ? extends T> fn) {
			return settled(super.exceptionallyAsync(fn));
		}

		@Override
		public CompletableFuture<T> exceptionallyAsync(Function<Throwable, ? extends T> fn, Executor executor) {
			return settled(super.exceptionallyAsync(fn, executor));
		}

		@Override
		public CompletableFuture<T> exceptionallyCompose(Function<Throwable, ? extends CompletionStage<T>> fn) {
			return settled(super.exceptionallyCompose(fn));
		}

		@Override
		public CompletableFuture<T> exceptionallyComposeAsync(Function<Throwable, ? extends CompletionStage<T>> fn) {
			return settled(super.exceptionallyComposeAsync(fn));
		}

		@Override
		public CompletableFuture<T> exceptionallyComposeAsync(Function<Throwable, ? extends CompletionStage<T>> fn,
				Executor executor) {
			return settled(super.exceptionallyComposeAsync(fn, executor));
		}

		@Override
		public CompletableFuture<T> copy() {
			return settled(super.copy());
		}

		@Override
		public String toString() {
			return super.toString() + "[" + this.context + "]";
		}

	}

}
