package dev.ctx.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.ContextKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Binding a context to the thread, reading {@code current()} inside the scope and
 * restoring the previous binding: what every wrapped task and every request filter
 * does. The thread starts with nothing bound (as a pooled worker thread does), so
 * closing the scope restores the root on both sides.
 *
 * <p>{@code kind=value} attaches a context made by {@code withValue}; {@code
 * kind=cancellable} attaches a cancellable context, which both libraries replace by a
 * non-cancellable view (gRPC's surrogate, our read-only view) so that {@code current()}
 * cannot cancel it; both views are created before the measurement.
 *
 * <p>Differences that remain, part of each library's API: ours returns a {@code Scope}
 * object to close, gRPC returns the previous context to pass to {@code detach}.
 *
 * @since 0.1.0
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class AttachBenchmark {

	private static final ContextKey<String> OUR_KEY = ContextKey.named("key");

	private static final io.grpc.Context.Key<String> GRPC_KEY = io.grpc.Context.key("key");

	@Param({ "value", "cancellable" })
	String kind = "value";

	private Context ourContext = Context.background();

	private io.grpc.Context grpcContext = io.grpc.Context.ROOT;

	@Setup
	public void setUp() {
		if ("cancellable".equals(this.kind)) {
			CancellableContext ours = Context.background().withCancel();
			ours.readOnly();
			this.ourContext = ours;
			this.grpcContext = io.grpc.Context.ROOT.withCancellation();
		}
		else {
			this.ourContext = Context.background().withValue(OUR_KEY, "value");
			this.grpcContext = io.grpc.Context.ROOT.withValue(GRPC_KEY, "value");
		}
	}

	@TearDown
	public void tearDown() {
		if (this.ourContext instanceof CancellableContext cancellable) {
			cancellable.cancel();
		}
		if (this.grpcContext instanceof io.grpc.Context.CancellableContext cancellable) {
			cancellable.cancel(null);
		}
	}

	/**
	 * {@code try (Scope scope = context.attach()) { return Context.current(); }}.
	 * @return the context current inside the scope
	 */
	@Benchmark
	public Context ours() {
		try (dev.ctx.Scope scope = this.ourContext.attach()) {
			return Context.current();
		}
	}

	/**
	 * {@code previous = context.attach(); try { return Context.current(); } finally
	 * { context.detach(previous); }}.
	 * @return the context current inside the scope
	 */
	@Benchmark
	public io.grpc.Context grpc() {
		io.grpc.Context previous = this.grpcContext.attach();
		try {
			return io.grpc.Context.current();
		}
		finally {
			this.grpcContext.detach(previous);
		}
	}

}
