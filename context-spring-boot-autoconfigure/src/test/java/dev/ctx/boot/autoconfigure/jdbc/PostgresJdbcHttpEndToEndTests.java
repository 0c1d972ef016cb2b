package dev.ctx.boot.autoconfigure.jdbc;

import dev.ctx.spring.jdbc.RequiresDatabase;
import dev.ctx.spring.jdbc.TestDatabase;

/**
 * {@link AbstractJdbcHttpEndToEndTests} on a PostgreSQL server.
 */
@RequiresDatabase(TestDatabase.POSTGRES)
class PostgresJdbcHttpEndToEndTests extends AbstractJdbcHttpEndToEndTests {

	@Override
	TestDatabase database() {
		return TestDatabase.POSTGRES;
	}

	@Override
	String slowSql(String marker) {
		return "SELECT pg_sleep(10) AS " + marker;
	}

	@Override
	String runningSql() {
		return "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE ? "
				+ "AND pid <> pg_backend_pid()";
	}

}
