package dev.ctx.sample;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code postgres} profile against the real PostgreSQL server
 * ({@code CONTEXT_TEST_PG_URL}, default {@code jdbc:postgresql://127.0.0.1:5432/test}):
 * the same API, with the report scan sleeping in {@code pg_sleep}. Skipped when the
 * server is not reachable, unless {@code CI} is set.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
class PostgresProfileTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ReportLedger ledger;

	@BeforeAll
	static void postgresIsRunning() {
		String url = System.getenv().getOrDefault("CONTEXT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
		URI uri = URI.create(url.substring("jdbc:".length()));
		int port = (uri.getPort() != -1) ? uri.getPort() : 5432;
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(uri.getHost(), port), 2000);
		}
		catch (IOException ex) {
			String message = "PostgreSQL is not reachable at " + url + ": " + ex;
			if (System.getenv("CI") != null) {
				fail(message + " (required when CI is set)");
			}
			assumeTrue(false, message + "; skipping the postgres profile tests");
		}
	}

	@Test
	void ordersShouldComeFromPostgres() throws Exception {
		assertThat(this.jdbc.sql("SELECT version()").query(String.class).single()).startsWith("PostgreSQL");
		HttpResponse<String> response = new Http(this.port).get("/api/orders");
		assertThat(response.statusCode()).isEqualTo(200);
		List<String> customers = Http.json(response, "$.orders[*].customer");
		assertThat(customers).contains("Ada Lovelace", "Ken Thompson");
	}

	@Test
	void dashboardPastItsDeadlineShouldAnswer503() throws Exception {
		HttpResponse<String> response = new Http(this.port).get("/api/reports/dashboard?seconds=2.5");
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(Http.<String>json(response, "$.reason")).isEqualTo("deadline_exceeded");
		ReportLedger.Entry entry = latest("dashboard");
		assertThat(entry.intendedMillis()).isEqualTo(2500);
		assertThat(entry.reason()).isEqualTo("deadline_exceeded");
		// Without JDBC cancellation pg_sleep runs to its end and the query is "late"
		assertThat(entry.outcome()).isIn("late", "cancelled");
	}

	@Test
	void dashboardPastItsDeadlineShouldCancelPgSleep() throws Exception {
		long started = System.nanoTime();
		HttpResponse<String> response = new Http(this.port).get("/api/reports/dashboard?seconds=30");
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(took).isLessThan(Duration.ofSeconds(10));
		ReportLedger.Entry entry = latest("dashboard");
		assertThat(entry.outcome()).isEqualTo("cancelled");
		assertThat(entry.reason()).isEqualTo("deadline_exceeded");
		assertThat(entry.actualMillis()).isLessThan(10_000);
		assertThat(entry.savedMillis()).isGreaterThan(20_000);
	}

	private ReportLedger.Entry latest(String report) {
		return this.ledger.recent().stream().filter((entry) -> entry.report().equals(report)).findFirst().orElseThrow();
	}

}
