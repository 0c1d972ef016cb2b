package dev.ctx.boot.autoconfigure.jdbc;

import javax.sql.DataSource;

import dev.ctx.Context;
import dev.ctx.spring.jdbc.ContextAwareDataSource;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that wraps every {@link DataSource}
 * bean in a {@link ContextAwareDataSource}, so that JDBC statements obey the current
 * {@link Context}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({ Context.class, DataSource.class, DelegatingDataSource.class })
@ConditionalOnBooleanProperty(name = "context.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "context.jdbc.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ContextJdbcProperties.class)
public final class ContextDataSourceAutoConfiguration {

	// Static: a BeanPostProcessor must not force the early creation of this class
	@Bean
	@ConditionalOnMissingBean
	static ContextDataSourceBeanPostProcessor contextDataSourceBeanPostProcessor(
			ObjectProvider<DataSourceListenerFactory> listenerFactory) {
		return new ContextDataSourceBeanPostProcessor(listenerFactory);
	}

	// Nested so that MeterRegistry is not loaded when Micrometer is absent
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		static JdbcCancellationMetrics contextJdbcCancellationMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
			return new JdbcCancellationMetrics(meterRegistry);
		}

	}

}
