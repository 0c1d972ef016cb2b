package dev.ctx.soak;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The database hangs on PostgreSQL: another transaction holds {@code LOCK TABLE ... IN
 * ACCESS EXCLUSIVE MODE} on the table every request updates. Requests must answer with
 * the timeout response at their deadline (not when the lock goes away), their statements
 * must be gone from {@code pg_stat_activity} while the lock is still held (PostgreSQL's
 * cancel ends a lock wait, which H2's does not: see
 * {@link SoakTests#h2RowLockAnswersTimeoutResponseAndPoolRecovers()}), and the pool must
 * serve again once the lock is released.
 *
 * <p>Runs against the PostgreSQL server of this project's machines
 * ({@code CONTEXT_TEST_PG_URL}, {@code _USER}, {@code _PASSWORD}, as the JDBC tests of
 * the autoconfigure module); skipped when it is unreachable, except on CI ({@code CI}
 * set), where that is a failure.
 */
class PostgresLockFaultTests {

	private static final String URL = env("CONTEXT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");

	private static final String USER = env("CONTEXT_TEST_PG_USER", "postgres");

	private static final String PASSWORD = env("CONTEXT_TEST_PG_PASSWORD", "");

	private static final int BUDGET_MS = 300;

	@Test
	void lockTableAnswersAtDeadlineAndPoolRecovers() throws Exception {
		requirePostgres();
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE IF NOT EXISTS accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
			statement.execute("INSERT INTO accounts VALUES (1, 0) ON CONFLICT (id) DO NOTHING");
		}
		int logMark = CapturingAppender.mark();
		// The instance's name is its connections' application_name, which is how the
		// running-statement check finds them in pg_stat_activity
		try (SoakInstance pg = SoakInstance.start("pg-lock", "spring.datasource.url=" + URL,
				"spring.datasource.username=" + USER, "spring.datasource.password=" + PASSWORD,
				"spring.datasource.hikari.data-source-properties.ApplicationName=pg-lock")) {
			HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			// Warm the pool and the statement path: the first request must not pay for them
			HttpResponse<String> before = send(client, pg, null);
			List<CompletableFuture<HttpResponse<String>>> blocked = new ArrayList<>();
			List<Long> elapsed = new ArrayList<>();
			List<String> runningWhileLocked;
			try (Connection holder = connect()) {
				holder.setAutoCommit(false);
				try (Statement statement = holder.createStatement()) {
					statement.execute("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE");
				}
				long start = System.nanoTime();
				for (int i = 0; i < Quiescence.SERVER_THREADS; i++) {
					blocked.add(sendAsync(client, pg, BUDGET_MS).whenComplete((response, failure) -> {
						synchronized (elapsed) {
							elapsed.add((System.nanoTime() - start) / 1_000_000);
						}
					}));
				}
				for (CompletableFuture<HttpResponse<String>> response : blocked) {
					response.get(30, TimeUnit.SECONDS);
				}
				// Still locked: the requests' statements must already be gone
				runningWhileLocked = pg.runningStatements();
				holder.rollback();
			}
			List<CompletableFuture<HttpResponse<String>>> after = new ArrayList<>();
			for (int i = 0; i < Quiescence.SERVER_THREADS; i++) {
				after.add(sendAsync(client, pg, null));
			}
			long afterOk = 0;
			for (CompletableFuture<HttpResponse<String>> response : after) {
				afterOk += (response.get(30, TimeUnit.SECONDS).statusCode() == 200) ? 1 : 0;
			}
			boolean idle = Quiescence.awaitIdle(Duration.ofSeconds(30), pg);

			Invariants table = new Invariants(
					"Fault: LOCK TABLE held by another transaction (PostgreSQL), " + BUDGET_MS + " ms budgets");
			table.check("before the lock: /lock answers", before.statusCode(), "= 200", before.statusCode() == 200);
			Quiescence.checkTimeoutAnswers(table, blocked);
			long fastest = elapsed.stream().mapToLong(Long::longValue).min().orElse(-1);
			long slowest = elapsed.stream().mapToLong(Long::longValue).max().orElse(-1);
			table.check("fastest answer (not before the deadline)", fastest + " ms", ">= " + BUDGET_MS + " ms",
					fastest >= BUDGET_MS);
			table.check("slowest answer (at the deadline, not at the lock's release)", slowest + " ms",
					"< " + BUDGET_MS + " ms + 1.5 s", slowest < BUDGET_MS + 1_500);
			table.check("statements of the app in pg_stat_activity while the lock is still held",
					runningWhileLocked.size(), "= 0", runningWhileLocked.isEmpty());
			runningWhileLocked.forEach((statement) -> table.note("running: " + statement));
			double cancelled = pg.meters()
				.find("context.jdbc.statements.cancelled")
				.counters()
				.stream()
				.mapToDouble(Counter::count)
				.sum();
			table.check("context.jdbc.statements.cancelled", (long) cancelled, ">= " + blocked.size(),
					cancelled >= blocked.size());
			table.check("after the lock is released: concurrent /lock answer 200", afterOk + " of " + after.size(),
					"= all", afterOk == after.size());
			table.check("settled", idle, "true", idle);
			Quiescence.checkTimers(table);
			Quiescence.checkInstance(table, pg);
			Quiescence.checkLogs(table, logMark, (event) -> false);
			SoakSettings.report(table.table());
			table.assertAllHold();
		}
	}

	private static HttpResponse<String> send(HttpClient client, SoakInstance instance, Integer budgetMs)
			throws Exception {
		return sendAsync(client, instance, budgetMs).get(30, TimeUnit.SECONDS);
	}

	private static CompletableFuture<HttpResponse<String>> sendAsync(HttpClient client, SoakInstance instance,
			Integer budgetMs) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(instance.url("/lock")))
			.timeout(Duration.ofSeconds(30));
		if (budgetMs != null) {
			request.header("Request-Timeout-Ms", budgetMs.toString());
		}
		return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static void requirePostgres() {
		DriverManager.setLoginTimeout(5);
		try (Connection connection = connect()) {
			if (connection.isValid(5)) {
				return;
			}
		}
		catch (SQLException ex) {
			// unreachable: below
		}
		String message = "PostgreSQL is not reachable at " + URL + " (set CONTEXT_TEST_PG_URL/_USER/_PASSWORD)";
		if (System.getenv("CI") != null) {
			throw new IllegalStateException(message + "; CI is set, so this is a failure, not a skip");
		}
		Assumptions.abort(message);
	}

	private static Connection connect() throws SQLException {
		return DriverManager.getConnection(URL, USER, PASSWORD);
	}

	private static String env(String name, String defaultValue) {
		String value = System.getenv(name);
		return (value != null) ? value : defaultValue;
	}

}
