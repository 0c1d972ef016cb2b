package dev.ctx.boot.autoconfigure.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.ctx.Context;
import dev.ctx.spring.CancellationReason;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * One service of the chain in {@link DeadlineChainIntegrationTests}: with
 * {@code chain.next} set it calls the next service through a {@link RestClient} built
 * from Boot's {@code RestClient.Builder}; without, it is the last service and blocks in
 * cancellable work ({@link Context#await(Duration)} or PostgreSQL's {@code pg_sleep}).
 * Every service records, per run, what it saw of its request context.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class ChainTestApplication {

	static final String BUDGET_HEADER = "Request-Timeout-Ms";

	@Bean
	TomcatServletWebServerFactory tomcatServletWebServerFactory() {
		// Both containers are on the test class path; the chain runs on Tomcat
		return new TomcatServletWebServerFactory();
	}

	@Bean
	Hops hops() {
		return new Hops();
	}

	@Bean
	RestClient chainRestClient(RestClient.Builder builder) {
		// Boot's builder: carries the starter's interceptor (budget header, abort when done)
		return builder.build();
	}

	@RestController
	static class ChainController {

		private final Hops hops;

		private final RestClient restClient;

		private final ObjectProvider<JdbcClient> jdbcClient;

		private final String next;

		ChainController(Hops hops, RestClient restClient, ObjectProvider<JdbcClient> jdbcClient,
				@Value("${chain.next:}") String next) {
			this.hops = hops;
			this.restClient = restClient;
			this.jdbcClient = jdbcClient;
			this.next = next;
		}

		@GetMapping("/chain")
		ResponseEntity<String> chain(@RequestParam String run, @RequestParam String work,
				@RequestHeader(name = BUDGET_HEADER, required = false) @Nullable String budget, Context ctx)
				throws InterruptedException {
			long now = System.nanoTime();
			long deadlineNanos = ctx.remaining().map((remaining) -> now + remaining.toNanos()).orElse(0L);
			Hop hop = new Hop(budget, now, deadlineNanos);
			this.hops.runs.put(run, hop);
			// On the thread that makes the context done: the moment it happens
			ctx.afterDone(() -> hop.done(System.nanoTime(), CancellationReason.of(ctx)), Runnable::run);
			try {
				return this.next.isEmpty() ? work(run, work, hop, ctx) : callNext(run, work, hop, ctx);
			}
			finally {
				hop.finishedNanos = System.nanoTime();
			}
		}

		private ResponseEntity<String> callNext(String run, String work, Hop hop, Context ctx) {
			// The starter's interceptor computes the budget it sends right after this
			hop.sentNanos = System.nanoTime();
			try {
				String body = this.restClient.get()
					.uri(this.next + "/chain?run={run}&work={work}", run, work)
					.retrieve()
					.body(String.class);
				return ResponseEntity.ok(body);
			}
			catch (RestClientResponseException ex) {
				// Once this service's own context is done, its own timeout response applies:
				// the downstream's error body may have been cut short by the abort (Spring's
				// error handler then reports it as empty)
				ctx.throwIfDone();
				// Otherwise pass the downstream's answer (its timeout response) on unchanged
				HttpHeaders headers = ex.getResponseHeaders();
				MediaType contentType = (headers != null) ? headers.getContentType() : null;
				return ResponseEntity.status(ex.getStatusCode())
					.contentType((contentType != null) ? contentType : MediaType.TEXT_PLAIN)
					.body(ex.getResponseBodyAsString());
			}
		}

		private ResponseEntity<String> work(String run, String work, Hop hop, Context ctx)
				throws InterruptedException {
			hop.workStartedNanos = System.nanoTime();
			try {
				if ("pg".equals(work)) {
					// The marker literal lets the test find this statement in pg_stat_activity
					this.jdbcClient.getObject()
						.sql("SELECT pg_sleep(30), 'chain-" + run + "'")
						.query((rs, row) -> rs.getString(2))
						.list();
				}
				else if ("await".equals(work)) {
					ctx.await(Duration.ofSeconds(30));
				}
				// else "none": a warm-up request
				hop.outcome = ctx.isDone() ? "stopped" : "finished";
			}
			catch (RuntimeException ex) {
				hop.outcome = (ctx.isDone() ? "stopped by " : "failed with ") + ex.getClass().getSimpleName();
				throw ex;
			}
			finally {
				hop.workEndedNanos = System.nanoTime();
			}
			ctx.throwIfDone();
			return ResponseEntity.ok("finished");
		}

	}

	/**
	 * What one service saw of each run, by run id.
	 */
	static final class Hops {

		final Map<String, Hop> runs = new ConcurrentHashMap<>();

		@Nullable Hop get(String run) {
			return this.runs.get(run);
		}

	}

	/**
	 * What one service saw of one request; times on the {@link System#nanoTime()} clock
	 * (all services run in the test's JVM), 0 until they happen.
	 */
	static final class Hop {

		final @Nullable String inboundBudget;

		final long startNanos;

		final long deadlineNanos;

		volatile long sentNanos;

		volatile long doneNanos;

		volatile @Nullable CancellationReason reason;

		volatile long workStartedNanos;

		volatile long workEndedNanos;

		volatile @Nullable String outcome;

		volatile long finishedNanos;

		Hop(@Nullable String inboundBudget, long startNanos, long deadlineNanos) {
			this.inboundBudget = inboundBudget;
			this.startNanos = startNanos;
			this.deadlineNanos = deadlineNanos;
		}

		void done(long nanos, @Nullable CancellationReason reason) {
			this.reason = reason;
			this.doneNanos = nanos;
		}

		@Override
		public String toString() {
			return "Hop[budget=" + this.inboundBudget + ", reason=" + this.reason + ", outcome=" + this.outcome + "]";
		}

	}

}
