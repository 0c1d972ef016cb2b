package dev.ctx.boot.autoconfigure.task;

import java.util.function.Consumer;

import dev.ctx.Context;
import dev.ctx.boot.autoconfigure.ContextAutoConfiguration;
import dev.ctx.spring.micrometer.ContextCancellationMetrics;
import dev.ctx.spring.task.ContextAsyncBeanPostProcessor;
import dev.ctx.spring.task.ContextAsyncBeanPostProcessor.Settings;
import dev.ctx.spring.task.ContextTaskDecorator;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that carries the current
 * {@link Context} to {@link TaskDecorator decorated} task executors and {@code @Async}
 * methods.
 *
 * <p>Executor tasks: when Spring Boot's own context propagation is active
 * ({@code spring.task.execution.propagate-context=true} with Micrometer
 * context-propagation on the classpath), its {@code ContextPropagatingTaskDecorator}
 * already carries the context through the {@code dev.ctx} {@code ThreadLocalAccessor},
 * and no decorator is added; otherwise a {@link ContextTaskDecorator} bean is, which
 * Spring Boot composes with the application's other {@code TaskDecorator} beans. Either
 * way a task is wrapped once.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = TaskExecutionAutoConfiguration.class, after = ContextAutoConfiguration.class)
@ConditionalOnClass({ Context.class, TaskDecorator.class })
@ConditionalOnBooleanProperty(name = "context.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "context.async.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ContextAsyncProperties.class)
public final class ContextTaskExecutionAutoConfiguration {

	static final String SOURCE = "async";

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnBootContextPropagationInactiveCondition.class)
	static class ContextTaskDecoratorConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ContextTaskDecorator contextTaskDecorator() {
			return new ContextTaskDecorator();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.aop.framework.Advised",
			"org.springframework.scheduling.annotation.AsyncAnnotationAdvisor" })
	static class ContextAsyncConfiguration {

		@Bean
		@ConditionalOnMissingBean
		static ContextAsyncBeanPostProcessor contextAsyncBeanPostProcessor(
				ObjectProvider<ContextAsyncProperties> properties, ObjectProvider<CancellationCounter> counter) {
			// Resolved on the first @Async call, not while post-processors are created
			return new ContextAsyncBeanPostProcessor(() -> {
				ContextAsyncProperties resolved = properties.getIfAvailable(ContextAsyncProperties::new);
				CancellationCounter cancellations = counter.getIfAvailable();
				Consumer<Context> onCancelled = (cancellations != null) ? cancellations::increment : (context) -> {
				};
				return new Settings(resolved.getFireAndForget(), resolved.isInterruptOnCancel(), onCancelled);
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class CancellationMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CancellationCounter contextAsyncCancellationCounter(ObjectProvider<MeterRegistry> registry) {
			return new CancellationCounter(registry);
		}

	}

	/**
	 * Counts {@code @Async} calls skipped or cancelled because their context was done,
	 * as {@code context.cancellations{source=async}}, when a {@link MeterRegistry} exists.
	 */
	static final class CancellationCounter {

		private final ObjectProvider<MeterRegistry> registry;

		CancellationCounter(ObjectProvider<MeterRegistry> registry) {
			this.registry = registry;
		}

		void increment(Context context) {
			MeterRegistry registry = this.registry.getIfUnique();
			if (registry != null) {
				ContextCancellationMetrics.increment(registry, context, SOURCE);
			}
		}

	}

	/**
	 * Matches unless Spring Boot's {@code ContextPropagatingTaskDecorator} is configured.
	 */
	static final class OnBootContextPropagationInactiveCondition extends AnyNestedCondition {

		OnBootContextPropagationInactiveCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBooleanProperty(name = "spring.task.execution.propagate-context", havingValue = false,
				matchIfMissing = true)
		static class PropagationDisabled {

		}

		@ConditionalOnMissingClass("io.micrometer.context.ContextSnapshot")
		static class ContextPropagationMissing {

		}

	}

}
