package dev.ctx.boot.autoconfigure.web;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ctx.spring.CancellationReason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Request contexts on a real embedded server, driven by a real HTTP client. Subclasses
 * choose the server.
 */
abstract class AbstractContextWebMvcIntegrationTests {

	static final String PROPERTIES = "context.web.default-timeout=5s";

	static final String RULES_1 = "context.web.timeouts[0].pattern=/reports/**";

	static final String RULES_2 = "context.web.timeouts[0].methods=GET";

	static final String RULES_3 = "context.web.timeouts[0].timeout=2s";

	private static final Pattern REMAINING = Pattern.compile("remaining=(-?\\d+)");

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Autowired
	WebTestApplication.Recorder recorder;

	@BeforeEach
	void resetRecorder() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.active.get() == 0);
	}

	@Test
	void controllerGetsRequestContextBoundAsCurrent() throws Exception {
		HttpResponse<String> response = get("/ctx");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("current=true").contains("user=null");
	}

	@Test
	void contextParameterSeesValuesOfLaterFilters() throws Exception {
		HttpResponse<String> response = get("/ctx", "X-User", "ann");
		assertThat(response.body()).contains("user=ann").contains("paramUser=ann").contains("current=true");
		assertThat(remaining(response)).isBetween(3_000L, 5_000L);
	}

	@Test
	void defaultTimeoutAppliesWhenNothingElseMatches() throws Exception {
		assertThat(remaining(get("/ctx"))).isBetween(3_000L, 5_000L);
	}

	@Test
	void firstMatchingRuleWinsOverDefault() throws Exception {
		assertThat(remaining(get("/reports/42"))).isBetween(1_000L, 2_000L);
	}

	@Test
	void methodAnnotationWinsOverDefault() throws Exception {
		assertThat(remaining(get("/annotated"))).isBetween(500L, 1_500L);
	}

	@Test
	void annotationWinsOverRuleAndResolvesPlaceholders() throws Exception {
		// /reports/annotated matches the 2s rule, and its annotation says ${test.report-timeout:3s}
		assertThat(remaining(get("/reports/annotated"))).isBetween(2_001L, 3_000L);
	}

	@Test
	void classAnnotationAppliesAndMethodAnnotationWins() throws Exception {
		assertThat(remaining(get("/class/inherited"))).isBetween(1_500L, 2_500L);
		assertThat(remaining(get("/class/own"))).isBetween(100L, 700L);
		assertThat(remaining(get("/class/none"))).isEqualTo(-1L);
	}

	@Test
	void annotationAppliesOnlyWhenDispatcherPicksAnnotatedHandler() throws Exception {
		assertThat(remaining(get("/pick/anything"))).isBetween(500L, 1_200L);
		assertThat(remaining(get("/pick/special"))).isBetween(3_000L, 5_000L);
	}

	@Test
	void inboundHeaderShortensButNeverExtends() throws Exception {
		assertThat(remaining(get("/ctx", "Request-Timeout-Ms", "1000"))).isBetween(0L, 1_000L);
		assertThat(remaining(get("/ctx", "Request-Timeout-Ms", "60000"))).isBetween(3_000L, 5_000L);
		assertThat(remaining(get("/ctx", "Request-Timeout-Ms", "800m"))).isBetween(0L, 800L);
		assertThat(remaining(get("/ctx", "Request-Timeout-Ms", "1S"))).isBetween(0L, 1_000L);
		// @Timeout(none = true) opts out of configuration, not out of the caller's budget
		assertThat(remaining(get("/class/none", "Request-Timeout-Ms", "900"))).isBetween(0L, 900L);
	}

	@Test
	void inboundZeroAnswersTimeoutAtOnceWithoutRunningHandler() throws Exception {
		int waits = this.recorder.waits.get();
		HttpResponse<String> response = get("/wait?ms=5000", "Request-Timeout-Ms", "0");
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains("\"reason\":\"deadline_exceeded\"");
		assertThat(this.recorder.waits.get()).isEqualTo(waits);
	}

	@Test
	void malformedInboundHeadersAreIgnoredAndCounted() throws Exception {
		List<String> nasty = List.of("-1", "+5", "1.5", "1e3", "0x10", "abc", "", " ", "1000000000", "99999999999999",
				"9223372036854775808", "1 000", "1,000", "100ms", "5s", "5X", "5H5", "H", "m", "٣٣٣", "１２３",
				"NaN", "Infinity", "null", "1;2", "-0", "00000000000", "123456789m", "%31%30", "1\t0", "'100'",
				"\"100\"", "100 200");
		assertThat(nasty).hasSizeGreaterThanOrEqualTo(30);
		int before = this.recorder.invalidHeaders.get();
		int sent = 0;
		for (String value : nasty) {
			HttpResponse<String> response;
			try {
				response = get("/ctx", "Request-Timeout-Ms", value);
			}
			catch (IllegalArgumentException ex) {
				// The JDK client refuses to send some values at all
				continue;
			}
			sent++;
			assertThat(response.statusCode()).as(value).isEqualTo(200);
			assertThat(remaining(response)).as(value).isBetween(3_000L, 5_000L);
		}
		assertThat(sent).isGreaterThanOrEqualTo(28);
		// Blank values may be dropped by the client or server, and count as absent then
		assertThat(this.recorder.invalidHeaders.get() - before).isBetween(sent - 2, sent);
	}

	@Test
	void deadlineGivesProblemDetailWithConfiguredStatus() throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = get("/wait?ms=10000", "Request-Timeout-Ms", "300");
		long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).contains("\"title\":\"Deadline Exceeded\"")
			.contains("\"status\":503")
			.contains("\"instance\":\"/wait\"")
			.contains("\"reason\":\"deadline_exceeded\"");
		assertThat(elapsedMillis).isBetween(250L, 5_000L);
	}

	@Test
	void anyExceptionAfterDeadlineIsTimeoutResponseNot500() throws Exception {
		HttpResponse<String> response = get("/fail-after?ms=10000", "Request-Timeout-Ms", "200");
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).contains("deadline_exceeded").doesNotContain("Simulated");
	}

	@Test
	void exceptionWhileContextIsLiveIsLeftToSpring() throws Exception {
		assertThat(get("/boom").statusCode()).isEqualTo(500);
	}

	@Test
	void handlerIgnoringDeadlineKeepsResponseAndIsCountedLate() throws Exception {
		int late = this.recorder.lateCompletions.get();
		int deadlines = this.recorder.cancellations(CancellationReason.DEADLINE_EXCEEDED);
		HttpResponse<String> response = get("/ignore?ms=600", "Request-Timeout-Ms", "100");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("ignored");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.lateCompletions.get() == late + 1);
		assertThat(this.recorder.cancellations(CancellationReason.DEADLINE_EXCEEDED)).isEqualTo(deadlines + 1);
	}

	@Test
	void callableRunsWithRequestContextBound() throws Exception {
		HttpResponse<String> response = get("/callable?ms=1");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).startsWith("callable remaining=");
		assertThat(remaining(response)).isBetween(3_000L, 5_000L);
	}

	@Test
	void callableDeadlineGivesTimeoutResponse() throws Exception {
		HttpResponse<String> response = get("/callable?ms=10000", "Request-Timeout-Ms", "300");
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).contains("deadline_exceeded");
	}

	@Test
	void streamingResponseBodyRunsWithRequestContextBound() throws Exception {
		HttpResponse<String> response = get("/streaming");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("streaming same=true");
	}

	@Test
	void completableFutureKeepsContextUntilAsyncRequestCompletes() throws Exception {
		HttpResponse<String> response = get("/future");
		assertThat(response.statusCode()).isEqualTo(200);
		// describe(ctx) ran on a pool thread: the context is still live (remaining > 0), not yet cancelled
		assertThat(response.body()).startsWith("future remaining=");
		assertThat(remaining(response)).isBetween(3_000L, 5_000L);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.active.get() == 0);
	}

	@Test
	void deferredResultEndsAtDeadline() throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = get("/deferred", "Request-Timeout-Ms", "500");
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).contains("\"status\":503").contains("deadline_exceeded");
		// The container checks async timeouts about once a second
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void clientCloseCancelsContextWhileHandlerSleeps() throws Exception {
		assertDisconnectDetected("GET /sleep?ms=4000 HTTP/1.1\r\nHost: localhost\r\n\r\n", false);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.active.get() == 0);
	}

	@Test
	void clientResetCancelsContextWhileHandlerSleeps() throws Exception {
		assertDisconnectDetected("GET /sleep?ms=4000 HTTP/1.1\r\nHost: localhost\r\n\r\n", true);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.active.get() == 0);
	}

	@Test
	void clientCloseCancelsContextWhileHandlerWaitsForLock() throws Exception {
		WebTestApplication.LOCK.lock();
		boolean locked = true;
		try {
			assertDisconnectDetected("GET /lock HTTP/1.1\r\nHost: localhost\r\n\r\n", false);
			WebTestApplication.LOCK.unlock();
			locked = false;
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.active.get() == 0);
		}
		finally {
			if (locked) {
				WebTestApplication.LOCK.unlock();
			}
		}
	}

	@Test
	void clientCloseCancelsContextWhileHandlerReadsBody() throws Exception {
		int before = this.recorder.cancellations(CancellationReason.CLIENT_DISCONNECTED);
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
					+ "Content-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.write(new byte[4096]);
			out.flush();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.active.get() == 1);
		}
		// Seen by the watcher or by the container's failed read: either way the same cancellation
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.recorder.cancellations(CancellationReason.CLIENT_DISCONNECTED) == before + 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.active.get() == 0);
	}

	@Test
	void keepAliveAndPipelinedRequestsAreUnharmed() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			byte[] body = new byte[1_000_000];
			String post = "POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
					+ "Content-Length: " + body.length + "\r\n\r\n";
			String slow = "GET /sleep?ms=300 HTTP/1.1\r\nHost: localhost\r\n\r\n";
			String fast = "GET /interrupted HTTP/1.1\r\nHost: localhost\r\n\r\n";
			out.write(post.getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			// Pipelined behind a body and behind a slow request that outlives the grace period
			out.write((slow + fast + slow + "GET /interrupted HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String responses = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			assertThat(responses.split("HTTP/1.1 200", -1)).hasSize(6);
			assertThat(responses).contains("read 1000000")
				.contains("slept interrupted=false")
				.contains("interrupted=false")
				.doesNotContain("HTTP/1.1 4")
				.doesNotContain("HTTP/1.1 5");
		}
	}

	private void assertDisconnectDetected(String request, boolean reset) throws Exception {
		int before = this.recorder.cancellations(CancellationReason.CLIENT_DISCONNECTED);
		long closedAt;
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.active.get() == 1);
			if (reset) {
				socket.setSoLinger(true, 0);
			}
			closedAt = System.nanoTime();
		}
		await().atMost(Duration.ofSeconds(3))
			.until(() -> this.recorder.cancellations(CancellationReason.CLIENT_DISCONNECTED) == before + 1);
		Duration latency = Duration.ofNanos(this.recorder.lastCancelNanos - closedAt);
		// The handler is still blocked: the context was cancelled under it, not after it
		assertThat(this.recorder.active.get()).isEqualTo(1);
		assertThat(latency).isLessThan(Duration.ofMillis(1_500));
		System.out.println("Disconnect detected " + latency.toMillis() + " ms after the client closed");
	}

	@Test
	void noValueOrContextCrossesRequests() throws Exception {
		int requests = requestsForLeakTest();
		ExecutorService clients = Executors.newFixedThreadPool(8);
		try {
			List<Future<String>> results = new ArrayList<>();
			for (int i = 0; i < requests; i++) {
				String user = "user-" + i;
				results.add(clients.submit(() -> {
					HttpResponse<String> response = (Integer.parseInt(user.substring(5)) % 2 == 0)
							? get("/ctx", "X-User", user) : get("/ctx");
					return response.statusCode() + " " + response.body() + " expected=" + user;
				}));
			}
			for (int i = 0; i < requests; i++) {
				String result = results.get(i).get();
				String expectedUser = (i % 2 == 0) ? "user-" + i : "null";
				assertThat(result).startsWith("200 ").contains(" user=" + expectedUser + " ");
			}
		}
		finally {
			clients.shutdownNow();
		}
		assertThat(this.recorder.leaks.get()).isZero();
	}

	int requestsForLeakTest() {
		return 10_000;
	}

	HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	static long remaining(HttpResponse<String> response) {
		Matcher matcher = REMAINING.matcher(response.body());
		assertThat(matcher.find()).as(response.body()).isTrue();
		return Long.parseLong(matcher.group(1));
	}

}
