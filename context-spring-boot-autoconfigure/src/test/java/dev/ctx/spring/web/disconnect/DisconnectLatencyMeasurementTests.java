package dev.ctx.spring.web.disconnect;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServlet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Measures detection latency (client close to callback) at the default settings over
 * many disconnects per container. On demand only (tag {@code measurement}, excluded from
 * {@code verify}), as it takes a while and its numbers depend on the machine:
 * {@code ./mvnw -pl context-spring-boot-autoconfigure verify -Dgroups=measurement -DexcludedGroups=}.
 */
@Tag("measurement")
class DisconnectLatencyMeasurementTests {

	private static final int DISCONNECTS = 200;

	private static final int RESETS = 100;

	private static final int BATCH = 20;

	@Test
	void measureTomcat() throws Exception {
		measure("Tomcat", TestServerFactory.TOMCAT);
	}

	@Test
	void measureJetty() throws Exception {
		measure("Jetty", TestServerFactory.JETTY);
	}

	@Test
	void measureTcpTableRead() throws Exception {
		long[] nanos = new long[50];
		for (int i = 0; i < nanos.length; i++) {
			long start = System.nanoTime();
			TcpTable.read(Set.of("none"), 1);
			nanos[i] = System.nanoTime() - start;
		}
		Arrays.sort(nanos);
		System.out.printf("TCP table read, both tables (row missing): p50 %.2f ms, max %.2f ms%n", nanos[25] / 1e6,
				nanos[49] / 1e6);
	}

	@Test
	void measureWatchAndCloseOfShortRequests() {
		// What a request shorter than the grace period pays: one watch and one close
		try (DisconnectDetector detector = DisconnectDetectors.create(DisconnectDetectionSettings.defaults())) {
			MockHttpServletRequest request = new MockHttpServletRequest();
			Runnable callback = () -> {
			};
			long best = Long.MAX_VALUE;
			for (int round = 0; round < 5; round++) {
				int n = 1_000_000;
				long start = System.nanoTime();
				for (int i = 0; i < n; i++) {
					detector.watch(request, callback).close();
				}
				best = Math.min(best, (System.nanoTime() - start) / n);
			}
			System.out.printf("watch + close of a short request: %d ns (best of 5 rounds of 1M)%n", best);
		}
	}

	private void measure(String name, TestServerFactory factory) throws Exception {
		DisconnectDetector detector = DisconnectDetectors.create(DisconnectDetectionSettings.defaults());
		BlockingServlet servlet = new BlockingServlet(detector, Map.of());
		ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
		try (TestServer server = factory.start(servlet)) {
			double[] fin = run(server, servlet, scheduler, DISCONNECTS, false);
			double[] rst = run(server, servlet, scheduler, RESETS, true);
			report(name + " FIN", fin);
			report(name + " RST", rst);
			assertThat(fin[fin.length - 1]).isLessThan(2000);
			assertThat(rst[rst.length - 1]).isLessThan(2000);
		}
		finally {
			scheduler.shutdownNow();
			detector.close();
		}
	}

	private double[] run(TestServer server, BlockingServlet servlet, ScheduledExecutorService scheduler, int count,
			boolean reset) throws Exception {
		Map<String, Long> closedAt = new ConcurrentHashMap<>();
		List<String> all = new ArrayList<>();
		for (int batch = 0; batch < count / BATCH; batch++) {
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < BATCH; i++) {
				String id = (reset ? "rst" : "fin") + batch + "-" + i;
				ids.add(id);
				Socket socket = RawHttp.connect(server.port());
				RawHttp.write(socket, RawHttp.get("/sleep?ms=10000&id=" + id));
				// Past the grace period, at a random phase relative to the watcher's rounds
				long delayMs = 250 + ThreadLocalRandom.current().nextLong(100);
				scheduler.schedule(() -> {
					try {
						if (reset) {
							socket.setSoLinger(true, 0);
						}
						closedAt.put(id, System.nanoTime());
						socket.close();
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}, delayMs, TimeUnit.MILLISECONDS);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> servlet.disconnected.keySet().containsAll(ids));
			all.addAll(ids);
		}
		double[] latencies = all.stream().mapToDouble((id) -> (servlet.disconnected.get(id) - closedAt.get(id)) / 1e6)
			.sorted()
			.toArray();
		servlet.reset();
		return latencies;
	}

	private static void report(String name, double[] sorted) {
		System.out.printf("%s: n=%d min %.1f ms, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", name,
				sorted.length, sorted[0], percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
				sorted[sorted.length - 1]);
	}

	private static double percentile(double[] sorted, int percent) {
		int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	private enum TestServerFactory {

		TOMCAT, JETTY;

		TestServer start(HttpServlet servlet) throws Exception {
			return (this == TOMCAT) ? TestServer.tomcat(servlet) : TestServer.jetty(servlet);
		}

	}

}
