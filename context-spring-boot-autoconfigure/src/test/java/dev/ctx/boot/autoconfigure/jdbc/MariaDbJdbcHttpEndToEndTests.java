package dev.ctx.boot.autoconfigure.jdbc;

import dev.ctx.spring.jdbc.RequiresDatabase;
import dev.ctx.spring.jdbc.TestDatabase;

/**
 * {@link AbstractJdbcHttpEndToEndTests} on a MariaDB server.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbJdbcHttpEndToEndTests extends AbstractJdbcHttpEndToEndTests {

	@Override
	TestDatabase database() {
		return TestDatabase.MARIADB;
	}

	@Override
	String slowSql(String marker) {
		return "SELECT SLEEP(10) AS " + marker;
	}

	@Override
	String runningSql() {
		// The client-side prepared statement sends the marker in its own text: skip our session
		return "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND ID <> CONNECTION_ID()";
	}

	@Override
	boolean stoppedStatementMayReturn() {
		// A killed SLEEP() sometimes returns 1 instead of failing: the timing and the
		// server's process list are what prove the statement was stopped
		return true;
	}

}
