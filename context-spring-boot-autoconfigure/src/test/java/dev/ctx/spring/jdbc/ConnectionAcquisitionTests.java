package dev.ctx.spring.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.ContextCancelledException;
import dev.ctx.DeadlineExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ContextAwareDataSource#getConnection()} against a real HikariCP pool
 * whose only connection is taken.
 */
@RequiresDatabase(TestDatabase.H2)
class ConnectionAcquisitionTests {

	private HikariDataSource pool;

	private ContextAwareDataSource dataSource;

	@BeforeEach
	void createPool() {
		this.pool = TestDatabase.H2.pool("acquisition", 1);
		// Far longer than any deadline below: the context, not the pool, must end the wait
		this.pool.setConnectionTimeout(Duration.ofSeconds(30).toMillis());
		this.dataSource = new ContextAwareDataSource(this.pool);
	}

	@AfterEach
	void closePool() {
		this.pool.close();
	}

	@Test
	void waitForPooledConnectionEndsAtDeadline() throws SQLException {
		try (Connection taken = this.dataSource.getConnection()) {
			long start = System.nanoTime();
			try (CancellableContext context = Context.background().withTimeout(Duration.ofMillis(300))) {
				assertThatExceptionOfType(ContextSQLTimeoutException.class)
					.isThrownBy(() -> context.call(this.dataSource::getConnection))
					.satisfies((ex) -> assertThat(ex.getCause()).isInstanceOf(DeadlineExceededException.class));
			}
			long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
			assertThat(elapsed).isBetween(250L, 5_000L);
			// The interrupt used to end the wait does not leak to the caller
			assertThat(Thread.currentThread().isInterrupted()).isFalse();
		}
		// The pool still hands out its connection
		try (Connection connection = this.dataSource.getConnection()) {
			assertThat(connection.isValid(5)).isTrue();
		}
		assertThat(this.pool.getHikariPoolMXBean().getActiveConnections()).isZero();
	}

	@Test
	void doneContextFailsFastWithoutWaiting() throws SQLException {
		try (Connection taken = this.dataSource.getConnection()) {
			CancellableContext context = Context.background().withCancel();
			context.cancel();
			long start = System.nanoTime();
			assertThatExceptionOfType(ContextCancelledSQLException.class)
				.isThrownBy(() -> context.call(this.dataSource::getConnection))
				.satisfies((ex) -> {
					assertThat(ex.getCause()).isInstanceOf(ContextCancelledException.class);
					assertThat(ex.getSQLState()).isEqualTo("57014");
				});
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		}
	}

	@Test
	void connectionAcquiredInTimeIsUsable() throws Exception {
		try (CancellableContext context = Context.background().withTimeout(Duration.ofSeconds(30))) {
			Integer value = context.call(() -> {
				try (Connection connection = this.dataSource.getConnection();
						var statement = connection.createStatement();
						var result = statement.executeQuery("SELECT 42")) {
					result.next();
					return result.getInt(1);
				}
			});
			assertThat(value).isEqualTo(42);
		}
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
	}

	@Test
	void statementsWithoutContextAreNotWrapped() throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				var statement = connection.prepareStatement("SELECT 1")) {
			assertThat(statement).isNotInstanceOf(ContextAwareStatement.class);
		}
	}

	@Test
	void statementCreatedWithoutContextOnConnectionAcquiredUnderOneObeysContextItRunsUnder() throws Exception {
		try (CancellableContext acquiredUnder = Context.background().withCancel()) {
			try (Connection connection = acquiredUnder.call(this.dataSource::getConnection);
					var statement = connection.prepareStatement("SELECT 1")) {
				assertThat(statement).isInstanceOf(ContextAwareStatement.class);
				// Runs as is with no context
				statement.executeQuery().close();
				CancellableContext done = Context.background().withCancel();
				done.cancel();
				assertThatExceptionOfType(ContextCancelledSQLException.class)
					.isThrownBy(() -> done.call(statement::executeQuery));
				acquiredUnder.cancel();
				assertThatExceptionOfType(ContextCancelledSQLException.class)
					.isThrownBy(() -> acquiredUnder.call(statement::executeQuery));
			}
		}
	}

	@Test
	void queryTimeoutFollowsDeadlineAndIsRestored() throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			try (CancellableContext context = Context.background().withTimeout(Duration.ofMillis(2500))) {
				context.call(() -> {
					try (var statement = connection.prepareStatement("SELECT 1")) {
						statement.executeQuery().close();
						// Applied for the execution only, then restored
						assertThat(statement.getQueryTimeout()).isZero();
					}
					try (var statement = connection.prepareStatement("SELECT 1")) {
						statement.setQueryTimeout(1);
						statement.executeQuery().close();
						// A shorter timeout set by the application is kept
						assertThat(statement.getQueryTimeout()).isEqualTo(1);
					}
					return null;
				});
			}
		}
	}

}
