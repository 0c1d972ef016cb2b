package dev.ctx.data.jdbc;

import dev.ctx.data.AbstractPostgresLedgerTests;
import dev.ctx.spring.jdbc.RequiresDatabase;
import dev.ctx.spring.jdbc.TestDatabase;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link AbstractPostgresLedgerTests} on Spring Data JDBC.
 */
@RequiresDatabase(TestDatabase.POSTGRES)
@SpringBootTest(classes = JdbcLedgerApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.sql.init.schema-locations=classpath:ledger-schema.sql,classpath:slow-sum-postgresql.sql")
class PostgresJdbcLedgerTests extends AbstractPostgresLedgerTests {

}
