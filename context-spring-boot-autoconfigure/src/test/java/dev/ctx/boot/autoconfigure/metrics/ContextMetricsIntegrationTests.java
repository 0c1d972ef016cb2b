package dev.ctx.boot.autoconfigure.metrics;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ctx.Context;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Meters, observations and the {@code contexts} endpoint on a real server, read through
 * the actuator as an operator would.
 */
@SpringBootTest(classes = ContextMetricsIntegrationTests.MetricsTestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "context.web.default-timeout=5s",
				"management.endpoints.web.exposure.include=health,metrics,prometheus,contexts" })
class ContextMetricsIntegrationTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	@Test
	void deadlineIsCountedAndScrapedWithExpectedTags() throws Exception {
		HttpResponse<String> response = send("GET", "/wait?ms=10000", "Request-Timeout-Ms", "200");
		assertThat(response.statusCode()).isEqualTo(503);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.registry.get("context.cancellations")
				.tag("reason", "deadline_exceeded")
				.tag("source", "http")
				.counter()
				.count() >= 1);
		String scrape = send("GET", "/actuator/prometheus").body();
		assertThat(scrape).containsPattern(
				"context_cancellations_total\\{[^}]*reason=\"deadline_exceeded\"[^}]*source=\"http\"[^}]*} [1-9]");
		assertThat(scrape).contains("context_requests_active");
		assertThat(scrape).contains("context_cancellation_lag_seconds_count");
		assertThat(scrape).contains("context_deadline_remaining_percent_count");
		assertThat(scrape).containsPattern("http_server_requests_seconds_count\\{[^}]*context_outcome=\"deadline_exceeded\"[^}]*uri=\"/wait\"");
		assertThat(scrape).containsPattern("http_server_requests_seconds_count\\{[^}]*context_outcome=\"completed\"");
	}

	@Test
	void grafanaDashboardQueriesOnlySeriesTheStarterExports() throws Exception {
		send("GET", "/wait?ms=10000", "Request-Timeout-Ms", "100");
		String scrape = send("GET", "/actuator/prometheus").body();
		String dashboard = Files.readString(Path.of("../docs/grafana/context-dashboard.json"));
		Matcher names = Pattern.compile("(context_[a-z_]+?)(_bucket|_sum|_count|_max|_total)?[{\\[]").matcher(dashboard);
		Set<String> queried = new TreeSet<>();
		while (names.find()) {
			queried.add(names.group(1) + ((names.group(2) != null) ? names.group(2) : ""));
		}
		assertThat(queried).contains("context_cancellations_total", "context_requests_active");
		for (String name : queried) {
			if (name.startsWith("context_jdbc_") || name.endsWith("_bucket")) {
				// JDBC series need a DataSource; buckets need the histogram property
				continue;
			}
			assertThat(scrape).as(name).contains(name);
		}
	}

	@Test
	void clientDisconnectIsCountedWithItsReason() throws Exception {
		double before = count("client_disconnected");
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.getOutputStream()
				.write("GET /wait?ms=30000 HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.registry.get("context.requests.active").gauge().value() >= 1);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> count("client_disconnected") == before + 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.registry.get("context.requests.active").gauge().value() == 0);
		assertThat(this.registry.get("context.cancellation.lag").timer().count()).isPositive();
	}

	private double count(String reason) {
		return this.registry.get("context.cancellations").tag("reason", reason).tag("source", "http").counter().count();
	}

	@Test
	void invalidInboundHeaderIsCounted() throws Exception {
		double before = this.registry.get("context.inbound.deadline.invalid").counter().count();
		assertThat(send("GET", "/wait?ms=1", "Request-Timeout-Ms", "soon").statusCode()).isEqualTo(200);
		assertThat(this.registry.get("context.inbound.deadline.invalid").counter().count()).isEqualTo(before + 1);
	}

	@Test
	void lateCompletionIsCounted() throws Exception {
		double before = this.registry.get("context.http.late.completions").counter().count();
		assertThat(send("GET", "/ignore?ms=400", "Request-Timeout-Ms", "100").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.registry.get("context.http.late.completions").counter().count() == before + 1);
	}

	@Test
	void contextsEndpointListsAndCancelsInFlightRequest() throws Exception {
		CompletableFuture<HttpResponse<String>> slow = this.client.sendAsync(
				HttpRequest.newBuilder(uri("/wait?ms=60000")).build(), HttpResponse.BodyHandlers.ofString());
		Pattern entry = Pattern.compile("\\{\"id\":(\\d+),\"method\":\"GET\",\"path\":\"/wait\",\"route\":\"/wait\"");
		String[] listing = new String[1];
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			listing[0] = send("GET", "/actuator/contexts").body();
			return entry.matcher(listing[0]).find();
		});
		assertThat(listing[0]).contains("\"remainingMillis\":").contains("\"clientAddress\":\"127.0.0.1\"");
		Matcher matcher = entry.matcher(listing[0]);
		assertThat(matcher.find()).isTrue();
		HttpResponse<String> cancel = send("POST", "/actuator/contexts/" + matcher.group(1));
		assertThat(cancel.statusCode()).isEqualTo(200);
		assertThat(cancel.body()).contains("\"done\":true").contains("\"reason\":\"canceled\"");
		HttpResponse<String> cancelled = slow.get();
		assertThat(cancelled.statusCode()).isEqualTo(503);
		assertThat(cancelled.body()).contains("\"reason\":\"canceled\"");
		assertThat(send("POST", "/actuator/contexts/999999999").statusCode()).isEqualTo(404);
	}

	@Test
	void tagCardinalityStaysBoundedUnderUrlScan() throws Exception {
		long before = contextMeters();
		for (int i = 0; i < 10_000; i++) {
			send("GET", "/scan/" + UUID.randomUUID());
		}
		assertThat(contextMeters()).isEqualTo(before);
	}

	private long contextMeters() {
		return this.registry.getMeters().stream().filter((meter) -> meter.getId().getName().startsWith("context.")).count();
	}

	private HttpResponse<String> send(String method, String path, String... headers)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(30));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class MetricsTestApplication {

		@RestController
		static class Controller {

			@GetMapping("/wait")
			String await(@RequestParam long ms, Context ctx) throws InterruptedException {
				if (ctx.await(Duration.ofMillis(ms))) {
					ctx.throwIfDone();
				}
				return "finished";
			}

			@GetMapping("/ignore")
			String ignore(@RequestParam long ms) throws InterruptedException {
				Thread.sleep(ms);
				return "ignored";
			}

		}

	}

}
