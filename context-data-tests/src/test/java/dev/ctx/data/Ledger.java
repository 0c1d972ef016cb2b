package dev.ctx.data;

/**
 * What the repository applications under test offer: a slow query, a transaction that
 * writes and then runs the slow query, and a count of what was written. Implemented by
 * one service per application, on Spring Data JPA or Spring Data JDBC; none of them
 * knows about contexts.
 */
public interface Ledger {

	/**
	 * The statement that runs for a minute or more unless cancelled: a view defined per
	 * database by {@code slow-sum-<database>.sql}.
	 */
	String SLOW_SQL = "SELECT TOTAL FROM SLOW_SUM";

	/**
	 * Runs the slow query through a repository.
	 * @return its result
	 */
	long slowSum();

	/**
	 * In one transaction, writes an entry and then runs the slow query.
	 * @param name the name of the entry
	 * @return the slow query's result
	 */
	long writeThenSlowSum(String name);

	/**
	 * Counts the entries written.
	 * @return the count
	 */
	long count();

}
