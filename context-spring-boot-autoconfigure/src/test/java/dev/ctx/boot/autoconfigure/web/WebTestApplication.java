package dev.ctx.boot.autoconfigure.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import dev.ctx.Context;
import dev.ctx.ContextKey;
import dev.ctx.Scope;
import dev.ctx.spring.CancellationReason;
import dev.ctx.spring.web.RequestContextObserver;
import dev.ctx.spring.web.RequestContextState;
import dev.ctx.spring.web.Timeout;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The application behind the web integration tests: controllers that report what they
 * see of their context, wait on it, ignore it or fail.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class WebTestApplication {

	static final ContextKey<String> USER = ContextKey.named("user");

	static final ReentrantLock LOCK = new ReentrantLock();

	@Bean
	Recorder recorder() {
		return new Recorder();
	}

	@Bean
	FilterRegistrationBean<OncePerRequestFilter> leakCheckFilter(Recorder recorder) {
		// Runs before the ContextFilter: nothing of an earlier request may be current here
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
				new OncePerRequestFilter() {

					@Override
					protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
							FilterChain chain) throws ServletException, IOException {
						if (Context.current() != Context.background()) {
							recorder.leaks.incrementAndGet();
						}
						chain.doFilter(request, response);
						if (Context.current() != Context.background()) {
							recorder.leaks.incrementAndGet();
						}
					}

				});
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	FilterRegistrationBean<OncePerRequestFilter> userFilter() {
		// Runs after the ContextFilter: adds a request-scoped value, as an auth filter would
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
				new OncePerRequestFilter() {

					@Override
					protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
							FilterChain chain) throws ServletException, IOException {
						String user = request.getHeader("X-User");
						if (user == null) {
							chain.doFilter(request, response);
							return;
						}
						try (Scope scope = Context.current().withValue(USER, user).attach()) {
							chain.doFilter(request, response);
						}
					}

				});
		registration.setOrder(ContextWebMvcAutoConfiguration.FILTER_ORDER + 1);
		return registration;
	}

	@RestController
	static class TestController {

		private final Recorder recorder;

		TestController(Recorder recorder) {
			this.recorder = recorder;
		}

		@GetMapping("/ctx")
		String ctx(Context ctx) {
			return describe(ctx);
		}

		@GetMapping("/reports/{id}")
		String report(@PathVariable String id, Context ctx) {
			return describe(ctx);
		}

		@GetMapping("/annotated")
		@Timeout("1500ms")
		String annotated(Context ctx) {
			return describe(ctx);
		}

		@GetMapping("/reports/annotated")
		@Timeout("${test.report-timeout:3s}")
		String annotatedReport(Context ctx) {
			return describe(ctx);
		}

		@GetMapping("/pick/{name}")
		@Timeout("1200ms")
		String pickAnnotated(@PathVariable String name, Context ctx) {
			return describe(ctx);
		}

		@GetMapping("/pick/special")
		String pickSpecial(Context ctx) {
			// More specific than /pick/{name}: the dispatcher picks this one, so must the timeout
			return describe(ctx);
		}

		@GetMapping("/wait")
		String await(@RequestParam long ms, Context ctx) throws InterruptedException {
			this.recorder.waits.incrementAndGet();
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

		@GetMapping("/sleep")
		String sleep(@RequestParam long ms) throws InterruptedException {
			// Ignores its context: only an interrupt can wake it early
			Thread.sleep(ms);
			return "slept interrupted=" + Thread.currentThread().isInterrupted();
		}

		@GetMapping("/lock")
		String lock() {
			// Blocked on a lock the test holds, as on a row lock or a pool
			LOCK.lock();
			LOCK.unlock();
			return "locked";
		}

		@PostMapping("/upload")
		String upload(InputStream body) throws IOException {
			return "read " + body.transferTo(OutputStream.nullOutputStream());
		}

		@GetMapping("/interrupted")
		String interrupted() {
			return "interrupted=" + Thread.currentThread().isInterrupted();
		}

		@GetMapping("/fail-after")
		String failAfter(@RequestParam long ms, Context ctx) throws InterruptedException {
			ctx.await(Duration.ofMillis(ms));
			throw new IllegalStateException("Simulated failure of work that was cut short");
		}

		@GetMapping("/boom")
		String boom() {
			throw new IllegalStateException("Simulated bug");
		}

		@GetMapping("/callable")
		Callable<String> callable(@RequestParam long ms, Context ctx) {
			return () -> {
				Context current = Context.current();
				if (current != ctx) {
					return "wrong context " + current;
				}
				if (current.await(Duration.ofMillis(ms))) {
					current.throwIfDone();
				}
				return "callable " + describe(current);
			};
		}

		@GetMapping("/streaming")
		StreamingResponseBody streaming(Context ctx) {
			return (out) -> out.write(("streaming same=" + (Context.current() == ctx)).getBytes());
		}

		@GetMapping("/future")
		CompletableFuture<String> future(Context ctx) {
			// Completed on another thread; the result is rendered in an async dispatch
			return CompletableFuture.supplyAsync(() -> "future")
				.thenApply((result) -> result + " " + describe(ctx));
		}

		@GetMapping("/deferred")
		DeferredResult<String> deferred() {
			// Never completed: only the deadline ends it
			return new DeferredResult<>();
		}

		private static String describe(Context ctx) {
			return "remaining=" + ctx.remaining().map(Duration::toMillis).orElse(-1L) + " user="
					+ Context.current().value(USER) + " current=" + (Context.current() == ctx) + " paramUser="
					+ ctx.value(USER);
		}

	}

	@RestController
	@RequestMapping("/class")
	@Timeout("2500ms")
	static class AnnotatedController {

		@GetMapping("/inherited")
		String inherited(Context ctx) {
			return "remaining=" + ctx.remaining().map(Duration::toMillis).orElse(-1L);
		}

		@GetMapping("/own")
		@Timeout("700ms")
		String own(Context ctx) {
			return "remaining=" + ctx.remaining().map(Duration::toMillis).orElse(-1L);
		}

		@GetMapping("/none")
		@Timeout(none = true)
		String none(Context ctx) {
			return "remaining=" + ctx.remaining().map(Duration::toMillis).orElse(-1L);
		}

	}

	/**
	 * Records what the tests assert on.
	 */
	static class Recorder implements RequestContextObserver {

		final AtomicInteger leaks = new AtomicInteger();

		final AtomicInteger waits = new AtomicInteger();

		final AtomicInteger lateCompletions = new AtomicInteger();

		final AtomicInteger invalidHeaders = new AtomicInteger();

		final AtomicInteger active = new AtomicInteger();

		final Map<CancellationReason, AtomicInteger> cancellations = new ConcurrentHashMap<>();

		volatile long lastCancelNanos;

		@Override
		public void requestStarted(HttpServletRequest request, RequestContextState state) {
			this.active.incrementAndGet();
		}

		@Override
		public void requestCancelled(RequestContextState state) {
			this.lastCancelNanos = System.nanoTime();
			this.cancellations.computeIfAbsent(state.cancellationReason(), (key) -> new AtomicInteger())
				.incrementAndGet();
		}

		@Override
		public void requestFinished(HttpServletRequest request, RequestContextState state) {
			this.active.decrementAndGet();
			if (state.doneAtNanos() != 0 && !state.isFailed()) {
				this.lateCompletions.incrementAndGet();
			}
		}

		@Override
		public void invalidInboundTimeout(String header, String value) {
			this.invalidHeaders.incrementAndGet();
		}

		int cancellations(CancellationReason reason) {
			AtomicInteger count = this.cancellations.get(reason);
			return (count != null) ? count.get() : 0;
		}

	}

}
