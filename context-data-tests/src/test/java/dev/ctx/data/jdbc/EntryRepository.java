package dev.ctx.data.jdbc;

import dev.ctx.data.Ledger;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.CrudRepository;

/**
 * A Spring Data JDBC repository, with the slow query as a declared query.
 */
public interface EntryRepository extends CrudRepository<LedgerEntry, Long> {

	@Query(Ledger.SLOW_SQL)
	long slowSum();

}
