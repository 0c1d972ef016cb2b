package dev.ctx.boot.autoconfigure.http;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.ctx.Context;
import dev.ctx.boot.autoconfigure.ContextAutoConfiguration;
import dev.ctx.spring.http.ContextClientHttpRequestInterceptor;
import dev.ctx.spring.http.ContextExchangeFilterFunction;
import dev.ctx.spring.http.OutboundDeadline;
import dev.ctx.spring.micrometer.ContextCancellationMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that ties outbound requests of the
 * auto-configured {@code RestClient.Builder}, {@code RestTemplateBuilder} and
 * {@code WebClient.Builder} to the current {@link Context}: fail fast when it is done,
 * send its remaining budget in a header, abort when it becomes done. Clients built
 * without those builders are not affected; add {@link ContextClientHttpRequestInterceptor}
 * or {@link ContextExchangeFilterFunction} to them by hand.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = ContextAutoConfiguration.class,
		beforeName = { "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration",
				"org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration",
				"org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration" })
@ConditionalOnClass({ Context.class, ClientHttpRequestInterceptor.class })
@ConditionalOnBooleanProperty(name = "context.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "context.http-client.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ContextHttpClientProperties.class)
public final class ContextHttpClientAutoConfiguration {

	static final String SOURCE = "http_client";

	@Bean
	@ConditionalOnMissingBean
	OutboundDeadline contextOutboundDeadline(ContextHttpClientProperties properties,
			ObjectProvider<HttpClientCancellationCounter> counter) {
		HttpClientCancellationCounter cancellations = counter.getIfAvailable();
		Consumer<Context> onCancelled = (cancellations != null) ? cancellations::increment : (context) -> {
		};
		return new OutboundDeadline(properties.getTimeoutHeader(), properties.getSafetyMargin(), onCancelled);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class CancellationMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpClientCancellationCounter contextHttpClientCancellationCounter(ObjectProvider<MeterRegistry> registry) {
			return new HttpClientCancellationCounter(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RestClientCustomizer.class)
	static class RestClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ContextClientHttpRequestInterceptor contextClientHttpRequestInterceptor(OutboundDeadline settings) {
			return new ContextClientHttpRequestInterceptor(settings);
		}

		// By name: other RestClientCustomizer beans (Spring Boot's own) must not hide this one
		@Bean
		@ConditionalOnMissingBean(name = "contextRestClientCustomizer")
		RestClientCustomizer contextRestClientCustomizer(ContextClientHttpRequestInterceptor interceptor) {
			// Last, so that it is the innermost interceptor (see its Javadoc)
			return (builder) -> builder.requestInterceptors((interceptors) -> interceptors.add(interceptor));
		}

		@Bean
		@ConditionalOnMissingBean(name = "contextRestTemplateCustomizer")
		RestTemplateCustomizer contextRestTemplateCustomizer(ContextClientHttpRequestInterceptor interceptor) {
			return (restTemplate) -> {
				List<ClientHttpRequestInterceptor> interceptors = new ArrayList<>(restTemplate.getInterceptors());
				interceptors.add(interceptor);
				restTemplate.setInterceptors(interceptors);
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClient.class, WebClientCustomizer.class })
	static class WebClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ContextExchangeFilterFunction contextExchangeFilterFunction(OutboundDeadline settings) {
			return new ContextExchangeFilterFunction(settings);
		}

		@Bean
		@ConditionalOnMissingBean(name = "contextWebClientCustomizer")
		WebClientCustomizer contextWebClientCustomizer(ContextExchangeFilterFunction filter) {
			return (builder) -> builder.filters((filters) -> filters.add(filter));
		}

	}

	/**
	 * Counts requests not sent or aborted because their context was done, as
	 * {@code context.cancellations{source=http_client}}, when a {@link MeterRegistry}
	 * exists.
	 */
	static final class HttpClientCancellationCounter {

		private final ObjectProvider<MeterRegistry> registry;

		HttpClientCancellationCounter(ObjectProvider<MeterRegistry> registry) {
			this.registry = registry;
		}

		void increment(Context context) {
			MeterRegistry registry = this.registry.getIfUnique();
			if (registry != null) {
				ContextCancellationMetrics.increment(registry, context, SOURCE);
			}
		}

	}

}
