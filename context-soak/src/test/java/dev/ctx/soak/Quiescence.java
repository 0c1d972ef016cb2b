package dev.ctx.soak;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.ctx.Context;
import dev.ctx.ContextDiagnostics;
import org.awaitility.core.ConditionTimeoutException;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.awaitility.Awaitility.await;

/**
 * The checks after the load stops: waits (bounded) until the instances are idle, then
 * records in an {@link Invariants} table whether anything leaked or was lost.
 */
final class Quiescence {

	/** Server threads of every instance: server.tomcat.threads.max. */
	static final int SERVER_THREADS = 4;

	private Quiescence() {
	}

	/**
	 * Waits until nothing is in flight anywhere, at most {@code atMost}; returns whether
	 * that happened (the table shows what did not settle).
	 */
	static boolean awaitIdle(Duration atMost, SoakInstance... instances) {
		try {
			await().atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
				if (ContextDiagnostics.pendingDeadlineTimers() != 0) {
					return false;
				}
				for (SoakInstance instance : instances) {
					if (instance.activeRequestsGauge() != 0 || instance.inFlightContexts() != 0
							|| instance.activeConnections() != 0 || !instance.runningStatements().isEmpty()) {
						return false;
					}
				}
				return true;
			});
			return true;
		}
		catch (ConditionTimeoutException ex) {
			return false;
		}
	}

	static void checkInstance(Invariants table, SoakInstance instance) throws Exception {
		String name = "[" + instance.name + "] ";
		double gauge = instance.activeRequestsGauge();
		table.check(name + "active request contexts (gauge context.requests.active)", (long) gauge, "= 0", gauge == 0);
		int inFlight = instance.inFlightContexts();
		table.check(name + "in-flight request contexts (contexts endpoint)", inFlight, "= 0", inFlight == 0);
		int active = instance.activeConnections();
		table.check(name + "Hikari active connections", active, "= 0", active == 0);
		int awaiting = instance.threadsAwaitingConnection();
		table.check(name + "threads awaiting a connection", awaiting, "= 0", awaiting == 0);
		List<String> running = runningStatements(instance);
		table.check(name + "queries still running in the database", running.size(), "= 0", running.isEmpty());
		if (!running.isEmpty()) {
			table.note(name + "running: " + running);
		}
		List<String> probes = probeServerThreads(instance);
		long dirty = probes.stream().filter((probe) -> !probe.endsWith("background-on-entry=true")).count();
		Set<String> threads = new TreeSet<>();
		probes.forEach((probe) -> threads.add(probe.substring(0, probe.indexOf(' '))));
		table.check(name + "server threads probed, all free", threads.size(), "= " + SERVER_THREADS,
				threads.size() == SERVER_THREADS);
		table.check(name + "server threads holding a non-background Context (probe)", dirty, "= 0", dirty == 0);
		long leakedOnEntry = instance.ledger.leakedOnEntry.get();
		long leakedOnExit = instance.ledger.leakedOnExit.get();
		table.check(name + "requests that found a Context left on their thread", leakedOnEntry, "= 0",
				leakedOnEntry == 0);
		table.check(name + "requests that left a Context on their thread", leakedOnExit, "= 0", leakedOnExit == 0);
		int executorDirty = probeExecutor(instance);
		table.check(name + "fan-out executor threads holding a non-background Context", executorDirty, "= 0",
				executorDirty == 0);
		long replayed = instance.ledger.replayed();
		table.check(name + "request ids that arrived more than once", replayed, "= 0", replayed == 0);
		long mismatches = instance.ledger.valueMismatches.get();
		table.check(name + "handlers/tasks that saw another request's values", mismatches, "= 0", mismatches == 0);
		instance.ledger.samples.forEach((sample) -> table.note(name + sample));
	}

	/**
	 * Records that every one of {@code blocked} was answered with the timeout response:
	 * 503 with reason {@code deadline_exceeded}.
	 */
	static void checkTimeoutAnswers(Invariants table, List<CompletableFuture<HttpResponse<String>>> blocked) {
		long timeouts = blocked.stream()
			.map(CompletableFuture::join)
			.filter((response) -> response.statusCode() == 503
					&& response.body().contains("\"reason\":\"deadline_exceeded\""))
			.count();
		table.check("blocked requests answered 503 deadline_exceeded", timeouts + " of " + blocked.size(), "= all",
				timeouts == blocked.size());
	}

	static void checkTimers(Invariants table) {
		int timers = ContextDiagnostics.pendingDeadlineTimers();
		table.check("armed deadline timers (JVM)", timers, "= 0", timers == 0);
	}

	static void checkLogs(Invariants table, int mark, Predicate<ILoggingEvent> expected) {
		List<String> unexpected = CapturingAppender.unexpectedErrors(mark, expected);
		table.check("unexpected ERROR log lines", unexpected.size(), "= 0", unexpected.isEmpty());
		table.info("WARN log lines", CapturingAppender.count(mark, Level.WARN));
		CapturingAppender.warnings(mark).forEach((warning, count) -> table.note("WARN x" + count + " " + warning));
		unexpected.stream().limit(10).forEach((line) -> table.note("log: " + line));
	}

	static long heapAfterGc() throws InterruptedException {
		long used = Long.MAX_VALUE;
		// Several rounds: finalizable and soft-referenced garbage needs more than one
		for (int i = 0; i < 4; i++) {
			ManagementFactory.getMemoryMXBean().gc();
			Thread.sleep(100);
			used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
		}
		return used;
	}

	static void checkHeap(Invariants table, long startBytes, long allowanceBytes) throws InterruptedException {
		long end = heapAfterGc();
		long growth = end - startBytes;
		table.check("heap after GC: growth since start", mb(growth) + " (" + mb(startBytes) + " -> " + mb(end) + ")",
				"<= " + mb(allowanceBytes), growth <= allowanceBytes);
	}

	static String mb(long bytes) {
		return String.format("%.1f MB", bytes / (1024.0 * 1024.0));
	}

	private static List<String> runningStatements(SoakInstance instance) throws SQLException {
		return instance.runningStatements();
	}

	/**
	 * Runs one probe request on every server thread at once: they wait for each other, so
	 * each thread serves exactly one. A thread still held by an earlier request makes the
	 * probe time out.
	 */
	static List<String> probeServerThreads(SoakInstance instance) throws Exception {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < SERVER_THREADS; i++) {
			responses.add(client.sendAsync(HttpRequest
				.newBuilder(URI.create(instance.url("/probe?parties=" + SERVER_THREADS)))
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString()));
		}
		List<String> probes = new ArrayList<>();
		for (CompletableFuture<HttpResponse<String>> response : responses) {
			try {
				HttpResponse<String> answer = response.get(40, TimeUnit.SECONDS);
				if (answer.statusCode() == 200) {
					probes.add(answer.body());
				}
			}
			catch (Exception ex) {
				// A thread that never came: counted as missing
			}
		}
		return probes;
	}

	/**
	 * Runs one task on every thread of the fan-out executor at once and counts those that
	 * found a Context other than background.
	 */
	static int probeExecutor(SoakInstance instance) throws Exception {
		ThreadPoolTaskExecutor executor = instance.context.getBean("fanoutExecutor", ThreadPoolTaskExecutor.class);
		CountDownLatch all = new CountDownLatch(SoakApplication.FANOUT_THREADS);
		Set<String> threads = ConcurrentHashMap.newKeySet();
		AtomicInteger dirty = new AtomicInteger();
		List<Future<?>> tasks = new ArrayList<>();
		for (int i = 0; i < SoakApplication.FANOUT_THREADS; i++) {
			tasks.add(executor.submit(() -> {
				if (Context.current() != Context.background()) {
					dirty.incrementAndGet();
				}
				threads.add(Thread.currentThread().getName());
				all.countDown();
				all.await(20, TimeUnit.SECONDS);
				return null;
			}));
		}
		for (Future<?> task : tasks) {
			task.get(30, TimeUnit.SECONDS);
		}
		return (threads.size() == SoakApplication.FANOUT_THREADS) ? dirty.get() : -1;
	}

}
