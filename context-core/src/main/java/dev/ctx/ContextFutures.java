package dev.ctx;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
	 */
	private static final class ContextCompletableFuture<T> extends CompletableFuture<T> {

		private final AbstractContext context;

		private final Executor executor;

		// True only while the constructor adds its own clean-up stage, which must be a
		// plain future: a bound one would register (and add a clean-up stage) again.
		private boolean plain;

		ContextCompletableFuture(AbstractContext context, Executor executor) {
			this.context = context;
			this.executor = executor;
			// The direct executor keeps the reaction to cancel() immediate and cheap:
			// completing a future runs no user code except dependents that are not Async.
			Registration registration = context.afterDone(() -> failWithErr(context, this), Runnable::run);
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

		@Override
		public String toString() {
			return super.toString() + "[" + this.context + "]";
		}

	}

}
