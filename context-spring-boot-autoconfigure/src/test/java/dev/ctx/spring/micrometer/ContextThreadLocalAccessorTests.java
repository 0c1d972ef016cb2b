package dev.ctx.spring.micrometer;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.ContextKey;
import dev.ctx.Scope;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ContextThreadLocalAccessor}.
 */
class ContextThreadLocalAccessorTests {

	private static final ContextKey<String> USER = ContextKey.named("user");

	private final ExecutorService pool = Executors.newSingleThreadExecutor();

	private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

	@AfterEach
	void shutdown() throws InterruptedException {
		this.pool.shutdownNow();
		assertThat(this.pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void accessorIsRegisteredThroughServiceLoader() {
		assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
			.anySatisfy((accessor) -> assertThat(accessor).isInstanceOf(ContextThreadLocalAccessor.class)
				.extracting(io.micrometer.context.ThreadLocalAccessor::key)
				.isEqualTo("dev.ctx"));
	}

	@Test
	void backgroundIsReportedAsAbsent() {
		assertThat(new ContextThreadLocalAccessor().getValue()).isNull();
		Context ctx = Context.background().withValue(USER, "ann");
		try (Scope scope = ctx.attach()) {
			assertThat(new ContextThreadLocalAccessor().getValue()).isSameAs(ctx);
		}
	}

	@Test
	void snapshotCarriesContextToOtherThreadAndRestoresIt() throws Exception {
		try (CancellableContext ctx = Context.background().withCancel()) {
			ContextSnapshot snapshot;
			try (Scope scope = ctx.withValue(USER, "ann").attach()) {
				snapshot = this.snapshots.captureAll();
			}
			String seen = this.pool.submit(() -> {
				try (ContextSnapshot.Scope scope = snapshot.setThreadLocals()) {
					return Context.current().value(USER);
				}
			}).get(10, TimeUnit.SECONDS);
			assertThat(seen).isEqualTo("ann");
			assertThat(this.pool.submit(Context::current).get(10, TimeUnit.SECONDS)).isSameAs(Context.background());
		}
	}

	@Test
	void setValueShouldRestorePreviousContextOfThread() {
		Context previous = Context.background().withValue(USER, "previous");
		Context propagated = Context.background().withValue(USER, "propagated");
		ContextSnapshot snapshot;
		try (Scope scope = propagated.attach()) {
			snapshot = this.snapshots.captureAll();
		}
		try (Scope scope = previous.attach()) {
			try (ContextSnapshot.Scope propagation = snapshot.setThreadLocals()) {
				assertThat(Context.current()).isSameAs(propagated);
				// A nested snapshot without a context, set with clearMissing, unwinds in order
				try (ContextSnapshot.Scope inner = ContextSnapshotFactory.builder().clearMissing(true).build()
					.captureFrom()
					.setThreadLocals()) {
					assertThat(Context.current()).isSameAs(Context.background());
				}
				assertThat(Context.current()).isSameAs(propagated);
			}
			assertThat(Context.current()).isSameAs(previous);
		}
		assertThat(Context.current()).isSameAs(Context.background());
	}

	@Test
	void springContextPropagatingTaskDecoratorCarriesContext() throws Exception {
		Context ctx = Context.background().withValue(USER, "bob");
		Runnable decorated;
		String[] seen = new String[1];
		try (Scope scope = ctx.attach()) {
			decorated = new ContextPropagatingTaskDecorator().decorate(() -> seen[0] = Context.current().value(USER));
		}
		this.pool.submit(decorated).get(10, TimeUnit.SECONDS);
		assertThat(seen[0]).isEqualTo("bob");
		assertThat(this.pool.submit(Context::current).get(10, TimeUnit.SECONDS)).isSameAs(Context.background());
	}

	@Test
	void reactorAutomaticPropagationCarriesContextAcrossSchedulers() {
		Hooks.enableAutomaticContextPropagation();
		try {
			Context ctx = Context.background().withValue(USER, "reactive");
			String seen = Mono.just(1)
				.publishOn(Schedulers.boundedElastic())
				.map((value) -> String.valueOf(Context.current().value(USER)))
				.contextWrite((reactorContext) -> reactorContext.put(ContextThreadLocalAccessor.KEY, ctx))
				.block(Duration.ofSeconds(20));
			assertThat(seen).isEqualTo("reactive");
			// Without the key, the same scheduler's threads see no context
			String without = Mono.just(1)
				.publishOn(Schedulers.boundedElastic())
				.map((value) -> String.valueOf(Context.current().value(USER)))
				.block(Duration.ofSeconds(20));
			assertThat(without).isEqualTo("null");
		}
		finally {
			Hooks.disableAutomaticContextPropagation();
		}
	}

}
