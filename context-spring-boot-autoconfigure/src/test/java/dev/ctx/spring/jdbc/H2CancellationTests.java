package dev.ctx.spring.jdbc;

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

}
