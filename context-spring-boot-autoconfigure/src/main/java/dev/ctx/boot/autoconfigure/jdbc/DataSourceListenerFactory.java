package dev.ctx.boot.autoconfigure.jdbc;

import dev.ctx.spring.jdbc.JdbcCancellationListener;

/**
 * Creates the {@link JdbcCancellationListener} of one data source bean. Lets the bean
 * post-processor stay free of optional types such as Micrometer's.
 */
@FunctionalInterface
interface DataSourceListenerFactory {

	JdbcCancellationListener create(String beanName);

}
