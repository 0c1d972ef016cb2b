package dev.ctx.boot.autoconfigure.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.Scope;
import dev.ctx.boot.autoconfigure.ContextAutoConfiguration;
import dev.ctx.spring.http.ContextClientHttpRequestInterceptor;
import dev.ctx.spring.http.ContextDoneIOException;
import dev.ctx.spring.http.ContextExchangeFilterFunction;
import dev.ctx.spring.http.OutboundDeadline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ContextHttpClientAutoConfiguration}.
 */
class ContextHttpClientAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ContextAutoConfiguration.class, HttpClientAutoConfiguration.class,
				RestClientAutoConfiguration.class, RestTemplateAutoConfiguration.class,
				WebClientAutoConfiguration.class, ContextHttpClientAutoConfiguration.class));

	@Test
	void afterNamesShouldNameExistingClasses() {
		for (String name : List.of("org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration",
				"org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration",
				"org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")) {
			assertThat(ClassUtils.isPresent(name, null)).as(name).isTrue();
		}
	}

	@Test
	void buildersShouldCarryInterceptorAndFilter() {
		this.contextRunner.run((context) -> {
			ContextClientHttpRequestInterceptor interceptor = context.getBean(ContextClientHttpRequestInterceptor.class);
			List<ClientHttpRequestInterceptor> restClientInterceptors = new ArrayList<>();
			context.getBean(RestClient.Builder.class).requestInterceptors(restClientInterceptors::addAll);
			assertThat(restClientInterceptors).last().isSameAs(interceptor);
			RestTemplate restTemplate = context.getBean(RestTemplateBuilder.class).build();
			assertThat(restTemplate.getInterceptors()).last().isSameAs(interceptor);
			List<ExchangeFilterFunction> filters = new ArrayList<>();
			context.getBean(WebClient.Builder.class).filters(filters::addAll);
			assertThat(filters).last().isSameAs(context.getBean(ContextExchangeFilterFunction.class));
		});
	}

	@Test
	void propertiesShouldBind() {
		this.contextRunner
			.withPropertyValues("context.http-client.timeout-header=X-Deadline-Ms", "context.http-client.safety-margin=25ms")
			.run((context) -> {
				OutboundDeadline settings = context.getBean(OutboundDeadline.class);
				assertThat(settings.timeoutHeader()).isEqualTo("X-Deadline-Ms");
				assertThat(settings.safetyMargin()).isEqualTo(Duration.ofMillis(25));
			});
	}

	@Test
	void defaultsShouldBeRequestTimeoutMsAndTenMillis() {
		this.contextRunner.run((context) -> {
			OutboundDeadline settings = context.getBean(OutboundDeadline.class);
			assertThat(settings.timeoutHeader()).isEqualTo("Request-Timeout-Ms");
			assertThat(settings.safetyMargin()).isEqualTo(Duration.ofMillis(10));
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("context.http-client.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ContextClientHttpRequestInterceptor.class)
				.doesNotHaveBean(ContextExchangeFilterFunction.class)
				.doesNotHaveBean(OutboundDeadline.class));
	}

	@Test
	void webClientPartBacksOffWhenWebFluxIsMissing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebClient.class))
			.run((context) -> assertThat(context).hasSingleBean(ContextClientHttpRequestInterceptor.class)
				.doesNotHaveBean(ContextExchangeFilterFunction.class));
	}

	@Test
	void interceptorWhenUserDefinesOneShouldBackOff() {
		ContextClientHttpRequestInterceptor custom = new ContextClientHttpRequestInterceptor(OutboundDeadline.defaults());
		this.contextRunner.withBean(ContextClientHttpRequestInterceptor.class, () -> custom)
			.run((context) -> assertThat(context.getBean(ContextClientHttpRequestInterceptor.class)).isSameAs(custom));
	}

	@Test
	void requestOnDoneContextShouldFailFastAndBeCountedWhenMeterRegistryExists() {
		this.contextRunner.withBean(SimpleMeterRegistry.class).run((context) -> {
			RestClient client = context.getBean(RestClient.Builder.class).baseUrl("http://127.0.0.1:9").build();
			CancellableContext ctx = Context.background().withTimeout(Duration.ZERO);
			try (Scope scope = ctx.attach()) {
				assertThatExceptionOfType(ResourceAccessException.class)
					.isThrownBy(() -> client.get().uri("/never").retrieve().toBodilessEntity())
					.havingCause()
					.isInstanceOf(ContextDoneIOException.class);
			}
			SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
			assertThat(registry.get("context.cancellations").tag("reason", "deadline_exceeded")
				.tag("source", "http_client")
				.counter()
				.count()).isOne();
		});
	}

}
