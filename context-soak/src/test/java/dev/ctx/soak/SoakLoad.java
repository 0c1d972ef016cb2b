package dev.ctx.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The load generator: a bounded number of requests (and a bounded duration) over real
 * HTTP on loopback, each one a scenario picked at random (seeded, so a run can be
 * repeated) and checked against what it must answer.
 */
final class SoakLoad {

	/**
	 * The mix. Weights are relative; {@code soak.skip} names scenarios to leave out.
	 */
	enum Scenario {

		/** A cheap GET. */
		FAST(38, false),
		/** A query that finishes well within the 2s default timeout. */
		SLOW_QUERY(8, false),
		/** Cooperative work cut by a 40 ms inbound budget: 503 deadline_exceeded. */
		DEADLINE_WORK(6, false),
		/** A query of ~40 ms with a 5 ms budget: 503 deadline_exceeded (early once JDBC cancellation is merged). */
		DEADLINE_QUERY(3, false),
		/** A valid inbound budget of 1500 ms: it shortens the 2s default. */
		INBOUND_VALID(5, false),
		/** Inbound budget 0: 503 at once, the handler never runs. */
		INBOUND_EXPIRED(4, false),
		/** A malformed inbound budget (raw socket): ignored, counted, 200 with the default timeout. */
		INBOUND_MALFORMED(4, false),
		/** A POST with a 1-32 KB body, echoed back as length and CRC. */
		POST_BODY(8, false),
		/** A 32 KB response read to its end. */
		BIG_RESPONSE(4, false),
		/** Three tasks on an executor that must see the request's values. */
		FANOUT(6, false),
		/** A call through RestClient to the second instance. */
		DOWNSTREAM(4, false),
		/** POST headers announcing a body that never comes, then the client vanishes. */
		DISCONNECT_BEFORE_BODY(2, true),
		/** Half the body, then the client vanishes. */
		DISCONNECT_MID_BODY(2, true),
		/** The client vanishes while its query runs. */
		DISCONNECT_MID_QUERY(3, true),
		/** The client reads a little of a 256 KB response and vanishes. */
		DISCONNECT_MID_RESPONSE(3, true);

		final int weight;

		final boolean deliberateDisconnect;

		Scenario(int weight, boolean deliberateDisconnect) {
			this.weight = weight;
			this.deliberateDisconnect = deliberateDisconnect;
		}

	}

	static final List<String> MALFORMED = List.of("-1", "+5", "1.5", "1e3", "0x10", "abc", "1000000000", "1,000",
			"1 000", "100ms", "5s", "5X", "5H5", "H", "NaN", "-0", "'100'", "\"100\"", "100 200", "1;2", "123456789m",
			"99999999999999", "%31%30", "\u00b2\u00b3");

	private static final Pattern REMAINING = Pattern.compile("remaining=(-?\\d+)");

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final SoakInstance server;

	private final Settings settings;

	private final HttpClient client;

	private final Tally tally = new Tally();

	private final AtomicLong ids;

	SoakLoad(SoakInstance server, Settings settings, AtomicLong ids) {
		this.server = server;
		this.settings = settings;
		this.ids = ids;
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	}

	/**
	 * Runs the mix to the request bound or the duration bound, whichever comes first, and
	 * returns what the clients saw once every client is done.
	 */
	Tally run() throws Exception {
		List<Scenario> wheel = new ArrayList<>();
		for (Scenario scenario : this.settings.enabled) {
			for (int i = 0; i < scenario.weight; i++) {
				wheel.add(scenario);
			}
		}
		long deadline = System.nanoTime() + this.settings.duration.toNanos();
		AtomicLong issued = new AtomicLong();
		ExecutorService workers = Executors.newFixedThreadPool(this.settings.concurrency);
		long start = System.nanoTime();
		try {
			List<Future<?>> running = new ArrayList<>();
			for (int w = 0; w < this.settings.concurrency; w++) {
				Random random = new Random(this.settings.seed * 31 + w);
				String user = (w % 2 == 0) ? "alice" : "bob";
				running.add(workers.submit(() -> {
					while (issued.incrementAndGet() <= this.settings.requests && System.nanoTime() < deadline) {
						Scenario scenario = wheel.get(random.nextInt(wheel.size()));
						execute(scenario, this.ids.incrementAndGet(), user, random);
					}
					return null;
				}));
			}
			for (Future<?> worker : running) {
				worker.get();
			}
		}
		finally {
			workers.shutdownNow();
			workers.awaitTermination(1, TimeUnit.MINUTES);
		}
		this.tally.elapsedNanos = System.nanoTime() - start;
		this.tally.stoppedByDuration = issued.get() <= this.settings.requests;
		return this.tally;
	}

	private void execute(Scenario scenario, long id, String user, Random random) {
		this.tally.sent(scenario);
		long start = System.nanoTime();
		try {
			String problem = switch (scenario) {
				case FAST -> expectOk(get("/fast", id, user), id, user, "");
				case SLOW_QUERY -> expectOk(get("/query?rows=" + this.settings.slowRows, id, user), id, user,
						" sum=" + (this.settings.slowRows * (this.settings.slowRows + 1) / 2));
				case DEADLINE_WORK -> expectDeadline(get("/work?ms=5000", id, user, "Request-Timeout-Ms", "40"),
						start, 40);
				case DEADLINE_QUERY -> deadlineQuery(id, user, start);
				case INBOUND_VALID -> expectRemaining(get("/fast", id, user, "Request-Timeout-Ms", "1500"), id, user,
						0, 1500);
				case INBOUND_EXPIRED -> expectDeadline(get("/work?ms=5000", id, user, "Request-Timeout-Ms", "0"),
						start, 0);
				case INBOUND_MALFORMED -> malformed(id, user, random);
				case POST_BODY -> post(id, user, random);
				case BIG_RESPONSE -> big(id, user);
				case FANOUT -> expectOk(get("/fanout", id, user), id, user, " fanout=3/3");
				case DOWNSTREAM -> expectOk(get("/downstream", id, user), id, user,
						" downstream=[req=" + id + " user=" + user + "]");
				case DISCONNECT_BEFORE_BODY -> disconnectBeforeBody(id, user, random);
				case DISCONNECT_MID_BODY -> disconnectMidBody(id, user, random);
				case DISCONNECT_MID_QUERY -> disconnectMidQuery(id, user, random);
				case DISCONNECT_MID_RESPONSE -> disconnectMidResponse(id, user, random);
			};
			if (scenario.deliberateDisconnect) {
				this.tally.disconnected(scenario);
			}
			else {
				this.tally.answered(scenario, id, problem, System.nanoTime() - start);
			}
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			this.tally.failed(scenario, id, ex);
		}
	}

	private HttpResponse<String> get(String path, long id, String user, String... headers)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.server.url(path)))
			.timeout(TIMEOUT)
			.header("X-Req", Long.toString(id))
			.header("X-User", user);
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String identity(long id, String user) {
		return "req=" + id + " user=" + user;
	}

	private static String expectOk(HttpResponse<String> response, long id, String user, String suffix) {
		if (response.statusCode() != 200) {
			return "status " + response.statusCode() + ": " + abbreviate(response.body());
		}
		String body = response.body();
		if (!body.equals(identity(id, user)) && !body.startsWith(identity(id, user) + " ")
				&& !body.startsWith(identity(id, user) + "\n")) {
			return "VALUE MISMATCH: sent " + identity(id, user) + ", got " + abbreviate(body);
		}
		return body.contains(suffix) ? "" : "unexpected body " + abbreviate(body);
	}

	private static String expectDeadline(HttpResponse<String> response, long start, long budgetMillis) {
		long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
		if (response.statusCode() != 503 || !response.body().contains("\"reason\":\"deadline_exceeded\"")) {
			return "expected 503 deadline_exceeded, got " + response.statusCode() + ": " + abbreviate(response.body());
		}
		if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
			return "timeout response is not application/problem+json";
		}
		return (elapsedMillis >= budgetMillis) ? "" : "answered after " + elapsedMillis + " ms, before its budget";
	}

	private String deadlineQuery(long id, String user, long start) throws IOException, InterruptedException {
		HttpResponse<String> response = get("/query?rows=" + this.settings.bigRows, id, user, "Request-Timeout-Ms", "5");
		if (response.statusCode() == 200 && response.body().endsWith(" remaining=0")) {
			// The deadline had passed (remaining() is 0) but the deadline timer thread had not
			// fired yet, so isDone() was still false: a starved timer, counted, not a failure
			this.tally.timerLate.increment();
			return "";
		}
		return expectDeadline(response, start, 5);
	}

	private static String expectRemaining(HttpResponse<String> response, long id, String user, long min, long max) {
		String problem = expectOk(response, id, user, "");
		if (!problem.isEmpty()) {
			return problem;
		}
		return remainingWithin(response.body(), min, max);
	}

	private static String remainingWithin(String body, long min, long max) {
		Matcher matcher = REMAINING.matcher(body);
		if (!matcher.find()) {
			return "no remaining= in " + abbreviate(body);
		}
		long remaining = Long.parseLong(matcher.group(1));
		return (remaining >= min && remaining <= max) ? ""
				: "remaining " + remaining + " ms outside [" + min + ", " + max + "]";
	}

	private String malformed(long id, String user, Random random) throws IOException {
		// One in ten sends two valid-looking values: two budgets from upstream are not trusted either
		String[] headers = (random.nextInt(10) == 0)
				? new String[] { "Request-Timeout-Ms: 100", "Request-Timeout-Ms: 200" }
				: new String[] { "Request-Timeout-Ms: " + MALFORMED.get(random.nextInt(MALFORMED.size())) };
		this.tally.malformedSent.increment();
		RawHttp.Response response = RawHttp.exchange(this.server.port,
				RawHttp.head("GET", "/fast", this.server.port, id, user, headers), new byte[0], TIMEOUT);
		if (response.status() != 200) {
			return "status " + response.status() + " for " + String.join(", ", headers);
		}
		if (!response.body().startsWith(identity(id, user) + " ")) {
			return "VALUE MISMATCH: sent " + identity(id, user) + ", got " + abbreviate(response.body());
		}
		// Ignored: the 2s default applies
		return remainingWithin(response.body(), 1000, 2000);
	}

	private String post(long id, String user, Random random) throws IOException, InterruptedException {
		byte[] body = new byte[1 + random.nextInt(32 * 1024)];
		random.nextBytes(body);
		CRC32 crc = new CRC32();
		crc.update(body);
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.server.url("/echo")))
			.timeout(TIMEOUT)
			.header("X-Req", Long.toString(id))
			.header("X-User", user)
			.header("Content-Type", "application/octet-stream")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		return expectOk(this.client.send(request, HttpResponse.BodyHandlers.ofString()), id, user,
				" length=" + body.length + " crc=" + crc.getValue());
	}

	private String big(long id, String user) throws IOException, InterruptedException {
		int kb = 32;
		HttpResponse<String> response = get("/big?kb=" + kb, id, user);
		String problem = expectOk(response, id, user, "");
		if (!problem.isEmpty()) {
			return problem;
		}
		int expected = (identity(id, user) + "\n").length() + kb * 1024;
		return (response.body().length() == expected) ? ""
				: "body of " + response.body().length() + " bytes, expected " + expected;
	}

	private String disconnectBeforeBody(long id, String user, Random random) throws IOException, InterruptedException {
		try (Socket socket = RawHttp.open(this.server.port, TIMEOUT)) {
			OutputStream out = socket.getOutputStream();
			out.write(RawHttp.head("POST", "/echo", this.server.port, id, user, "Content-Type: application/octet-stream",
					"Content-Length: 4096"));
			out.flush();
			Thread.sleep(random.nextInt(20));
			RawHttp.vanish(socket, random.nextBoolean());
		}
		return "";
	}

	private String disconnectMidBody(long id, String user, Random random) throws IOException, InterruptedException {
		try (Socket socket = RawHttp.open(this.server.port, TIMEOUT)) {
			OutputStream out = socket.getOutputStream();
			out.write(RawHttp.head("POST", "/echo", this.server.port, id, user, "Content-Type: application/octet-stream",
					"Content-Length: 65536"));
			byte[] half = new byte[1 + random.nextInt(32 * 1024)];
			random.nextBytes(half);
			out.write(half);
			out.flush();
			Thread.sleep(random.nextInt(20));
			RawHttp.vanish(socket, random.nextBoolean());
		}
		return "";
	}

	private String disconnectMidQuery(long id, String user, Random random) throws IOException, InterruptedException {
		try (Socket socket = RawHttp.open(this.server.port, TIMEOUT)) {
			OutputStream out = socket.getOutputStream();
			out.write(RawHttp.head("GET", "/query?rows=" + this.settings.bigRows, this.server.port, id, user));
			out.flush();
			Thread.sleep(5 + random.nextInt((int) Math.max(5, this.settings.bigQueryMillis - 10)));
			RawHttp.vanish(socket, random.nextBoolean());
		}
		return "";
	}

	private String disconnectMidResponse(long id, String user, Random random) throws IOException {
		try (Socket socket = RawHttp.open(this.server.port, TIMEOUT)) {
			OutputStream out = socket.getOutputStream();
			out.write(RawHttp.head("GET", "/big?kb=256", this.server.port, id, user));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[4096];
			int wanted = 1 + random.nextInt(32 * 1024);
			int read = 0;
			while (read < wanted) {
				int n = in.read(buffer);
				if (n < 0) {
					break;
				}
				read += n;
			}
			RawHttp.vanish(socket, random.nextBoolean());
		}
		return "";
	}

	private static String abbreviate(String text) {
		return (text.length() <= 160) ? text : text.substring(0, 160) + "...";
	}

	/**
	 * Bounds and knobs of a run.
	 */
	record Settings(long requests, Duration duration, int concurrency, long seed, long slowRows, long bigRows,
			long bigQueryMillis, Set<Scenario> enabled) {

		static Set<Scenario> enabledScenarios(String skip) {
			Set<Scenario> enabled = EnumSet.allOf(Scenario.class);
			for (String name : skip.split(",")) {
				if (!name.isBlank()) {
					enabled.remove(Scenario.valueOf(name.trim().toUpperCase(Locale.ROOT)));
				}
			}
			return enabled;
		}

	}

	/**
	 * What the clients saw, per scenario.
	 */
	static final class Tally {

		final Map<Scenario, LongAdder> sent = adders();

		final Map<Scenario, LongAdder> answered = adders();

		final Map<Scenario, LongAdder> asExpected = adders();

		final Map<Scenario, LongAdder> disconnects = adders();

		final Map<Scenario, LongAdder> failures = adders();

		final Map<Scenario, LongAccumulator> maxMillis = new EnumMap<>(Scenario.class);

		final Map<Scenario, LongAdder> totalMillis = adders();

		final Set<Long> answeredIds = ConcurrentHashMap.newKeySet();

		final LongAdder valueMismatches = new LongAdder();

		final LongAdder malformedSent = new LongAdder();

		/** Requests past their deadline whose context was not done yet: the timer thread was late. */
		final LongAdder timerLate = new LongAdder();

		final Queue<String> samples = new ConcurrentLinkedQueue<>();

		long elapsedNanos;

		boolean stoppedByDuration;

		Tally() {
			for (Scenario scenario : Scenario.values()) {
				this.maxMillis.put(scenario, new LongAccumulator(Math::max, 0));
			}
		}

		private static Map<Scenario, LongAdder> adders() {
			Map<Scenario, LongAdder> map = new EnumMap<>(Scenario.class);
			for (Scenario scenario : Scenario.values()) {
				map.put(scenario, new LongAdder());
			}
			return map;
		}

		void sent(Scenario scenario) {
			this.sent.get(scenario).increment();
		}

		void answered(Scenario scenario, long id, String problem, long nanos) {
			this.answered.get(scenario).increment();
			if (!this.answeredIds.add(id)) {
				sample(scenario + " req=" + id + " answered twice");
			}
			long millis = nanos / 1_000_000;
			this.maxMillis.get(scenario).accumulate(millis);
			this.totalMillis.get(scenario).add(millis);
			if (problem.isEmpty()) {
				this.asExpected.get(scenario).increment();
			}
			else {
				if (problem.startsWith("VALUE MISMATCH")) {
					this.valueMismatches.increment();
				}
				sample(scenario + " req=" + id + ": " + problem);
			}
		}

		void disconnected(Scenario scenario) {
			this.disconnects.get(scenario).increment();
		}

		void failed(Scenario scenario, long id, Exception ex) {
			this.failures.get(scenario).increment();
			sample(scenario + " req=" + id + " failed: " + ex);
		}

		private void sample(String what) {
			if (this.samples.size() < 30) {
				this.samples.add(what);
			}
		}

		long total(Map<Scenario, LongAdder> counts) {
			return counts.values().stream().mapToLong(LongAdder::sum).sum();
		}

	}

}
