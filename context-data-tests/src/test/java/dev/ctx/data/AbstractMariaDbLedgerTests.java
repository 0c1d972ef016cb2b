package dev.ctx.data;

import dev.ctx.spring.jdbc.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link AbstractLedgerTests} on MariaDB: the stopped statement (killed with
 * {@code KILL QUERY}, which MariaDB Connector/J's {@code cancel()} sends for the
 * connection) is gone from the server's process list. Subclasses are annotated with
 * {@code @RequiresDatabase(TestDatabase.MARIADB)}.
 */
public abstract class AbstractMariaDbLedgerTests extends AbstractLedgerTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		dataSource(registry, TestDatabase.MARIADB);
	}

	@Override
	protected void assertSlowQueryGone() {
		awaitNoneRunning(TestDatabase.MARIADB, "SELECT COUNT(*) FROM information_schema.PROCESSLIST "
				+ "WHERE COMMAND = 'Query' AND INFO LIKE '%SLOW_SUM%' AND ID <> CONNECTION_ID()");
	}

}
