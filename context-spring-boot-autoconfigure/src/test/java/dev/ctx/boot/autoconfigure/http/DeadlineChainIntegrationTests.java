package dev.ctx.boot.autoconfigure.http;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ctx.boot.autoconfigure.http.ChainTestApplication.Hop;
import dev.ctx.boot.autoconfigure.http.ChainTestApplication.Hops;
import dev.ctx.spring.CancellationReason;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.JdkClientHttpRequestFactoryBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Three services on embedded Tomcat, A calling B calling C through Boot's
 * {@code RestClient.Builder} (JDK {@code HttpClient}), C blocked in cancellable work: the
 * deadline the client gives A reaches C shrunk by every hop, and a client that goes away
 * from A stops C's work. Each scenario runs several times; the latencies are printed.
 */
@TestInstance(Lifecycle.PER_CLASS)
class DeadlineChainIntegrationTests {

	private static final int RUNS = 5;

	private static final long BUDGET_MILLIS = 1500;

	private static final long SAFETY_MARGIN_MILLIS = 10;

	private static final String PG_URL = env("CONTEXT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");

	private static final String PG_USER = env("CONTEXT_TEST_PG_USER", "postgres");

	private static final String PG_PASSWORD = env("CONTEXT_TEST_PG_PASSWORD", "");

	private static final AtomicInteger RUN_IDS = new AtomicInteger();

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final List<ConfigurableApplicationContext> services = new ArrayList<>();

	private @Nullable String pgUnreachable;

	private Hops a;

	private Hops b;

	private Hops c;

	private int portA;

	@BeforeAll
	void startChain() throws Exception {
		this.pgUnreachable = checkPostgres();
		// C first: each service is told the address of the next one
		List<String> dataSource = (this.pgUnreachable != null) ? List.of()
				: List.of("spring.datasource.url=" + PG_URL, "spring.datasource.username=" + PG_USER,
						"spring.datasource.password=" + PG_PASSWORD, "spring.datasource.hikari.maximum-pool-size=2",
						"spring.datasource.hikari.minimum-idle=1");
		ConfigurableApplicationContext serviceC = start("c", null, dataSource);
		ConfigurableApplicationContext serviceB = start("b", serviceC, null);
		ConfigurableApplicationContext serviceA = start("a", serviceB, null);
		this.a = serviceA.getBean(Hops.class);
		this.b = serviceB.getBean(Hops.class);
		this.c = serviceC.getBean(Hops.class);
		this.portA = port(serviceA);
		// Boot picks the JDK HttpClient when no other client library is on the class path
		assertThat(serviceA.getBean(ClientHttpRequestFactoryBuilder.class))
			.as("Boot's default request factory; set spring.http.clients.imperative.factory=jdk if this changes")
			.isInstanceOf(JdkClientHttpRequestFactoryBuilder.class);
		// Warm services answer faster than cold ones: connections, JIT, lazy initialisation
		for (int i = 0; i < 3; i++) {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.portA + "/chain?run="
					+ nextRun() + "&work=none")).timeout(Duration.ofSeconds(20)).build();
			HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.body()).isEqualTo("finished");
		}
	}

	@AfterAll
	void stopChain() {
		for (ConfigurableApplicationContext service : this.services) {
			service.close();
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(Work.class)
	void deadlineShouldShrinkAlongTheChainAndStopTheLastServiceByTheFirstServicesDeadline(Work work)
			throws Exception {
		assumeWorkAvailable(work);
		List<Long> latencies = new ArrayList<>();
		List<String> budgets = new ArrayList<>();
		List<String> transits = new ArrayList<>();
		List<String> reasons = new ArrayList<>();
		List<Long> stops = new ArrayList<>();
		List<String> outcomes = new ArrayList<>();
		for (int i = 0; i < RUNS; i++) {
			String run = nextRun();
			HttpRequest request = HttpRequest.newBuilder(URI.create(chainUri(this.portA, run, work)))
				.header(ChainTestApplication.BUDGET_HEADER, Long.toString(BUDGET_MILLIS))
				.timeout(Duration.ofSeconds(20))
				.build();
			HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
			Hop hopA = awaitFinished(this.a, run);
			Hop hopB = awaitFinished(this.b, run);
			Hop hopC = awaitFinished(this.c, run);
			// The client's answer is the timeout response of whichever service gave up first
			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.body()).contains("deadline_exceeded");
			// Each hop sends what is left of its budget minus the safety margin
			long budgetA = Long.parseLong(hopA.inboundBudget);
			long budgetB = Long.parseLong(hopB.inboundBudget);
			long budgetC = Long.parseLong(hopC.inboundBudget);
			assertThat(budgetA).isEqualTo(BUDGET_MILLIS);
			assertThat(budgetB).isPositive().isLessThanOrEqualTo(budgetA - SAFETY_MARGIN_MILLIS);
			assertThat(budgetC).isPositive().isLessThanOrEqualTo(budgetB - SAFETY_MARGIN_MILLIS);
			budgets.add(budgetA + ">" + budgetB + ">" + budgetC);
			// Budgets are relative: a service's deadline is its caller's less the margin, plus
			// the time from the caller sending the request to the callee starting it
			assertThat(hopB.deadlineNanos - hopA.deadlineNanos)
				.isLessThanOrEqualTo(hopB.startNanos - hopA.sentNanos - millis(SAFETY_MARGIN_MILLIS));
			assertThat(hopC.deadlineNanos - hopB.deadlineNanos)
				.isLessThanOrEqualTo(hopC.startNanos - hopB.sentNanos - millis(SAFETY_MARGIN_MILLIS));
			transits.add(
					toMillis(hopB.startNanos - hopA.sentNanos) + "+" + toMillis(hopC.startNanos - hopB.sentNanos));
			// C's work ended because its context became done: it did not run for 30 s. Its
			// own deadline does it, unless the calls took so long to arrive that A's abort
			// at A's deadline reaches C first (B and C then see their caller disconnect)
			assertThat(hopC.reason).isIn(CancellationReason.DEADLINE_EXCEEDED, CancellationReason.CLIENT_DISCONNECTED);
			reasons.add(String.valueOf(hopC.reason));
			if (hopC.reason == CancellationReason.DEADLINE_EXCEEDED) {
				assertThat(hopC.doneNanos).isGreaterThanOrEqualTo(hopC.deadlineNanos);
			}
			else {
				assertThat(hopA.reason).isEqualTo(CancellationReason.DEADLINE_EXCEEDED);
				assertThat(hopC.doneNanos).isGreaterThanOrEqualTo(hopA.deadlineNanos);
			}
			assertThat(hopC.outcome).startsWith("stopped");
			assertThat(hopC.workEndedNanos - hopC.doneNanos).isLessThan(millis(1000));
			long latency = hopC.doneNanos - hopA.deadlineNanos;
			// Negative: C stops before A's deadline (by the margins); never later than 1 s after it
			assertThat(latency).isLessThan(millis(1000));
			if (work == Work.PG) {
				awaitStatementGone(run);
			}
			latencies.add(latency);
			// For PG the query returns only once the server has cancelled the statement
			stops.add(hopC.workEndedNanos - hopC.doneNanos);
			outcomes.add(String.valueOf(hopC.outcome));
		}
		report("deadline " + work + ": A's deadline -> C's context done (ms, negative = before); budgets " + budgets
				+ ", A->B and B->C transit ms " + transits + ", C's reason " + distinct(reasons), latencies);
		report("deadline " + work + ": C's context done -> C's work returned (ms); outcomes " + distinct(outcomes),
				stops);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(Work.class)
	void clientDisconnectShouldCancelEveryServiceDownTheChain(Work work) throws Exception {
		assumeWorkAvailable(work);
		List<Long> latencies = new ArrayList<>();
		List<String> hopLatencies = new ArrayList<>();
		List<Long> stops = new ArrayList<>();
		List<String> outcomes = new ArrayList<>();
		for (int i = 0; i < RUNS; i++) {
			String run = nextRun();
			long closedNanos;
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.portA)) {
				OutputStream out = socket.getOutputStream();
				out.write(("GET " + chainPath(run, work) + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
					.getBytes(StandardCharsets.ISO_8859_1));
				out.flush();
				await().atMost(Duration.ofSeconds(20)).until(() -> {
					Hop hop = this.c.get(run);
					return hop != null && hop.workStartedNanos != 0;
				});
				if (work == Work.PG) {
					await().atMost(Duration.ofSeconds(10)).until(() -> activeStatements(run) == 1);
				}
				closedNanos = System.nanoTime();
			}
			Hop hopA = awaitFinished(this.a, run);
			Hop hopB = awaitFinished(this.b, run);
			Hop hopC = awaitFinished(this.c, run);
			// No deadline anywhere: only the disconnect can have stopped the work
			assertThat(hopA.inboundBudget).isNull();
			assertThat(hopB.inboundBudget).isNull();
			assertThat(hopC.inboundBudget).isNull();
			assertThat(hopA.deadlineNanos).isZero();
			// A saw its client go; B and C saw their caller abort the call, the same thing
			assertThat(hopA.reason).isEqualTo(CancellationReason.CLIENT_DISCONNECTED);
			assertThat(hopB.reason).isEqualTo(CancellationReason.CLIENT_DISCONNECTED);
			assertThat(hopC.reason).isEqualTo(CancellationReason.CLIENT_DISCONNECTED);
			assertThat(hopC.outcome).startsWith("stopped");
			// Not ordered among themselves: each hop records the time from an afterDone
			// callback, and a service's cancel may run the outbound abort before that
			// callback; the next service then sees the close within a millisecond or two
			assertThat(hopA.doneNanos).isGreaterThan(closedNanos);
			assertThat(hopB.doneNanos).isGreaterThan(closedNanos);
			assertThat(hopC.doneNanos).isGreaterThan(closedNanos);
			assertThat(hopC.workEndedNanos - hopC.doneNanos).isLessThan(millis(1000));
			long latency = hopC.doneNanos - closedNanos;
			assertThat(latency).isLessThan(millis(2000));
			if (work == Work.PG) {
				awaitStatementGone(run);
			}
			latencies.add(latency);
			// For PG the query returns only once the server has cancelled the statement
			stops.add(hopC.workEndedNanos - hopC.doneNanos);
			outcomes.add(String.valueOf(hopC.outcome));
			hopLatencies.add(toMillis(hopA.doneNanos - closedNanos) + "+" + toMillis(hopB.doneNanos - hopA.doneNanos)
					+ "+" + toMillis(hopC.doneNanos - hopB.doneNanos));
		}
		report("disconnect " + work + ": client close -> C's context done (ms); per hop close->A, A->B, B->C "
				+ hopLatencies, latencies);
		report("disconnect " + work + ": C's context done -> C's work returned (ms); outcomes " + distinct(outcomes),
				stops);
	}

	private ConfigurableApplicationContext start(String name, @Nullable ConfigurableApplicationContext next,
			@Nullable List<String> dataSource) {
		List<String> properties = new ArrayList<>(List.of("spring.application.name=chain-" + name,
				"server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
				"logging.level.root=warn"));
		if (next != null) {
			properties.add("chain.next=http://127.0.0.1:" + port(next));
		}
		if (dataSource != null) {
			properties.addAll(dataSource);
		}
		else {
			// Only the last service talks to a database
			properties.add("spring.autoconfigure.exclude="
					+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
		}
		ConfigurableApplicationContext service = new SpringApplicationBuilder(ChainTestApplication.class)
			.properties(properties.toArray(String[]::new))
			.run();
		this.services.add(service);
		return service;
	}

	private static int port(ConfigurableApplicationContext service) {
		return ((WebServerApplicationContext) service).getWebServer().getPort();
	}

	private static String chainUri(int port, String run, Work work) {
		return "http://127.0.0.1:" + port + chainPath(run, work);
	}

	private static String chainPath(String run, Work work) {
		return "/chain?run=" + run + "&work=" + work.name().toLowerCase(Locale.ROOT);
	}

	private static String nextRun() {
		return "r" + RUN_IDS.incrementAndGet() + "x" + ProcessHandle.current().pid();
	}

	private static Hop awaitFinished(Hops hops, String run) {
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			Hop hop = hops.get(run);
			return hop != null && hop.finishedNanos != 0 && hop.doneNanos != 0;
		});
		return hops.get(run);
	}

	private void assumeWorkAvailable(Work work) {
		if (work == Work.PG && this.pgUnreachable != null) {
			String message = "PostgreSQL is not reachable at " + PG_URL + " (" + this.pgUnreachable
					+ "; set CONTEXT_TEST_PG_URL/_USER/_PASSWORD)";
			if (System.getenv("CI") != null) {
				throw new IllegalStateException(message + "; CI is set, so this is a failure, not a skip");
			}
			assumeThat(this.pgUnreachable).as(message).isNull();
		}
	}

	private static @Nullable String checkPostgres() {
		DriverManager.setLoginTimeout(5);
		try (Connection connection = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD)) {
			return connection.isValid(5) ? null : "connection not valid";
		}
		catch (SQLException ex) {
			return ex.getMessage();
		}
	}

	private static int activeStatements(String run) throws SQLException {
		try (Connection connection = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD);
				PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity "
						+ "WHERE state = 'active' AND query LIKE ? AND pid <> pg_backend_pid()")) {
			statement.setString(1, "%pg_sleep%'chain-" + run + "'%");
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getInt(1);
			}
		}
	}

	private static void awaitStatementGone(String run) {
		// The cancel reaches the server asynchronously; "shortly" on a loaded machine
		await().atMost(Duration.ofSeconds(5)).until(() -> activeStatements(run) == 0);
	}

	private static void report(String what, List<Long> latencies) {
		List<Long> sorted = latencies.stream().sorted().toList();
		System.out.printf(Locale.ROOT, "[chain] %s: min %.1f median %.1f max %.1f (all %s)%n", what,
				toMillisExact(sorted.get(0)), toMillisExact(sorted.get(sorted.size() / 2)),
				toMillisExact(sorted.get(sorted.size() - 1)),
				latencies.stream().map((nanos) -> String.format(Locale.ROOT, "%.1f", toMillisExact(nanos))).toList());
	}

	private static List<String> distinct(List<String> values) {
		return values.stream().distinct().toList();
	}

	private static long millis(long millis) {
		return Duration.ofMillis(millis).toNanos();
	}

	private static long toMillis(long nanos) {
		return Duration.ofNanos(nanos).toMillis();
	}

	private static double toMillisExact(long nanos) {
		return nanos / 1_000_000.0;
	}

	private static String env(String name, String defaultValue) {
		String value = System.getenv(name);
		return (value != null) ? value : defaultValue;
	}

	/**
	 * What the last service blocks in.
	 */
	enum Work {

		/**
		 * {@code ctx.await(Duration.ofSeconds(30))}.
		 */
		AWAIT,

		/**
		 * {@code SELECT pg_sleep(30)} on PostgreSQL through {@code JdbcClient}.
		 */
		PG

	}

}
