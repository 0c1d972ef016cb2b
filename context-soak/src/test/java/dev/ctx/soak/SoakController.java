package dev.ctx.soak;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32;

import javax.sql.DataSource;

import dev.ctx.Context;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * The endpoints of the soak mix. Every answer starts with {@code req=<id> user=<user>}
 * read from {@link Context#current()}, so that the client can check that no value crossed
 * requests; handlers also check it themselves against the headers.
 */
@RestController
class SoakController {

	static final String SLOW_SQL = "SELECT SUM(X) FROM SYSTEM_RANGE(1, ?) WHERE RAND() >= 0";

	private final JdbcClient jdbc;

	private final @Nullable JdbcClient remoteJdbc;

	private final ThreadPoolTaskExecutor fanout;

	private final AsyncLookup asyncLookup;

	private final @Nullable RestClient downstream;

	private final Ledger ledger;

	private final boolean asyncPropagation;

	private volatile @Nullable CyclicBarrier probeBarrier;

	SoakController(JdbcClient jdbc, RemoteDatabase remote, ThreadPoolTaskExecutor fanoutExecutor,
			AsyncLookup asyncLookup, RestClient.Builder restClients, Ledger ledger, Environment environment) {
		this.jdbc = jdbc;
		DataSource remoteDataSource = remote.dataSource();
		this.remoteJdbc = (remoteDataSource != null) ? JdbcClient.create(remoteDataSource) : null;
		this.fanout = fanoutExecutor;
		this.asyncLookup = asyncLookup;
		String downstreamUrl = environment.getProperty("soak.downstream-url");
		this.downstream = (downstreamUrl != null) ? restClients.baseUrl(downstreamUrl).build() : null;
		this.ledger = ledger;
		this.asyncPropagation = environment.getProperty("soak.expect.async-propagation", Boolean.class, false);
	}

	@GetMapping("/fast")
	String fast(Context ctx, HttpServletRequest request) {
		return identity(request) + " remaining=" + ctx.remaining().map(Duration::toMillis).orElse(-1L);
	}

	@GetMapping("/query")
	String query(@RequestParam long rows, Context ctx, HttpServletRequest request) {
		Long sum = this.jdbc.sql(SLOW_SQL).param(rows).query(Long.class).single();
		// Without JDBC statement cancellation the query runs to its end; the handler then
		// notices that nobody wants the answer any more
		ctx.throwIfDone();
		return identity(request) + " sum=" + sum + " remaining=" + ctx.remaining().map(Duration::toMillis).orElse(-1L);
	}

	@GetMapping("/work")
	String work(@RequestParam long ms, Context ctx, HttpServletRequest request) throws InterruptedException {
		// Cooperative work: waits on the context, so the deadline ends it at once
		if (ctx.await(Duration.ofMillis(ms))) {
			ctx.throwIfDone();
		}
		return identity(request) + " worked=" + ms;
	}

	@PostMapping(path = "/echo", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
	String echo(@RequestBody byte[] body, HttpServletRequest request) {
		CRC32 crc = new CRC32();
		crc.update(body);
		return identity(request) + " length=" + body.length + " crc=" + crc.getValue();
	}

	@GetMapping("/big")
	void big(@RequestParam int kb, Context ctx, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		String identity = identity(request);
		response.setContentType(MediaType.TEXT_PLAIN_VALUE);
		byte[] chunk = new byte[1024];
		for (int i = 0; i < chunk.length; i++) {
			chunk[i] = (byte) ('a' + (i % 26));
		}
		OutputStream out = response.getOutputStream();
		out.write((identity + "\n").getBytes());
		for (int i = 0; i < kb; i++) {
			ctx.throwIfDone();
			out.write(chunk);
		}
	}

	@GetMapping("/lock")
	String lock(Context ctx, HttpServletRequest request) {
		// Blocks while another transaction holds the row lock
		int updated = this.jdbc.sql("UPDATE accounts SET balance = balance + 1 WHERE id = 1").update();
		ctx.throwIfDone();
		return identity(request) + " updated=" + updated;
	}

	@GetMapping("/remote")
	String remote(HttpServletRequest request) {
		if (this.remoteJdbc == null) {
			throw new IllegalStateException("No remote database configured");
		}
		Integer one = this.remoteJdbc.sql("SELECT 1").query(Integer.class).single();
		return identity(request) + " remote=" + one;
	}

	@GetMapping("/fanout")
	String fanout(HttpServletRequest request) throws Exception {
		String user = Context.current().value(SoakFilters.USER);
		Long id = Context.current().value(SoakFilters.REQUEST_ID);
		List<Future<String>> parts = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			if (this.asyncPropagation) {
				// EXTENSION POINT (@Async propagation): the starter carries the context into @Async
				parts.add(this.asyncLookup.lookup());
			}
			else {
				// Until then the context crosses the thread explicitly
				Callable<String> task = Context.current().wrap(AsyncLookup::describeCurrent);
				parts.add(this.fanout.submit(task));
			}
		}
		int matching = 0;
		for (Future<String> part : parts) {
			String seen = part.get(10, TimeUnit.SECONDS);
			if (seen.equals("req=" + id + " user=" + user)) {
				matching++;
			}
			else {
				this.ledger.valueMismatches.incrementAndGet();
				this.ledger.sample("fan-out task saw '" + seen + "' for req=" + id + " user=" + user);
			}
		}
		return identity(request) + " fanout=" + matching + "/" + parts.size();
	}

	@GetMapping("/downstream")
	String downstream(HttpServletRequest request) {
		if (this.downstream == null) {
			throw new IllegalStateException("No downstream configured");
		}
		String user = String.valueOf(Context.current().value(SoakFilters.USER));
		String id = String.valueOf(Context.current().value(SoakFilters.REQUEST_ID));
		// EXTENSION POINT (outbound deadline propagation): the starter's RestClient
		// customizer adds Request-Timeout-Ms from the current context once merged
		String answer = this.downstream.get().uri("/downstream-target").header("X-User", user).header("X-Req", id)
			.retrieve().body(String.class);
		return identity(request) + " downstream=[" + answer + "]";
	}

	@GetMapping("/downstream-target")
	String downstreamTarget(HttpServletRequest request) {
		this.ledger.downstreamCalls.incrementAndGet();
		if (request.getHeader("Request-Timeout-Ms") != null) {
			this.ledger.downstreamWithDeadlineHeader.incrementAndGet();
		}
		return identity(request);
	}

	/**
	 * Holds {@code parties} requests until all have arrived: with as many parties as server
	 * threads, every pooled thread runs one probe request.
	 */
	@GetMapping("/probe")
	String probe(@RequestParam int parties, HttpServletRequest request)
			throws InterruptedException, BrokenBarrierException, TimeoutException {
		CyclicBarrier barrier = barrier(parties);
		barrier.await(20, TimeUnit.SECONDS);
		return Thread.currentThread().getName() + " background-on-entry="
				+ request.getAttribute(SoakFilters.ENTRY_ATTRIBUTE);
	}

	private synchronized CyclicBarrier barrier(int parties) {
		CyclicBarrier barrier = this.probeBarrier;
		if (barrier == null || barrier.getParties() != parties || barrier.isBroken()) {
			barrier = new CyclicBarrier(parties);
			this.probeBarrier = barrier;
		}
		return barrier;
	}

	@ExceptionHandler(DataAccessException.class)
	ResponseEntity<String> databaseUnavailable(DataAccessException ex) {
		// Reached only while the request's context is live: the starter's resolver answers
		// requests whose context is done
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body("{\"title\":\"Database Unavailable\",\"status\":503,\"reason\":\"database_unavailable\",\"detail\":\""
					+ String.valueOf(ex.getMostSpecificCause().getMessage()).replace('"', '\'').replace('\\', '/')
						.replaceAll("[\\r\\n]+", " ") + "\"}");
	}

	/**
	 * The identity of the request as its context sees it, checked against its headers.
	 */
	private String identity(HttpServletRequest request) {
		String user = Context.current().value(SoakFilters.USER);
		Long id = Context.current().value(SoakFilters.REQUEST_ID);
		String sentUser = request.getHeader("X-User");
		long sentId = SoakFilters.requestId(request);
		boolean sameUser = (sentUser == null) ? user == null : sentUser.equals(user);
		boolean sameId = (sentId < 0) ? id == null : (id != null && id == sentId);
		if (!sameUser || !sameId) {
			this.ledger.valueMismatches.incrementAndGet();
			this.ledger.sample("handler saw req=" + id + " user=" + user + " for X-Req=" + sentId + " X-User=" + sentUser);
		}
		return "req=" + id + " user=" + user;
	}

}
