package dev.ctx.boot.autoconfigure.jdbc;

import javax.sql.DataSource;

import dev.ctx.spring.jdbc.ContextAwareDataSource;
import dev.ctx.spring.jdbc.JdbcCancellationListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps every {@link DataSource} bean in a {@link ContextAwareDataSource}.
 */
final class ContextDataSourceBeanPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<DataSourceListenerFactory> listenerFactory;

	ContextDataSourceBeanPostProcessor(ObjectProvider<DataSourceListenerFactory> listenerFactory) {
		this.listenerFactory = listenerFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource dataSource && !(bean instanceof ContextAwareDataSource)) {
			// Resolved per data source, not at construction: a BeanPostProcessor must not
			// pull the meter registry into early initialization
			DataSourceListenerFactory factory = this.listenerFactory.getIfAvailable();
			JdbcCancellationListener listener = (factory != null) ? factory.create(beanName)
					: JdbcCancellationListener.NONE;
			return new ContextAwareDataSource(dataSource, listener);
		}
		return bean;
	}

}
