package dev.ctx.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.ctx.Context;
import dev.ctx.ContextKey;
import org.jspecify.annotations.Nullable;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a value from a context made by a chain of {@code depth} {@code withValue}
 * calls, each with its own key, looking up the key added first. That is the worst case
 * for a lookup that walks the chain from the newest context to the oldest (as Go's
 * does): the key is at the far end. The core copies an open-addressed table per
 * {@code withValue} and gRPC keeps a persistent hash trie, so neither walks the chain,
 * but the first key is still the one a linear design would find last, and for us it is
 * never the key the context itself added (which is answered without the table).
 *
 * <p>At depth 1 the first key is also the newest: we answer from the context's own
 * entry, gRPC from the single leaf its trie then has. Both are each library's fastest
 * path, and the row shows them side by side; depths 5 and 20 measure the table and
 * the trie.
 *
 * <p>Keys are created in the same order on both sides and values are the same strings;
 * both lookups are identity-based and both return the value.
 *
 * @since 0.1.0
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ValueBenchmark {

	@Param({ "1", "5", "20" })
	int depth = 1;

	private ContextKey<String> ourFirstKey = ContextKey.named("key0");

	private Context ourContext = Context.background();

	private io.grpc.Context.Key<String> grpcFirstKey = io.grpc.Context.key("key0");

	private io.grpc.Context grpcContext = io.grpc.Context.ROOT;

	@Setup
	public void setUp() {
		Context ours = Context.background();
		io.grpc.Context grpc = io.grpc.Context.ROOT;
		for (int i = 0; i < this.depth; i++) {
			ContextKey<String> ourKey = ContextKey.named("key" + i);
			io.grpc.Context.Key<String> grpcKey = io.grpc.Context.key("key" + i);
			String value = "value" + i;
			ours = ours.withValue(ourKey, value);
			grpc = grpc.withValue(grpcKey, value);
			if (i == 0) {
				this.ourFirstKey = ourKey;
				this.grpcFirstKey = grpcKey;
			}
		}
		this.ourContext = ours;
		this.grpcContext = grpc;
	}

	/**
	 * {@code context.value(firstKey)}.
	 * @return the value
	 */
	@Benchmark
	public @Nullable String ours() {
		return this.ourContext.value(this.ourFirstKey);
	}

	/**
	 * {@code firstKey.get(context)}: the lookup in a given context, as ours ({@code get()}
	 * without argument would also read the thread-local current context).
	 * @return the value
	 */
	@Benchmark
	public @Nullable String grpc() {
		return this.grpcFirstKey.get(this.grpcContext);
	}

}
