package dev.ctx;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Base of every context. A context answers the cancellation questions from its nearest
 * cancellable ancestor ({@link #cancelNode}, {@code null} when there is none, so that
 * the answer never needs a walk up the chain) and value lookups from its
 * {@link ValueMap}.
 */
abstract sealed class AbstractContext implements Context
		permits RootContext, DerivedContext, CancelContext, ReadOnlyContext {

	final ContextClock clock;

	final ValueMap values;

	AbstractContext(ContextClock clock, ValueMap values) {
		this.clock = clock;
		this.values = values;
	}

	/**
	 * Returns the nearest cancellable context on the chain from this one to the root,
	 * this one included, or {@code null} when this context can never be done.
	 */
	abstract @Nullable CancelContext cancelNode();

	/**
	 * Returns what {@link #attach()} binds as current.
	 */
	Context attachable() {
		return this;
	}

	@Override
	public Optional<Instant> deadline() {
		CancelContext node = cancelNode();
		return (node != null && node.hasDeadline) ? Optional.of(this.clock.toInstant(node.deadlineNanos))
				: Optional.empty();
	}

	@Override
	public Optional<Duration> remaining() {
		CancelContext node = cancelNode();
		if (node == null || !node.hasDeadline) {
			return Optional.empty();
		}
		long left = node.deadlineNanos - this.clock.nanoTime();
		return Optional.of((left > 0) ? Duration.ofNanos(left) : Duration.ZERO);
	}

	@Override
	public boolean isDone() {
		CancelContext node = cancelNode();
		return node != null && node.isDone();
	}

	@Override
	public @Nullable ContextException err() {
		CancelContext node = cancelNode();
		return (node != null) ? node.err() : null;
	}

	@Override
	public @Nullable Throwable cause() {
		CancelContext node = cancelNode();
		return (node != null) ? node.causeOrErr() : null;
	}

	@Override
	public <T> @Nullable T value(ContextKey<T> key) {
		Objects.requireNonNull(key, "key");
		return this.values.get(key);
	}

	@Override
	public void throwIfDone() {
		ContextException err = err();
		if (err != null) {
			throw err;
		}
	}

	@Override
	public void await() throws InterruptedException {
		CancelContext node = cancelNode();
		if (node == null) {
			// Never done: like receiving from a nil channel, wait until interrupted.
			new CountDownLatch(1).await();
			return;
		}
		node.awaitDone();
	}

	@Override
	public boolean await(Duration timeout) throws InterruptedException {
		Objects.requireNonNull(timeout, "timeout");
		CancelContext node = cancelNode();
		if (node == null) {
			new CountDownLatch(1).await(ContextClock.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
			return false;
		}
		return node.awaitDone(timeout);
	}

	@Override
	public CompletionStage<Void> done() {
		CancelContext node = cancelNode();
		// A fresh, never-completed stage per call: dependents of a shared one would pile
		// up forever.
		return (node != null) ? node.doneStage() : new CompletableFuture<Void>().minimalCompletionStage();
	}

	@Override
	public Registration afterDone(Runnable action) {
		return afterDone(action, this.clock.afterDoneExecutor());
	}

	@Override
	public Registration afterDone(Runnable action, Executor executor) {
		Objects.requireNonNull(action, "action");
		Objects.requireNonNull(executor, "executor");
		CancelContext node = cancelNode();
		if (node == null) {
			return new AfterDone(null, action, executor);
		}
		return node.addAfterDone(action, executor);
	}

	@Override
	public CancellableContext withCancel() {
		return new CancelContext(this, false, 0, null);
	}

	@Override
	public CancellableContext withTimeout(Duration timeout) {
		return timeoutChild(timeout, null);
	}

	@Override
	public CancellableContext withTimeout(Duration timeout, Throwable cause) {
		return timeoutChild(timeout, Objects.requireNonNull(cause, "cause"));
	}

	private CancellableContext timeoutChild(Duration timeout, @Nullable Throwable cause) {
		Objects.requireNonNull(timeout, "timeout");
		long deadline = this.clock.nanoTime() + ContextClock.saturatedNanos(timeout);
		return new CancelContext(this, true, deadline, cause);
	}

	@Override
	public CancellableContext withDeadline(Instant deadline) {
		Objects.requireNonNull(deadline, "deadline");
		return new CancelContext(this, true, this.clock.toNanoTime(deadline), null);
	}

	@Override
	public CancellableContext withDeadline(Instant deadline, Throwable cause) {
		Objects.requireNonNull(deadline, "deadline");
		Objects.requireNonNull(cause, "cause");
		return new CancelContext(this, true, this.clock.toNanoTime(deadline), cause);
	}

	@Override
	public <T> Context withValue(ContextKey<T> key, T value) {
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(value, "value");
		return new DerivedContext(this, key, value, this.values.with(key, value), cancelNode());
	}

	@Override
	public Context withoutCancel() {
		return new DerivedContext(this, null, null, this.values, null);
	}

	@Override
	public Scope attach() {
		return ContextStorage.attach(attachable());
	}

	@Override
	public void run(Runnable task) {
		Objects.requireNonNull(task, "task");
		try (Scope scope = attach()) {
			task.run();
		}
	}

	@Override
	public <V> V call(Callable<V> task) throws Exception {
		Objects.requireNonNull(task, "task");
		try (Scope scope = attach()) {
			return task.call();
		}
	}

	@Override
	public Runnable wrap(Runnable task) {
		Objects.requireNonNull(task, "task");
		Context context = attachable();
		return () -> {
			try (Scope scope = ContextStorage.attach(context)) {
				task.run();
			}
		};
	}

	@Override
	public <V> Callable<V> wrap(Callable<V> task) {
		Objects.requireNonNull(task, "task");
		Context context = attachable();
		return () -> {
			try (Scope scope = ContextStorage.attach(context)) {
				return task.call();
			}
		};
	}

	@Override
	public Executor wrap(Executor executor) {
		Objects.requireNonNull(executor, "executor");
		Context context = attachable();
		return (task) -> executor.execute(wrapTask(context, task));
	}

	@Override
	public ExecutorService wrap(ExecutorService executorService) {
		Objects.requireNonNull(executorService, "executorService");
		return new ContextExecutorService(attachable(), executorService);
	}

	static Runnable wrapTask(Context context, Runnable task) {
		Objects.requireNonNull(task, "task");
		return () -> {
			try (Scope scope = ContextStorage.attach(context)) {
				task.run();
			}
		};
	}

}
