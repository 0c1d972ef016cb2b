package dev.ctx.boot.autoconfigure.jdbc;

import javax.sql.DataSource;

import dev.ctx.spring.jdbc.ContextAwareDataSource;
import dev.ctx.spring.jdbc.JdbcCancellationListener;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps every {@link DataSource} bean in a {@link ContextAwareDataSource}, exposed as an
 * instance of the bean's own class where that class can be subclassed, and of its public
 * interfaces otherwise (see {@link DataSourceProxies}), so that injection by the bean's
 * type keeps working.
 */
final class ContextDataSourceBeanPostProcessor implements BeanPostProcessor, BeanClassLoaderAware {

	private final ObjectProvider<DataSourceListenerFactory> listenerFactory;

	private @Nullable ClassLoader classLoader;

	ContextDataSourceBeanPostProcessor(ObjectProvider<DataSourceListenerFactory> listenerFactory) {
		this.listenerFactory = listenerFactory;
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource dataSource && !(bean instanceof ContextAwareDataSource)
				&& !DataSourceProxies.isProxy(bean)) {
			// Resolved per data source, not at construction: a BeanPostProcessor must not
			// pull the meter registry into early initialization
			DataSourceListenerFactory factory = this.listenerFactory.getIfAvailable();
			JdbcCancellationListener listener = (factory != null) ? factory.create(beanName)
					: JdbcCancellationListener.NONE;
			return DataSourceProxies.expose(beanName, dataSource, new ContextAwareDataSource(dataSource, listener),
					this.classLoader);
		}
		return bean;
	}

}
