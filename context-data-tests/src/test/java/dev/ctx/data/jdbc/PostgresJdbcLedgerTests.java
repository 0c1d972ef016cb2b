package dev.ctx.data.jdbc;

import dev.ctx.data.AbstractLedgerTests;
import dev.ctx.data.PostgresLedgerDatabase;
import dev.ctx.spring.jdbc.RequiresDatabase;
import dev.ctx.spring.jdbc.TestDatabase;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link AbstractLedgerTests} on Spring Data JDBC, with PostgreSQL.
 */
@RequiresDatabase(TestDatabase.POSTGRES)
@SpringBootTest(classes = JdbcLedgerApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.sql.init.schema-locations=classpath:ledger-schema.sql,classpath:slow-sum-postgresql.sql")
class PostgresJdbcLedgerTests extends AbstractLedgerTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		PostgresLedgerDatabase.register(registry);
	}

	@Override
	protected void assertSlowQueryGone() {
		PostgresLedgerDatabase.assertSlowQueryGone();
	}

}
