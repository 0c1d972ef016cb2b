package dev.ctx.boot.autoconfigure.jdbc;

import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import dev.ctx.spring.CancellationReason;
import dev.ctx.spring.jdbc.ContextAwareDataSource;
import dev.ctx.spring.jdbc.TestDatabase;
import dev.ctx.spring.micrometer.ContextMeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4's proof, end to end: a real Spring Boot application on embedded Tomcat with a
 * HikariCP pool on a real database, called by real HTTP clients. A slow statement run by
 * a controller that knows nothing of contexts is stopped on the database server when the
 * request's deadline passes or its client goes away, the pool is healthy afterwards,
 * and {@code @Transactional(timeout = ...)} and the request deadline interact so that
 * the earlier one wins. What the server runs is checked from a separate connection.
 * Subclasses choose the database.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class AbstractJdbcHttpEndToEndTests {

	/** Upper bound for "about 500 ms" on a machine shared with other builds. */
	private static final Duration PROMPT = Duration.ofSeconds(2);

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private ConfigurableApplicationContext application;

	private JdbcEndToEndApplication.Recorder recorder;

	private HikariDataSource pool;

	private MeterRegistry meters;

	private Connection monitor;

	private int port;

	abstract TestDatabase database();

	/** A statement that runs for about ten seconds, with the marker in its text. */
	abstract String slowSql(String marker);

	/**
	 * Counts the statements other sessions are running whose text contains the marker.
	 */
	abstract String runningSql();

	/**
	 * Whether a statement stopped on the server may return normally instead of failing
	 * (MariaDB's killed {@code SLEEP()} returns 1). The handler then returns normally too,
	 * and the starter keeps its response (a late completion).
	 */
	boolean stoppedStatementMayReturn() {
		return false;
	}

	@BeforeAll
	void startApplication() throws Exception {
		TestDatabase database = database();
		this.application = new SpringApplicationBuilder(JdbcEndToEndApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.datasource.url=" + database.url(),
					"spring.datasource.username=" + database.user(),
					"spring.datasource.password=" + database.password(),
					"spring.datasource.hikari.pool-name=e2e-" + database.name().toLowerCase(),
					// Small: the fast requests afterwards reuse the connections whose
					// statements were cancelled
					"spring.datasource.hikari.maximum-pool-size=2", "context.web.default-timeout=20s")
			.initializers((context) -> context.getBeanFactory()
				.registerSingleton("slowQuery", (JdbcEndToEndApplication.SlowQuery) this::slowSql))
			.run();
		this.port = ((WebServerApplicationContext) this.application).getWebServer().getPort();
		this.recorder = this.application.getBean(JdbcEndToEndApplication.Recorder.class);
		DataSource dataSource = this.application.getBean(DataSource.class);
		assertThat(dataSource).isInstanceOf(HikariDataSource.class);
		assertThat(dataSource.isWrapperFor(ContextAwareDataSource.class)).isTrue();
		this.pool = DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class, HikariDataSource.class);
		assertThat(this.pool).isNotNull();
		this.meters = this.application.getBean(MeterRegistry.class);
		this.monitor = database.connect();
		// The timings are about cancellation, not about a cold JVM: serve a few requests
		// first, including a timeout response (a zero budget answers at once)
		for (int i = 0; i < 20; i++) {
			assertFastRequestSucceeds(i);
		}
		HttpResponse<String> timedOut = this.client.send(request("/fast?n=0").header("Request-Timeout-Ms", "0").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(timedOut.statusCode()).isEqualTo(503);
	}

	@AfterAll
	void stopApplication() throws SQLException {
		if (this.monitor != null) {
			this.monitor.close();
		}
		if (this.application != null) {
			this.application.close();
		}
	}

	@BeforeEach
	void awaitIdle() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.active.get() == 0);
	}

	@Test
	void deadlineAnswersTimeoutResponseAndStopsQueryOnServer() throws Exception {
		String marker = marker();
		int deadlines = this.recorder.cancellations(CancellationReason.DEADLINE_EXCEEDED);
		double stopped = jdbcCancellations(CancellationReason.DEADLINE_EXCEEDED);
		Timed timed = send("/slow?marker=" + marker, "500", marker);
		System.out.printf("%s deadline 500 ms: answered %d after %d ms (statement seen running: %s)%n", database(),
				timed.response.statusCode(), timed.millis, timed.seenRunning);
		assertTimeoutResponse(timed.response);
		assertThat(timed.millis).as("ms until the answer").isGreaterThanOrEqualTo(450L).isLessThan(PROMPT.toMillis());
		assertGoneOnServer(marker);
		assertThat(this.recorder.cancellations(CancellationReason.DEADLINE_EXCEEDED)).isEqualTo(deadlines + 1);
		// Stopped by the starter for the deadline, not by a driver's query timeout alone
		assertThat(jdbcCancellations(CancellationReason.DEADLINE_EXCEEDED)).isEqualTo(stopped + 1);
		assertPoolHealthyAndServing();
	}

	@Test
	void clientDisconnectCancelsContextAndStopsQueryOnServer() throws Exception {
		String marker = marker();
		int disconnects = this.recorder.cancellations(CancellationReason.CLIENT_DISCONNECTED);
		int finished = this.recorder.finished.get();
		double stopped = jdbcCancellations(CancellationReason.CLIENT_DISCONNECTED);
		long closedAt;
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			long sentAt = System.nanoTime();
			socket.getOutputStream()
				.write(("GET /slow?marker=" + marker + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			// The statement must be on the server before the client leaves, or there would
			// be nothing to stop
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> running(marker) == 1);
			long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
			if (waited < 300) {
				Thread.sleep(300 - waited);
			}
			closedAt = System.nanoTime();
		}
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> this.recorder.cancellations(CancellationReason.CLIENT_DISCONNECTED) == disconnects + 1);
		long cancelledMillis = TimeUnit.NANOSECONDS.toMillis(this.recorder.lastCancelNanos - closedAt);
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> running(marker) == 0);
		long goneMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.finished.get() == finished + 1);
		long finishedMillis = TimeUnit.NANOSECONDS.toMillis(this.recorder.lastFinishedNanos - closedAt);
		System.out.printf("%s client close: context cancelled after %d ms, statement gone after %d ms (polled),"
				+ " handler ended after %d ms%n", database(), cancelledMillis, goneMillis, finishedMillis);
		assertThat(cancelledMillis).as("ms until the context was cancelled").isLessThan(PROMPT.toMillis());
		assertThat(goneMillis).as("ms until the statement was gone").isLessThan(PROMPT.toMillis());
		assertThat(finishedMillis).as("ms until the handler ended").isLessThan(PROMPT.toMillis());
		assertThat(jdbcCancellations(CancellationReason.CLIENT_DISCONNECTED)).isEqualTo(stopped + 1);
		assertPoolHealthyAndServing();
	}

	@Test
	void transactionTimeoutShorterThanDeadlineStopsQueryFirst() throws Exception {
		String marker = marker();
		int deadlines = this.recorder.cancellations(CancellationReason.DEADLINE_EXCEEDED);
		double stopped = jdbcStatementsCancelled();
		Timed timed = send("/slow-in-transaction?timeout=1&marker=" + marker, "5000", marker);
		System.out.printf("%s deadline 5 s, @Transactional(timeout = 1): answered %d after %d ms"
				+ " (statement seen running: %s): %s%n", database(), timed.response.statusCode(), timed.millis,
				timed.seenRunning, timed.response.body());
		// Stopped by the transaction's query timeout near 1 s, long before the deadline
		assertThat(timed.millis).as("ms until the answer").isBetween(900L, 1_000L + PROMPT.toMillis());
		assertThat(timed.seenRunning).as("statement seen running on the server").isTrue();
		assertGoneOnServer(marker);
		// Not the context's doing: no deadline passed, so no timeout response; Spring
		// answers a transaction timeout like any other failure
		assertThat(this.recorder.cancellations(CancellationReason.DEADLINE_EXCEEDED)).isEqualTo(deadlines);
		assertThat(jdbcStatementsCancelled()).isEqualTo(stopped);
		assertThat(timed.response.body()).doesNotContain("deadline_exceeded");
		if (!(stoppedStatementMayReturn() && timed.response.statusCode() == 200)) {
			assertThat(timed.response.statusCode()).isEqualTo(500);
		}
		assertPoolHealthyAndServing();
		// H2 keeps a statement's query timeout on its session (JdbcStatement.setQueryTimeout
		// sets it on the connection), so the pooled connections would stop every later
		// statement after 1 s: fresh connections keep the other tests independent of this one
		this.pool.getHikariPoolMXBean().softEvictConnections();
	}

	@Test
	void deadlineShorterThanTransactionTimeoutStopsQueryFirst() throws Exception {
		String marker = marker();
		int deadlines = this.recorder.cancellations(CancellationReason.DEADLINE_EXCEEDED);
		double stopped = jdbcCancellations(CancellationReason.DEADLINE_EXCEEDED);
		Timed timed = send("/slow-in-transaction?timeout=5&marker=" + marker, "500", marker);
		System.out.printf("%s deadline 500 ms, @Transactional(timeout = 5): answered %d after %d ms"
				+ " (statement seen running: %s)%n", database(), timed.response.statusCode(), timed.millis,
				timed.seenRunning);
		assertTimeoutResponse(timed.response);
		assertThat(timed.millis).as("ms until the answer").isGreaterThanOrEqualTo(450L).isLessThan(PROMPT.toMillis());
		assertGoneOnServer(marker);
		assertThat(this.recorder.cancellations(CancellationReason.DEADLINE_EXCEEDED)).isEqualTo(deadlines + 1);
		assertThat(jdbcCancellations(CancellationReason.DEADLINE_EXCEEDED)).isEqualTo(stopped + 1);
		assertPoolHealthyAndServing();
	}

	/** Statements the starter stopped (or found stopped) because their context was done. */
	private double jdbcCancellations(CancellationReason reason) {
		Counter counter = this.meters.find(ContextMeterNames.CANCELLATIONS)
			.tag(ContextMeterNames.REASON, reason.value())
			.tag(ContextMeterNames.SOURCE, "jdbc")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private double jdbcStatementsCancelled() {
		return this.meters.find(ContextMeterNames.JDBC_STATEMENTS_CANCELLED)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private void assertTimeoutResponse(HttpResponse<String> response) {
		if (stoppedStatementMayReturn() && response.statusCode() == 200) {
			// The killed statement returned normally, so did the handler: the starter keeps
			// a response the application produced and counts it as late
			assertThat(response.body()).isEqualTo("returned 1");
			assertThat(this.recorder.lateCompletions.get()).isPositive();
			return;
		}
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains("\"reason\":\"deadline_exceeded\"").contains("\"status\":503");
	}

	/**
	 * No connection is left checked out, and the pool's connections, which just ran the
	 * stopped statements, serve the next 100 requests.
	 */
	private void assertPoolHealthyAndServing() throws Exception {
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.pool.getHikariPoolMXBean().getActiveConnections()).isZero());
		for (int i = 0; i < 100; i++) {
			assertFastRequestSucceeds(i);
		}
		assertThat(this.pool.getHikariPoolMXBean().getActiveConnections()).isZero();
	}

	private void assertFastRequestSucceeds(int n) throws Exception {
		HttpResponse<String> response = this.client.send(request("/fast?n=" + n).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("request %d: %s", n, response.body()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("returned " + n);
	}

	/**
	 * Sends a request with a {@code Request-Timeout-Ms} header and, until it is answered,
	 * watches the server for the marked statement.
	 */
	private Timed send(String path, String timeoutMillis, String marker) throws Exception {
		long start = System.nanoTime();
		CompletableFuture<HttpResponse<String>> future = this.client.sendAsync(
				request(path).header("Request-Timeout-Ms", timeoutMillis).build(),
				HttpResponse.BodyHandlers.ofString());
		boolean seenRunning = false;
		while (!future.isDone()) {
			seenRunning |= running(marker) > 0;
			Thread.sleep(20);
		}
		HttpResponse<String> response = future.get();
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		return new Timed(response, millis, seenRunning);
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30));
	}

	private void assertGoneOnServer(String marker) {
		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(running(marker)).isZero());
	}

	private int running(String marker) throws SQLException {
		try (PreparedStatement statement = this.monitor.prepareStatement(runningSql())) {
			statement.setString(1, "%" + marker + "%");
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getInt(1);
			}
		}
	}

	private static String marker() {
		return "ctx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
	}

	private record Timed(HttpResponse<String> response, long millis, boolean seenRunning) {

	}

}
