package dev.ctx.spring.jdbc;

/**
 * {@link AbstractDatabaseCancellationTests} on a MariaDB server.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbCancellationTests extends AbstractDatabaseCancellationTests {

	@Override
	TestDatabase database() {
		return TestDatabase.MARIADB;
	}

	@Override
	String slowSql(int seconds, String marker) {
		return "SELECT SLEEP(" + seconds + ") AS " + marker;
	}

	@Override
	String briefSql() {
		return "SELECT SLEEP(0.001)";
	}

	@Override
	int running(String marker) {
		return this.monitor
			.sql("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND ID <> CONNECTION_ID()")
			.param("%" + marker + "%")
			.query(Integer.class)
			.single();
	}

	@Override
	boolean stoppedStatementMayReturn() {
		// A killed SLEEP() sometimes returns 1 instead of failing: the timing and the
		// server's process list are what prove the statement was stopped
		return true;
	}

}
