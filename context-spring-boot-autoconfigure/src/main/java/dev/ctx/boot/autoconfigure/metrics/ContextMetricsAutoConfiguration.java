package dev.ctx.boot.autoconfigure.metrics;

import dev.ctx.boot.autoconfigure.ContextAutoConfiguration;
import dev.ctx.spring.micrometer.RequestContextMetrics;
import dev.ctx.spring.micrometer.RequestContextObservations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the meters of request contexts
 * ({@link RequestContextMetrics}) and their outcome on request observations
 * ({@link RequestContextObservations}). Registered only when a {@link MeterRegistry}
 * exists; switched off with {@code management.metrics.enable.context=false} like any
 * other meter family.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = ContextAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, RequestContextMetrics.class })
@ConditionalOnBooleanProperty(name = "context.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = Type.SERVLET)
public final class ContextMetricsAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(MeterRegistry.class)
	static class RequestContextMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RequestContextMetrics contextRequestMetrics(MeterRegistry registry) {
			return new RequestContextMetrics(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationRegistry.class)
	@ConditionalOnBean(ObservationRegistry.class)
	static class RequestContextObservationsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RequestContextObservations contextRequestObservations(ObservationRegistry registry) {
			return new RequestContextObservations(registry);
		}

	}

}
