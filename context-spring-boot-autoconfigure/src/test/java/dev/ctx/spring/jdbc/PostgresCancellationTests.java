package dev.ctx.spring.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.DeadlineExceededException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link AbstractDatabaseCancellationTests} on a PostgreSQL server.
 */
@RequiresDatabase(TestDatabase.POSTGRES)
class PostgresCancellationTests extends AbstractDatabaseCancellationTests {

	@Override
	TestDatabase database() {
		return TestDatabase.POSTGRES;
	}

	@Override
	String slowSql(int seconds, String marker) {
		return "SELECT pg_sleep(" + seconds + ") AS " + marker;
	}

	@Override
	String briefSql() {
		return "SELECT pg_sleep(0.001)";
	}

	@Override
	int running(String marker) {
		return this.monitor
			.sql("SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE ? "
					+ "AND pid <> pg_backend_pid()")
			.param("%" + marker + "%")
			.query(Integer.class)
			.single();
	}

	@Test
	void deadlineStopsStreamingResultSetWhileFetching() throws Exception {
		String marker = marker();
		// With a fetch size and no auto-commit, pgjdbc reads rows through a cursor: every
		// fetch of 5 rows runs 250 ms on the server, after executeQuery() returned
		String sql = "SELECT pg_sleep(0.05) AS " + marker + " FROM generate_series(1, 1000)";
		long start = System.nanoTime();
		int[] rows = new int[1];
		try (CancellableContext context = Context.background().withTimeout(Duration.ofMillis(700))) {
			assertThatExceptionOfType(ContextSQLTimeoutException.class).isThrownBy(() -> context.call(() -> {
				try (Connection connection = this.dataSource.getConnection()) {
					connection.setAutoCommit(false);
					try (PreparedStatement statement = connection.prepareStatement(sql)) {
						statement.setFetchSize(5);
						try (ResultSet result = statement.executeQuery()) {
							while (result.next()) {
								rows[0]++;
							}
						}
					}
					finally {
						connection.rollback();
					}
				}
				return null;
			})).satisfies((ex) -> assertThat(ex.getCause()).isInstanceOf(DeadlineExceededException.class));
		}
		long elapsed = millisSince(start);
		// Stopped while fetching, rows after the first batch had been read
		assertThat(rows[0]).isBetween(5, 200);
		assertThat(elapsed).as("elapsed ms").isBetween(650L, 3_000L);
		assertGoneOnServer(marker);
	}

}
