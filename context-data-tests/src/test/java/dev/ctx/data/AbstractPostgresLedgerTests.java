package dev.ctx.data;

import dev.ctx.spring.jdbc.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link AbstractLedgerTests} on PostgreSQL: the stopped statement is gone from the
 * server, and a transaction aborted by the cancel ({@code 25P02} until rolled back) is
 * rolled back before its connection serves the next request. Subclasses are annotated
 * with {@code @RequiresDatabase(TestDatabase.POSTGRES)}.
 */
public abstract class AbstractPostgresLedgerTests extends AbstractLedgerTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		dataSource(registry, TestDatabase.POSTGRES);
	}

	@Override
	protected void assertSlowQueryGone() {
		awaitNoneRunning(TestDatabase.POSTGRES, "SELECT COUNT(*) FROM pg_stat_activity "
				+ "WHERE state = 'active' AND query LIKE '%SLOW_SUM%' AND pid <> pg_backend_pid()");
	}

}
