package dev.ctx.data.jpa;

import dev.ctx.data.Ledger;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/**
 * A Spring Data JPA repository, with the slow query as a native query.
 */
public interface EntryRepository extends JpaRepository<Entry, Long> {

	@Query(value = Ledger.SLOW_SQL, nativeQuery = true)
	long slowSum();

}
