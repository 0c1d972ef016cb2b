package dev.ctx.data.jpa;

import dev.ctx.data.AbstractMariaDbLedgerTests;
import dev.ctx.spring.jdbc.RequiresDatabase;
import dev.ctx.spring.jdbc.TestDatabase;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link AbstractMariaDbLedgerTests} on Spring Data JPA and Hibernate.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@SpringBootTest(classes = JpaLedgerApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.sql.init.schema-locations=classpath:slow-sum-mariadb.sql")
class MariaDbJpaLedgerTests extends AbstractMariaDbLedgerTests {

}
