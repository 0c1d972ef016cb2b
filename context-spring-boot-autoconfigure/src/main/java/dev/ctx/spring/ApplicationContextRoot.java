package dev.ctx.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import dev.ctx.CancellableContext;
import dev.ctx.Context;

import org.springframework.context.SmartLifecycle;

/**
 * The root of every context the application creates for its work (requests, tasks):
 * cancelled, with an {@link ApplicationShutdownException} cause, when the application
 * context stops. Its phase places the cancel after the web server's graceful shutdown
 * has waited for in-flight requests (phase {@code Integer.MAX_VALUE - 1024}) and before
 * the web server stops ({@code Integer.MAX_VALUE - 2048}), so that requests still
 * running when the grace period ends unwind instead of holding the JVM; the stop waits
 * (within the phase timeout) until they have unwound, so that their answers still reach
 * their clients.
 *
 * @since 0.1.0
 */
public class ApplicationContextRoot implements SmartLifecycle {

	/**
	 * The lifecycle phase: after graceful shutdown, before the web server stops.
	 */
	public static final int PHASE = Integer.MAX_VALUE - 1536;

	private static final long DRAIN_POLL_MILLIS = 10;

	private final CancellableContext root = Context.background().withCancel();

	private final List<BooleanSupplier> drained = new CopyOnWriteArrayList<>();

	private volatile boolean running;

	/**
	 * Returns the root context (read-only: only this lifecycle cancels it).
	 * @return the root context
	 */
	public Context context() {
		return this.root.readOnly();
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Adds a condition that is true once the work cancelled by this root has unwound (for
	 * example: no request in flight). {@link #stop(Runnable)} waits for all of them, so that
	 * cancelled requests can still send their answer before the web server stops.
	 * @param condition whether the work has unwound
	 */
	public void addDrainedCondition(BooleanSupplier condition) {
		this.drained.add(condition);
	}

	@Override
	public void stop() {
		this.running = false;
		this.root.cancel(new ApplicationShutdownException("Application context is shutting down"));
	}

	@Override
	public void stop(Runnable callback) {
		stop();
		if (isDrained()) {
			callback.run();
			return;
		}
		// The lifecycle processor waits for the callback at most
		// spring.lifecycle.timeout-per-shutdown-phase
		Thread waiter = new Thread(() -> {
			try {
				while (!isDrained()) {
					Thread.sleep(DRAIN_POLL_MILLIS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				callback.run();
			}
		}, "context-root-drain");
		waiter.setDaemon(true);
		waiter.start();
	}

	private boolean isDrained() {
		for (BooleanSupplier condition : this.drained) {
			if (!condition.getAsBoolean()) {
				return false;
			}
		}
		return true;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
