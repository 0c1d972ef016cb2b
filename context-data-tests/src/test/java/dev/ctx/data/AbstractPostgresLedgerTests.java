package dev.ctx.data;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

import dev.ctx.spring.jdbc.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link AbstractLedgerTests} on PostgreSQL: the stopped statement is gone from the
 * server, and a transaction aborted by the cancel ({@code 25P02} until rolled back) is
 * rolled back before its connection serves the next request. Subclasses are annotated
 * with {@code @RequiresDatabase(TestDatabase.POSTGRES)}.
 */
public abstract class AbstractPostgresLedgerTests extends AbstractLedgerTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", TestDatabase.POSTGRES::url);
		registry.add("spring.datasource.username", TestDatabase.POSTGRES::user);
		registry.add("spring.datasource.password", TestDatabase.POSTGRES::password);
	}

	@Override
	protected void assertSlowQueryGone() {
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
