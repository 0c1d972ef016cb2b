package dev.ctx.boot.autoconfigure.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.ctx.Context;
import dev.ctx.boot.autoconfigure.ContextAutoConfiguration;
import dev.ctx.spring.ApplicationContextRoot;
import dev.ctx.spring.web.AnnotatedTimeouts;
import dev.ctx.spring.web.ContextCallableProcessingInterceptor;
import dev.ctx.spring.web.ContextFilter;
import dev.ctx.spring.web.ContextHandlerExceptionResolver;
import dev.ctx.spring.web.ContextMethodArgumentResolver;
import dev.ctx.spring.web.ContextProblemResponder;
import dev.ctx.spring.web.RequestContextObserver;
import dev.ctx.spring.web.RequestTimeoutResolver;
import dev.ctx.spring.web.TimeoutRule;
import dev.ctx.spring.web.disconnect.DisconnectDetectionSettings;
import dev.ctx.spring.web.disconnect.DisconnectDetector;
import dev.ctx.spring.web.disconnect.DisconnectDetectors;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.StringUtils;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for request {@link Context contexts}
 * in Spring MVC: the {@link ContextFilter}, {@code Context} handler method parameters,
 * timeouts from {@link ContextWebProperties} and {@code @Timeout}, and the timeout
 * response.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = ContextAutoConfiguration.class)
@ConditionalOnClass({ Filter.class, DispatcherServlet.class, ContextFilter.class })
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnBooleanProperty(name = "context.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "context.web.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ContextWebProperties.class)
public final class ContextWebMvcAutoConfiguration {

	/**
	 * Order of the {@link ContextFilter}: right after Spring's
	 * {@code ServerHttpObservationFilter} ({@code HIGHEST_PRECEDENCE + 1}), so that the
	 * request observation covers the timeout response, and before every other filter, so
	 * that they run under the request's context.
	 */
	public static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

	@Bean
	@ConditionalOnMissingBean
	AnnotatedTimeouts contextAnnotatedTimeouts(ObjectProvider<RequestMappingHandlerMapping> handlerMappings,
			ConfigurableBeanFactory beanFactory) {
		return new AnnotatedTimeouts(() -> handlerMappings.orderedStream().toList(),
				new EmbeddedValueResolver(beanFactory));
	}

	@Bean
	static SmartInitializingSingleton contextAnnotatedTimeoutsValidator(ObjectProvider<AnnotatedTimeouts> timeouts) {
		// Invalid @Timeout values fail the application at startup, not on the first request
		return () -> timeouts.ifAvailable(AnnotatedTimeouts::initialize);
	}

	@Bean
	@ConditionalOnMissingBean
	RequestTimeoutResolver contextRequestTimeoutResolver(ContextWebProperties properties,
			ObjectProvider<AnnotatedTimeouts> annotations) {
		Duration defaultTimeout = nonNegative("context.web.default-timeout", properties.getDefaultTimeout());
		Duration maxTimeout = nonNegative("context.web.max-timeout", properties.getMaxTimeout());
		if (defaultTimeout != null && maxTimeout != null && defaultTimeout.compareTo(maxTimeout) > 0) {
			throw new InvalidConfigurationPropertyValueException("context.web.default-timeout", defaultTimeout,
					"must not be longer than context.web.max-timeout (" + maxTimeout + ")");
		}
		return new RequestTimeoutResolver(defaultTimeout, maxTimeout, rules(properties, maxTimeout),
				annotations.getIfAvailable());
	}

	private static List<TimeoutRule> rules(ContextWebProperties properties, @Nullable Duration maxTimeout) {
		List<TimeoutRule> rules = new ArrayList<>();
		List<ContextWebProperties.Rule> configured = properties.getTimeouts();
		for (int i = 0; i < configured.size(); i++) {
			String name = "context.web.timeouts[" + i + "]";
			ContextWebProperties.Rule rule = configured.get(i);
			if (!StringUtils.hasText(rule.getPattern())) {
				throw new InvalidConfigurationPropertyValueException(name + ".pattern", rule.getPattern(),
						"a timeout rule needs a path pattern, e.g. /reports/**");
			}
			PathPattern pattern;
			try {
				pattern = PathPatternParser.defaultInstance.parse(rule.getPattern());
			}
			catch (PatternParseException ex) {
				throw new InvalidConfigurationPropertyValueException(name + ".pattern", rule.getPattern(),
						ex.toDetailedString());
			}
			Duration timeout = nonNegative(name + ".timeout", rule.getTimeout());
			if (timeout == null) {
				throw new InvalidConfigurationPropertyValueException(name + ".timeout", null,
						"a timeout rule needs a timeout, e.g. 2m");
			}
			if (maxTimeout != null && timeout.compareTo(maxTimeout) > 0) {
				throw new InvalidConfigurationPropertyValueException(name + ".timeout", timeout,
						"must not be longer than context.web.max-timeout (" + maxTimeout + ")");
			}
			Set<String> methods = new LinkedHashSet<>();
			for (String method : rule.getMethods()) {
				if (!StringUtils.hasText(method) || !method.trim().chars().allMatch(Character::isLetter)) {
					throw new InvalidConfigurationPropertyValueException(name + ".methods", method,
							"must be HTTP method names such as GET or POST");
				}
				methods.add(method.trim().toUpperCase(Locale.ROOT));
			}
			rules.add(new TimeoutRule(pattern, methods, timeout));
		}
		return rules;
	}

	private static @Nullable Duration nonNegative(String name, @Nullable Duration duration) {
		if (duration != null && duration.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(name, duration, "must not be negative");
		}
		return duration;
	}

	@Bean
	@ConditionalOnMissingBean
	ContextProblemResponder contextProblemResponder(ContextWebProperties properties) {
		int status = properties.getTimeoutStatus();
		if (status < 400 || status > 599) {
			throw new InvalidConfigurationPropertyValueException("context.web.timeout-status", status,
					"must be an HTTP error status (400 to 599), e.g. 503 or 504");
		}
		return new ContextProblemResponder(status);
	}

	@Bean
	@ConditionalOnMissingBean
	DisconnectDetector contextDisconnectDetector(ContextWebProperties properties) {
		ContextWebProperties.Disconnect disconnect = properties.getDisconnect();
		Duration interval = disconnect.getCheckInterval();
		if (interval == null || interval.isNegative() || interval.isZero()) {
			throw new InvalidConfigurationPropertyValueException("context.web.disconnect.check-interval", interval,
					"must be positive, e.g. 100ms");
		}
		Duration grace = nonNegative("context.web.disconnect.grace-period", disconnect.getGracePeriod());
		return DisconnectDetectors.create(DisconnectDetectionSettings.defaults()
			.withEnabled(disconnect.isEnabled())
			.withPollInterval(interval)
			.withGrace((grace != null) ? grace : Duration.ZERO)
			.withHalfCloseMeansGone(disconnect.isHalfCloseAsDisconnect()));
	}

	@Bean
	@ConditionalOnMissingBean
	ContextHandlerExceptionResolver contextHandlerExceptionResolver(ContextProblemResponder responder) {
		return new ContextHandlerExceptionResolver(responder);
	}

	@Bean
	@ConditionalOnMissingFilterBean(ContextFilter.class)
	FilterRegistrationBean<ContextFilter> contextFilter(ContextWebProperties properties,
			ObjectProvider<ApplicationContextRoot> root, RequestTimeoutResolver timeouts,
			ContextProblemResponder responder, ObjectProvider<RequestContextObserver> observers,
			ObjectProvider<DisconnectDetector> disconnectDetector) {
		ApplicationContextRoot applicationRoot = root.getIfAvailable();
		Context parent = (applicationRoot != null) ? applicationRoot.context() : Context.background();
		ContextFilter filter = new ContextFilter(parent, timeouts, properties.getInboundTimeoutHeader(),
				responder, observer(observers), disconnectDetector.getIfAvailable(),
				properties.isInterruptOnDeadline());
		if (applicationRoot != null) {
			applicationRoot.addDrainedCondition(filter::isIdle);
		}
		FilterRegistrationBean<ContextFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setOrder(FILTER_ORDER);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
		return registration;
	}

	private static RequestContextObserver observer(ObjectProvider<RequestContextObserver> observers) {
		List<RequestContextObserver> all = observers.orderedStream().toList();
		if (all.isEmpty()) {
			return RequestContextObserver.NONE;
		}
		return (all.size() == 1) ? all.get(0) : new CompositeRequestContextObserver(all);
	}

	@Configuration(proxyBeanMethods = false)
	static class ContextWebMvcConfiguration implements WebMvcConfigurer {

		@Override
		public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
			resolvers.add(new ContextMethodArgumentResolver());
		}

		@Override
		public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
			configurer.registerCallableInterceptors(new ContextCallableProcessingInterceptor());
		}

	}

}
