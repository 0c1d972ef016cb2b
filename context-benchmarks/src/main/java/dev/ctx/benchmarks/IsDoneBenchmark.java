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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Asking a live (not cancelled) cancellable child of the root whether it is done: the
 * check that loops put in every iteration. Ours is {@code isDone()}, gRPC's is
 * {@code isCancelled()}; both answer {@code false} here.
 *
 * @since 0.1.0
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class IsDoneBenchmark {

	private final CancellableContext ourContext = Context.background().withCancel();

	private final io.grpc.Context.CancellableContext grpcContext = io.grpc.Context.ROOT.withCancellation();

	@TearDown
	public void tearDown() {
		this.ourContext.cancel();
		this.grpcContext.cancel(null);
	}

	/**
	 * {@code context.isDone()}.
	 * @return whether the context is done
	 */
	@Benchmark
	public boolean ours() {
		return this.ourContext.isDone();
	}

	/**
	 * {@code context.isCancelled()}.
	 * @return whether the context is cancelled
	 */
	@Benchmark
	public boolean grpc() {
		return this.grpcContext.isCancelled();
	}

}
