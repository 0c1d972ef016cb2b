package dev.ctx.boot.autoconfigure.jdbc;

import dev.ctx.Context;
import dev.ctx.spring.jdbc.JdbcCancellationListener;
import dev.ctx.spring.micrometer.ContextCancellationMetrics;
import dev.ctx.spring.micrometer.ContextMeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.StringUtils;

/**
 * Counts JDBC statements rejected or cancelled by a context, per data source, and the
 * cancellations by reason. The registry is looked up at the first event, so creating a
 * data source never initializes it.
 */
final class JdbcCancellationMetrics implements DataSourceListenerFactory {

	private static final String DATASOURCE_SUFFIX = "dataSource";

	private static final String SOURCE = "jdbc";

	private final ObjectProvider<MeterRegistry> meterRegistry;

	JdbcCancellationMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
		this.meterRegistry = meterRegistry;
	}

	@Override
	public JdbcCancellationListener create(String beanName) {
		String name = dataSourceName(beanName);
		return new JdbcCancellationListener() {

			@Override
			public void statementRejected(Context context) {
				count(ContextMeterNames.JDBC_STATEMENTS_REJECTED, "JDBC statements not sent because their context was done",
						name, context);
			}

			@Override
			public void statementCancelled(Context context) {
				count(ContextMeterNames.JDBC_STATEMENTS_CANCELLED, "JDBC statements cancelled because their context was done",
						name, context);
			}

		};
	}

	private void count(String meterName, String description, String name, Context context) {
		MeterRegistry registry = this.meterRegistry.getIfAvailable();
		if (registry == null) {
			return;
		}
		Counter.builder(meterName).description(description).tag(ContextMeterNames.NAME, name).register(registry)
			.increment();
		ContextCancellationMetrics.increment(registry, context, SOURCE);
	}

	/**
	 * The bean name without a {@code dataSource} suffix, as Spring Boot names its pool
	 * meters.
	 */
	static String dataSourceName(String beanName) {
		if (beanName.length() > DATASOURCE_SUFFIX.length()
				&& StringUtils.endsWithIgnoreCase(beanName, DATASOURCE_SUFFIX)) {
			return beanName.substring(0, beanName.length() - DATASOURCE_SUFFIX.length());
		}
		return beanName;
	}

}
