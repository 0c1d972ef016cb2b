package dev.ctx.data.jpa;

import dev.ctx.data.AbstractLedgerTests;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link AbstractLedgerTests} on Spring Data JPA and Hibernate.
 */
@SpringBootTest(classes = JpaLedgerApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "context.web.default-timeout=500ms", "spring.datasource.url=jdbc:h2:mem:jpa-ledger",
				"spring.datasource.hikari.maximum-pool-size=4", "spring.jpa.hibernate.ddl-auto=create-drop",
				"spring.jpa.open-in-view=false" })
class JpaLedgerTests extends AbstractLedgerTests {

}
