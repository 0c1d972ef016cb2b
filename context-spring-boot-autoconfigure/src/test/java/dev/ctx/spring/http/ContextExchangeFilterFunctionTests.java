package dev.ctx.spring.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.ContextCancelledException;
import dev.ctx.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ContextExchangeFilterFunction} with the JDK connector against a real
 * server on a loopback port.
 */
class ContextExchangeFilterFunctionTests {

	private final TestHttpServer server = new TestHttpServer();

	private final AtomicInteger cancellations = new AtomicInteger();

	private final WebClient client;

	ContextExchangeFilterFunctionTests() throws Exception {
		OutboundDeadline settings = new OutboundDeadline(OutboundDeadline.DEFAULT_TIMEOUT_HEADER,
				OutboundDeadline.DEFAULT_SAFETY_MARGIN, (context) -> this.cancellations.incrementAndGet());
		this.client = WebClient.builder()
			.clientConnector(new JdkClientHttpConnector())
			.filter(new ContextExchangeFilterFunction(settings))
			.baseUrl(this.server.url())
			.build();
	}

	@AfterEach
	void close() throws Exception {
		this.server.close();
	}

	private Mono<String> get(String path) {
		return this.client.get().uri(path).retrieve().bodyToMono(String.class);
	}

	@Test
	void exchangeShouldSendRemainingBudget() throws Exception {
		try (CancellableContext ctx = Context.background().withTimeout(Duration.ofSeconds(10))) {
			try (Scope scope = ctx.attach()) {
				// Subscribed while the context is current
				assertThat(get("/a").block(Duration.ofSeconds(20))).isEqualTo("ok");
			}
		}
		assertThat(Long.parseLong(this.server.takeRequest().get("request-timeout-ms"))).isBetween(5_000L, 9_990L);
		assertThat(get("/b").block(Duration.ofSeconds(20))).isEqualTo("ok");
		assertThat(this.server.takeRequest()).doesNotContainKey("request-timeout-ms");
	}

	@Test
	void exchangeWhenContextIsDoneShouldFailWithoutConnecting() {
		CancellableContext ctx = Context.background().withCancel();
		ctx.cancel();
		try (Scope scope = ctx.attach()) {
			// block() wraps the checked exception; the filter's error is the ContextDoneIOException
			assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> get("/never").block(Duration.ofSeconds(20)))
				.havingCause()
				.isInstanceOf(ContextDoneIOException.class)
				.havingCause()
				.isSameAs(ctx.err());
		}
		assertThat(get("/after").block(Duration.ofSeconds(20))).isEqualTo("ok");
		assertThat(this.server.accepts).hasValue(1);
		assertThat(this.cancellations).hasValue(1);
	}

	@Test
	void exchangeWhenContextIsCancelledShouldBeAbortedAndServerShouldSeeDisconnect() throws Exception {
		this.server.mode = TestHttpServer.Mode.HOLD;
		CancellableContext ctx = Context.background().withCancel();
		Mono<String> mono;
		try (Scope scope = ctx.attach()) {
			mono = get("/slow").cache();
			mono.subscribe((value) -> {
			}, (ex) -> {
			});
		}
		this.server.takeRequest();
		long cancelled = System.nanoTime();
		ctx.cancel();
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> mono.block(Duration.ofSeconds(20)))
			.havingCause()
			.isInstanceOf(ContextDoneIOException.class)
			.havingCause()
			.isInstanceOf(ContextCancelledException.class);
		Long disconnected = this.server.awaitDisconnect(Duration.ofSeconds(20));
		assertThat(disconnected).as("server saw the connection closed").isNotNull();
		Duration latency = Duration.ofNanos(disconnected - cancelled);
		System.out.println("WebClient cancel-to-server-disconnect latency: " + latency.toNanos() / 1000 + " us");
		assertThat(latency).isLessThan(Duration.ofSeconds(5));
		assertThat(this.cancellations).hasValue(1);
	}

}
