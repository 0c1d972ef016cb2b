package dev.ctx.boot.autoconfigure.jdbc;

import dev.ctx.spring.jdbc.RequiresDatabase;
import dev.ctx.spring.jdbc.TestDatabase;

/**
 * {@link AbstractJdbcHttpEndToEndTests} on an embedded H2 database.
 */
@RequiresDatabase(TestDatabase.H2)
class H2JdbcHttpEndToEndTests extends AbstractJdbcHttpEndToEndTests {

	@Override
	TestDatabase database() {
		return TestDatabase.H2;
	}

	@Override
	String slowSql(String marker) {
		// Far longer than ten seconds; RAND() defeats the query cache and the COUNT(*)
		// shortcut
		return "SELECT SUM(X) AS " + marker + " FROM SYSTEM_RANGE(1, 10000000000) WHERE RAND() >= 0";
	}

	@Override
	String runningSql() {
		return "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS "
				+ "WHERE EXECUTING_STATEMENT LIKE ? AND SESSION_ID <> SESSION_ID()";
	}

}
