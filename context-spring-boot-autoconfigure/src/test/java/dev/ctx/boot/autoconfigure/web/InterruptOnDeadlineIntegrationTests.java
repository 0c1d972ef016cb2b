package dev.ctx.boot.autoconfigure.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code context.web.interrupt-on-deadline=true} wakes a handler blocked in code that
 * ignores its context, and the interrupt never leaks into the next request on the same
 * thread (the pool has one thread).
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "context.web.interrupt-on-deadline=true", "server.tomcat.threads.max=1",
				"server.tomcat.threads.min-spare=1" })
class InterruptOnDeadlineIntegrationTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Test
	void deadlineInterruptsBlockedHandlerAndNextRequestIsClean() throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = get("/sleep?ms=20000", "300");
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).contains("deadline_exceeded");
		assertThat(elapsed).isLessThan(Duration.ofSeconds(10));
		for (int i = 0; i < 20; i++) {
			assertThat(get("/interrupted", null).body()).isEqualTo("interrupted=false");
		}
	}

	@Test
	void requestsEndingBeforeDeadlineAreNeverInterrupted() throws Exception {
		for (int i = 0; i < 50; i++) {
			assertThat(get("/sleep?ms=1", "5000").body()).isEqualTo("slept interrupted=false");
		}
		assertThat(get("/interrupted", null).body()).isEqualTo("interrupted=false");
	}

	private HttpResponse<String> get(String path, String timeout) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30));
		if (timeout != null) {
			request.header("Request-Timeout-Ms", timeout);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
