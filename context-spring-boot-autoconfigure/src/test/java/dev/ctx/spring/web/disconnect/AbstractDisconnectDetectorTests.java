package dev.ctx.spring.web.disconnect;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.http2.api.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Disconnect detection against a real embedded server, driven by raw sockets. Every
 * scenario runs on each container through a subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractDisconnectDetectorTests {

	private static final Duration BOUND = Duration.ofSeconds(2);

	private static final AtomicInteger ids = new AtomicInteger();

	private SelectorDisconnectDetector detector;

	private DisconnectDetector noHalfCloseDetector;

	// Detectors a test creates and names, for requests that ask for them by name
	private final Map<String, DisconnectDetector> namedDetectors = new ConcurrentHashMap<>();

	private BlockingServlet servlet;

	private TestServer server;

	abstract TestServer startServer(HttpServlet servlet) throws Exception;

	abstract String containerName();

	@BeforeAll
	void startServer() throws Exception {
		DisconnectDetector created = DisconnectDetectors.create(DisconnectDetectionSettings.defaults());
		assertThat(created.isAvailable()).as(created.toString()).isTrue();
		this.detector = (SelectorDisconnectDetector) created;
		this.noHalfCloseDetector = DisconnectDetectors
			.create(DisconnectDetectionSettings.defaults().withHalfCloseMeansGone(false));
		this.namedDetectors.put("noHalfClose", this.noHalfCloseDetector);
		this.servlet = new BlockingServlet(this.detector, this.namedDetectors);
		this.server = startServer(this.servlet);
	}

	@AfterAll
	void stopServer() throws Exception {
		this.server.close();
		this.detector.close();
		this.noHalfCloseDetector.close();
	}

	@BeforeEach
	void reset() {
		this.servlet.reset();
	}

	@AfterEach
	void closeSlowRoundsDetector() {
		DisconnectDetector detector = this.namedDetectors.remove("slowRounds");
		if (detector != null) {
			detector.close();
		}
	}

	/**
	 * A new detector, named {@code slowRounds}, whose periodic rounds are a minute apart
	 * and which has no grace period: its first request wakes its idle watcher, which
	 * registers the request at once; from then on only readiness can make it look at the
	 * connection before a minute has passed.
	 */
	private SelectorDisconnectDetector slowRoundsDetector() {
		SelectorDisconnectDetector detector = (SelectorDisconnectDetector) DisconnectDetectors
			.create(DisconnectDetectionSettings.defaults().withPollInterval(Duration.ofMinutes(1)).withGrace(Duration.ZERO));
		this.namedDetectors.put("slowRounds", detector);
		return detector;
	}

	@Test
	void finWhileHandlerSleepsShouldNotifyWithinBound() throws Exception {
		closeWhileHandlerSleepsShouldNotifyWithinBound("/sleep?ms=10000", "FIN");
	}

	@Test
	void finShouldBeNoticedWhenTheKernelReportsItNotAtTheNextRound() throws Exception {
		slowRoundsDetector();
		closeWhileHandlerSleepsShouldNotifyWithinBound("/sleep?ms=30000&detector=slowRounds",
				"FIN without a periodic round");
	}

	@Test
	void readyButLiveConnectionShouldNotKeepWakingTheWatcher() throws Exception {
		SelectorDisconnectDetector slowRounds = slowRoundsDetector();
		String first = nextId();
		try (Socket socket = connect()) {
			RawHttp.write(socket, RawHttp.get("/sleep?ms=2000&detector=slowRounds&id=" + first));
			awaitEnteredAndPastGrace(first);
			long before = slowRounds.roundCount();
			// Stays unread, and so ready, until the first request is answered
			RawHttp.write(socket, RawHttp.get("/sleep?ms=0&detector=slowRounds&id=" + nextId()));
			assertThat(RawHttp.readResponse(socket)).isEqualTo("200 done 2000");
			assertThat(RawHttp.readResponse(socket)).isEqualTo("200 done 0");
			// One round confirms the connection alive, then its key is left out of the
			// selection for the back-off: a few rounds, not one per select() wake-up
			assertThat(slowRounds.roundCount() - before).isLessThan(20);
		}
		assertNoNotificationAfterSettling();
	}

	@Test
	void rstWhileHandlerSleepsShouldNotifyWithinBound() throws Exception {
		String id = nextId();
		Socket socket = connect();
		RawHttp.write(socket, RawHttp.get("/sleep?ms=10000&id=" + id));
		awaitEnteredAndPastGrace(id);
		socket.setSoLinger(true, 0);
		long closedAt = System.nanoTime();
		socket.close();
		assertNotifiedWithinBound(id, closedAt, "RST");
	}

	@Test
	void closeAfterPartialBodyWhileHandlerSleepsShouldNotify() throws Exception {
		String id = nextId();
		long closedAt;
		try (Socket socket = connect()) {
			RawHttp.write(socket, RawHttp.postHead("/partial?bytes=10&ms=10000&id=" + id, 1000) + "0123456789");
			awaitEnteredAndPastGrace(id);
			closedAt = System.nanoTime();
		}
		assertNotifiedWithinBound(id, closedAt, "FIN after partial body");
	}

	@Test
	void closeWhileHandlerBlocksReadingBodyShouldEndTheHandler() throws Exception {
		String id = nextId();
		long closedAt;
		try (Socket socket = connect()) {
			RawHttp.write(socket, RawHttp.postHead("/read?id=" + id, 100_000) + "0123456789");
			awaitEnteredAndPastGrace(id);
			closedAt = System.nanoTime();
		}
		// The blocked read fails by itself once the container sees EOF, which may come
		// before or after our notification: either way the handler learns within bound
		await().atMost(BOUND)
			.untilAsserted(() -> assertThat(this.servlet.disconnected.containsKey(id)
					|| this.servlet.readFailures.containsKey(id))
				.isTrue());
		await().atMost(BOUND).until(() -> this.servlet.finished.containsKey(id));
		System.out.printf("%s blocked body read: notified=%s, read failure=%s, handler ended %.1f ms after close%n",
				containerName(), this.servlet.disconnected.containsKey(id), this.servlet.readFailures.get(id),
				(this.servlet.finished.get(id) - closedAt) / 1e6);
	}

	@Test
	void halfCloseShouldNotifyByDefault() throws Exception {
		String id = nextId();
		try (Socket socket = connect()) {
			RawHttp.write(socket, RawHttp.get("/sleep?ms=10000&id=" + id));
			awaitEnteredAndPastGrace(id);
			long closedAt = System.nanoTime();
			socket.shutdownOutput();
			assertNotifiedWithinBound(id, closedAt, "half-close");
		}
	}

	@Test
	void halfCloseWhenNotMeaningGoneShouldStillBeAnswered() throws Exception {
		String id = nextId();
		try (Socket socket = connect()) {
			RawHttp.write(socket, RawHttp.get("/sleep?ms=1000&detector=noHalfClose&id=" + id));
			awaitEnteredAndPastGrace(id);
			socket.shutdownOutput();
			assertThat(RawHttp.readResponse(socket)).isEqualTo("200 done 1000");
		}
		assertThat(this.servlet.disconnected).isEmpty();
	}

	@Test
	void normalRequestsShouldBeAnsweredWithoutNotification() throws Exception {
		String slow = nextId();
		String fast = nextId();
		try (Socket socket = connect()) {
			RawHttp.write(socket, RawHttp.get("/sleep?ms=600&id=" + slow));
			assertThat(RawHttp.readResponse(socket)).isEqualTo("200 done 600");
		}
		try (Socket socket = connect()) {
			RawHttp.write(socket, RawHttp.get("/sleep?ms=0&id=" + fast));
			assertThat(RawHttp.readResponse(socket)).isEqualTo("200 done 0");
		}
		assertNoNotificationAfterSettling();
		assertThat(this.servlet.finished).containsKeys(slow, fast);
	}

	@Test
	void keepAliveSequenceShouldBeAnsweredWithoutNotification() throws Exception {
		try (Socket socket = connect()) {
			for (long ms : new long[] { 400, 0, 400, 0 }) {
				RawHttp.write(socket, RawHttp.get("/sleep?ms=" + ms + "&id=" + nextId()));
				assertThat(RawHttp.readResponse(socket)).isEqualTo("200 done " + ms);
			}
		}
		assertNoNotificationAfterSettling();
	}

	@Test
	void pipelinedRequestsInOneWriteShouldAllBeAnswered() throws Exception {
		try (Socket socket = connect()) {
			RawHttp.write(socket, RawHttp.get("/sleep?ms=300&id=" + nextId()) + RawHttp.get("/sleep?ms=301&id=" + nextId())
					+ RawHttp.get("/sleep?ms=302&id=" + nextId()));
			assertThat(RawHttp.readResponse(socket)).isEqualTo("200 done 300");
			assertThat(RawHttp.readResponse(socket)).isEqualTo("200 done 301");
			assertThat(RawHttp.readResponse(socket)).isEqualTo("200 done 302");
		}
		assertNoNotificationAfterSettling();
	}

	@Test
	void pipelinedRequestArrivingWhileFirstBlocksShouldBeAnswered() throws Exception {
		String first = nextId();
		try (Socket socket = connect()) {
			RawHttp.write(socket, RawHttp.get("/sleep?ms=1500&id=" + first));
			awaitEnteredAndPastGrace(first);
			RawHttp.write(socket, RawHttp.get("/sleep?ms=300&id=" + nextId()));
			assertThat(RawHttp.readResponse(socket)).isEqualTo("200 done 1500");
			assertThat(RawHttp.readResponse(socket)).isEqualTo("200 done 300");
		}
		assertNoNotificationAfterSettling();
	}

	@Test
	void pipelinedRequestsAfterLargeBodyShouldBeAnswered() throws Exception {
		byte[] body = randomBody(1024 * 1024);
		try (Socket socket = connect()) {
			OutputStream out = socket.getOutputStream();
			// 16 chunks read with 25 ms pauses: the upload outlives the grace period
			out.write(RawHttp.postHead("/upload?chunkDelay=25&id=" + nextId(), body.length)
				.getBytes(StandardCharsets.ISO_8859_1));
			out.write(body);
			out.write((RawHttp.get("/sleep?ms=200&id=" + nextId()) + RawHttp.get("/sleep?ms=0&id=" + nextId()))
				.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			assertThat(RawHttp.readResponse(socket)).isEqualTo("200 " + body.length + " " + crc(body));
			assertThat(RawHttp.readResponse(socket)).isEqualTo("200 done 200");
			assertThat(RawHttp.readResponse(socket)).isEqualTo("200 done 0");
		}
		assertNoNotificationAfterSettling();
	}

	@Test
	void chunkedLargeBodyShouldBeReadIntact() throws Exception {
		byte[] body = randomBody(1024 * 1024);
		try (Socket socket = connect()) {
			OutputStream out = socket.getOutputStream();
			out.write(("POST /upload?chunkDelay=25&id=" + nextId() + " HTTP/1.1\r\nHost: localhost\r\n"
					+ "Transfer-Encoding: chunked\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			int chunk = 10_000;
			for (int offset = 0; offset < body.length; offset += chunk) {
				int length = Math.min(chunk, body.length - offset);
				out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
				out.write(body, offset, length);
				out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
			}
			out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			assertThat(RawHttp.readResponse(socket)).isEqualTo("200 " + body.length + " " + crc(body));
		}
		assertNoNotificationAfterSettling();
	}

	@Test
	void clientClosingAfterCompleteResponseShouldNotNotify() throws Exception {
		String id = nextId();
		try (Socket socket = connect()) {
			RawHttp.write(socket, RawHttp.get("/flushThenSleep?ms=1000&id=" + id));
			assertThat(RawHttp.readResponse(socket)).isEqualTo("200 flushed");
			awaitEnteredAndPastGrace(id);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.servlet.finished.containsKey(id));
		assertThat(this.servlet.disconnected).isEmpty();
	}

	@Test
	void closedWatchShouldNeverNotify() throws Exception {
		String id = nextId();
		try (Socket socket = connect()) {
			RawHttp.write(socket, RawHttp.get("/sleep?ms=1500&closeEarly=true&id=" + id));
			awaitEnteredAndPastGrace(id);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.servlet.finished.containsKey(id));
		assertThat(this.servlet.disconnected).isEmpty();
	}

	@Test
	void closeShouldWaitForARunningCallback() throws Exception {
		String id = nextId();
		try (Socket socket = connect()) {
			RawHttp.write(socket, RawHttp.get("/sleep?ms=10000&slowCallback=true&id=" + id));
			awaitEnteredAndPastGrace(id);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.servlet.finished.containsKey(id));
		// The handler returned within a few ms of the callback's start, but its close()
		// only returned once the callback had finished
		assertThat(this.servlet.callbackEnded).containsKey(id);
		assertThat(this.servlet.finished.get(id)).isGreaterThanOrEqualTo(this.servlet.callbackEnded.get(id));
	}

	@Test
	void watchesShouldBeReleasedWhenRequestsEnd() throws Exception {
		try (Socket socket = connect()) {
			RawHttp.write(socket, RawHttp.get("/sleep?ms=300&id=" + nextId()));
			assertThat(RawHttp.readResponse(socket)).isEqualTo("200 done 300");
		}
		await().atMost(BOUND).until(() -> this.detector.watchCount() == 0);
	}

	@Test
	void h2StreamResetShouldNotifyOnlyThatStream() throws Exception {
		String reset = nextId();
		String kept = nextId();
		try (H2Client client = new H2Client(this.server.port())) {
			CompletableFuture<String> keptResponse = new CompletableFuture<>();
			client.get("/sleep?ms=1500&id=" + kept, keptResponse);
			Stream stream = client.get("/sleep?ms=10000&id=" + reset, new CompletableFuture<>());
			awaitEnteredAndPastGrace(reset);
			long closedAt = System.nanoTime();
			client.reset(stream);
			assertNotifiedWithinBound(reset, closedAt, "h2 RST_STREAM");
			assertThat(keptResponse.get(5, TimeUnit.SECONDS)).isEqualTo("200 done 1500");
		}
		assertThat(this.servlet.disconnected).containsOnlyKeys(reset);
	}

	@Test
	void h2ConnectionCloseShouldNotify() throws Exception {
		String id = nextId();
		long closedAt;
		try (H2Client client = new H2Client(this.server.port())) {
			client.get("/sleep?ms=10000&id=" + id, new CompletableFuture<>());
			awaitEnteredAndPastGrace(id);
			closedAt = System.nanoTime();
			client.abort();
			assertNotifiedWithinBound(id, closedAt, "h2 connection close");
		}
	}

	@Test
	void h2ConnectionClosedAfterGoawayShouldNotify() throws Exception {
		String id = nextId();
		H2Client client = new H2Client(this.server.port());
		client.get("/sleep?ms=10000&id=" + id, new CompletableFuture<>());
		awaitEnteredAndPastGrace(id);
		long closedAt = System.nanoTime();
		// Graceful: GOAWAY, then the TCP close
		client.close();
		assertNotifiedWithinBound(id, closedAt, "h2 GOAWAY and close");
	}

	@Test
	void h2RequestsShouldBeAnsweredWithoutNotification() throws Exception {
		try (H2Client client = new H2Client(this.server.port())) {
			CompletableFuture<String> slow = new CompletableFuture<>();
			CompletableFuture<String> fast = new CompletableFuture<>();
			client.get("/sleep?ms=400&id=" + nextId(), slow);
			client.get("/sleep?ms=0&id=" + nextId(), fast);
			assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo("200 done 400");
			assertThat(fast.get(5, TimeUnit.SECONDS)).isEqualTo("200 done 0");
		}
		assertNoNotificationAfterSettling();
	}

	private void closeWhileHandlerSleepsShouldNotifyWithinBound(String path, String how) throws Exception {
		String id = nextId();
		long closedAt;
		try (Socket socket = connect()) {
			RawHttp.write(socket, RawHttp.get(path + "&id=" + id));
			awaitEnteredAndPastGrace(id);
			closedAt = System.nanoTime();
		}
		assertNotifiedWithinBound(id, closedAt, how);
	}

	private Socket connect() throws Exception {
		return RawHttp.connect(this.server.port());
	}

	private static String nextId() {
		return "r" + ids.incrementAndGet();
	}

	private void awaitEnteredAndPastGrace(String id) {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.servlet.entered.containsKey(id));
		// Past the 100 ms grace period and one more poll interval, so the connection is
		// registered with the watcher before the client acts
		await().pollDelay(Duration.ofMillis(300)).until(() -> true);
	}

	private void assertNotifiedWithinBound(String id, long closedAt, String how) {
		await().atMost(BOUND).until(() -> this.servlet.disconnected.containsKey(id));
		double latencyMs = (this.servlet.disconnected.get(id) - closedAt) / 1e6;
		System.out.printf("%s %s detected after %.1f ms%n", containerName(), how, latencyMs);
		assertThat(latencyMs).isLessThan(BOUND.toMillis());
		// The sleeping handler notices the callback and ends
		await().atMost(BOUND).until(() -> this.servlet.finished.containsKey(id));
	}

	private void assertNoNotificationAfterSettling() {
		// Two poll intervals plus margin: a late false positive would show up here
		await().pollDelay(Duration.ofMillis(300)).until(() -> true);
		assertThat(this.servlet.disconnected).isEmpty();
		assertThat(this.servlet.readFailures).isEmpty();
	}

	private static byte[] randomBody(int size) {
		byte[] body = new byte[size];
		new Random(42).nextBytes(body);
		return body;
	}

	private static String crc(byte[] body) {
		CRC32 crc = new CRC32();
		crc.update(body);
		return Long.toHexString(crc.getValue());
	}

	static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

}
