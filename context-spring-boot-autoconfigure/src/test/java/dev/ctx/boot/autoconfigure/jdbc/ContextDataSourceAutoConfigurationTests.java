package dev.ctx.boot.autoconfigure.jdbc;

import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.ContextCancelledException;
import dev.ctx.DeadlineExceededException;
import dev.ctx.spring.jdbc.ContextAwareDataSource;
import dev.ctx.spring.jdbc.ContextCancelledSQLException;
import dev.ctx.spring.jdbc.ContextSQLTimeoutException;
import dev.ctx.spring.micrometer.ContextMeterNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ContextDataSourceAutoConfiguration}.
 */
class ContextDataSourceAutoConfigurationTests {

	private static final String SLOW_SQL = "SELECT SUM(X) FROM SYSTEM_RANGE(1, 10000000000) WHERE RAND() >= 0";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DataSourceAutoConfiguration.class, ContextDataSourceAutoConfiguration.class));

	@Test
	void afterNameNamesAnExistingAutoConfiguration() throws ClassNotFoundException {
		AutoConfigurationOrder order = new AutoConfigurationOrder();
		assertThat(Class.forName(order.afterName())).isEqualTo(DataSourceAutoConfiguration.class);
	}

	@Test
	void dataSourceIsWrappedAndStillUnwrapsToHikari() {
		this.contextRunner.run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(dataSource.unwrap(ContextAwareDataSource.class)).isNotNull();
			assertThat(dataSource.isWrapperFor(ContextAwareDataSource.class)).isTrue();
			assertThat(DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class, HikariDataSource.class))
				.isNotNull();
			assertThat(dataSource.unwrap(HikariDataSource.class)).isNotNull();
			assertThat(context).hasSingleBean(ContextJdbcProperties.class);
		});
	}

	@Test
	void hikariDataSourceInjectedByItsTypeIsWrappedAndKeepsItsPoolAndSettings() {
		this.contextRunner
			.withPropertyValues("spring.datasource.hikari.maximum-pool-size=3",
					"spring.datasource.hikari.pool-name=orders-pool")
			.run((context) -> {
				HikariDataSource hikari = context.getBean(HikariDataSource.class);
				assertThat(hikari).isSameAs(context.getBean(DataSource.class));
				HikariDataSource pool = hikari.unwrap(HikariDataSource.class);
				assertThat(pool).isNotSameAs(hikari);
				assertThat(pool.getClass()).isEqualTo(HikariDataSource.class);
				// Settings, pool and MXBean are the bean's own
				assertThat(hikari.getMaximumPoolSize()).isEqualTo(3);
				assertThat(hikari.getPoolName()).isEqualTo("orders-pool");
				hikari.setMaximumPoolSize(4);
				assertThat(pool.getMaximumPoolSize()).isEqualTo(4);
				assertThat(hikari.toString()).isEqualTo(pool.toString());
				// Equal to itself only, as the bean was
				assertThat(hikari).isEqualTo(hikari).isNotEqualTo(pool).hasSameHashCodeAs(hikari);
				assertThat(hikari.hashCode()).isEqualTo(System.identityHashCode(hikari));
				JdbcTemplate jdbc = warmedUp(hikari);
				assertThat(hikari.getHikariPoolMXBean()).isSameAs(pool.getHikariPoolMXBean());
				assertThat(hikari.getHikariPoolMXBean().getActiveConnections()).isZero();
				// Connections are the wrapper's: statements obey the current context
				CancellableContext done = Context.background().withCancel();
				done.cancel();
				assertThatExceptionOfType(DataAccessException.class)
					.isThrownBy(() -> done.run(() -> jdbc.queryForObject("SELECT 1", Integer.class)))
					.withCauseInstanceOf(ContextCancelledSQLException.class);
				try (CancellableContext deadline = Context.background().withTimeout(Duration.ofMillis(300))) {
					assertThatExceptionOfType(QueryTimeoutException.class)
						.isThrownBy(() -> deadline.run(() -> jdbc.queryForObject(SLOW_SQL, Long.class)))
						.withCauseInstanceOf(ContextSQLTimeoutException.class);
				}
				assertThat(hikari.getHikariPoolMXBean().getActiveConnections()).isZero();
				// As Flyway and Liquibase derive a data source with other credentials: from the pool
				// itself, not from the generated subclass
				DataSource derived = DataSourceBuilder.derivedFrom(hikari).build();
				assertThat(derived.getClass()).isEqualTo(HikariDataSource.class);
				assertThat(((HikariDataSource) derived).getJdbcUrl()).isEqualTo(pool.getJdbcUrl());
				context.close();
				assertThat(pool.isClosed()).isTrue();
				assertThat(hikari.isClosed()).isTrue();
			});
	}

	@Test
	void hikariAndPoolMetricsStillBindToTheWrappedPool() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, DataSourcePoolMetricsAutoConfiguration.class))
			.run((context) -> {
				warmedUp(context.getBean(DataSource.class));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				// Hikari's own meters (its metrics tracker set through the exposed bean)
				assertThat(registry.get("hikaricp.connections.max").tag("pool", "HikariPool-1").gauge().value())
					.isEqualTo(10);
				// Spring Boot's pool metadata meters
				assertThat(registry.get("jdbc.connections.max").tag("name", "dataSource").gauge().value())
					.isEqualTo(10);
			});
	}

	@Test
	void proxyIsNotWrappedAgain() {
		this.contextRunner.run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			ContextDataSourceBeanPostProcessor postProcessor = context
				.getBean(ContextDataSourceBeanPostProcessor.class);
			assertThat(postProcessor.postProcessAfterInitialization(dataSource, "dataSource")).isSameAs(dataSource);
		});
	}

	@Test
	void dataSourceOfAFinalClassIsExposedAsAProxyOfItsInterfaces() {
		this.contextRunner.withBean("finalDataSource", FinalDataSource.class, () -> new FinalDataSource(h2("final")))
			.run((context) -> {
				DataSource dataSource = context.getBean("finalDataSource", DataSource.class);
				assertThat(dataSource).isNotInstanceOf(FinalDataSource.class).isInstanceOf(Reporting.class);
				assertThat(context.getBean(Reporting.class)).isSameAs(dataSource);
				assertThat(((Reporting) dataSource).report()).isEqualTo("final");
				assertThat(dataSource).isEqualTo(dataSource).isNotEqualTo(dataSource.unwrap(FinalDataSource.class));
				assertThat(dataSource.unwrap(ContextAwareDataSource.class)).isNotNull();
				CancellableContext done = Context.background().withCancel();
				done.cancel();
				assertThatExceptionOfType(DataAccessException.class)
					.isThrownBy(() -> done.run(() -> new JdbcTemplate(dataSource).queryForObject("SELECT 1",
							Integer.class)))
					.withCauseInstanceOf(ContextCancelledSQLException.class);
				ContextDataSourceBeanPostProcessor postProcessor = context
					.getBean(ContextDataSourceBeanPostProcessor.class);
				assertThat(postProcessor.postProcessAfterInitialization(dataSource, "finalDataSource"))
					.isSameAs(dataSource);
			});
	}

	@Test
	void embeddedDatabaseIsStillInjectableAsEmbeddedDatabase() {
		this.contextRunner
			.withBean("embeddedDataSource", EmbeddedDatabase.class,
					() -> new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2).generateUniqueName(true).build())
			.run((context) -> {
				EmbeddedDatabase embedded = context.getBean(EmbeddedDatabase.class);
				assertThat(embedded.isWrapperFor(ContextAwareDataSource.class)).isTrue();
				JdbcTemplate jdbc = new JdbcTemplate(embedded);
				assertThat(jdbc.queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
				CancellableContext done = Context.background().withCancel();
				done.cancel();
				assertThatExceptionOfType(DataAccessException.class)
					.isThrownBy(() -> done.run(() -> jdbc.queryForObject("SELECT 1", Integer.class)))
					.withCauseInstanceOf(ContextCancelledSQLException.class);
				// Reaches the database itself: it is gone, with its table
				jdbc.execute("CREATE TABLE LEDGER (X INT)");
				embedded.shutdown();
				assertThatExceptionOfType(DataAccessException.class)
					.isThrownBy(() -> jdbc.queryForObject("SELECT COUNT(*) FROM LEDGER", Integer.class));
			});
	}

	@Test
	void backsOffWhenContextJdbcIsDisabled() {
		this.contextRunner.withPropertyValues("context.jdbc.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ContextDataSourceBeanPostProcessor.class);
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
		});
	}

	@Test
	void backsOffWhenContextIsDisabled() {
		this.contextRunner.withPropertyValues("context.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ContextDataSourceBeanPostProcessor.class);
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
		});
	}

	@Test
	void backsOffWhenSpringJdbcIsMissing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(DelegatingDataSource.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ContextDataSourceBeanPostProcessor.class));
	}

	@Test
	void userDefinedPostProcessorReplacesAutoConfiguredOne() {
		ContextDataSourceBeanPostProcessor custom = new ContextDataSourceBeanPostProcessor(
				new StaticListableBeanFactory().getBeanProvider(DataSourceListenerFactory.class));
		this.contextRunner.withBean("custom", ContextDataSourceBeanPostProcessor.class, () -> custom).run((context) -> {
			assertThat(context).hasSingleBean(ContextDataSourceBeanPostProcessor.class);
			assertThat(context.getBean(ContextDataSourceBeanPostProcessor.class)).isSameAs(custom);
		});
	}

	@Test
	void userDefinedDataSourcesAreWrappedOnce() {
		this.contextRunner
			.withBean("ordersDataSource", DataSource.class, () -> h2("orders"))
			.withBean("wrappedDataSource", DataSource.class,
					() -> new ContextAwareDataSource(h2("wrapped")))
			.run((context) -> {
				DataSource orders = context.getBean("ordersDataSource", DataSource.class);
				assertThat(orders).isInstanceOf(SimpleDriverDataSource.class);
				assertThat(orders.unwrap(ContextAwareDataSource.class).getTargetDataSource().getClass())
					.isEqualTo(SimpleDriverDataSource.class);
				DataSource wrapped = context.getBean("wrappedDataSource", DataSource.class);
				assertThat(wrapped).isInstanceOf(ContextAwareDataSource.class);
				assertThat(((ContextAwareDataSource) wrapped).getTargetDataSource().getClass())
					.isEqualTo(SimpleDriverDataSource.class);
			});
	}

	@Test
	void statementUnderDoneContextIsRejectedAndCounted() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withBean("ordersDataSource", DataSource.class, () -> h2("orders-rejected"))
			.run((context) -> {
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean("ordersDataSource", DataSource.class));
				CancellableContext done = Context.background().withCancel();
				done.cancel();
				assertThatExceptionOfType(DataAccessException.class)
					.isThrownBy(() -> done.run(() -> jdbc.queryForObject("SELECT 1", Integer.class)))
					.satisfies((ex) -> {
						assertThat(ex.getCause()).isInstanceOf(ContextCancelledSQLException.class);
						assertThat(ex.getCause().getCause()).isInstanceOf(ContextCancelledException.class);
					});
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get(ContextMeterNames.JDBC_STATEMENTS_REJECTED)
					.tag(ContextMeterNames.NAME, "orders")
					.counter()
					.count()).isEqualTo(1);
				assertThat(registry.get(ContextMeterNames.CANCELLATIONS)
					.tag(ContextMeterNames.REASON, "canceled")
					.tag(ContextMeterNames.SOURCE, "jdbc")
					.counter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void statementPastDeadlineIsCancelledTranslatedAndCounted() {
		this.contextRunner.withBean(SimpleMeterRegistry.class).run((context) -> {
			JdbcTemplate jdbc = warmedUp(context.getBean(DataSource.class));
			long start = System.nanoTime();
			try (CancellableContext deadline = Context.background().withTimeout(Duration.ofMillis(300))) {
				assertThatExceptionOfType(QueryTimeoutException.class)
					.isThrownBy(() -> deadline.run(() -> jdbc.queryForObject(SLOW_SQL, Long.class)))
					.satisfies((ex) -> {
						assertThat(ex.getCause()).isInstanceOf(ContextSQLTimeoutException.class);
						assertThat(ex.getCause().getCause()).isInstanceOf(DeadlineExceededException.class);
					});
			}
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get(ContextMeterNames.JDBC_STATEMENTS_CANCELLED)
				.tag(ContextMeterNames.NAME, "dataSource")
				.counter()
				.count()).isEqualTo(1);
			assertThat(registry.get(ContextMeterNames.CANCELLATIONS)
				.tag(ContextMeterNames.REASON, "deadline_exceeded")
				.tag(ContextMeterNames.SOURCE, "jdbc")
				.counter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void cancelledStatementIsTranslatedToQueryTimeoutException() {
		this.contextRunner.run((context) -> {
			JdbcTemplate jdbc = warmedUp(context.getBean(DataSource.class));
			CancellableContext cancellable = Context.background().withCancel();
			Thread canceller = new Thread(() -> {
				try {
					Thread.sleep(300);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				cancellable.cancel();
			});
			canceller.start();
			// Spring's SQLState translation maps 57014 (query canceled) to QueryTimeoutException
			assertThatExceptionOfType(QueryTimeoutException.class)
				.isThrownBy(() -> cancellable.run(() -> jdbc.queryForObject(SLOW_SQL, Long.class)))
				.satisfies((ex) -> {
					assertThat(ex.getCause()).isInstanceOf(ContextCancelledSQLException.class);
					assertThat(ex.getCause().getCause()).isInstanceOf(ContextCancelledException.class);
				});
			canceller.join();
		});
	}

	@Test
	void dataSourceNameDropsDataSourceSuffixLikeSpringBoot() {
		assertThat(JdbcCancellationMetrics.dataSourceName("dataSource")).isEqualTo("dataSource");
		assertThat(JdbcCancellationMetrics.dataSourceName("ordersDataSource")).isEqualTo("orders");
		assertThat(JdbcCancellationMetrics.dataSourceName("reporting")).isEqualTo("reporting");
	}

	// Starts the pool outside any context: its first connection can take longer than the
	// deadlines these tests use
	private static JdbcTemplate warmedUp(DataSource dataSource) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		jdbc.queryForObject("SELECT 1", Integer.class);
		return jdbc;
	}

	private static DataSource h2(String name) {
		return new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
	}

	public interface Reporting {

		String report();

	}

	public static final class FinalDataSource extends DelegatingDataSource implements Reporting {

		FinalDataSource(DataSource target) {
			super(target);
		}

		@Override
		public String report() {
			return "final";
		}

	}

	private static final class AutoConfigurationOrder {

		String afterName() {
			return ContextDataSourceAutoConfiguration.class
				.getAnnotation(org.springframework.boot.autoconfigure.AutoConfiguration.class)
				.afterName()[0];
		}

	}

}
