package dev.ctx.data.jdbc;

import dev.ctx.data.AbstractLedgerTests;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link AbstractLedgerTests} on Spring Data JDBC.
 */
@SpringBootTest(classes = JdbcLedgerApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "context.web.default-timeout=500ms", "spring.datasource.url=jdbc:h2:mem:jdbc-ledger",
				"spring.datasource.hikari.maximum-pool-size=4",
				"spring.sql.init.schema-locations=classpath:ledger-schema.sql" })
class JdbcLedgerTests extends AbstractLedgerTests {

}
