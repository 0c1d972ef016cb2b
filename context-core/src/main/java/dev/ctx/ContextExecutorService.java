package dev.ctx;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link Context#wrap(ExecutorService)}. Extending {@link AbstractExecutorService} routes
 * {@code submit}, {@code invokeAll} and {@code invokeAny} through {@link #execute}, so
 * that there is exactly one place where a task is bound to the context.
 */
final class ContextExecutorService extends AbstractExecutorService {

	private final Context context;

	private final ExecutorService delegate;

	ContextExecutorService(Context context, ExecutorService delegate) {
		this.context = context;
		this.delegate = delegate;
	}

	@Override
	public void execute(Runnable command) {
		Objects.requireNonNull(command, "command");
		this.delegate.execute(AbstractContext.wrapTask(this.context, command));
	}

	@Override
	public void shutdown() {
		this.delegate.shutdown();
	}

	@Override
	public List<Runnable> shutdownNow() {
		return this.delegate.shutdownNow();
	}

	@Override
	public boolean isShutdown() {
		return this.delegate.isShutdown();
	}

	@Override
	public boolean isTerminated() {
		return this.delegate.isTerminated();
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
		return this.delegate.awaitTermination(timeout, unit);
	}

	@Override
	public String toString() {
		return "ContextExecutorService[" + this.context + " -> " + this.delegate + "]";
	}

}
