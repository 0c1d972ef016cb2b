package dev.ctx.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.ctx.CancellableContext;
import dev.ctx.Context;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Creating a cancellable child of the root and cancelling it: the life of every request
 * context that ends normally.
 *
 * <p>Differences that remain, both part of each library's real cost: gRPC allocates the
 * non-cancellable surrogate it attaches when the context is created, we create our
 * read-only view only when it is first needed; neither side creates an exception here
 * (gRPC's {@code cancel(null)} records a {@code null} cause, our {@code cancel()} creates
 * the {@code ContextCancelledException} only when {@code err()} is first called, which
 * this benchmark does not do). Neither parent is cancellable, so neither child registers
 * with a parent.
 *
 * @since 0.1.0
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WithCancelBenchmark {

	/**
	 * {@code Context.background().withCancel()} then {@code cancel()}.
	 * @return the cancelled context, so that nothing is optimised away
	 */
	@Benchmark
	public CancellableContext ours() {
		CancellableContext context = Context.background().withCancel();
		context.cancel();
		return context;
	}

	/**
	 * {@code Context.ROOT.withCancellation()} then {@code cancel(null)}.
	 * @return the cancelled context, so that nothing is optimised away
	 */
	@Benchmark
	public io.grpc.Context.CancellableContext grpc() {
		io.grpc.Context.CancellableContext context = io.grpc.Context.ROOT.withCancellation();
		context.cancel(null);
		return context;
	}

}
