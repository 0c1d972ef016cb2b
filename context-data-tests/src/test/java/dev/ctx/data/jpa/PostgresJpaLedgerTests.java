package dev.ctx.data.jpa;

import dev.ctx.data.AbstractLedgerTests;
import dev.ctx.data.PostgresLedgerDatabase;
import dev.ctx.spring.jdbc.RequiresDatabase;
import dev.ctx.spring.jdbc.TestDatabase;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link AbstractLedgerTests} on Spring Data JPA and Hibernate, with PostgreSQL: the
 * stopped statement is gone from the server, and a transaction aborted by the cancel
 * ({@code 25P02} until rolled back) is rolled back before its connection serves the next
 * request.
 */
@RequiresDatabase(TestDatabase.POSTGRES)
@SpringBootTest(classes = JpaLedgerApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.sql.init.schema-locations=classpath:slow-sum-postgresql.sql")
class PostgresJpaLedgerTests extends AbstractLedgerTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		PostgresLedgerDatabase.register(registry);
	}

	@Override
	protected void assertSlowQueryGone() {
		PostgresLedgerDatabase.assertSlowQueryGone();
	}

}
