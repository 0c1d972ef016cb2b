package dev.ctx.data.jpa;

import dev.ctx.data.AbstractLedgerTests;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link AbstractLedgerTests} on Spring Data JPA and Hibernate, with H2.
 */
@SpringBootTest(classes = JpaLedgerApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:mem:jpa-ledger",
				"spring.sql.init.schema-locations=classpath:slow-sum-h2.sql" })
class JpaLedgerTests extends AbstractLedgerTests {

}
