package dev.ctx.data.jpa;

import dev.ctx.data.AbstractPostgresLedgerTests;
import dev.ctx.spring.jdbc.RequiresDatabase;
import dev.ctx.spring.jdbc.TestDatabase;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link AbstractPostgresLedgerTests} on Spring Data JPA and Hibernate.
 */
@RequiresDatabase(TestDatabase.POSTGRES)
@SpringBootTest(classes = JpaLedgerApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.sql.init.schema-locations=classpath:slow-sum-postgresql.sql")
class PostgresJpaLedgerTests extends AbstractPostgresLedgerTests {

}
