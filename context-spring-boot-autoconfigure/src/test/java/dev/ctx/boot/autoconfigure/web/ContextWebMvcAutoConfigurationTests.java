package dev.ctx.boot.autoconfigure.web;

import java.time.Duration;

import dev.ctx.boot.autoconfigure.ContextAutoConfiguration;
import dev.ctx.spring.ApplicationContextRoot;
import dev.ctx.spring.web.ContextFilter;
import dev.ctx.spring.web.ContextHandlerExceptionResolver;
import dev.ctx.spring.web.ContextProblemResponder;
import dev.ctx.spring.web.RequestContextObserver;
import dev.ctx.spring.web.RequestTimeoutResolver;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.DispatcherServlet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ContextWebMvcAutoConfiguration}.
 */
class ContextWebMvcAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ContextAutoConfiguration.class, ContextWebMvcAutoConfiguration.class));

	@Test
	void filterRegistrationHasExpectedDispatcherTypesAndOrder() {
		this.contextRunner.run((context) -> {
			FilterRegistrationBean<?> registration = context.getBean(FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isInstanceOf(ContextFilter.class);
			assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE + 2);
			assertThat(registration).extracting("dispatcherTypes")
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.ITERABLE)
				.containsExactlyInAnyOrder(DispatcherType.REQUEST, DispatcherType.ASYNC);
			assertThat(context).hasSingleBean(ContextHandlerExceptionResolver.class)
				.hasSingleBean(ApplicationContextRoot.class);
		});
	}

	@Test
	void backsOffWhenStarterIsDisabled() {
		this.contextRunner.withPropertyValues("context.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class)
				.doesNotHaveBean(ApplicationContextRoot.class)
				.doesNotHaveBean(RequestTimeoutResolver.class));
	}

	@Test
	void backsOffWhenWebPartIsDisabled() {
		this.contextRunner.withPropertyValues("context.web.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class)
				.hasSingleBean(ApplicationContextRoot.class));
	}

	@Test
	void backsOffWhenSpringMvcIsMissing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
			.run((context) -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class));
	}

	@Test
	void backsOffInNonWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ContextAutoConfiguration.class, ContextWebMvcAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RequestTimeoutResolver.class)
				.hasSingleBean(ApplicationContextRoot.class));
	}

	@Test
	void userFilterRegistrationMakesAutoConfiguredOneBackOff() {
		this.contextRunner.withUserConfiguration(UserFilterConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(FilterRegistrationBean.class);
			assertThat(context.getBean(FilterRegistrationBean.class).getOrder()).isEqualTo(42);
		});
	}

	@Test
	void userBeansReplaceAutoConfiguredOnes() {
		this.contextRunner.withBean(ContextProblemResponder.class, () -> new ContextProblemResponder(504))
			.run((context) -> assertThat(context.getBean(ContextProblemResponder.class).status()).isEqualTo(504));
	}

	@Test
	void observerBeansAreUsed() {
		this.contextRunner.withBean(RequestContextObserver.class, () -> new RequestContextObserver() {
		}).run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void timeoutPropertiesAreBound() {
		this.contextRunner
			.withPropertyValues("context.web.default-timeout=30s", "context.web.max-timeout=2m",
					"context.web.timeouts[0].pattern=/reports/**", "context.web.timeouts[0].methods=get,POST",
					"context.web.timeouts[0].timeout=90s", "context.web.timeout-status=504")
			.run((context) -> {
				ContextWebProperties properties = context.getBean(ContextWebProperties.class);
				assertThat(properties.getDefaultTimeout()).isEqualTo(Duration.ofSeconds(30));
				assertThat(properties.getTimeouts()).singleElement()
					.satisfies((rule) -> assertThat(rule.getMethods()).containsExactly("get", "POST"));
				RequestTimeoutResolver resolver = context.getBean(RequestTimeoutResolver.class);
				assertThat(resolver.maxTimeout()).isEqualTo(Duration.ofMinutes(2));
				assertThat(resolver.resolve(request("GET", "/reports/1"))).isEqualTo(Duration.ofSeconds(90));
				assertThat(resolver.resolve(request("POST", "/reports/1"))).isEqualTo(Duration.ofSeconds(90));
				assertThat(resolver.resolve(request("DELETE", "/reports/1"))).isEqualTo(Duration.ofSeconds(30));
				assertThat(resolver.resolve(request("GET", "/orders"))).isEqualTo(Duration.ofSeconds(30));
				assertThat(context.getBean(ContextProblemResponder.class).status()).isEqualTo(504);
			});
	}

	@Test
	void maxTimeoutCapsEverythingAndNoDefaultMeansNoDeadline() {
		this.contextRunner.run((context) -> assertThat(
				context.getBean(RequestTimeoutResolver.class).resolve(request("GET", "/anything")))
			.isNull());
		this.contextRunner.withPropertyValues("context.web.max-timeout=10s")
			.run((context) -> assertThat(
					context.getBean(RequestTimeoutResolver.class).resolve(request("GET", "/anything")))
				.isEqualTo(Duration.ofSeconds(10)));
	}

	@Test
	void defaultTimeoutLongerThanMaxTimeoutFailsWithClearMessage() {
		this.contextRunner.withPropertyValues("context.web.default-timeout=5m", "context.web.max-timeout=1m")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("context.web.default-timeout")
				.hasMessageContaining("must not be longer than context.web.max-timeout (PT1M)"));
	}

	@Test
	void ruleLongerThanMaxTimeoutFails() {
		this.contextRunner
			.withPropertyValues("context.web.max-timeout=1m", "context.web.timeouts[0].pattern=/a",
					"context.web.timeouts[0].timeout=2m")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("context.web.timeouts[0].timeout"));
	}

	@Test
	void invalidPatternFailsWithClearMessage() {
		this.contextRunner
			.withPropertyValues("context.web.timeouts[0].pattern=/a/{unclosed", "context.web.timeouts[0].timeout=1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("context.web.timeouts[0].pattern"));
	}

	@Test
	void ruleWithoutTimeoutFails() {
		this.contextRunner.withPropertyValues("context.web.timeouts[0].pattern=/a")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("context.web.timeouts[0].timeout")
				.hasMessageContaining("needs a timeout"));
	}

	@Test
	void invalidMethodFails() {
		this.contextRunner
			.withPropertyValues("context.web.timeouts[0].pattern=/a", "context.web.timeouts[0].timeout=1s",
					"context.web.timeouts[0].methods=GET /b")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("context.web.timeouts[0].methods"));
	}

	@Test
	void negativeTimeoutFails() {
		this.contextRunner.withPropertyValues("context.web.default-timeout=-1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("context.web.default-timeout")
				.hasMessageContaining("must not be negative"));
	}

	@Test
	void nonErrorTimeoutStatusFails() {
		this.contextRunner.withPropertyValues("context.web.timeout-status=200")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("context.web.timeout-status"));
	}

	private static MockHttpServletRequest request(String method, String path) {
		MockHttpServletRequest request = new MockHttpServletRequest(method, path);
		request.setRequestURI(path);
		return request;
	}

	@Configuration(proxyBeanMethods = false)
	static class UserFilterConfiguration {

		@Bean
		FilterRegistrationBean<ContextFilter> userContextFilter(RequestTimeoutResolver timeouts,
				ContextProblemResponder responder) {
			FilterRegistrationBean<ContextFilter> registration = new FilterRegistrationBean<>(
					new ContextFilter(dev.ctx.Context.background(), timeouts, null, responder,
							RequestContextObserver.NONE, null, false));
			registration.setOrder(42);
			return registration;
		}

	}

}
