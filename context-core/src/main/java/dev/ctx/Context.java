package dev.ctx;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

import org.jspecify.annotations.Nullable;

/**
 * A cancellation signal, a deadline and request-scoped values, carried down the call
 * stack and across threads: Go's {@code context.Context}, in Java.
 *
 * <p>Every unit of work (a request, a job) gets a context. Everything the work calls
 * can ask its context whether the work is still wanted ({@link #isDone()},
 * {@link #throwIfDone()}), how much time it has left ({@link #remaining()}), be told
 * when it stops being wanted ({@link #afterDone(Runnable)}, {@link #done()}) and read
 * values the caller attached ({@link #value(ContextKey)}). Contexts form a tree: a
 * context derived from another is cancelled when its parent is, can only have an
 * earlier deadline, and sees its parent's values.
 *
 * <pre>{@code
 * // Go:  ctx, cancel := context.WithTimeout(parent, 2*time.Second); defer cancel()
 * try (CancellableContext ctx = parent.withTimeout(Duration.ofSeconds(2))) {
 *     ctx.run(() -> repository.findAll());    // Context.current() == ctx inside
 * }                                           // close() == Go's deferred cancel()
 * }</pre>
 *
 * <h2>Go to Java</h2>
 * <table>
 * <caption>The Go package and this type</caption>
 * <tr><th>Go</th><th>Java</th></tr>
 * <tr><td>{@code context.Background()}, {@code context.TODO()}</td><td>{@link #background()}, {@link #todo()}</td></tr>
 * <tr><td>{@code context.WithCancel(ctx)}, {@code WithCancelCause}</td><td>{@link #withCancel()}, then {@code cancel()} / {@code cancel(cause)}</td></tr>
 * <tr><td>{@code context.WithTimeout}, {@code WithTimeoutCause}</td><td>{@link #withTimeout(Duration)}, {@link #withTimeout(Duration, Throwable)}</td></tr>
 * <tr><td>{@code context.WithDeadline}, {@code WithDeadlineCause}</td><td>{@link #withDeadline(Instant)}, {@link #withDeadline(Instant, Throwable)}</td></tr>
 * <tr><td>{@code context.WithValue}, {@code ctx.Value(key)}</td><td>{@link #withValue(ContextKey, Object)}, {@link #value(ContextKey)}</td></tr>
 * <tr><td>{@code context.WithoutCancel}</td><td>{@link #withoutCancel()}</td></tr>
 * <tr><td>{@code context.AfterFunc}</td><td>{@link #afterDone(Runnable)}</td></tr>
 * <tr><td>{@code context.Cause}</td><td>{@link #cause()}</td></tr>
 * <tr><td>{@code ctx.Done()}, {@code ctx.Err()}, {@code ctx.Deadline()}</td><td>{@link #done()} / {@link #await()} / {@link #isDone()}, {@link #err()}, {@link #deadline()}</td></tr>
 * <tr><td>passing {@code ctx} as first parameter</td><td>passing it, or {@link #current()} inside {@link #attach()} / {@link #run(Runnable)}</td></tr>
 * </table>
 *
 * <h2>Notes and cautions on use</h2>
 * <ul>
 * <li>Contexts are immutable and thread-safe. Every {@code withX} method returns a new
 * context and leaves this one unchanged.</li>
 * <li>Only a {@link CancellableContext} can be cancelled, and only by whoever created it.
 * {@link #current()} never returns one (it returns a {@linkplain
 * CancellableContext#readOnly() read-only view}), so code deep in the stack cannot
 * cancel its caller's work.</li>
 * <li>Always cancel what you create, even when the work finished normally (use
 * try-with-resources): a context with a deadline holds a timer, and a child holds a
 * place in its parent, until it is cancelled or its deadline passes.</li>
 * <li>Cancellation is cooperative: a context does not interrupt threads or stop code
 * that never looks at it. Blocking calls stop early only when they check the context
 * or were registered with {@link #afterDone(Runnable)} (the Spring integration does
 * this for JDBC statements and outbound HTTP calls).</li>
 * <li>Values are for request-scoped data that crosses API boundaries (a tenant, a trace
 * id, credentials), not for passing optional parameters to functions.</li>
 * <li>Deadlines are kept on the monotonic clock ({@link System#nanoTime()}); the
 * {@link Instant}s of {@link #deadline()} and {@link #withDeadline(Instant)} are
 * converted once, so moving the wall clock does not move a deadline.</li>
 * <li>Do not implement or mock this interface (it is sealed): use {@link #background()}
 * and derive what a test needs.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public sealed interface Context permits AbstractContext, CancellableContext {

	/**
	 * Returns the empty root context: never done, no deadline, no values. It is the
	 * parent of the contexts a program creates at its top level (a server for each
	 * request, {@code main}, tests). Go equivalent: {@code context.Background()}.
	 * @return the background context, whose {@code toString()} is
	 * {@code "Context.background"}
	 */
	static Context background() {
		return RootContext.BACKGROUND;
	}

	/**
	 * Returns an empty root context like {@link #background()}, to mark a place where it
	 * is not yet clear which context to use. Go equivalent: {@code context.TODO()}.
	 * @return the TODO context, whose {@code toString()} is {@code "Context.todo"}
	 */
	static Context todo() {
		return RootContext.TODO;
	}

	/**
	 * Returns the context bound to the current thread by {@link #attach()},
	 * {@link #run(Runnable)}, {@link #call(Callable)} or a {@link #wrap(Runnable)
	 * wrapped} task; {@link #background()} when none is bound. Never returns a
	 * {@link CancellableContext}: for one that is bound, its
	 * {@linkplain CancellableContext#readOnly() read-only view} is returned.
	 * <p>Cost: one thread-local read, no allocation.
	 * @return the current context, never {@code null}
	 */
	static Context current() {
		return ContextStorage.current();
	}

	/**
	 * Returns when this context's deadline passes: the earliest deadline of this
	 * context and its ancestors. The same instant is returned on every call. Go
	 * equivalent: {@code ctx.Deadline()}.
	 * @return the deadline, or empty if there is none
	 */
	Optional<Instant> deadline();

	/**
	 * Returns the time left until the deadline, never negative ({@link Duration#ZERO}
	 * once the deadline has passed).
	 * @return the remaining time, or empty if there is no deadline
	 */
	Optional<Duration> remaining();

	/**
	 * Returns whether this context is done: cancelled, or past its deadline, or derived
	 * from a context that is. Once {@code true}, always {@code true}.
	 * <p>Cost: one volatile read, no allocation. This is the check to put in loops.
	 * Go equivalent: a non-blocking receive from {@code ctx.Done()}.
	 * @return whether this context is done
	 */
	boolean isDone();

	/**
	 * Returns why this context is done: {@code null} while it is not done, then a
	 * {@link ContextCancelledException} or a {@link DeadlineExceededException}. Once
	 * non-null, the same instance is returned on every call. A context cancelled
	 * because its parent was has the parent's instance. Go equivalent: {@code ctx.Err()}.
	 * @return the reason, or {@code null} while not done
	 */
	@Nullable ContextException err();

	/**
	 * Returns the cause given when this context was cancelled ({@code cancel(cause)},
	 * or the cause passed to {@code withTimeout}/{@code withDeadline} when the deadline
	 * passed); {@link #err()} when none was given; {@code null} while not done. Go
	 * equivalent: {@code context.Cause(ctx)}.
	 * @return the cause, or {@code null} while not done
	 */
	@Nullable Throwable cause();

	/**
	 * Returns the value bound to {@code key} by the nearest {@link #withValue} on the
	 * chain from this context to its root, or {@code null} if there is none.
	 * <p>Cost: a hash lookup whose cost does not grow with the depth of the chain; no
	 * allocation. Go equivalent: {@code ctx.Value(key)}.
	 * @param key the key
	 * @param <T> the type of the value
	 * @return the value, or {@code null}
	 */
	<T> @Nullable T value(ContextKey<T> key);

	/**
	 * Throws {@link #err()} if this context is done; otherwise does nothing.
	 * @throws ContextException when this context is done
	 */
	void throwIfDone();

	/**
	 * Blocks until this context is done. On a context that can never be done
	 * ({@link #background()}, {@link #withoutCancel()}) it blocks until interrupted. Go
	 * equivalent: {@code <-ctx.Done()}.
	 * @throws InterruptedException if the thread is interrupted while waiting
	 */
	void await() throws InterruptedException;

	/**
	 * Blocks until this context is done or the timeout elapses.
	 * @param timeout how long to wait at most
	 * @return {@code true} if the context is done, {@code false} if the timeout elapsed
	 * first
	 * @throws InterruptedException if the thread is interrupted while waiting
	 */
	boolean await(Duration timeout) throws InterruptedException;

	/**
	 * Returns a stage that completes normally (with {@code null}) when this context is
	 * done; it never completes exceptionally, and callers cannot complete it. Dependent
	 * actions that are not {@code *Async} may run on the thread that cancels the
	 * context or on the deadline timer thread: keep them short, or use the
	 * {@code *Async} variants. On a context that can never be done the stage never
	 * completes. Go equivalent: {@code ctx.Done()}.
	 * @return a stage completed when this context is done
	 */
	CompletionStage<Void> done();

	/**
	 * Arranges for {@code action} to run once, asynchronously, after this context is
	 * done (at once if it is already done), on a shared pool of daemon threads.
	 * {@code cancel()} never runs or waits for the action. The returned
	 * {@link Registration#stop()} stops the action if it has not started yet. On a
	 * context that can never be done the action never runs. Go equivalent:
	 * {@code context.AfterFunc(ctx, f)}.
	 * @param action the action to run
	 * @return the registration, to stop the action
	 * @see #afterDone(Runnable, Executor)
	 */
	Registration afterDone(Runnable action);

	/**
	 * Like {@link #afterDone(Runnable)}, with the executor that runs the action. With a
	 * direct executor ({@code Runnable::run}) a cheap action runs on the thread that
	 * completes the context (the cancelling thread or the deadline timer thread); it
	 * must then not block. If the executor rejects the action, the rejection is logged
	 * and the action is not run.
	 * @param action the action to run
	 * @param executor the executor that runs it
	 * @return the registration, to stop the action
	 */
	Registration afterDone(Runnable action, Executor executor);

	/**
	 * Returns a child context that is done when this one is, or when it is cancelled.
	 * Go equivalent: {@code context.WithCancel} and {@code context.WithCancelCause}.
	 * @return a new cancellable child
	 */
	CancellableContext withCancel();

	/**
	 * Returns a child context whose deadline is {@code timeout} from now, or this
	 * context's deadline if that is earlier. A timeout that is zero or negative gives a
	 * child that is done at birth with {@link DeadlineExceededException}. Durations
	 * beyond 100 years are clamped. Go equivalent: {@code context.WithTimeout}.
	 * @param timeout the time the child has
	 * @return a new cancellable child
	 */
	CancellableContext withTimeout(Duration timeout);

	/**
	 * Like {@link #withTimeout(Duration)}, with the cause {@link #cause()} reports when
	 * the deadline passes. Go equivalent: {@code context.WithTimeoutCause}.
	 * @param timeout the time the child has
	 * @param cause the cause to report when the deadline passes
	 * @return a new cancellable child
	 */
	CancellableContext withTimeout(Duration timeout, Throwable cause);

	/**
	 * Returns a child context whose deadline is {@code deadline}, or this context's
	 * deadline if that is earlier. A deadline already past gives a child that is done
	 * at birth with {@link DeadlineExceededException}. The instant is converted to the
	 * monotonic clock once, now. Go equivalent: {@code context.WithDeadline}.
	 * @param deadline when the child's time is up
	 * @return a new cancellable child
	 */
	CancellableContext withDeadline(Instant deadline);

	/**
	 * Like {@link #withDeadline(Instant)}, with the cause {@link #cause()} reports when
	 * the deadline passes. Go equivalent: {@code context.WithDeadlineCause}.
	 * @param deadline when the child's time is up
	 * @param cause the cause to report when the deadline passes
	 * @return a new cancellable child
	 */
	CancellableContext withDeadline(Instant deadline, Throwable cause);

	/**
	 * Returns a child context in which {@code key} maps to {@code value}; every other
	 * key maps to what it maps to in this context. The child is done when this context
	 * is. Go equivalent: {@code context.WithValue}.
	 * @param key the key (never {@code null})
	 * @param value the value (never {@code null}; Java has no typed nil)
	 * @param <T> the type of the value
	 * @return a new child
	 * @throws NullPointerException if {@code key} or {@code value} is {@code null}
	 */
	<T> Context withValue(ContextKey<T> key, T value);

	/**
	 * Returns a child context with this context's values that is never done and has no
	 * deadline: for work that must outlive the request that started it (an audit
	 * write, a fire-and-forget task). Go equivalent: {@code context.WithoutCancel}.
	 * @return a new child that is never done
	 */
	Context withoutCancel();

	/**
	 * Binds this context to the current thread, so that {@link #current()} returns it
	 * (its read-only view, for a {@link CancellableContext}) until the returned scope is
	 * closed. Use it with try-with-resources.
	 * @return the scope, to close on this thread
	 */
	Scope attach();

	/**
	 * Runs {@code task} on this thread with this context {@linkplain #attach() attached},
	 * and restores the previous context afterwards, also when the task throws.
	 * @param task the task
	 */
	void run(Runnable task);

	/**
	 * Calls {@code task} on this thread with this context {@linkplain #attach()
	 * attached}, and restores the previous context afterwards.
	 * @param task the task
	 * @param <V> the result type
	 * @return the task's result
	 * @throws Exception what the task throws
	 */
	<V> V call(Callable<V> task) throws Exception;

	/**
	 * Returns a task that runs {@code task} with this context attached, on whatever
	 * thread runs it, and restores that thread's previous context afterwards: use it to
	 * hand the context to an executor.
	 * @param task the task
	 * @return the wrapped task
	 */
	Runnable wrap(Runnable task);

	/**
	 * Returns a callable that calls {@code task} with this context attached, on
	 * whatever thread calls it.
	 * @param task the task
	 * @param <V> the result type
	 * @return the wrapped callable
	 */
	<V> Callable<V> wrap(Callable<V> task);

	/**
	 * Returns an executor that runs every task given to it on {@code executor} with this
	 * context {@linkplain #attach() attached}, and restores the running thread's previous
	 * context afterwards: the Java counterpart of starting a goroutine with
	 * {@code go f(ctx)}.
	 *
	 * <pre>{@code
	 * Executor executor = Context.current().wrap(pool);
	 * executor.execute(() -> audit.write(Context.current().value(USER)));
	 * }</pre>
	 *
	 * <p>Tasks are only bound, not stopped: a task still runs when this context is already
	 * done, and should look at {@link #isDone()} (or use {@link ContextFutures}, which
	 * skips and cancels stages of a done context). Pooled threads keep no reference to
	 * this context after a task ends. Cost: one small object per task.
	 * @param executor the executor that runs the tasks
	 * @return an executor that binds this context around every task
	 * @since 0.1.0
	 */
	Executor wrap(Executor executor);

	/**
	 * Returns an executor service that runs every task submitted to it
	 * ({@code execute}, {@code submit}, {@code invokeAll}, {@code invokeAny}) on
	 * {@code executorService} with this context {@linkplain #attach() attached}. Shutting
	 * down the returned service shuts down {@code executorService}; futures are the
	 * {@link java.util.concurrent.FutureTask FutureTask}s of
	 * {@link java.util.concurrent.AbstractExecutorService}. As with
	 * {@link #wrap(Executor)}, tasks are bound, not stopped, when this context is done.
	 * Go equivalent: a pool of goroutines that all receive {@code ctx}.
	 * @param executorService the service that runs the tasks
	 * @return a service that binds this context around every task
	 * @since 0.1.0
	 */
	ExecutorService wrap(ExecutorService executorService);

}
