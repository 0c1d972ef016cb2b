package dev.ctx.boot.autoconfigure.actuate;

import dev.ctx.boot.actuate.ContextsEndpoint;
import dev.ctx.boot.autoconfigure.ContextAutoConfiguration;
import dev.ctx.spring.web.InFlightRequestContexts;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@link ContextsEndpoint}.
 * The registry of in-flight requests behind it exists only while the endpoint is
 * available (enabled and exposed), so that applications that do not expose it pay
 * nothing for it.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = ContextAutoConfiguration.class)
@ConditionalOnClass({ ConditionalOnAvailableEndpoint.class, ContextsEndpoint.class })
@ConditionalOnBooleanProperty(name = "context.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnAvailableEndpoint(ContextsEndpoint.class)
public final class ContextsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	InFlightRequestContexts contextInFlightRequests() {
		return new InFlightRequestContexts();
	}

	@Bean
	@ConditionalOnMissingBean
	ContextsEndpoint contextsEndpoint(InFlightRequestContexts contexts) {
		return new ContextsEndpoint(contexts);
	}

}
