package dev.ctx.sample;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.ctx.Context;
import dev.ctx.Registration;
import dev.ctx.sample.ReportLedger.Outcome;
import dev.ctx.spring.CancellationReason;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The expensive part of the service: a revenue scan that keeps a database session busy
 * for as long as the caller asks. The query is an ordinary statement; the starter cancels
 * it ({@code Statement.cancel()}) when the request's context is done, and this repository
 * only records how each query ended in the {@link ReportLedger}.
 *
 * <p>On H2 the scan is {@code SELECT SUM(X) FROM SYSTEM_RANGE(1, ?) WHERE PAUSE(1) >= 0}:
 * one row per millisecond of work, each produced by a 1 ms pause ({@link H2Functions}).
 * H2 checks for cancellation between rows, and the scan takes at least the time asked
 * for, however busy the machine (a CPU-bound scan's duration could only be estimated). On
 * PostgreSQL the scan sleeps with {@code pg_sleep}.
 *
 * @since 0.1.0
 */
@Repository
public class ReportRepository {

	private static final String H2_SCAN = "SELECT SUM(X) FROM SYSTEM_RANGE(1, ?) WHERE PAUSE(1) >= 0";

	private static final String POSTGRES_SCAN = "SELECT SUM(total_cents) FROM sample_orders, pg_sleep(?)";

	private final JdbcClient jdbc;

	private final ReportLedger ledger;

	private final boolean postgres;

	public ReportRepository(JdbcClient jdbc, ReportLedger ledger,
			@Value("${sample.reports.database:h2}") String database) {
		this.jdbc = jdbc;
		this.ledger = ledger;
		this.postgres = "postgres".equalsIgnoreCase(database);
	}

	/**
	 * Runs the revenue scan for about the given time, unless the context is done first.
	 * @param ctx the request's context
	 * @param report the report's name, for the ledger
	 * @param work how long the scan should run
	 * @return the result
	 */
	public Scan scan(Context ctx, String report, Duration work) {
		long rows = this.postgres ? 0 : Math.max(1, work.toMillis());
		AtomicLong doneAt = new AtomicLong();
		long start = System.nanoTime();
		Registration registration = ctx.afterDone(() -> doneAt.compareAndSet(0, System.nanoTime()));
		try {
			Long sum = this.postgres
					? this.jdbc.sql(POSTGRES_SCAN).param(work.toNanos() / 1e9).query(Long.class).optional().orElse(0L)
					: this.jdbc.sql(H2_SCAN).param(rows).query(Long.class).optional().orElse(0L);
			long end = System.nanoTime();
			long done = doneAt.get();
			if (done != 0) {
				this.ledger.record(report, Outcome.LATE, CancellationReason.of(ctx), work, end - start, end - done);
			}
			else {
				this.ledger.record(report, Outcome.COMPLETED, null, work, end - start, 0);
			}
			return new Scan(report, rows, sum, work.toMillis(), Duration.ofNanos(end - start).toMillis());
		}
		catch (RuntimeException ex) {
			long end = System.nanoTime();
			long done = doneAt.get();
			if (ctx.isDone()) {
				this.ledger.record(report, Outcome.CANCELLED, CancellationReason.of(ctx), work, end - start,
						(done != 0) ? end - done : 0);
			}
			else {
				this.ledger.record(report, Outcome.FAILED, null, work, end - start, 0);
			}
			throw ex;
		}
		finally {
			registration.stop();
		}
	}

	/**
	 * The result of a scan.
	 *
	 * @param report the report
	 * @param rows rows scanned, one per millisecond (0 on PostgreSQL, which sleeps instead)
	 * @param sum the scan's result
	 * @param intendedMillis how long the scan was meant to run
	 * @param actualMillis how long it ran
	 */
	public record Scan(String report, long rows, long sum, long intendedMillis, long actualMillis) {
	}

}
