package dev.ctx.boot.autoconfigure;

import dev.ctx.Context;
import dev.ctx.spring.ApplicationContextRoot;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for {@link Context}: the
 * application's root context, cancelled at shutdown. Every other part of the starter is
 * configured after this one and only when it is enabled ({@code context.enabled}).
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnClass(Context.class)
@ConditionalOnBooleanProperty(name = "context.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ContextProperties.class)
public final class ContextAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ApplicationContextRoot applicationContextRoot() {
		return new ApplicationContextRoot();
	}

}
