package dev.ctx;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The monotonic clock, the deadline timer and the default executor of
 * {@code afterDone} actions, shared by every context derived from one root. The
 * system instance is used by {@link Context#background()}; tests derive from a root
 * with a fake clock.
 */
abstract class ContextClock {

	/** Offsets are clamped to +/-100 years so that nanoTime arithmetic cannot overflow. */
	static final long MAX_OFFSET_NANOS = TimeUnit.DAYS.toNanos(100L * 365);

	static final ContextClock SYSTEM = new SystemClock();

	/**
	 * Returns the monotonic time in nanoseconds; only differences are meaningful.
	 */
	abstract long nanoTime();

	/**
	 * Converts a monotonic time of this clock to an instant, always the same instant for
	 * the same value.
	 */
	abstract Instant toInstant(long nanoTime);

	/**
	 * Converts an instant to a monotonic time of this clock (saturating).
	 */
	final long toNanoTime(Instant instant) {
		long now = nanoTime();
		return now + saturatedNanos(Duration.between(toInstant(now), instant));
	}

	/**
	 * Runs {@code task} once the monotonic time reaches {@code deadlineNanos}.
	 * Cancelling the returned future removes the task from the timer at once.
	 */
	abstract Future<?> schedule(Runnable task, long deadlineNanos);

	/**
	 * The executor of {@code afterDone} actions that name none.
	 */
	abstract Executor afterDoneExecutor();

	static long saturatedNanos(Duration duration) {
		if (duration.getSeconds() > TimeUnit.NANOSECONDS.toSeconds(MAX_OFFSET_NANOS)) {
			return MAX_OFFSET_NANOS;
		}
		if (duration.getSeconds() < -TimeUnit.NANOSECONDS.toSeconds(MAX_OFFSET_NANOS)) {
			return -MAX_OFFSET_NANOS;
		}
		return duration.toNanos();
	}

	private static final class SystemClock extends ContextClock {

		// Anchors the monotonic clock to the wall clock once, so that deadline() returns
		// the same instant on every call and a wall-clock jump moves no deadline.
		private final long originNanos = System.nanoTime();

		private final Instant originInstant = Instant.now();

		private final ScheduledThreadPoolExecutor timer;

		private final ThreadPoolExecutor afterDone;

		SystemClock() {
			this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads("context-deadline-timer"));
			// Cancelled deadlines leave the queue at once (O(log n)) instead of when they
			// would have fired: a cancelled withTimeout(1h) must not stay for an hour.
			this.timer.setRemoveOnCancelPolicy(true);
			this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
			// afterDone actions may block (Statement.cancel() talks to the database), so
			// each gets its own thread, as Go's AfterFunc gets its own goroutine; idle
			// threads end after a minute.
			this.afterDone = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
					new SynchronousQueue<>(), daemonThreads("context-after-done"));
		}

		@Override
		long nanoTime() {
			return System.nanoTime();
		}

		@Override
		Instant toInstant(long nanoTime) {
			return this.originInstant.plusNanos(nanoTime - this.originNanos);
		}

		@Override
		Future<?> schedule(Runnable task, long deadlineNanos) {
			return this.timer.schedule(task, deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
		}

		@Override
		Executor afterDoneExecutor() {
			return this.afterDone;
		}

		int pendingTimers() {
			return this.timer.getQueue().size();
		}

		private static ThreadFactory daemonThreads(String name) {
			AtomicInteger count = new AtomicInteger();
			return (runnable) -> {
				Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
				thread.setDaemon(true);
				return thread;
			};
		}

	}

	/**
	 * Returns the number of deadline timers armed on the system clock (for tests).
	 */
	static int systemPendingTimers() {
		return ((SystemClock) SYSTEM).pendingTimers();
	}

}
