package dev.ctx.data.jpa;

import dev.ctx.data.LedgerController;
import dev.ctx.data.RepositoryLedger;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * An ordinary Spring Boot application on Spring Data JPA and Hibernate.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration(excludeName = "org.springframework.boot.data.jdbc.autoconfigure.DataJdbcRepositoriesAutoConfiguration")
@Import(LedgerController.class)
public class JpaLedgerApplication {

	@Bean
	RepositoryLedger ledger(EntryRepository entries) {
		// Flushed at once, so that the insert reaches the database before the slow query
		return new RepositoryLedger(entries::slowSum, (name) -> entries.saveAndFlush(new Entry(name)), entries::count);
	}

}
