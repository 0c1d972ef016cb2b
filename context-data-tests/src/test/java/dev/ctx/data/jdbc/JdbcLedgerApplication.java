package dev.ctx.data.jdbc;

import dev.ctx.data.LedgerController;
import dev.ctx.data.RepositoryLedger;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * An ordinary Spring Boot application on Spring Data JDBC.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
		"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
@Import(LedgerController.class)
public class JdbcLedgerApplication {

	@Bean
	RepositoryLedger ledger(EntryRepository entries) {
		return new RepositoryLedger(entries::slowSum, (name) -> entries.save(new LedgerEntry(null, name)), entries::count);
	}

}
