package dev.ctx.soak;

import dev.ctx.boot.autoconfigure.web.ContextWebMvcAutoConfiguration;
import dev.ctx.spring.web.RequestContextObserver;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The application under soak: embedded Tomcat with 4 threads, H2 behind Hikari, a
 * RestClient to a second instance, a fan-out executor. Started by the tests with
 * {@link SoakInstance}, never on a fixed port.
 */
@SpringBootApplication
@EnableAsync
public class SoakApplication {

	/** Threads of the fan-out executor; the executor probe needs one task per thread. */
	static final int FANOUT_THREADS = 4;

	@Bean
	Ledger ledger() {
		return new Ledger();
	}

	@Bean
	FilterRegistrationBean<SoakFilters.ProbeFilter> soakProbeFilter(Ledger ledger) {
		FilterRegistrationBean<SoakFilters.ProbeFilter> registration = new FilterRegistrationBean<>(
				new SoakFilters.ProbeFilter(ledger));
		// Before everything, the ContextFilter included: it must see the thread as the last request left it
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	FilterRegistrationBean<SoakFilters.UserFilter> soakUserFilter() {
		FilterRegistrationBean<SoakFilters.UserFilter> registration = new FilterRegistrationBean<>(
				new SoakFilters.UserFilter());
		registration.setOrder(ContextWebMvcAutoConfiguration.FILTER_ORDER + 1);
		return registration;
	}

	@Bean
	RequestContextObserver soakInvalidHeaderCounter(Ledger ledger) {
		return new RequestContextObserver() {
			@Override
			public void invalidInboundTimeout(String header, String value) {
				ledger.invalidInboundHeaders.incrementAndGet();
			}
		};
	}

	@Bean
	ThreadPoolTaskExecutor fanoutExecutor(ThreadPoolTaskExecutorBuilder builder) {
		// Built from Boot's builder, so that a TaskDecorator contributed by the starter's
		// @Async propagation (once merged) applies here too
		return builder.corePoolSize(FANOUT_THREADS)
			.maxPoolSize(FANOUT_THREADS)
			.queueCapacity(1000)
			.threadNamePrefix("soak-fanout-")
			.build();
	}

	@Bean(destroyMethod = "close")
	RemoteDatabase remoteDatabase(Environment environment) {
		return new RemoteDatabase(environment.getProperty("soak.remote-db-url"));
	}

}
