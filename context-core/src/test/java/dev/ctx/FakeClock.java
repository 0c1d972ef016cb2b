package dev.ctx;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ContextClock} for tests: time stands still until {@link #advance(Duration)}
 * moves it, and deadline timers run on the advancing thread when they are due. The
 * monotonic time starts at any value (grpc's DeadlineTest epochs), so that deadline
 * arithmetic is checked across {@code long} overflow.
 */
final class FakeClock extends ContextClock {

	static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

	private final long startNanos;

	private long nanoTime;

	private final List<Timer> timers = new ArrayList<>();

	private final Executor afterDoneExecutor;

	FakeClock(long startNanos) {
		this(startNanos, Runnable::run);
	}

	FakeClock(long startNanos, Executor afterDoneExecutor) {
		this.startNanos = startNanos;
		this.nanoTime = startNanos;
		this.afterDoneExecutor = afterDoneExecutor;
	}

	/**
	 * Returns a root context on this clock, to derive the contexts under test from.
	 */
	Context root() {
		return new RootContext(this, "test");
	}

	@Override
	synchronized long nanoTime() {
		return this.nanoTime;
	}

	@Override
	Instant toInstant(long nanoTime) {
		// Differences, never absolute values: correct across overflow of the epoch
		return ORIGIN.plusNanos(nanoTime - this.startNanos);
	}

	/**
	 * Returns the instant of the current fake time.
	 */
	Instant now() {
		return toInstant(nanoTime());
	}

	@Override
	synchronized Future<?> schedule(Runnable task, long deadlineNanos) {
		Timer timer = new Timer(task, deadlineNanos);
		this.timers.add(timer);
		return timer;
	}

	@Override
	Executor afterDoneExecutor() {
		return this.afterDoneExecutor;
	}

	/**
	 * Moves the time forward and runs, in deadline order, the timers that are due.
	 */
	void advance(Duration duration) {
		List<Timer> due = new ArrayList<>();
		synchronized (this) {
			this.nanoTime += duration.toNanos();
			for (Timer timer : this.timers) {
				if (timer.deadlineNanos - this.nanoTime <= 0) {
					due.add(timer);
				}
			}
			this.timers.removeAll(due);
		}
		due.sort((a, b) -> Long.signum(a.deadlineNanos - b.deadlineNanos));
		for (Timer timer : due) {
			timer.run();
		}
	}

	/**
	 * Returns how many timers are armed and not cancelled.
	 */
	synchronized int pendingTimers() {
		return this.timers.size();
	}

	private final class Timer implements Future<Void> {

		private final Runnable task;

		final long deadlineNanos;

		private volatile boolean cancelled;

		private volatile boolean done;

		Timer(Runnable task, long deadlineNanos) {
			this.task = task;
			this.deadlineNanos = deadlineNanos;
		}

		void run() {
			if (!this.cancelled) {
				this.done = true;
				this.task.run();
			}
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			synchronized (FakeClock.this) {
				if (this.done || this.cancelled) {
					return false;
				}
				this.cancelled = true;
				FakeClock.this.timers.remove(this);
				return true;
			}
		}

		@Override
		public boolean isCancelled() {
			return this.cancelled;
		}

		@Override
		public boolean isDone() {
			return this.done || this.cancelled;
		}

		@Override
		public Void get() {
			throw new UnsupportedOperationException();
		}

		@Override
		public Void get(long timeout, TimeUnit unit) {
			throw new UnsupportedOperationException();
		}

	}

}
