package dev.ctx.soak;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.ctx.soak.SoakLoad.Scenario;
import dev.ctx.soak.SoakLoad.Tally;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import org.awaitility.core.ConditionTimeoutException;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The soak: two instances of the {@link SoakApplication} (a main one and the downstream it
 * calls) under the {@link SoakLoad mix}, then faults, each followed by the checks that
 * nothing leaked and nothing was lost. Bounds come from {@code soak.*} system properties;
 * the pom's defaults are the short profile that every {@code ./mvnw verify} runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SoakTests {

	private final AtomicLong ids = new AtomicLong();

	private Server remoteDatabase;


	private TcpProxy remoteLink;

	private SoakInstance downstream;

	private SoakInstance main;

	private long slowRows;

	private long bigRows;

	private long bigQueryMillis;

	@BeforeAll
	void start() throws Exception {
		// A file database: H2 closes a database whose sessions were all reset, and a file
		// database, unlike an in-memory one, opens again on the next connection
		this.remoteDatabase = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir",
				Files.createTempDirectory("soak-remote-db").toString()).start();
		this.remoteLink = new TcpProxy(this.remoteDatabase.getPort()).up();
		this.downstream = SoakInstance.start("downstream");
		this.main = SoakInstance.start("main", "soak.downstream-url=http://127.0.0.1:" + this.downstream.port,
				"soak.remote-db-url=jdbc:h2:tcp://127.0.0.1:" + this.remoteLink.port() + "/remote",
				"soak.expect.async-propagation=" + SoakSettings.expect("async-propagation", false));
		calibrate();
	}

	@AfterAll
	void stop() {
		if (this.main != null) {
			this.main.close();
		}
		if (this.downstream != null) {
			this.downstream.close();
		}
		if (this.remoteLink != null) {
			try {
				this.remoteLink.close();
			}
			catch (IOException ex) {
				// Stopping anyway
			}
		}
		if (this.remoteDatabase != null) {
			this.remoteDatabase.stop();
		}
	}

	/**
	 * Sizes the queries to this machine: a slow query of about 5 ms, and one of about
	 * 40 ms that outlives the 5 ms budgets of the mix.
	 */
	private void calibrate() {
		JdbcClient jdbc = JdbcClient.create(this.main.dataSource());
		long probeRows = 500_000;
		long best = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			long start = System.nanoTime();
			jdbc.sql(SoakController.SLOW_SQL).param(probeRows).query(Long.class).single();
			best = Math.min(best, System.nanoTime() - start);
		}
		double rowsPerMilli = probeRows / Math.max(0.001, best / 1_000_000.0);
		this.slowRows = Math.max(5_000, (long) (rowsPerMilli * 5));
		this.bigRows = Math.max(50_000, (long) (rowsPerMilli * 40));
		this.bigQueryMillis = (long) (this.bigRows / rowsPerMilli);
	}

	private SoakLoad.Settings settings(long requests, Duration duration) {
		return new SoakLoad.Settings(requests, duration, SoakSettings.concurrency(), SoakSettings.seed(), this.slowRows,
				this.bigRows, this.bigQueryMillis, SoakLoad.Settings.enabledScenarios(SoakSettings.skip()));
	}

	@Test
	@Order(1)
	void mixedLoadLeavesNothingBehindAndLosesNothing() throws Exception {
		// Warm up (JIT, pools, lazy initialization) so that the heap baseline means something
		new SoakLoad(this.main, settings(Math.min(1_000, SoakSettings.requests() / 10), Duration.ofSeconds(60)),
				this.ids).run();
		assertThat(Quiescence.awaitIdle(Duration.ofSeconds(30), this.main, this.downstream)).isTrue();
		long heapStart = Quiescence.heapAfterGc();
		int logMark = CapturingAppender.mark();
		long invalidBefore = this.main.ledger.invalidInboundHeaders.get();
		long downstreamCallsBefore = this.downstream.ledger.downstreamCalls.get();
		long deadlineHeadersBefore = this.downstream.ledger.downstreamWithDeadlineHeader.get();
		double disconnectCancellationsBefore = cancellations(this.main, "client_disconnected");
		SoakLoad.Settings settings = settings(SoakSettings.requests(), SoakSettings.duration());

		Tally tally = new SoakLoad(this.main, settings, this.ids).run();
		boolean idle = Quiescence.awaitIdle(Duration.ofSeconds(60), this.main, this.downstream);

		Invariants table = new Invariants("Soak: " + tally.total(tally.sent) + " requests");
		long sent = tally.total(tally.sent);
		table.info("requests sent (bound " + settings.requests() + " or " + settings.duration().toSeconds() + " s)",
				sent + (tally.stoppedByDuration ? " (stopped by the duration bound)" : ""));
		table.info("load duration", String.format("%.1f s, %.0f requests/s", tally.elapsedNanos / 1e9,
				sent / (tally.elapsedNanos / 1e9)));
		table.info("client threads / server threads", settings.concurrency() + " / " + Quiescence.SERVER_THREADS);
		table.info("query sizes (rows: slow / past-deadline, ~ms)", this.slowRows + " / " + this.bigRows + ", ~"
				+ this.bigQueryMillis + " ms");
		table.check("settled after the load (bounded wait 60 s)", idle, "true", idle);
		long answered = tally.total(tally.answered);
		long disconnects = tally.total(tally.disconnects);
		long failures = tally.total(tally.failures);
		table.check("requests answered exactly once or deliberately disconnected",
				(answered + disconnects) + " of " + sent, "= sent", answered + disconnects == sent
						&& tally.answeredIds.size() == answered);
		table.check("requests without a response (transport failures)", failures, "= 0", failures == 0);
		long unexpected = answered - tally.total(tally.asExpected);
		table.check("answers other than the scenario's expected one", unexpected, "= 0", unexpected == 0);
		long clientMismatches = tally.valueMismatches.sum();
		table.check("answers carrying another request's context values", clientMismatches, "= 0",
				clientMismatches == 0);
		table.info("past-deadline queries answered 200 because the deadline timer had not fired yet",
				tally.timerLate.sum());
		long malformedCounted = this.main.ledger.invalidInboundHeaders.get() - invalidBefore;
		long malformedSent = tally.malformedSent.sum();
		table.check("malformed inbound headers counted by the starter", malformedCounted + " of " + malformedSent,
				"= sent", malformedCounted == malformedSent);
		long downstreamCalls = this.downstream.ledger.downstreamCalls.get() - downstreamCallsBefore;
		long downstreamAnswered = tally.answered.get(Scenario.DOWNSTREAM).sum();
		table.check("downstream calls that reached the second instance", downstreamCalls + " of "
				+ downstreamAnswered, "= answered", downstreamCalls == downstreamAnswered);
		long deadlineHeaders = this.downstream.ledger.downstreamWithDeadlineHeader.get() - deadlineHeadersBefore;
		if (SoakSettings.expect("deadline-propagation", false)) {
			table.check("downstream calls carrying Request-Timeout-Ms", deadlineHeaders + " of " + downstreamCalls,
					"= calls", deadlineHeaders == downstreamCalls);
		}
		else {
			table.info("downstream calls carrying Request-Timeout-Ms (propagation not merged)", deadlineHeaders);
		}
		long midQuery = tally.disconnects.get(Scenario.DISCONNECT_MID_QUERY).sum();
		// Request contexts only (source=http); every disconnect scenario can produce one, so
		// the bound is on the mid-query ones, where the handler is blocked in the database
		double disconnectCancellations = cancellations(this.main, "client_disconnected") - disconnectCancellationsBefore;
		if (SoakSettings.expect("disconnect-detection", this.main.disconnectDetectionAvailable())) {
			table.check("request contexts cancelled as client_disconnected (all disconnect scenarios) vs mid-query disconnects",
					(long) disconnectCancellations + " vs " + midQuery, ">= half", disconnectCancellations * 2 >= midQuery);
		}
		else {
			table.info("client_disconnected cancellations (detection not merged)", (long) disconnectCancellations);
		}
		Timer lag = this.main.meters().find("context.cancellation.lag").timer();
		if (lag != null) {
			table.info("cancellation lag (context done -> request ended): mean / max",
					String.format("%.1f ms / %.1f ms", lag.mean(TimeUnit.MILLISECONDS), lag.max(TimeUnit.MILLISECONDS)));
		}
		table.info("JDBC statement cancellation (DataSource wrapped by the starter)",
				this.main.dataSourceWrappedByStarter());
		Quiescence.checkTimers(table);
		Quiescence.checkInstance(table, this.main);
		Quiescence.checkInstance(table, this.downstream);
		// No ERROR is expected from the mix: disconnects and deadlines are normal traffic
		Quiescence.checkLogs(table, logMark, (event) -> false);
		Quiescence.checkHeap(table, heapStart, 16L * 1024 * 1024 + 200 * sent);
		tally.samples.forEach((sample) -> table.note("client: " + sample));

		SoakSettings.report(table.table() + "\n" + mixTable(tally));
		table.assertAllHold();
	}

	private static double cancellations(SoakInstance instance, String reason) {
		return instance.meters().find("context.cancellations").tag("reason", reason).tag("source", "http").counters().stream()
			.mapToDouble(Counter::count).sum();
	}

	private static String mixTable(Tally tally) {
		StringBuilder table = new StringBuilder("| scenario | sent | answered | as expected | deliberate disconnects "
				+ "| no response | mean ms | max ms |\n|---|---|---|---|---|---|---|---|\n");
		for (Scenario scenario : Scenario.values()) {
			long answered = tally.answered.get(scenario).sum();
			table.append("| ").append(scenario).append(" | ").append(tally.sent.get(scenario).sum()).append(" | ")
				.append(answered).append(" | ").append(tally.asExpected.get(scenario).sum()).append(" | ")
				.append(tally.disconnects.get(scenario).sum()).append(" | ")
				.append(tally.failures.get(scenario).sum()).append(" | ")
				.append((answered > 0) ? tally.totalMillis.get(scenario).sum() / answered : "-").append(" | ")
				.append((answered > 0) ? tally.maxMillis.get(scenario).get() : "-").append(" |\n");
		}
		return table.toString();
	}

	/**
	 * Slow readers hold only their own server threads: the other requests keep being
	 * served, and once the slow readers' deadlines pass their threads come back.
	 */
	@Test
	@Order(2)
	void slowClientsHoldOnlyTheirOwnThreads() throws Exception {
		int logMark = CapturingAppender.mark();
		int kb = 8192;
		ExecutorService slowReaders = Executors.newFixedThreadPool(2);
		List<Future<SlowRead>> slow = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			long id = this.ids.incrementAndGet();
			slow.add(slowReaders.submit(() -> slowRead(id, kb)));
		}
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		long fastMax = 0;
		int fastOk = 0;
		for (int i = 0; i < 100; i++) {
			long id = this.ids.incrementAndGet();
			long start = System.nanoTime();
			HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(this.main.url("/fast")))
				.header("X-Req", Long.toString(id)).header("X-User", "alice").timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
			fastMax = Math.max(fastMax, (System.nanoTime() - start) / 1_000_000);
			if (response.statusCode() == 200 && response.body().startsWith("req=" + id + " user=alice")) {
				fastOk++;
			}
		}
		List<SlowRead> reads = new ArrayList<>();
		for (Future<SlowRead> read : slow) {
			reads.add(read.get(60, TimeUnit.SECONDS));
		}
		slowReaders.shutdown();
		boolean idle = Quiescence.awaitIdle(Duration.ofSeconds(30), this.main);

		Invariants table = new Invariants("Fault: two slow clients reading an 8 MB response, slowly for 3 s (past the 2 s deadline)");
		table.check("fast requests served meanwhile", fastOk + " of 100", "= 100", fastOk == 100);
		table.info("slowest of them", fastMax + " ms");
		for (SlowRead read : reads) {
			table.info("slow client: bytes read / time / ending", read.bytes + " B / " + read.millis + " ms / "
					+ read.ending);
			// A body cut at the deadline must not look complete: a client has to be able to tell.
			// KNOWN ISSUE in the web layer today: a ContextException thrown after the response is
			// committed is treated as handled, so the container ends the chunked body normally.
			// Once fixed, run with -Dsoak.expect.visible-truncation=true and make it the default.
			if (SoakSettings.expect("visible-truncation", false)) {
				table.check("slow client: response complete or visibly cut", read.ending,
						"not 'terminated but short'", !read.ending.startsWith("terminated but short"));
			}
			else {
				// Fails once the cut becomes visible ("cut, ..."), so that the toggle gets flipped; a
				// machine whose socket buffers take the whole body sees "complete" either way
				table.check("slow client: KNOWN ISSUE, body cut at the deadline looks complete", read.ending,
						"not 'cut' (flip soak.expect.visible-truncation once fixed)", !read.ending.startsWith("cut"));
			}
		}
		table.check("settled", idle, "true", idle);
		Quiescence.checkTimers(table);
		Quiescence.checkInstance(table, this.main);
		Quiescence.checkLogs(table, logMark, (event) -> false);
		SoakSettings.report(table.table());
		table.assertAllHold();
	}

	private SlowRead slowRead(long id, int kb) throws Exception {
		long start = System.nanoTime();
		try (Socket socket = RawHttp.openSmallWindow(this.main.port, Duration.ofSeconds(30))) {
			OutputStream out = socket.getOutputStream();
			out.write(RawHttp.head("GET", "/big?kb=" + kb, this.main.port, id, "bob"));
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream all = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			String ending;
			try {
				int n;
				long slowUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
				while ((n = in.read(buffer)) >= 0) {
					all.write(buffer, 0, n);
					// Slow for 3 s, past the 2 s deadline, then as fast as possible
					if (System.nanoTime() < slowUntil) {
						Thread.sleep(20);
					}
				}
				ending = ending(all.toByteArray(), id, kb);
			}
			catch (IOException ex) {
				ending = "connection failed mid-body (" + ex.getClass().getSimpleName() + ")";
			}
			return new SlowRead(all.size(), (System.nanoTime() - start) / 1_000_000, ending);
		}
	}

	private static String ending(byte[] bytes, long id, int kb) {
		String text = new String(bytes, StandardCharsets.ISO_8859_1);
		int expected = ("req=" + id + " user=bob\n").length() + kb * 1024;
		boolean chunked = text.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
		boolean terminated = !chunked || text.endsWith("\r\n0\r\n\r\n");
		int bodyLength;
		try {
			bodyLength = RawHttp.Response.parse(bytes).body().length();
		}
		catch (IOException ex) {
			return "cut mid-chunk, no terminating chunk (" + bytes.length + " B)";
		}
		if (!terminated) {
			return "cut, no terminating chunk";
		}
		return (bodyLength == expected) ? "complete" : "terminated but short: " + bodyLength + " of " + expected + " B";
	}

	private record SlowRead(long bytes, long millis, String ending) {
	}

	/**
	 * The database hangs: another transaction holds the row lock every /lock request needs.
	 * With JDBC statement cancellation, requests answer at their deadline; without it they
	 * wait for H2's lock timeout (4 s). Either way the pool recovers once the lock goes.
	 */
	@Test
	@Order(3)
	void h2RowLockAnswersTimeoutResponseAndPoolRecovers() throws Exception {
		int logMark = CapturingAppender.mark();
		// Measured with the JDBC part merged: H2's Statement.cancel() does not interrupt a
		// statement waiting for a row lock, so on H2 the wait still ends at the lock timeout
		// (PostgreSQL's cancel does end it). Only -Dsoak.expect.jdbc-cancellation=true asks
		// for the fast answer here.
		boolean jdbcCancellation = Boolean.getBoolean("soak.expect.jdbc-cancellation");
		assertThat(this.main.dataSourceWrappedByStarter()).as("the starter wraps the soak DataSource").isTrue();
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		List<CompletableFuture<HttpResponse<String>>> blocked = new ArrayList<>();
		List<Long> elapsed = new ArrayList<>();
		long start;
		try (Connection holder = DriverManager.getConnection("jdbc:h2:mem:main", "sa", "")) {
			holder.setAutoCommit(false);
			try (Statement statement = holder.createStatement();
					ResultSet row = statement.executeQuery("SELECT balance FROM accounts WHERE id = 1 FOR UPDATE")) {
				assertThat(row.next()).isTrue();
			}
			start = System.nanoTime();
			for (int i = 0; i < Quiescence.SERVER_THREADS; i++) {
				blocked.add(client.sendAsync(HttpRequest.newBuilder(URI.create(this.main.url("/lock")))
					.header("Request-Timeout-Ms", "300").timeout(Duration.ofSeconds(30)).build(),
						HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
							synchronized (elapsed) {
								elapsed.add((System.nanoTime() - start) / 1_000_000);
							}
						}));
			}
			for (CompletableFuture<HttpResponse<String>> response : blocked) {
				response.get(30, TimeUnit.SECONDS);
			}
			holder.rollback();
		}
		HttpResponse<String> after = client.send(HttpRequest.newBuilder(URI.create(this.main.url("/lock")))
			.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
		boolean idle = Quiescence.awaitIdle(Duration.ofSeconds(30), this.main);

		Invariants table = new Invariants("Fault: row lock held by another transaction (H2), 300 ms budgets");
		Quiescence.checkTimeoutAnswers(table, blocked);
		long slowest = elapsed.stream().mapToLong(Long::longValue).max().orElse(-1);
		if (jdbcCancellation) {
			table.check("slowest answer (JDBC cancellation merged)", slowest + " ms", "< 300 ms + 1.5 s",
					slowest < 1_800);
		}
		else {
			// H2 cannot cancel a lock wait: the thread waits for the lock timeout, then the
			// request still answers with the timeout response
			table.check("slowest answer (H2 ignores cancel during a lock wait: lock timeout 4 s)", slowest + " ms",
					">= 3.5 s", slowest >= 3_500);
		}
		table.check("after the lock is released: /lock answers", after.statusCode(), "= 200",
				after.statusCode() == 200);
		table.check("settled", idle, "true", idle);
		Quiescence.checkTimers(table);
		Quiescence.checkInstance(table, this.main);
		Quiescence.checkLogs(table, logMark, (event) -> false);
		SoakSettings.report(table.table());
		table.assertAllHold();
	}

	/**
	 * The database goes down: requests fail fast with the application's own 503 (bounded by
	 * the pool's connection timeout, far below their deadline), no server thread hangs, and
	 * the application recovers when the database comes back.
	 */
	@Test
	@Order(4)
	void databaseDownFailsFastAndRecovers() throws Exception {
		int logMark = CapturingAppender.mark();
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		assertThat(send(client, "/remote").statusCode()).isEqualTo(200);
		this.remoteLink.down();
		List<CompletableFuture<HttpResponse<String>>> down = new ArrayList<>();
		long start = System.nanoTime();
		for (int i = 0; i < 2 * Quiescence.SERVER_THREADS; i++) {
			down.add(client.sendAsync(HttpRequest.newBuilder(URI.create(this.main.url("/remote")))
				.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
		}
		CompletableFuture.allOf(down.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		long allAnsweredMillis = (System.nanoTime() - start) / 1_000_000;
		long unavailable = down.stream().map(CompletableFuture::join)
			.filter((response) -> response.statusCode() == 503 && response.body().contains("database_unavailable"))
			.count();
		List<String> probes = Quiescence.probeServerThreads(this.main);
		this.remoteLink.up();
		long recoveryStart = System.nanoTime();
		List<String> lastAnswer = new ArrayList<>(List.of("none"));
		boolean recovered;
		try {
			await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
				HttpResponse<String> response = send(client, "/remote");
				lastAnswer.set(0, response.statusCode() + " " + response.body());
				return response.statusCode() == 200;
			});
			recovered = true;
		}
		catch (ConditionTimeoutException ex) {
			recovered = false;
		}
		long recoveryMillis = (System.nanoTime() - recoveryStart) / 1_000_000;
		boolean idle = Quiescence.awaitIdle(Duration.ofSeconds(30), this.main);

		Invariants table = new Invariants("Fault: remote database down (its TCP link reset and closed), then back");
		table.check("requests answered 503 database_unavailable while down", unavailable + " of " + down.size(),
				"= all", unavailable == down.size());
		down.stream().map(CompletableFuture::join)
			.map((response) -> response.statusCode() + " " + response.body())
			.distinct()
			.forEach((answer) -> table.note("while down: " + answer));
		table.check("time until all " + down.size() + " were answered (4 threads, pool timeout 500 ms)",
				allAnsweredMillis + " ms", "< 2 s deadline x 2", allAnsweredMillis < 4_000);
		table.check("server threads free while the database is down", probes.size(),
				"= " + Quiescence.SERVER_THREADS, probes.size() == Quiescence.SERVER_THREADS);
		table.check("recovered after the database came back", recovered ? recoveryMillis + " ms" : "no: " + lastAnswer.get(0),
				"< 20 s", recovered);
		int remoteActive = this.main.context.getBean(RemoteDatabase.class).hikari().getHikariPoolMXBean()
			.getActiveConnections();
		table.check("remote pool active connections", remoteActive, "= 0", remoteActive == 0);
		table.check("settled", idle, "true", idle);
		Quiescence.checkTimers(table);
		Quiescence.checkInstance(table, this.main);
		// Hikari reports the dead connections of the remote pool; nothing else may log errors
		Quiescence.checkLogs(table, logMark, (event) -> event.getLoggerName().startsWith("com.zaxxer.hikari")
				&& event.getFormattedMessage().startsWith("remote"));
		SoakSettings.report(table.table());
		table.assertAllHold();
	}

	private HttpResponse<String> send(HttpClient client, String path) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(this.main.url(path))).timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
