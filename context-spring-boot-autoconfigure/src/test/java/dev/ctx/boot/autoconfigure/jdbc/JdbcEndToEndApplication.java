package dev.ctx.boot.autoconfigure.jdbc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import dev.ctx.spring.CancellationReason;
import dev.ctx.spring.web.RequestContextObserver;
import dev.ctx.spring.web.RequestContextState;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application behind the JDBC end-to-end tests: an ordinary Spring Boot web
 * application whose controllers run statements through {@link JdbcClient}, with no code
 * of its own that looks at a context. The slow statement is the database's, given as a
 * {@link SlowQuery} bean.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class JdbcEndToEndApplication {

	@Bean
	TomcatServletWebServerFactory tomcatServletWebServerFactory() {
		// Both containers are on the test class path; name the one under test
		return new TomcatServletWebServerFactory();
	}

	@Bean
	Recorder recorder() {
		return new Recorder();
	}

	@Bean
	TransactionalQueries transactionalQueries(JdbcClient jdbc, SlowQuery slowQuery) {
		return new TransactionalQueries(jdbc, slowQuery);
	}

	/**
	 * The database's statement that runs for about ten seconds, carrying a marker in its
	 * text so that the tests can find it on the server.
	 */
	interface SlowQuery extends UnaryOperator<String> {

	}

	// Registered as a member class of this configuration
	@RestController
	static class QueryController {

		private final JdbcClient jdbc;

		private final SlowQuery slowQuery;

		private final TransactionalQueries transactional;

		QueryController(JdbcClient jdbc, SlowQuery slowQuery, TransactionalQueries transactional) {
			this.jdbc = jdbc;
			this.slowQuery = slowQuery;
			this.transactional = transactional;
		}

		@GetMapping("/slow")
		String slow(@RequestParam String marker) {
			return "returned " + this.jdbc.sql(this.slowQuery.apply(marker)).query().singleValue();
		}

		@GetMapping("/slow-in-transaction")
		String slowInTransaction(@RequestParam String marker, @RequestParam int timeout) {
			Object result = switch (timeout) {
				case 1 -> this.transactional.slowWithTimeout1(marker);
				case 5 -> this.transactional.slowWithTimeout5(marker);
				default -> throw new IllegalArgumentException("timeout " + timeout);
			};
			return "returned " + result;
		}

		@GetMapping("/fast")
		String fast(@RequestParam int n) {
			// n is an int: no injection possible, and a literal types the same on every database
			return "returned " + this.jdbc.sql("SELECT " + n).query(Integer.class).single();
		}

	}

	static class TransactionalQueries {

		private final JdbcClient jdbc;

		private final SlowQuery slowQuery;

		TransactionalQueries(JdbcClient jdbc, SlowQuery slowQuery) {
			this.jdbc = jdbc;
			this.slowQuery = slowQuery;
		}

		@Transactional(timeout = 1)
		public @Nullable Object slowWithTimeout1(String marker) {
			return this.jdbc.sql(this.slowQuery.apply(marker)).query().singleValue();
		}

		@Transactional(timeout = 5)
		public @Nullable Object slowWithTimeout5(String marker) {
			return this.jdbc.sql(this.slowQuery.apply(marker)).query().singleValue();
		}

	}

	/**
	 * Records what the starter did with each request context.
	 */
	static class Recorder implements RequestContextObserver {

		final AtomicInteger active = new AtomicInteger();

		final AtomicInteger finished = new AtomicInteger();

		final AtomicInteger lateCompletions = new AtomicInteger();

		final Map<CancellationReason, AtomicInteger> cancellations = new ConcurrentHashMap<>();

		volatile long lastCancelNanos;

		volatile long lastFinishedNanos;

		@Override
		public void requestStarted(HttpServletRequest request, RequestContextState state) {
			this.active.incrementAndGet();
		}

		@Override
		public void requestCancelled(RequestContextState state) {
			this.lastCancelNanos = System.nanoTime();
			CancellationReason reason = state.cancellationReason();
			if (reason != null) {
				this.cancellations.computeIfAbsent(reason, (key) -> new AtomicInteger()).incrementAndGet();
			}
		}

		@Override
		public void requestFinished(HttpServletRequest request, RequestContextState state) {
			this.lastFinishedNanos = System.nanoTime();
			if (state.doneAtNanos() != 0 && !state.isFailed()) {
				this.lateCompletions.incrementAndGet();
			}
			this.finished.incrementAndGet();
			this.active.decrementAndGet();
		}

		int cancellations(CancellationReason reason) {
			AtomicInteger count = this.cancellations.get(reason);
			return (count != null) ? count.get() : 0;
		}

	}

}
