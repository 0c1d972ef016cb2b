package dev.ctx.spring.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.ContextCancelledException;
import dev.ctx.DeadlineExceededException;
import dev.ctx.Scope;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every database must show with a real HikariCP pool: statements stopped on the
 * server by a deadline or a cancel, a healthy pool afterwards, transaction timeouts
 * against deadlines, rollback after a cancelled statement, and cancels that race
 * completion never reaching the next statement.
 */
abstract class AbstractDatabaseCancellationTests {

	/**
	 * Iterations of the cancel-vs-completion race, per database: 10,000 on CI (env
	 * {@code CI} set), 2,000 locally, or {@code -Dcontext.test.race.iterations}.
	 */
	static final int RACE_ITERATIONS = Integer.getInteger("context.test.race.iterations",
			(System.getenv("CI") != null) ? 10_000 : 2_000);

	/** Tries of the cancellation latency measurement, per database. */
	static final int LATENCY_TRIES = Integer.getInteger("context.test.latency.tries", 100);

	final AtomicInteger rejected = new AtomicInteger();

	final AtomicInteger cancelled = new AtomicInteger();

	HikariDataSource pool;

	ContextAwareDataSource dataSource;

	JdbcClient jdbc;

	JdbcClient monitor;

	String table;

	abstract TestDatabase database();

	/** A statement that runs for about {@code seconds} and can be cancelled. */
	abstract String slowSql(int seconds, String marker);

	/** A statement that runs for about a millisecond. */
	abstract String briefSql();

	/** Counts the statements other sessions are running whose text contains the marker. */
	abstract int running(String marker);

	@BeforeEach
	void createPool() {
		this.pool = database().pool(getClass().getSimpleName(), 4);
		this.dataSource = new ContextAwareDataSource(this.pool, new JdbcCancellationListener() {

			@Override
			public void statementRejected(Context context) {
				AbstractDatabaseCancellationTests.this.rejected.incrementAndGet();
			}

			@Override
			public void statementCancelled(Context context) {
				AbstractDatabaseCancellationTests.this.cancelled.incrementAndGet();
			}

		});
		this.jdbc = JdbcClient.create(this.dataSource);
		this.monitor = JdbcClient.create(this.pool);
		this.table = "ctx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		this.monitor.sql("CREATE TABLE " + this.table + " (id INT)").update();
	}

	@AfterEach
	void closePool() {
		this.monitor.sql("DROP TABLE " + this.table).update();
		this.pool.close();
	}

	@Test
	void deadlineStopsRunningStatementOnServer() {
		String marker = marker();
		long start = System.nanoTime();
		Outcome outcome = runUnder(Context.background().withTimeout(Duration.ofMillis(500)), slowSql(10, marker));
		long elapsed = millisSince(start);
		assertGoneOnServer(marker);
		outcome.assertStoppedBy(DeadlineExceededException.class, this);
		assertThat(elapsed).as("elapsed ms").isBetween(450L, 3_000L);
		assertThat(this.cancelled).hasValueGreaterThanOrEqualTo(1);
	}

	@Test
	void cancelStopsRunningStatementOnServer() {
		String marker = marker();
		CancellableContext context = Context.background().withCancel();
		ExecutorService canceller = Executors.newSingleThreadExecutor();
		long start = System.nanoTime();
		try {
			canceller.submit(() -> {
				TimeUnit.MILLISECONDS.sleep(300);
				context.cancel();
				return null;
			});
			Outcome outcome = runUnder(context, slowSql(10, marker));
			long elapsed = millisSince(start);
			assertGoneOnServer(marker);
			outcome.assertStoppedBy(ContextCancelledException.class, this);
			assertThat(elapsed).as("elapsed ms").isBetween(250L, 3_000L);
		}
		finally {
			canceller.shutdownNow();
		}
	}

	@Test
	void poolIsHealthyAfterCancelledStatements() {
		for (int i = 0; i < 3; i++) {
			runUnder(Context.background().withTimeout(Duration.ofMillis(200)), slowSql(10, marker()));
		}
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.pool.getHikariPoolMXBean().getActiveConnections()).isZero());
		for (int i = 0; i < 100; i++) {
			int value = i;
			if (i % 2 == 0) {
				assertThat(this.jdbc.sql("SELECT " + value).query(Integer.class).single()).isEqualTo(value);
			}
			else {
				try (CancellableContext context = Context.background().withTimeout(Duration.ofSeconds(30))) {
					assertThat(context.call(() -> this.jdbc.sql("SELECT " + value).query(Integer.class).single()))
						.isEqualTo(value);
				}
				catch (Exception ex) {
					throw new AssertionError(ex);
				}
			}
		}
		assertThat(this.pool.getHikariPoolMXBean().getActiveConnections()).isZero();
	}

	@Test
	void doneContextRejectsStatementWithoutSendingIt() {
		CancellableContext context = Context.background().withCancel();
		context.cancel();
		Outcome outcome = runUnder(context, "INSERT INTO " + this.table + " VALUES (1)");
		outcome.assertStoppedBy(ContextCancelledException.class, this);
		assertThat(this.rejected).hasValue(1);
		assertThat(this.monitor.sql("SELECT COUNT(*) FROM " + this.table).query(Integer.class).single()).isZero();
	}

	@Test
	void transactionTimeoutShorterThanDeadlineWins() {
		TransactionTemplate transaction = transaction(1);
		String marker = marker();
		long start = System.nanoTime();
		try (CancellableContext context = Context.background().withTimeout(Duration.ofSeconds(8))) {
			Outcome outcome = Outcome.of(() -> context
				.call(() -> transaction.execute((status) -> this.jdbc.sql(slowSql(10, marker)).query().listOfRows())));
			long elapsed = millisSince(start);
			assertThat(context.isDone()).isFalse();
			assertThat(elapsed).as("elapsed ms").isBetween(900L, 4_000L);
			if (outcome.failure != null) {
				assertThat(rootCause(outcome.failure)).isNotInstanceOf(DeadlineExceededException.class);
			}
			assertGoneOnServer(marker);
		}
	}

	@Test
	void deadlineShorterThanTransactionTimeoutWins() {
		TransactionTemplate transaction = transaction(5);
		String marker = marker();
		long start = System.nanoTime();
		Outcome outcome = runUnder(Context.background().withTimeout(Duration.ofMillis(500)),
				() -> transaction.execute((status) -> this.jdbc.sql(slowSql(10, marker)).query().listOfRows()));
		long elapsed = millisSince(start);
		assertThat(elapsed).as("elapsed ms").isBetween(450L, 3_000L);
		assertGoneOnServer(marker);
		outcome.assertStoppedBy(DeadlineExceededException.class, this);
	}

	@Test
	void deadlineOfBlockInsideTransactionStopsItsStatementOnly() throws Exception {
		TransactionTemplate transaction = transaction(-1);
		String marker = marker();
		try (CancellableContext request = Context.background().withCancel()) {
			// The transaction's connection is acquired under the request's context; the
			// block inside it has a deadline of its own
			Outcome outcome = Outcome.of(() -> request.call(() -> transaction.execute((status) -> {
				this.jdbc.sql("INSERT INTO " + this.table + " VALUES (1)").update();
				try (CancellableContext block = Context.current().withTimeout(Duration.ofMillis(500))) {
					return block.call(() -> this.jdbc.sql(slowSql(10, marker)).query().listOfRows());
				}
				catch (Exception ex) {
					throw (ex instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
				}
			})));
			assertGoneOnServer(marker);
			outcome.assertStoppedBy(DeadlineExceededException.class, this);
			assertThat(request.isDone()).isFalse();
			if (outcome.failure() != null) {
				assertThat(this.monitor.sql("SELECT COUNT(*) FROM " + this.table).query(Integer.class).single())
					.isZero();
			}
		}
	}

	@Test
	void cancelledStatementRollsBackItsTransaction() {
		TransactionTemplate transaction = transaction(-1);
		Outcome outcome = runUnder(Context.background().withTimeout(Duration.ofMillis(500)),
				() -> transaction.execute((status) -> {
					this.jdbc.sql("INSERT INTO " + this.table + " VALUES (1)").update();
					return this.jdbc.sql(slowSql(10, marker())).query().listOfRows();
				}));
		outcome.assertStoppedBy(DeadlineExceededException.class, this);
		assertThat(this.monitor.sql("SELECT COUNT(*) FROM " + this.table).query(Integer.class).single()).isZero();
		// Every pooled connection can run a transaction again (none is left aborted)
		for (int i = 0; i < 8; i++) {
			transaction.executeWithoutResult((status) -> this.jdbc.sql("INSERT INTO " + this.table + " VALUES (2)").update());
		}
		assertThat(this.monitor.sql("SELECT COUNT(*) FROM " + this.table).query(Integer.class).single()).isEqualTo(8);
	}

	@Test
	@Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
	void contextDoneBeforeTheDriverSendsTheStatementStillStopsIt() throws Exception {
		String marker = marker();
		CancellableContext context = Context.background().withCancel();
		try (Connection connection = context.call(this.dataSource::getConnection);
				Statement statement = connection.createStatement();
				Scope scope = context.attach()) {
			ContextAwareStatement<?> wrapper = (ContextAwareStatement<?>) statement;
			// What every execute* method does first: the statement is marked executing
			Execution execution = wrapper.begin();
			// The context ends in the moment before the driver sends the statement: the
			// cancel finds nothing to cancel yet (pgjdbc ignores it, H2 has no command,
			// MariaDB's KILL QUERY finds no query)
			context.cancel();
			await().atMost(Duration.ofSeconds(5)).until(() -> execution.toString().contains("CANCELLING"));
			synchronized (execution) {
				// The guard holds its monitor until cancel() returned: the first cancel is over
				assertThat(execution.toString()).contains("CANCELLING");
			}
			long start = System.nanoTime();
			Outcome outcome = Outcome.of(() -> {
				try {
					return wrapper.target.execute(slowSql(10, marker));
				}
				catch (SQLException ex) {
					throw execution.failed(ex);
				}
				finally {
					execution.end();
				}
			});
			long elapsed = millisSince(start);
			assertGoneOnServer(marker);
			assertThat(elapsed).as("elapsed ms").isLessThan(3_000L);
			if (outcome.failure() != null) {
				assertThat(outcome.failure()).isInstanceOf(ContextCancelledSQLException.class)
					.hasCauseInstanceOf(ContextCancelledException.class);
			}
			else {
				assertThat(stoppedStatementMayReturn()).as("statement returned " + outcome.result()).isTrue();
			}
			assertThat(this.cancelled).hasValue(1);
		}
	}

	@Test
	void cancelRacingCompletionNeverHitsLaterStatement() throws Exception {
		// The statement registers a guard of its own: the connection was acquired
		// without a context
		raceCancelsAgainstCompletion(false);
	}

	@Test
	void cancelRacingCompletionOnTheCheckoutGuardNeverHitsLaterStatement() throws Exception {
		// The statement runs on the guard the connection was acquired with
		raceCancelsAgainstCompletion(true);
	}

	private void raceCancelsAgainstCompletion(boolean acquireUnderContext) throws Exception {
		// One pooled connection, checked out for each iteration as JdbcTemplate does
		HikariDataSource single = database().pool(getClass().getSimpleName() + "-race", 1);
		ContextAwareDataSource raceDataSource = new ContextAwareDataSource(single, this.dataSource.listener());
		ExecutorService canceller = Executors.newSingleThreadExecutor();
		int stoppedFirst = 0;
		int spurious = 0;
		long start = System.nanoTime();
		try {
			long briefNanos = calibrate(raceDataSource);
			for (int i = 0; i < RACE_ITERATIONS; i++) {
				CancellableContext context = Context.background().withCancel();
				// Cancel from the middle of the statement to after it ended: most cancels
				// land around completion, where the race is
				long delay = briefNanos / 2 + ThreadLocalRandom.current().nextLong(3 * briefNanos / 2 + 1);
				CountDownLatch go = new CountDownLatch(1);
				Future<?> cancel = canceller.submit(() -> {
					go.await();
					long until = System.nanoTime() + delay;
					while (System.nanoTime() < until) {
						Thread.onSpinWait();
					}
					context.cancel();
					return null;
				});
				try (Connection connection = acquireUnderContext ? context.call(raceDataSource::getConnection)
						: raceDataSource.getConnection()) {
					try (Scope scope = context.attach();
							PreparedStatement statement = connection.prepareStatement(briefSql())) {
						go.countDown();
						statement.executeQuery().close();
					}
					catch (ContextCancelledSQLException ex) {
						stoppedFirst++;
					}
					catch (SQLException ex) {
						// Failed although its own context was not the cause: an earlier cancel
						spurious++;
					}
					cancel.get();
					// The next statement, without a context: a cancel meant for the first
					// one must never reach it
					try (Statement statement = connection.createStatement();
							ResultSet result = statement.executeQuery("SELECT 1")) {
						result.next();
					}
					catch (SQLException ex) {
						spurious++;
					}
				}
			}
		}
		finally {
			canceller.shutdownNow();
			single.close();
		}
		long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
		System.out.printf("%s race (%s): %d iterations in %d s, %d cancels during execution, %d first statements"
				+ " stopped, %d later statements hit%n", database(),
				acquireUnderContext ? "checkout guard" : "own guard", RACE_ITERATIONS, seconds, this.cancelled.get(),
				stoppedFirst, spurious);
		assertThat(spurious).as("later statements hit by a cancel").isZero();
		// The race was real: some cancels landed while the first statement ran
		assertThat(this.cancelled.get()).as("cancels during execution").isPositive();
	}

	@Test
	void cancellationLatency() {
		long[] latencies = new long[LATENCY_TRIES];
		for (int i = 0; i < LATENCY_TRIES; i++) {
			String marker = marker();
			Duration timeout = Duration.ofMillis(100);
			long deadline = System.nanoTime() + timeout.toNanos();
			runUnder(Context.background().withTimeout(timeout), slowSql(10, marker));
			latencies[i] = System.nanoTime() - deadline;
			assertThat(running(marker)).as("still running on the server").isZero();
		}
		Arrays.sort(latencies);
		double p50 = latencies[(int) (LATENCY_TRIES * 0.50)] / 1e6;
		double p99 = latencies[Math.min(LATENCY_TRIES - 1, (int) Math.ceil(LATENCY_TRIES * 0.99) - 1)] / 1e6;
		double max = latencies[LATENCY_TRIES - 1] / 1e6;
		System.out.printf("%s cancellation latency over %d tries: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", database(),
				LATENCY_TRIES, p50, p99, max);
		// Generous bound for a loaded CI machine; the measured numbers are in docs/benchmarks.md (JDBC)
		assertThat(p99).as("p99 ms").isLessThan(1_000);
	}

	/**
	 * Returns the median time of a checkout and brief statement, once warm: a mean over
	 * cold runs (the first connection, the JIT) overestimates it, and the cancels of the
	 * race then land after most statements instead of around their completion.
	 */
	private long calibrate(DataSource dataSource) throws SQLException {
		long[] nanos = new long[101];
		for (int i = -50; i < nanos.length; i++) {
			long start = System.nanoTime();
			try (Connection connection = dataSource.getConnection();
					PreparedStatement statement = connection.prepareStatement(briefSql())) {
				statement.executeQuery().close();
			}
			if (i >= 0) {
				nanos[i] = System.nanoTime() - start;
			}
		}
		Arrays.sort(nanos);
		return nanos[nanos.length / 2];
	}

	private TransactionTemplate transaction(int timeoutSeconds) {
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
		transaction.setTimeout(timeoutSeconds);
		return transaction;
	}

	void assertGoneOnServer(String marker) {
		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(running(marker)).isZero());
	}

	Outcome runUnder(CancellableContext context, String sql) {
		return runUnder(context, () -> this.jdbc.sql(sql).query().listOfRows());
	}

	Outcome runUnder(CancellableContext context, ThrowingSupplier work) {
		try (context) {
			return Outcome.of(() -> context.call(work::get));
		}
	}

	/**
	 * Whether a statement stopped on the server may return normally instead of failing
	 * (MariaDB's killed {@code SLEEP()} sometimes returns 1).
	 */
	boolean stoppedStatementMayReturn() {
		return false;
	}

	static String marker() {
		return "ctx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
	}

	static long millisSince(long start) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

	static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	@FunctionalInterface
	interface ThrowingSupplier {

		@Nullable Object get() throws Exception;

	}

	record Outcome(@Nullable Object result, @Nullable Throwable failure) {

		static Outcome of(ThrowingSupplier work) {
			try {
				return new Outcome(work.get(), null);
			}
			catch (Throwable ex) {
				return new Outcome(null, ex);
			}
		}

		void assertStoppedBy(Class<? extends Throwable> err, AbstractDatabaseCancellationTests test) {
			if (this.failure == null) {
				assertThat(test.stoppedStatementMayReturn()).as("statement returned " + this.result + " instead of failing")
					.isTrue();
				return;
			}
			// Spring translated our SQLException, whose cause is the context's err()
			assertThat(this.failure).isInstanceOf(DataAccessException.class);
			assertThat(this.failure.getCause()).isInstanceOf(SQLException.class);
			assertThat(((SQLException) this.failure.getCause()).getSQLState()).isEqualTo("57014");
			assertThat(this.failure.getCause().getCause()).isInstanceOf(err);
		}

	}

}
