package dev.ctx.spring.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.DeadlineExceededException;
import dev.ctx.Scope;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link AbstractDatabaseCancellationTests} on an embedded H2 database.
 */
@RequiresDatabase(TestDatabase.H2)
class H2CancellationTests extends AbstractDatabaseCancellationTests {

	@Override
	TestDatabase database() {
		return TestDatabase.H2;
	}

	@Override
	String slowSql(int seconds, String marker) {
		// Far longer than any test waits; RAND() defeats the query cache and the
		// COUNT(*) shortcut
		return "SELECT SUM(X) AS " + marker + " FROM SYSTEM_RANGE(1, 10000000000) WHERE RAND() >= 0";
	}

	@Override
	String briefSql() {
		return "SELECT SUM(X) FROM SYSTEM_RANGE(1, 5000) WHERE RAND() >= 0";
	}

	@Override
	int running(String marker) {
		return this.monitor.sql("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS "
				+ "WHERE EXECUTING_STATEMENT LIKE ? AND SESSION_ID <> SESSION_ID()")
			.param("%" + marker + "%")
			.query(Integer.class)
			.single();
	}

	@Test
	void resultHeldInMemoryIsNotWrapped() throws Exception {
		// Embedded H2 computes the whole result in executeQuery() (the statement reports
		// a fetch size of 100, the result 0): row fetches have nothing to cancel
		try (CancellableContext context = Context.background().withCancel(); Scope scope = context.attach();
				Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(briefSql());
				ResultSet result = statement.executeQuery()) {
			assertThat(statement).isInstanceOf(ContextAwarePreparedStatement.class);
			assertThat(result).isNotInstanceOf(ContextAwareResultSet.class);
			assertThat(result.next()).isTrue();
		}
	}

	@Test
	void deadlineStopsLazyResultWhileFetching() throws Exception {
		String marker = marker();
		// With lazy execution H2 computes rows in next(), here about 200 ms each: the
		// fetches run after executeQuery() returned, under the checkout's guard. (H2 looks
		// at a cancel between the rows it produces, not while scanning for the next one.)
		String sql = "SELECT X AS " + marker + " FROM SYSTEM_RANGE(1, 10000000000) "
				+ "WHERE MOD(X, 1000000) = 0 AND RAND() >= 0";
		int[] rows = new int[1];
		long start = System.nanoTime();
		try (CancellableContext context = Context.background().withTimeout(Duration.ofMillis(500))) {
			assertThatExceptionOfType(ContextSQLTimeoutException.class).isThrownBy(() -> context.call(() -> {
				try (Connection connection = this.dataSource.getConnection()) {
					try (Statement lazy = connection.createStatement()) {
						lazy.execute("SET LAZY_QUERY_EXECUTION TRUE");
					}
					try (PreparedStatement statement = connection.prepareStatement(sql);
							ResultSet result = statement.executeQuery()) {
						assertThat(result).isInstanceOf(ContextAwareResultSet.class);
						while (result.next()) {
							rows[0]++;
						}
					}
					finally {
						// The context is done: go on outside it, on the same session
						Context.background().call(() -> assertSessionUnaffected(connection, sql));
					}
				}
				return null;
			})).satisfies((ex) -> assertThat(ex.getCause()).isInstanceOf(DeadlineExceededException.class));
		}
		long elapsed = millisSince(start);
		assertThat(rows[0]).as("rows").isBetween(0, 20);
		assertThat(elapsed).as("elapsed ms").isBetween(450L, 5_000L);
		assertGoneOnServer(marker);
	}

	private static Void assertSessionUnaffected(Connection connection, String sql) throws Exception {
		// A cancel sent during a fetch does not linger on the session's cached command of
		// the same SQL (H2 keeps a late cancel there)
		try (PreparedStatement again = connection.prepareStatement(sql); ResultSet result = again.executeQuery()) {
			assertThat(result.next()).isTrue();
		}
		try (Statement eager = connection.createStatement()) {
			eager.execute("SET LAZY_QUERY_EXECUTION FALSE");
		}
		return null;
	}

}
