package dev.ctx.benchmarks.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.ctx.Context;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application behind {@code scripts/web-benchmark.sh}: a trivial endpoint for the
 * throughput of the starter on versus {@code context.enabled=false}, and a blocking
 * endpoint that records when its context is cancelled, for the disconnect detection
 * latency. Not a test: run by the script only.
 */
@SpringBootApplication
public class WebBenchmarkApplication {

	public static void main(String[] args) {
		SpringApplication.run(WebBenchmarkApplication.class, args);
	}

	@Bean
	@ConditionalOnBooleanProperty("bench.jetty")
	JettyServletWebServerFactory jettyServletWebServerFactory() {
		// Both containers are on the class path: Tomcat unless --bench.jetty=true
		return new JettyServletWebServerFactory();
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "bench.jetty", havingValue = false, matchIfMissing = true)
	TomcatServletWebServerFactory tomcatServletWebServerFactory() {
		return new TomcatServletWebServerFactory();
	}

	@RestController
	static class BenchmarkController {

		// id -> System.nanoTime() when the request's context was done (CLOCK_MONOTONIC on
		// Linux, the clock of the client script's time.monotonic_ns())
		private final Map<String, Long> cancelledAt = new ConcurrentHashMap<>();

		private final Map<String, Long> startedAt = new ConcurrentHashMap<>();

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

		@GetMapping("/block")
		String block(@RequestParam String id, Context ctx) throws InterruptedException {
			this.startedAt.put(id, System.nanoTime());
			ctx.afterDone(() -> this.cancelledAt.put(id, System.nanoTime()), Runnable::run);
			// Blocked, as a JDBC call would be: only the disconnect watcher can notice the client left
			ctx.await(Duration.ofSeconds(30));
			return "done";
		}

		@GetMapping("/started")
		String started(@RequestParam String id) {
			return String.valueOf(this.startedAt.containsKey(id));
		}

		@GetMapping("/cancelled")
		Map<String, Long> cancelled() {
			return this.cancelledAt;
		}

	}

}
