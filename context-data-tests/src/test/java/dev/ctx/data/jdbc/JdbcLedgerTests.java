package dev.ctx.data.jdbc;

import dev.ctx.data.AbstractLedgerTests;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link AbstractLedgerTests} on Spring Data JDBC, with H2.
 */
@SpringBootTest(classes = JdbcLedgerApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:mem:jdbc-ledger",
				"spring.sql.init.schema-locations=classpath:ledger-schema.sql,classpath:slow-sum-h2.sql" })
class JdbcLedgerTests extends AbstractLedgerTests {

}
