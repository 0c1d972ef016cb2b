package dev.ctx.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.ctx.ContextDiagnostics;
import dev.ctx.spring.web.InFlightRequestContexts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * Graceful shutdown in the middle of load: requests still running when the grace period
 * ends are cancelled with reason {@code shutdown} and answered, the application closes
 * within the grace period plus unwinding, and no client is left hanging.
 */
class GracefulShutdownSoakTests {

	private static final Duration GRACE = Duration.ofSeconds(2);

	@Test
	void shutdownDuringLoadCancelsInFlightContextsAndClosesWithinGracePeriod() throws Exception {
		int logMark = CapturingAppender.mark();
		SoakInstance instance = SoakInstance.start("shutdown", "context.web.default-timeout=30s",
				"context.web.max-timeout=60s", "spring.lifecycle.timeout-per-shutdown-phase=" + GRACE.toMillis() + "ms");
		InFlightRequestContexts inFlight = instance.context.getBean(InFlightRequestContexts.class);
		MeterRegistry meters = instance.meters();
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		AtomicLong ids = new AtomicLong();
		// Long requests that wait on their context: only the shutdown can end them early
		List<CompletableFuture<HttpResponse<String>>> longRequests = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			longRequests.add(client.sendAsync(HttpRequest.newBuilder(URI.create(instance.url("/work?ms=60000")))
				.header("X-Req", Long.toString(ids.incrementAndGet())).header("X-User", "alice")
				.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
		}
		// Short requests on the remaining thread, until and through the shutdown
		AtomicBoolean closing = new AtomicBoolean();
		LongAdder ok = new LongAdder();
		LongAdder refused = new LongAdder();
		LongAdder shutdownAnswers = new LongAdder();
		LongAdder other = new LongAdder();
		Queue<String> otherSamples = new ConcurrentLinkedQueue<>();
		LongAdder hung = new LongAdder();
		ExecutorService shortClients = Executors.newFixedThreadPool(2);
		List<Future<?>> loops = new ArrayList<>();
		for (int c = 0; c < 2; c++) {
			loops.add(shortClients.submit(() -> {
				long stopAt = Long.MAX_VALUE;
				while (System.nanoTime() < stopAt) {
					if (closing.get() && stopAt == Long.MAX_VALUE) {
						stopAt = System.nanoTime() + GRACE.plusSeconds(2).toNanos();
					}
					try {
						HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(instance.url("/fast")))
							.header("X-Req", Long.toString(ids.incrementAndGet())).header("X-User", "bob")
							.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
						if (response.statusCode() == 200) {
							ok.increment();
						}
						else if (response.statusCode() == 503 && response.body().contains("\"reason\":\"shutdown\"")) {
							shutdownAnswers.increment();
						}
						else {
							other.increment();
							otherSamples.add((closing.get() ? "after close began: " : "before close: ")
									+ response.statusCode() + " " + abbreviate(response.body()));
						}
					}
					catch (HttpTimeoutException ex) {
						hung.increment();
					}
					catch (IOException ex) {
						// Connection refused or closed once the server stopped accepting
						refused.increment();
						if (!closing.get()) {
							other.increment();
							otherSamples.add("before close: " + ex);
						}
						// Do not hammer a closed port
						Thread.sleep(10);
					}
				}
				return null;
			}));
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> ok.sum() > 20
				&& inFlight.all().stream().filter((state) -> state.path().equals("/work")).count() == 3);
		closing.set(true);
		long start = System.nanoTime();
		instance.close();
		long closeMillis = (System.nanoTime() - start) / 1_000_000;
		for (Future<?> loop : loops) {
			loop.get(60, TimeUnit.SECONDS);
		}
		shortClients.shutdown();
		long cancelledWithShutdown = 0;
		long lostAnswers = 0;
		List<String> longAnswers = new ArrayList<>();
		for (CompletableFuture<HttpResponse<String>> response : longRequests) {
			try {
				HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
				longAnswers.add(answer.statusCode() + " " + answer.body());
				if (answer.statusCode() == 503 && answer.body().contains("\"reason\":\"shutdown\"")) {
					cancelledWithShutdown++;
				}
			}
			catch (Exception ex) {
				// The connection closed without an answer (the client then retried the GET
				// against the closed port)
				lostAnswers++;
				longAnswers.add("no answer: " + ex);
			}
		}
		boolean timersGone = true;
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> ContextDiagnostics.pendingDeadlineTimers() == 0);
		}
		catch (org.awaitility.core.ConditionTimeoutException ex) {
			timersGone = false;
		}

		Invariants table = new Invariants("Fault: graceful shutdown (grace " + GRACE.toSeconds() + " s) during load");
		table.check("application closed within", closeMillis + " ms", "< grace + 5 s",
				closeMillis < GRACE.plusSeconds(5).toMillis());
		double shutdownCancellations = meters.find("context.cancellations").tag("reason", "shutdown").counters()
			.stream().mapToDouble(Counter::count).sum();
		table.check("long requests whose context was cancelled with reason shutdown", (long) shutdownCancellations
				+ " of " + longRequests.size(), "= all", shutdownCancellations == longRequests.size());
		// KNOWN ISSUE (race): the root context is cancelled one lifecycle phase before the web
		// server stops, without waiting for the cancelled requests to unwind; on a busy machine
		// the server can close their connections before they write the 503
		table.check("long requests answered 503 reason shutdown, or lost to the shutdown race",
				cancelledWithShutdown + " answered + " + lostAnswers + " lost", "= " + longRequests.size(),
				cancelledWithShutdown + lostAnswers == longRequests.size());
		table.info("long requests whose 503 was lost (known issue)", lostAnswers);
		table.info("short requests: 200 / 503 shutdown / refused after close began", ok.sum() + " / "
				+ shutdownAnswers.sum() + " / " + refused.sum());
		table.check("short requests that hung (no answer in 15 s)", hung.sum(), "= 0", hung.sum() == 0);
		table.check("short requests with any other outcome", other.sum(), "= 0", other.sum() == 0);
		table.check("in-flight request contexts after close", inFlight.size(), "= 0", inFlight.size() == 0);
		table.check("armed deadline timers (JVM) after close", ContextDiagnostics.pendingDeadlineTimers(), "= 0",
				timersGone);
		long leaked = instance.ledger.leakedOnEntry.get() + instance.ledger.leakedOnExit.get();
		table.check("requests that found or left a Context on their thread", leaked, "= 0", leaked == 0);
		Quiescence.checkLogs(table, logMark, (event) -> false);
		longAnswers.forEach((answer) -> table.note("long request: " + answer));
		otherSamples.stream().limit(10).forEach((sample) -> table.note("short request, other outcome: " + sample));
		SoakSettings.report(table.table());
		table.assertAllHold();
	}

	private static String abbreviate(String body) {
		String line = body.replaceAll("\\s+", " ");
		return (line.length() <= 300) ? line : line.substring(0, 300) + "...";
	}

}
