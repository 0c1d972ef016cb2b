package dev.ctx.data;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.springframework.transaction.annotation.Transactional;

/**
 * A {@link Ledger} over the repository of one of the applications, given as its three
 * operations.
 */
public class RepositoryLedger implements Ledger {

	private final LongSupplier slowSum;

	private final Consumer<String> write;

	private final LongSupplier count;

	/**
	 * Creates a new instance.
	 * @param slowSum runs the slow query
	 * @param write writes an entry of the given name, so that it reaches the database
	 * @param count counts the entries
	 */
	public RepositoryLedger(LongSupplier slowSum, Consumer<String> write, LongSupplier count) {
		this.slowSum = slowSum;
		this.write = write;
		this.count = count;
	}

	@Override
	public long slowSum() {
		return this.slowSum.getAsLong();
	}

	@Override
	@Transactional
	public long writeThenSlowSum(String name) {
		this.write.accept(name);
		return this.slowSum.getAsLong();
	}

	@Override
	public long count() {
		return this.count.getAsLong();
	}

}
