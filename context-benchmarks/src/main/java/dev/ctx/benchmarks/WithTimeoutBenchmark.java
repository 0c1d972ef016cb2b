package dev.ctx.benchmarks;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.ctx.CancellableContext;
import dev.ctx.Context;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Creating a child of the root with a timeout and cancelling it before the timeout: a
 * request with a deadline that finishes in time. Both sides arm a timer on a
 * {@link ScheduledThreadPoolExecutor} with one daemon thread and remove-on-cancel, and
 * take it out again when cancelled: ours on the core's shared timer, gRPC on the
 * scheduler it requires the caller to pass, configured here exactly like ours (without
 * remove-on-cancel gRPC's queue would fill with millions of cancelled timers, which
 * would measure the benchmark rather than gRPC).
 *
 * <p>Differences that remain, part of each library's real cost: the timeout is a
 * {@link Duration} constant for us and a {@code long} plus {@link TimeUnit} for gRPC,
 * which allocates a {@code Deadline} per call; gRPC allocates its non-cancellable
 * surrogate eagerly; we allocate a method reference for the timer task, gRPC a task
 * object. Neither creates an exception on {@code cancel}.
 *
 * @since 0.1.0
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class WithTimeoutBenchmark {

	/** Long enough that no timer ever fires during a run. */
	static final long TIMEOUT_SECONDS = 60;

	private static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_SECONDS);

	// One per trial, like the core's one shared timer
	private final ScheduledThreadPoolExecutor scheduler = newScheduler();

	@TearDown
	public void tearDown() {
		this.scheduler.shutdownNow();
	}

	/**
	 * {@code Context.background().withTimeout(60s)} then {@code cancel()}.
	 * @return the cancelled context, so that nothing is optimised away
	 */
	@Benchmark
	public CancellableContext ours() {
		CancellableContext context = Context.background().withTimeout(TIMEOUT);
		context.cancel();
		return context;
	}

	/**
	 * {@code Context.ROOT.withDeadlineAfter(60, SECONDS, scheduler)} then
	 * {@code cancel(null)}.
	 * @return the cancelled context, so that nothing is optimised away
	 */
	@Benchmark
	public io.grpc.Context.CancellableContext grpc() {
		io.grpc.Context.CancellableContext context = io.grpc.Context.ROOT.withDeadlineAfter(TIMEOUT_SECONDS,
				TimeUnit.SECONDS, this.scheduler);
		context.cancel(null);
		return context;
	}

	/**
	 * Returns how many gRPC deadline timers are armed (for tests: none may stay armed).
	 */
	int pendingGrpcTimers() {
		return this.scheduler.getQueue().size();
	}

	private static ScheduledThreadPoolExecutor newScheduler() {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "grpc-deadline-timer");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		return scheduler;
	}

}
