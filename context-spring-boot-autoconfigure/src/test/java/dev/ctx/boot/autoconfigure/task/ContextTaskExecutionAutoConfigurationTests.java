package dev.ctx.boot.autoconfigure.task;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.ctx.Context;
import dev.ctx.Scope;
import dev.ctx.boot.autoconfigure.ContextAutoConfiguration;
import dev.ctx.spring.task.ContextAsyncBeanPostProcessor;
import dev.ctx.spring.task.ContextTaskDecorator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ContextTaskExecutionAutoConfiguration}.
 */
class ContextTaskExecutionAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ContextAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				ContextTaskExecutionAutoConfiguration.class));

	@Test
	void taskDecoratorWhenBootPropagationIsOffShouldBeContributed() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ContextTaskDecorator.class)
				.doesNotHaveBean(ContextPropagatingTaskDecorator.class)
				.hasSingleBean(ContextAsyncBeanPostProcessor.class);
			assertThat(context.getBean(ContextAsyncProperties.class).getFireAndForget().name())
				.isEqualTo("VALUES_ONLY");
		});
	}

	@Test
	void taskDecoratorWhenBootPropagationIsOnShouldBackOff() {
		this.contextRunner.withPropertyValues("spring.task.execution.propagate-context=true")
			.run((context) -> assertThat(context).hasSingleBean(ContextPropagatingTaskDecorator.class)
				.doesNotHaveBean(ContextTaskDecorator.class));
	}

	@Test
	void taskDecoratorWhenPropagateContextTrueButNoContextPropagationLibraryShouldBeContributed() {
		this.contextRunner.withPropertyValues("spring.task.execution.propagate-context=true")
			.withClassLoader(new FilteredClassLoader("io.micrometer.context"))
			.run((context) -> assertThat(context).hasSingleBean(ContextTaskDecorator.class)
				.doesNotHaveBean(ContextPropagatingTaskDecorator.class));
	}

	@Test
	void backsOffWhenAsyncDisabled() {
		this.contextRunner.withPropertyValues("context.async.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ContextTaskDecorator.class)
				.doesNotHaveBean(ContextAsyncBeanPostProcessor.class));
	}

	@Test
	void backsOffWhenContextDisabled() {
		this.contextRunner.withPropertyValues("context.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ContextTaskDecorator.class));
	}

	@Test
	void taskDecoratorWhenUserDefinesOneShouldBackOff() {
		this.contextRunner.withBean("customDecorator", ContextTaskDecorator.class, ContextTaskDecorator::new)
			.run((context) -> assertThat(context).hasSingleBean(ContextTaskDecorator.class)
				.hasBean("customDecorator"));
	}

	@Test
	void fireAndForgetPropertyShouldBind() {
		this.contextRunner.withPropertyValues("context.async.fire-and-forget=none", "context.async.interrupt-on-cancel=true")
			.run((context) -> {
				ContextAsyncProperties properties = context.getBean(ContextAsyncProperties.class);
				assertThat(properties.getFireAndForget().name()).isEqualTo("NONE");
				assertThat(properties.isInterruptOnCancel()).isTrue();
			});
	}

	@ParameterizedTest(name = "propagate-context={0}")
	@ValueSource(booleans = { false, true })
	void executorTaskIsWrappedExactlyOnceAndSeesSubmittersContext(boolean propagateContext) {
		this.contextRunner.withPropertyValues("spring.task.execution.propagate-context=" + propagateContext)
			.withBean("countingDecorator", TaskDecorator.class, CountingDecorator::new)
			.run((context) -> {
				assertThat(context.getBeansOfType(TaskDecorator.class).values())
					.filteredOn((decorator) -> decorator instanceof ContextTaskDecorator
							|| decorator instanceof ContextPropagatingTaskDecorator)
					.hasSize(1);
				ThreadPoolTaskExecutor executor = context.getBean(ThreadPoolTaskExecutor.class);
				Context ctx = Context.background().withValue(AsyncTestService.ID, "task");
				Future<String> seen;
				Future<Long> wrappers;
				try (Scope scope = ctx.attach()) {
					seen = executor.submit(() -> Context.current().value(AsyncTestService.ID));
					wrappers = executor.submit(ContextTaskExecutionAutoConfigurationTests::contextWrappersOnStack);
				}
				assertThat(seen.get(20, TimeUnit.SECONDS)).isEqualTo("task");
				// Exactly one of our wrapper and Boot's snapshot wrapper runs around the task
				assertThat(wrappers.get(20, TimeUnit.SECONDS)).isOne();
				// The application's own decorator is still applied, once per task
				assertThat(CountingDecorator.count(context)).isEqualTo(2);
			});
	}

	@Test
	void tenThousandAsyncCallsOnFourThreadsShouldNeverSeeAnotherRequestsValues() {
		this.contextRunner.withUserConfiguration(ContextAsyncTests.AsyncConfiguration.class)
			.withPropertyValues("spring.task.execution.pool.core-size=4", "spring.task.execution.pool.max-size=4")
			.run((context) -> {
				AsyncTestService service = context.getBean(AsyncTestService.class);
				int calls = 10_000;
				List<CompletableFuture<String>> results = new ArrayList<>(calls);
				for (int i = 0; i < calls; i++) {
					if (i % 5 == 0) {
						// Every fifth call has no context: it must not see a previous task's
						results.add(service.id());
						continue;
					}
					try (Scope scope = Context.background().withValue(AsyncTestService.ID, "request-" + i).attach()) {
						results.add(service.id());
					}
				}
				for (int i = 0; i < calls; i++) {
					String expected = (i % 5 == 0) ? "none" : "request-" + i;
					assertThat(results.get(i).get(60, TimeUnit.SECONDS)).as("call %d", i).isEqualTo(expected);
				}
				assertPoolThreadsHaveNoContext(context.getBean(ThreadPoolTaskExecutor.class), 4);
			});
	}

	@Test
	void scheduledTaskShouldRunWithoutContext() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
			.withUserConfiguration(SchedulingConfiguration.class)
			.run((context) -> {
				ScheduledProbe probe = context.getBean(ScheduledProbe.class);
				await().atMost(AsyncTestService.timeout()).untilAsserted(() -> assertThat(probe.runs.get()).isGreaterThan(2));
				assertThat(probe.seen.get()).isSameAs(Context.background());
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void asyncOnVirtualThreadsShouldRunWithCallersContext() {
		this.contextRunner.withUserConfiguration(ContextAsyncTests.AsyncConfiguration.class)
			.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> {
				AsyncTestService service = context.getBean(AsyncTestService.class);
				AsyncTestService.Probe probe = context.getBean(AsyncTestService.Probe.class);
				for (int i = 0; i < 100; i++) {
					Context ctx = Context.background().withValue(AsyncTestService.ID, "virtual-" + i);
					CompletableFuture<Context> seen;
					try (Scope scope = ctx.attach()) {
						seen = service.current();
					}
					assertThat(seen.get(20, TimeUnit.SECONDS)).isSameAs(ctx);
					assertThat(isVirtual(probe.lastThread.get())).isTrue();
				}
				assertThat(service.current().get(20, TimeUnit.SECONDS)).isSameAs(Context.background());
			});
	}

	private static long contextWrappersOnStack() {
		return StackWalker.getInstance()
			.walk((frames) -> frames
				.filter((frame) -> frame.getMethodName().startsWith("lambda$wrap")
						&& (frame.getClassName().equals("dev.ctx.AbstractContext")
								|| frame.getClassName().startsWith("io.micrometer.context.")))
				.count());
	}

	private static boolean isVirtual(Thread thread) throws Exception {
		// Compiled for Java 17: Thread.isVirtual() exists from Java 21 on
		Method isVirtual = Thread.class.getMethod("isVirtual");
		return (boolean) isVirtual.invoke(thread);
	}

	private static void assertPoolThreadsHaveNoContext(ThreadPoolTaskExecutor executor, int threads)
			throws Exception {
		// The raw pool bypasses every decorator: what a task sees is what the thread kept
		ThreadPoolExecutor pool = executor.getThreadPoolExecutor();
		CyclicBarrier barrier = new CyclicBarrier(threads);
		Map<Thread, Context> seen = new ConcurrentHashMap<>();
		List<Future<?>> futures = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			futures.add(pool.submit(() -> {
				seen.put(Thread.currentThread(), Context.current());
				barrier.await(20, TimeUnit.SECONDS);
				return null;
			}));
		}
		for (Future<?> future : futures) {
			future.get(30, TimeUnit.SECONDS);
		}
		assertThat(seen).hasSize(threads);
		assertThat(seen.values()).allSatisfy((context) -> assertThat(context).isSameAs(Context.background()));
	}

	static class CountingDecorator implements TaskDecorator {

		final AtomicInteger executions = new AtomicInteger();

		@Override
		public Runnable decorate(Runnable runnable) {
			return () -> {
				this.executions.incrementAndGet();
				runnable.run();
			};
		}

		static int count(org.springframework.context.ApplicationContext context) {
			return ((CountingDecorator) context.getBean("countingDecorator")).executions.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class SchedulingConfiguration {

		@Bean
		ScheduledProbe scheduledProbe() {
			return new ScheduledProbe();
		}

	}

	static class ScheduledProbe {

		final AtomicInteger runs = new AtomicInteger();

		final AtomicReference<Context> seen = new AtomicReference<>();

		@Scheduled(fixedDelay = 20)
		void tick() {
			this.seen.set(Context.current());
			this.runs.incrementAndGet();
		}

	}

}
