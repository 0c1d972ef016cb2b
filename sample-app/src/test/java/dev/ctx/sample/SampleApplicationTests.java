package dev.ctx.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ctx.spring.micrometer.ContextMeterNames;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The sample application on a real Tomcat, called over real HTTP: its API runs under
 * request contexts with the budgets from {@code application.yml}, and a request past its
 * deadline answers the starter's 503 problem response.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	MeterRegistry registry;

	@Autowired
	ReportLedger ledger;

	@Autowired
	AuditLog audit;

	Http http;

	Http management;

	@BeforeEach
	void clients() {
		this.http = new Http(this.port);
		this.management = new Http(this.managementPort);
	}

	@Test
	void ordersShouldBeServedUnderTheDefaultFiveSecondBudget() throws Exception {
		HttpResponse<String> response = this.http.get("/api/orders?limit=20");
		assertThat(response.statusCode()).isEqualTo(200);
		List<String> customers = Http.json(response, "$.orders[*].customer");
		assertThat(customers).contains("Ada Lovelace", "Grace Hopper", "Rob Pike");
		Number remaining = Http.json(response, "$.remainingMillis");
		assertThat(remaining.longValue()).isPositive().isLessThanOrEqualTo(5000);
	}

	@Test
	void reportsShouldGetTheTwentySecondBudgetOfTheRouteRule() throws Exception {
		HttpResponse<String> response = this.http.get("/api/reports/revenue?seconds=0.1");
		assertThat(response.statusCode()).isEqualTo(200);
		Number budget = Http.json(response, "$.budgetMillis");
		assertThat(budget.longValue()).isGreaterThan(15_000).isLessThanOrEqualTo(20_000);
		Number rows = Http.json(response, "$.scan.rows");
		assertThat(rows.longValue()).isPositive();
	}

	@Test
	void dashboardPastItsDeadlineShouldAnswerProblem503() throws Exception {
		double before = cancellations("deadline_exceeded");
		long started = System.nanoTime();
		HttpResponse<String> response = this.http.get("/api/reports/dashboard?seconds=3");
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(Http.<String>json(response, "$.reason")).isEqualTo("deadline_exceeded");
		assertThat(Http.<Integer>json(response, "$.status")).isEqualTo(503);
		assertThat(Http.<String>json(response, "$.instance")).isEqualTo("/api/reports/dashboard");
		// @Timeout("2s") on the handler beats the 20 s route rule. The scan asks for 3 s: the
		// rows come from the scan's best measured speed, so it runs at least about that long
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
		assertThat(cancellations("deadline_exceeded")).isEqualTo(before + 1, within(0.1));
		ReportLedger.Entry entry = latest("dashboard");
		assertThat(entry.reason()).isEqualTo("deadline_exceeded");
		// Without JDBC cancellation the scan runs to its end and is "late"
		assertThat(entry.outcome()).isIn("late", "cancelled");
	}

	@Test
	void dashboardPastItsDeadlineShouldCancelItsQuery() throws Exception {
		double cancelledStatements = sum(ContextMeterNames.JDBC_STATEMENTS_CANCELLED);
		long started = System.nanoTime();
		HttpResponse<String> response = this.http.get("/api/reports/dashboard?seconds=30");
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(Http.<String>json(response, "$.reason")).isEqualTo("deadline_exceeded");
		// 2 s budget, not 30 s of scanning (generous bound for a loaded machine)
		assertThat(took).isLessThan(Duration.ofSeconds(12));
		ReportLedger.Entry entry = latest("dashboard");
		assertThat(entry.outcome()).isEqualTo("cancelled");
		assertThat(entry.reason()).isEqualTo("deadline_exceeded");
		assertThat(entry.actualMillis()).isLessThan(entry.intendedMillis());
		assertThat(entry.savedMillis()).isPositive();
		assertThat(sum(ContextMeterNames.JDBC_STATEMENTS_CANCELLED)).isGreaterThan(cancelledStatements);
	}

	@Test
	void newOrderShouldBeAuditedByAnAsyncTask() throws Exception {
		HttpResponse<String> response = this.http.post("/api/orders", "{\"customer\":\"Niklaus Wirth\",\"totalCents\":4200}");
		assertThat(response.statusCode()).isEqualTo(201);
		long id = Http.<Number>json(response, "$.id").longValue();
		assertThat(response.headers().firstValue("Location")).hasValue("/api/orders/" + id);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(this.audit.entries(id)).hasSize(1));
		AuditLog.Entry entry = this.audit.entries(id).get(0);
		assertThat(entry.action()).isEqualTo("order.created");
		// Boot's applicationTaskExecutor, not a Tomcat request thread
		assertThat(entry.threadName()).startsWith("task-");
	}

	@Test
	void asyncAuditShouldSeeTheRequestsCorrelationId() throws Exception {
		HttpResponse<String> response = this.http.post("/api/orders", "{\"customer\":\"Tony Hoare\",\"totalCents\":999}");
		assertThat(response.statusCode()).isEqualTo(201);
		long id = Http.<Number>json(response, "$.id").longValue();
		String correlation = response.headers().firstValue("X-Correlation-Id").orElseThrow();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(this.audit.entries(id)).hasSize(1));
		assertThat(this.audit.entries(id).get(0).correlationId()).isEqualTo(correlation);
	}

	@Test
	void orderReportShouldBePricedByTheDownstreamService() throws Exception {
		HttpResponse<String> response = this.http.get("/api/reports/orders/3");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(Http.<String>json(response, "$.order.customer")).isEqualTo("Grace Hopper");
		assertThat(Http.<Number>json(response, "$.quote.priceCents").longValue()).isEqualTo(97092);
		Number budgetAtCall = Http.json(response, "$.budgetAtCallMillis");
		assertThat(budgetAtCall.longValue()).isGreaterThan(15_000).isLessThanOrEqualTo(20_000);
		// The pricing request has its own context: at most the 5 s default
		Number pricingRemaining = Http.json(response, "$.quote.remainingMillis");
		assertThat(pricingRemaining.longValue()).isPositive().isLessThanOrEqualTo(5000);
	}

	@Test
	void downstreamCallShouldCarryTheRemainingBudget() throws Exception {
		HttpResponse<String> response = this.http.get("/api/reports/orders/1");
		assertThat(response.statusCode()).isEqualTo(200);
		long budgetAtCall = Http.<Number>json(response, "$.budgetAtCallMillis").longValue();
		String inbound = Http.json(response, "$.quote.inboundBudgetHeader");
		assertThat(inbound).isNotNull();
		assertThat(Long.parseLong(inbound)).isPositive().isLessThanOrEqualTo(budgetAtCall);
		long pricingRemaining = Http.<Number>json(response, "$.quote.remainingMillis").longValue();
		assertThat(pricingRemaining).isLessThanOrEqualTo(Long.parseLong(inbound));
	}

	@Test
	void operatorShouldCancelAnInFlightReportOnTheManagementPort() throws Exception {
		double before = cancellations("canceled");
		CompletableFuture<HttpResponse<String>> report = this.http.getAsync("/api/reports/revenue?seconds=3");
		Map<String, Object> inFlight = await().atMost(Duration.ofSeconds(20))
			.until(() -> findContext("/api/reports/revenue"), (found) -> found != null);
		assertThat(inFlight.get("route")).isEqualTo("/api/reports/revenue");
		Number remaining = (Number) inFlight.get("remainingMillis");
		assertThat(remaining.longValue()).isGreaterThan(10_000).isLessThanOrEqualTo(20_000);
		HttpResponse<String> cancel = this.management.post("/actuator/contexts/" + inFlight.get("id"), "");
		assertThat(cancel.statusCode()).isEqualTo(200);
		assertThat(Http.<String>json(cancel, "$.reason")).isEqualTo("canceled");
		HttpResponse<String> response = report.get(60, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(Http.<String>json(response, "$.reason")).isEqualTo("canceled");
		assertThat(cancellations("canceled")).isEqualTo(before + 1, within(0.1));
	}

	@Test
	void managementPortShouldServeMetricsButTheApiPortShouldNot() throws Exception {
		HttpResponse<String> metric = this.management.get("/actuator/metrics/context.cancellations");
		assertThat(metric.statusCode()).isEqualTo(200);
		assertThat(Http.<String>json(metric, "$.name")).isEqualTo("context.cancellations");
		assertThat(this.http.get("/actuator/metrics").statusCode()).isEqualTo(404);
	}

	private Map<String, Object> findContext(String path) throws Exception {
		HttpResponse<String> response = this.management.get("/actuator/contexts");
		List<Map<String, Object>> contexts = Http.json(response, "$.contexts[?(@.path == '" + path + "')]");
		return contexts.isEmpty() ? null : contexts.get(0);
	}

	private double cancellations(String reason) {
		return this.registry.get(ContextMeterNames.CANCELLATIONS)
			.tag(ContextMeterNames.REASON, reason)
			.tag(ContextMeterNames.SOURCE, "http")
			.counter()
			.count();
	}

	private double sum(String name) {
		return this.registry.find(name).counters().stream().mapToDouble((counter) -> counter.count()).sum();
	}

	private ReportLedger.Entry latest(String report) {
		return this.ledger.recent().stream().filter((entry) -> entry.report().equals(report)).findFirst().orElseThrow();
	}

}
