package dev.ctx.boot.autoconfigure.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Request contexts at application startup and shutdown, on a real server.
 */
class ContextWebMvcShutdownTests {

	@Test
	void inFlightRequestsAreCancelledWithShutdownWhenGracePeriodEnds() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(WebTestApplication.class)
			.properties("server.port=0", "server.shutdown=graceful",
					"spring.lifecycle.timeout-per-shutdown-phase=1s")
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		WebTestApplication.Recorder recorder = context.getBean(WebTestApplication.Recorder.class);
		HttpClient client = HttpClient.newHttpClient();
		CompletableFuture<HttpResponse<String>> response = client.sendAsync(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/wait?ms=60000")).build(),
				HttpResponse.BodyHandlers.ofString());
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.active.get() == 1);
		long start = System.nanoTime();
		context.close();
		Duration shutdown = Duration.ofNanos(System.nanoTime() - start);
		// The grace period (1s) plus unwinding, far from the handler's 60s
		assertThat(shutdown).isLessThan(Duration.ofSeconds(10));
		HttpResponse<String> answered = response.get();
		assertThat(answered.statusCode()).isEqualTo(503);
		assertThat(answered.body()).contains("\"reason\":\"shutdown\"");
		assertThat(recorder.active.get()).isZero();
	}

	@Test
	void invalidTimeoutAnnotationFailsStartupWithClearMessage() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new SpringApplicationBuilder(WebTestApplication.class)
				.properties("server.port=0", "test.report-timeout=soon")
				.run()
				.close())
			.withMessageContaining("@Timeout on")
			.withMessageContaining("annotatedReport")
			.withMessageContaining("'soon' is not a duration");
	}

}
