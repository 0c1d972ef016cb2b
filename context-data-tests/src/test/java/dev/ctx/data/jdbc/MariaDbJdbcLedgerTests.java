package dev.ctx.data.jdbc;

import dev.ctx.data.AbstractMariaDbLedgerTests;
import dev.ctx.spring.jdbc.RequiresDatabase;
import dev.ctx.spring.jdbc.TestDatabase;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link AbstractMariaDbLedgerTests} on Spring Data JDBC.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@SpringBootTest(classes = JdbcLedgerApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.sql.init.schema-locations=classpath:ledger-schema-mariadb.sql,classpath:slow-sum-mariadb.sql")
class MariaDbJdbcLedgerTests extends AbstractMariaDbLedgerTests {

}
