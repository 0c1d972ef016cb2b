package dev.ctx.soak;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one application instance saw, written by its filters and handlers and read by the
 * checks after quiescence.
 */
public class Ledger {

	/** Arrivals of each request id (X-Req): more than one means a request was replayed. */
	final Map<Long, AtomicInteger> arrivals = new ConcurrentHashMap<>();

	/** Requests that found a non-background Context on their pooled thread when they arrived. */
	final AtomicLong leakedOnEntry = new AtomicLong();

	/** Requests that left a non-background Context on their thread when they were done with it. */
	final AtomicLong leakedOnExit = new AtomicLong();

	/** Handlers or tasks whose context values differed from what their request sent. */
	final AtomicLong valueMismatches = new AtomicLong();

	/** Malformed inbound timeout headers the starter reported. */
	final AtomicLong invalidInboundHeaders = new AtomicLong();

	/** Requests to /downstream endpoints that carried an inbound deadline header. */
	final AtomicLong downstreamWithDeadlineHeader = new AtomicLong();

	final AtomicLong downstreamCalls = new AtomicLong();

	/** Examples of leaks and mismatches, for the report. */
	final Queue<String> samples = new ConcurrentLinkedQueue<>();

	void arrived(long id) {
		this.arrivals.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
	}

	long replayed() {
		return this.arrivals.values().stream().filter((count) -> count.get() > 1).count();
	}

	void sample(String what) {
		if (this.samples.size() < 20) {
			this.samples.add(what);
		}
	}

}
