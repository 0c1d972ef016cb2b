package dev.ctx.data;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

import dev.ctx.spring.jdbc.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the PostgreSQL variants of {@link AbstractLedgerTests} share: where the server is
 * and how to see the slow query on it.
 */
public final class PostgresLedgerDatabase {

	private PostgresLedgerDatabase() {
	}

	/**
	 * Points the application's data source at the PostgreSQL server of the tests.
	 * @param registry the registry of the test's properties
	 */
	public static void register(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", TestDatabase.POSTGRES::url);
		registry.add("spring.datasource.username", TestDatabase.POSTGRES::user);
		registry.add("spring.datasource.password", TestDatabase.POSTGRES::password);
	}

	/**
	 * Asserts, from a connection of its own, that no slow query runs on the server any
	 * more.
	 */
	public static void assertSlowQueryGone() {
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(runningSlowQueries()).isZero());
	}

	private static int runningSlowQueries() throws Exception {
		try (Connection connection = TestDatabase.POSTGRES.connect();
				PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity "
						+ "WHERE state = 'active' AND query LIKE '%SLOW_SUM%' AND pid <> pg_backend_pid()");
				ResultSet result = statement.executeQuery()) {
			result.next();
			return result.getInt(1);
		}
	}

}
