package dev.ctx.boot.autoconfigure.task;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.DeadlineExceededException;
import dev.ctx.Scope;
import dev.ctx.boot.autoconfigure.ContextAutoConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests of {@code @Async} methods with {@link ContextTaskExecutionAutoConfiguration}, on
 * Spring Boot's own {@code applicationTaskExecutor}, along both propagation paths.
 */
class ContextAsyncTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ContextAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				ContextTaskExecutionAutoConfiguration.class))
		.withUserConfiguration(AsyncConfiguration.class)
		.withPropertyValues("spring.task.execution.pool.core-size=2");

	@ParameterizedTest(name = "propagate-context={0}")
	@ValueSource(booleans = { false, true })
	void completableFutureMethodRunsWithCallersContextAndRestoresThread(boolean propagateContext) {
		this.contextRunner.withPropertyValues("spring.task.execution.propagate-context=" + propagateContext)
			.run((context) -> {
				AsyncTestService service = context.getBean(AsyncTestService.class);
			AsyncTestService.Probe probe = context.getBean(AsyncTestService.Probe.class);
				try (CancellableContext request = Context.background().withCancel()) {
					Context withId = request.withValue(AsyncTestService.ID, "r1");
					CompletableFuture<Context> seen;
					try (Scope scope = withId.attach()) {
						seen = service.current();
					}
					assertThat(seen.get(20, TimeUnit.SECONDS)).isSameAs(withId);
					assertThat(probe.lastThread.get()).isNotSameAs(Thread.currentThread());
				}
				// The same pool thread, without a context, sees none
				assertThat(service.current().get(20, TimeUnit.SECONDS)).isSameAs(Context.background());
			});
	}

	@Test
	void futureMethodWhenContextAlreadyDoneShouldNotRunAndFailWithErr() {
		this.contextRunner.run((context) -> {
			AsyncTestService service = context.getBean(AsyncTestService.class);
			AsyncTestService.Probe probe = context.getBean(AsyncTestService.Probe.class);
			CancellableContext request = Context.background().withCancel();
			request.cancel();
			CompletableFuture<Context> completable;
			Future<Context> future;
			try (Scope scope = request.attach()) {
				completable = service.current();
				future = service.currentAsFuture();
			}
			assertThat(completable.isCancelled()).isTrue();
			assertCancelledWith(() -> completable.get(20, TimeUnit.SECONDS), request.err());
			assertCancelledWith(() -> future.get(20, TimeUnit.SECONDS), request.err());
			assertThat(probe.runs).hasValue(0);
		});
	}

	@Test
	void futureWhenContextCancelledWhilePendingShouldBeCancelledWithoutInterrupt() {
		this.contextRunner.run((context) -> {
			AsyncTestService service = context.getBean(AsyncTestService.class);
			AsyncTestService.Probe probe = context.getBean(AsyncTestService.Probe.class);
			CompletableFuture<String> blocked;
			try (CancellableContext request = Context.background().withCancel()) {
				try (Scope scope = request.attach()) {
					blocked = service.block();
				}
				assertThat(probe.blockedStarted.await(20, TimeUnit.SECONDS)).isTrue();
				request.cancel();
				assertThat(blocked.isCancelled()).isTrue();
				assertCancelledWith(blocked::join, request.err());
			}
			// Not interrupted: the method runs on until it looks at its context
			assertThat(probe.blockedEnded.getCount()).isOne();
			probe.release.countDown();
			assertThat(probe.blockedEnded.await(20, TimeUnit.SECONDS)).isTrue();
			assertThat(probe.interrupted).isFalse();
		});
	}

	@Test
	void futureWhenContextCancelledAndInterruptOnCancelShouldInterruptMethod() {
		this.contextRunner.withPropertyValues("context.async.interrupt-on-cancel=true").run((context) -> {
			AsyncTestService service = context.getBean(AsyncTestService.class);
			AsyncTestService.Probe probe = context.getBean(AsyncTestService.Probe.class);
			CompletableFuture<String> blocked;
			try (CancellableContext request = Context.background().withCancel()) {
				try (Scope scope = request.attach()) {
					blocked = service.block();
				}
				assertThat(probe.blockedStarted.await(20, TimeUnit.SECONDS)).isTrue();
				request.cancel();
				assertThat(probe.blockedEnded.await(20, TimeUnit.SECONDS)).isTrue();
				assertThat(probe.interrupted).isTrue();
				assertThat(blocked.isCancelled()).isTrue();
			}
			// The interrupt was cleared: the next task on the pool is not interrupted
			CompletableFuture<Boolean> next = CompletableFuture.supplyAsync(() -> Thread.currentThread().isInterrupted(),
					context.getBean(org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor.class));
			assertThat(next.get(20, TimeUnit.SECONDS)).isFalse();
		});
	}

	@Test
	void plainFutureWhenContextDeadlinePassesWhilePendingShouldBeCancelled() {
		this.contextRunner.run((context) -> {
			AsyncTestService service = context.getBean(AsyncTestService.class);
			AsyncTestService.Probe probe = context.getBean(AsyncTestService.Probe.class);
			Future<String> blocked;
			try (CancellableContext request = Context.background().withTimeout(java.time.Duration.ofMillis(200))) {
				try (Scope scope = request.attach()) {
					blocked = service.blockAsFuture();
				}
				await().atMost(AsyncTestService.timeout()).until(blocked::isDone);
				assertThat(blocked.isCancelled()).isTrue();
				assertThat(request.err()).isInstanceOf(DeadlineExceededException.class);
			}
			probe.release.countDown();
		});
	}

	@Test
	void taskQueuedWhenContextIsCancelledShouldNotRun() {
		this.contextRunner.withPropertyValues("spring.task.execution.pool.core-size=1").run((context) -> {
			AsyncTestService service = context.getBean(AsyncTestService.class);
			AsyncTestService.Probe probe = context.getBean(AsyncTestService.Probe.class);
			CompletableFuture<String> blocker = service.block();
			assertThat(probe.blockedStarted.await(20, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Context> queued;
			try (CancellableContext request = Context.background().withCancel()) {
				try (Scope scope = request.attach()) {
					queued = service.current();
				}
				request.cancel();
				assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> queued.get(20, TimeUnit.SECONDS));
			}
			probe.release.countDown();
			assertThat(blocker.get(20, TimeUnit.SECONDS)).isEqualTo("released");
			// Once the pool's only thread is free again, a later call runs: the queued one never did
			assertThat(service.current().get(20, TimeUnit.SECONDS)).isSameAs(Context.background());
			assertThat(probe.runs).hasValue(2);
		});
	}

	@Test
	void voidMethodShouldReceiveValuesOnlyByDefault() {
		this.contextRunner.run((context) -> {
			AsyncTestService service = context.getBean(AsyncTestService.class);
			AsyncTestService.Probe probe = context.getBean(AsyncTestService.Probe.class);
			CancellableContext request = Context.background().withCancel();
			try (Scope scope = request.withValue(AsyncTestService.ID, "audit").attach()) {
				request.cancel();
				service.fireAndForget();
			}
			await().atMost(AsyncTestService.timeout())
				.untilAsserted(() -> assertThat(probe.fireAndForgetSeen.get()).isNotNull());
			Context seen = probe.fireAndForgetSeen.get();
			assertThat(seen.value(AsyncTestService.ID)).isEqualTo("audit");
			assertThat(seen.isDone()).isFalse();
			assertThat(seen.deadline()).isEmpty();
		});
	}

	@Test
	void voidMethodWhenFireAndForgetFullShouldNotRunOnDoneContext() {
		this.contextRunner.withPropertyValues("context.async.fire-and-forget=full").run((context) -> {
			AsyncTestService service = context.getBean(AsyncTestService.class);
			AsyncTestService.Probe probe = context.getBean(AsyncTestService.Probe.class);
			try (CancellableContext request = Context.background().withCancel()) {
				try (Scope scope = request.withValue(AsyncTestService.ID, "full").attach()) {
					service.fireAndForget();
				}
				await().atMost(AsyncTestService.timeout())
					.untilAsserted(() -> assertThat(probe.fireAndForgetSeen.get()).isNotNull());
				assertThat(probe.fireAndForgetSeen.get().value(AsyncTestService.ID)).isEqualTo("full");
				request.cancel();
				assertThat(probe.fireAndForgetSeen.get().isDone()).isTrue();
				try (Scope scope = request.attach()) {
					service.fireAndForget();
				}
			}
			assertThat(service.current().get(20, TimeUnit.SECONDS)).isSameAs(Context.background());
			assertThat(probe.runs).hasValue(2);
		});
	}

	@Test
	void voidMethodWhenFireAndForgetNoneShouldRunWithoutContext() {
		this.contextRunner.withPropertyValues("context.async.fire-and-forget=none").run((context) -> {
			AsyncTestService service = context.getBean(AsyncTestService.class);
			AsyncTestService.Probe probe = context.getBean(AsyncTestService.Probe.class);
			try (Scope scope = Context.background().withValue(AsyncTestService.ID, "none").attach()) {
				service.fireAndForget();
			}
			await().atMost(AsyncTestService.timeout())
				.untilAsserted(() -> assertThat(probe.fireAndForgetSeen.get()).isSameAs(Context.background()));
		});
	}

	@Test
	void explicitContextParameterShouldWinOverCurrent() {
		this.contextRunner.run((context) -> {
			AsyncTestService service = context.getBean(AsyncTestService.class);
			AsyncTestService.Probe probe = context.getBean(AsyncTestService.Probe.class);
			Context explicit = Context.background().withValue(AsyncTestService.ID, "explicit");
			CompletableFuture<Context> seen;
			try (Scope scope = Context.background().withValue(AsyncTestService.ID, "current").attach()) {
				seen = service.explicit(explicit);
			}
			assertThat(seen.get(20, TimeUnit.SECONDS)).isSameAs(explicit);
			CancellableContext done = Context.background().withCancel();
			done.cancel();
			assertCancelledWith(() -> service.explicit(done).get(20, TimeUnit.SECONDS), done.err());
		});
	}

	@Test
	void cancelledCallsShouldBeCountedWhenMeterRegistryExists() {
		this.contextRunner.withBean(SimpleMeterRegistry.class).run((context) -> {
			AsyncTestService service = context.getBean(AsyncTestService.class);
			AsyncTestService.Probe probe = context.getBean(AsyncTestService.Probe.class);
			CancellableContext request = Context.background().withCancel();
			request.cancel();
			try (Scope scope = request.attach()) {
				service.current();
				service.current();
			}
			SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
			assertThat(registry.get("context.cancellations").tag("reason", "canceled").tag("source", "async")
				.counter()
				.count()).isEqualTo(2);
		});
	}

	/**
	 * {@code get()}/{@code join()} of a future completed with a {@link CancellationException}
	 * throw that exception up to JDK 22 and a new one with it as the cause from JDK 23 on.
	 */
	private static void assertCancelledWith(ThrowingCallable call, Throwable err) {
		assertThatExceptionOfType(CancellationException.class).isThrownBy(call)
			.satisfies((ex) -> assertThat((ex == err) || (ex.getCause() == err)).as("%s is or wraps %s", ex, err).isTrue());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class AsyncConfiguration {

		@Bean
		AsyncTestService.Probe asyncTestProbe() {
			return new AsyncTestService.Probe();
		}

		@Bean
		AsyncTestService asyncTestService(AsyncTestService.Probe probe) {
			return new AsyncTestService(probe);
		}

	}

}
