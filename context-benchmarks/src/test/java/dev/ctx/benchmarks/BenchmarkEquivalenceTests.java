package dev.ctx.benchmarks;

import dev.ctx.CancellableContext;
import dev.ctx.Context;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs each benchmark method once, outside JMH, and checks that our variant and gRPC's
 * do the work they claim and end in the same state: a benchmark that measured less work
 * on one side would compare nothing.
 */
class BenchmarkEquivalenceTests {

	@Test
	void withCancelShouldReturnCancelledContextsOnBothSides() {
		WithCancelBenchmark benchmark = new WithCancelBenchmark();
		CancellableContext ours = benchmark.ours();
		io.grpc.Context.CancellableContext grpc = benchmark.grpc();
		assertThat(ours.isDone()).isTrue();
		assertThat(ours.deadline()).isEmpty();
		assertThat(grpc.isCancelled()).isTrue();
		assertThat(grpc.getDeadline()).isNull();
	}

	@Test
	void withTimeoutShouldArmADeadlineAndDisarmItOnCancelOnBothSides() {
		WithTimeoutBenchmark benchmark = new WithTimeoutBenchmark();
		try {
			CancellableContext ours = benchmark.ours();
			io.grpc.Context.CancellableContext grpc = benchmark.grpc();
			assertThat(ours.isDone()).isTrue();
			assertThat(ours.deadline()).isPresent();
			assertThat(grpc.isCancelled()).isTrue();
			assertThat(grpc.getDeadline()).isNotNull();
			// Cancelling took the timer out of the queue, as the core does with its own
			assertThat(benchmark.pendingGrpcTimers()).isZero();
		}
		finally {
			benchmark.tearDown();
		}
	}

	@Test
	void valueShouldFindTheFirstAddedKeyOnBothSidesAtEveryDepth() {
		for (int depth : new int[] { 1, 5, 20 }) {
			ValueBenchmark benchmark = new ValueBenchmark();
			benchmark.depth = depth;
			benchmark.setUp();
			assertThat(benchmark.ours()).isEqualTo("value0");
			assertThat(benchmark.grpc()).isEqualTo("value0");
		}
	}

	@Test
	void attachShouldMakeTheContextCurrentAndRestoreTheRootOnBothSides() {
		for (String kind : new String[] { "value", "cancellable" }) {
			AttachBenchmark benchmark = new AttachBenchmark();
			benchmark.kind = kind;
			benchmark.setUp();
			try {
				Context ours = benchmark.ours();
				io.grpc.Context grpc = benchmark.grpc();
				// Neither side hands out a cancellable context from current()
				assertThat(ours).isNotInstanceOf(CancellableContext.class).isNotSameAs(Context.background());
				assertThat(grpc).isNotInstanceOf(io.grpc.Context.CancellableContext.class)
					.isNotSameAs(io.grpc.Context.ROOT);
				assertThat(Context.current()).isSameAs(Context.background());
				assertThat(io.grpc.Context.current()).isSameAs(io.grpc.Context.ROOT);
			}
			finally {
				benchmark.tearDown();
			}
		}
	}

	@Test
	void isDoneShouldAnswerFalseOnBothSidesUntilCancelled() {
		IsDoneBenchmark benchmark = new IsDoneBenchmark();
		assertThat(benchmark.ours()).isFalse();
		assertThat(benchmark.grpc()).isFalse();
		benchmark.tearDown();
		assertThat(benchmark.ours()).isTrue();
		assertThat(benchmark.grpc()).isTrue();
	}

}
