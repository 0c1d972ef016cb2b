package dev.ctx.spring.http;

import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.ContextCancelledException;
import dev.ctx.DeadlineExceededException;
import dev.ctx.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ContextClientHttpRequestInterceptor} with real request factories
 * against a real server on a loopback port.
 */
class ContextClientHttpRequestInterceptorTests {

	private static final String HEADER = "request-timeout-ms";

	private final TestHttpServer server = new TestHttpServer();

	private final AtomicInteger cancellations = new AtomicInteger();

	private final ExecutorService pool = Executors.newCachedThreadPool();

	ContextClientHttpRequestInterceptorTests() throws Exception {
	}

	@AfterEach
	void close() throws Exception {
		this.server.close();
		this.pool.shutdownNow();
	}

	private RestClient client(ClientHttpRequestFactory factory, Duration margin) {
		OutboundDeadline settings = new OutboundDeadline(OutboundDeadline.DEFAULT_TIMEOUT_HEADER, margin,
				(context) -> this.cancellations.incrementAndGet());
		return RestClient.builder()
			.requestFactory(factory)
			.requestInterceptor(new ContextClientHttpRequestInterceptor(settings))
			.baseUrl(this.server.url())
			.build();
	}

	private RestClient jdkClient() {
		return client(new JdkClientHttpRequestFactory(), OutboundDeadline.DEFAULT_SAFETY_MARGIN);
	}

	@Test
	void headerShouldCarryShrinkingBudgetMinusMargin() throws Exception {
		RestClient client = jdkClient();
		try (CancellableContext ctx = Context.background().withTimeout(Duration.ofSeconds(10))) {
			long first;
			try (Scope scope = ctx.attach()) {
				assertThat(client.get().uri("/a").retrieve().body(String.class)).isEqualTo("ok");
				first = Long.parseLong(this.server.takeRequest().get(HEADER));
				long remainingAfterFirst = ctx.remaining().orElseThrow().toMillis();
				await().atMost(Duration.ofSeconds(5))
					.until(() -> ctx.remaining().orElseThrow().toMillis() < remainingAfterFirst - 50);
				client.get().uri("/b").retrieve().body(String.class);
			}
			long second = Long.parseLong(this.server.takeRequest().get(HEADER));
			assertThat(first).isBetween(5_000L, 10_000L - 10);
			assertThat(second).isLessThan(first - 50);
		}
	}

	@Test
	void headerShouldBeAbsentWithoutDeadlineAndZeroWhenBudgetIsBelowMargin() throws Exception {
		RestClient client = client(new JdkClientHttpRequestFactory(), Duration.ofHours(1));
		client.get().uri("/none").retrieve().body(String.class);
		assertThat(this.server.takeRequest()).doesNotContainKey(HEADER);
		try (CancellableContext ctx = Context.background().withTimeout(Duration.ofSeconds(30))) {
			ctx.run(() -> client.get().uri("/zero").retrieve().body(String.class));
		}
		assertThat(this.server.takeRequest()).containsEntry(HEADER, "0");
	}

	@Test
	void requestWhenContextIsDoneShouldFailWithoutConnecting() {
		RestClient client = jdkClient();
		CancellableContext ctx = Context.background().withCancel();
		ctx.cancel();
		try (Scope scope = ctx.attach()) {
			assertThatExceptionOfType(ResourceAccessException.class)
				.isThrownBy(() -> client.get().uri("/never").retrieve().body(String.class))
				.havingCause()
				.isInstanceOf(ContextDoneIOException.class)
				.havingCause()
				.isSameAs(ctx.err());
		}
		// The server is reachable: the next request connects, and it is the first connection
		assertThat(client.get().uri("/after").retrieve().body(String.class)).isEqualTo("ok");
		assertThat(this.server.accepts).hasValue(1);
		assertThat(this.cancellations).hasValue(1);
	}

	@Test
	void requestWhenContextIsCancelledShouldBeAbortedAndServerShouldSeeDisconnect() throws Exception {
		this.server.mode = TestHttpServer.Mode.HOLD;
		RestClient client = jdkClient();
		CancellableContext ctx = Context.background().withCancel();
		CompletableFuture<String> call = CompletableFuture.supplyAsync(
				() -> client.get().uri("/slow").retrieve().body(String.class), ctx.wrap(this.pool));
		this.server.takeRequest();
		long cancelled = System.nanoTime();
		ctx.cancel();
		Long disconnected = this.server.awaitDisconnect(Duration.ofSeconds(20));
		assertThat(disconnected).as("server saw the connection closed").isNotNull();
		Duration latency = Duration.ofNanos(disconnected - cancelled);
		System.out.println("RestClient cancel-to-server-disconnect latency: " + latency.toNanos() / 1000 + " us");
		assertThat(latency).isLessThan(Duration.ofSeconds(5));
		assertThat(call).failsWithin(Duration.ofSeconds(20))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.havingRootCause()
			.isInstanceOf(ContextCancelledException.class);
		assertThat(this.cancellations).hasValue(1);
	}

	@Test
	void deadlineShouldActAsReadTimeoutAndLeaveThreadUninterrupted() throws Exception {
		RestClient client = jdkClient();
		// Warm up the client and its connection, so that the budget below is spent waiting
		// for the response rather than starting the client on a busy machine
		assertThat(client.get().uri("/warm-up").retrieve().body(String.class)).isEqualTo("ok");
		this.server.takeRequest();
		this.server.mode = TestHttpServer.Mode.HOLD;
		long start = System.nanoTime();
		try (CancellableContext ctx = Context.background().withTimeout(Duration.ofMillis(1500))) {
			try (Scope scope = ctx.attach()) {
				assertThatExceptionOfType(ResourceAccessException.class)
					.isThrownBy(() -> client.get().uri("/slow").retrieve().body(String.class))
					.havingRootCause()
					.isInstanceOf(DeadlineExceededException.class);
			}
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(10));
		assertThat(this.server.takeRequest()).containsKey(HEADER);
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
		assertThat(this.server.awaitDisconnect(Duration.ofSeconds(20))).isNotNull();
	}

	@Test
	void bodyReadWhenContextIsCancelledShouldStopAndServerShouldSeeDisconnect() throws Exception {
		this.server.mode = TestHttpServer.Mode.HEADERS_THEN_HOLD;
		RestClient client = jdkClient();
		try (CancellableContext ctx = Context.background().withTimeout(Duration.ofMillis(1500))) {
			try (Scope scope = ctx.attach()) {
				assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> client.get()
					.uri("/partial")
					.exchange((request, response) -> {
						try (InputStream body = response.getBody()) {
							return body.readAllBytes();
						}
					}))
					.havingCause()
					.isInstanceOf(ContextDoneIOException.class)
					.havingCause()
					.isSameAs(ctx.err())
					.isInstanceOf(DeadlineExceededException.class);
			}
		}
		assertThat(this.server.awaitDisconnect(Duration.ofSeconds(20))).isNotNull();
	}

	@Test
	void simpleFactoryShouldFailFastAndSendHeader() throws Exception {
		RestClient client = client(new SimpleClientHttpRequestFactory(), OutboundDeadline.DEFAULT_SAFETY_MARGIN);
		try (CancellableContext ctx = Context.background().withTimeout(Duration.ofSeconds(10))) {
			ctx.run(() -> client.get().uri("/simple").retrieve().body(String.class));
			Map<String, String> request = this.server.takeRequest();
			assertThat(Long.parseLong(request.get(HEADER))).isBetween(5_000L, 9_990L);
			ctx.cancel();
			try (Scope scope = ctx.attach()) {
				assertThatExceptionOfType(ResourceAccessException.class)
					.isThrownBy(() -> client.get().uri("/never").retrieve().body(String.class))
					.havingRootCause()
					.isSameAs(ctx.err());
			}
		}
		assertThat(this.server.requests).isEmpty();
	}

}
