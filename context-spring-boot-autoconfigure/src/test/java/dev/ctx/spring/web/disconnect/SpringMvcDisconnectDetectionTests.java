package dev.ctx.spring.web.disconnect;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The detector behind a filter shaped like the context filter, in front of a Spring MVC
 * controller blocked in {@link Thread#sleep}: on disconnect the filter interrupts the
 * request thread, and clears the interrupt before the thread is reused.
 */
class SpringMvcDisconnectDetectionTests {

	static final Map<String, String> outcomes = new ConcurrentHashMap<>();

	@ParameterizedTest
	@ValueSource(strings = { "tomcat", "jetty" })
	void disconnectShouldInterruptBlockedControllerAndLeaveThreadsClean(String container) throws Exception {
		outcomes.clear();
		try (DisconnectDetector detector = DisconnectDetectors.create(DisconnectDetectionSettings.defaults());
				TestServer server = start(container, detector)) {
			try (Socket socket = RawHttp.connect(server.port())) {
				RawHttp.write(socket, RawHttp.get("/block?id=gone"));
				await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.containsKey("gone:entered"));
				await().pollDelay(Duration.ofMillis(300)).until(() -> true);
			}
			await().atMost(Duration.ofSeconds(2)).until(() -> outcomes.containsKey("gone"));
			assertThat(outcomes.get("gone")).isEqualTo("interrupted");
			assertThat(outcomes).containsKey("gone:notified");
			// Every worker thread then serves normal requests, never seeing a stale interrupt
			for (int i = 0; i < 20; i++) {
				try (Socket socket = RawHttp.connect(server.port())) {
					RawHttp.write(socket, RawHttp.get("/block?ms=0&id=ok" + i));
					assertThat(RawHttp.readResponse(socket)).isEqualTo("200 slept");
				}
			}
			assertThat(outcomes).doesNotContainKey("ok0:notified");
		}
	}

	private TestServer start(String container, DisconnectDetector detector) throws Exception {
		AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();
		context.register(MvcConfiguration.class);
		DispatcherServlet servlet = new DispatcherServlet(context);
		WatchingFilter filter = new WatchingFilter(detector);
		return "tomcat".equals(container) ? TestServer.tomcat(servlet, filter) : TestServer.jetty(servlet, filter);
	}

	static class WatchingFilter extends OncePerRequestFilter {

		private final DisconnectDetector detector;

		WatchingFilter(DisconnectDetector detector) {
			this.detector = detector;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			Thread requestThread = Thread.currentThread();
			String id = request.getParameter("id");
			DisconnectDetector.Watch watch = this.detector.watch(request, () -> {
				outcomes.put(id + ":notified", "yes");
				requestThread.interrupt();
			});
			try {
				chain.doFilter(request, response);
			}
			finally {
				watch.close();
				// After close() no callback can run any more, so this clears any interrupt
				// it delivered before the thread goes back to the pool
				Thread.interrupted();
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	static class MvcConfiguration {

		@Bean
		BlockingController blockingController() {
			return new BlockingController();
		}

	}

	@RestController
	static class BlockingController {

		@GetMapping("/block")
		String block(@RequestParam String id, @RequestParam(defaultValue = "10000") long ms) {
			if (Thread.currentThread().isInterrupted()) {
				outcomes.put(id, "stale interrupt");
				return "stale interrupt";
			}
			outcomes.put(id + ":entered", "yes");
			try {
				Thread.sleep(ms);
				outcomes.put(id, "slept");
				return "slept";
			}
			catch (InterruptedException ex) {
				outcomes.put(id, "interrupted");
				return "interrupted";
			}
		}

	}

}
