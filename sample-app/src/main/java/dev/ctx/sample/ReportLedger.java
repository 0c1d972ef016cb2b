package dev.ctx.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

import dev.ctx.spring.CancellationReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * What became of every report query: completed, cancelled (and why), completed although
 * nobody wanted the result any more ("late"), or failed; and how much database time the
 * cancellations saved. Published as meters ({@code sample.reports.queries},
 * {@code sample.reports.time.saved}, {@code sample.reports.time.wasted}) and kept as a
 * short history for the demo page.
 *
 * <p>Time saved by a cancelled query is its intended duration minus the time it actually
 * ran. Time wasted by a late query is the time it went on running after its context was
 * done.
 *
 * @since 0.1.0
 */
@Component
public class ReportLedger {

	private static final int HISTORY = 50;

	private static final AtomicLong IDS = new AtomicLong();

	private final MeterRegistry registry;

	private final Counter saved;

	private final Counter wasted;

	private final Deque<Entry> recent = new ConcurrentLinkedDeque<>();

	public ReportLedger(MeterRegistry registry) {
		this.registry = registry;
		this.saved = Counter.builder("sample.reports.time.saved")
			.description("Database time saved by cancelled report queries (intended minus actual duration)")
			.baseUnit("seconds")
			.register(registry);
		this.wasted = Counter.builder("sample.reports.time.wasted")
			.description("Database time report queries ran after their context was done")
			.baseUnit("seconds")
			.register(registry);
	}

	Entry record(String report, Outcome outcome, @Nullable CancellationReason reason, Duration intended,
			long actualNanos, long afterDoneNanos) {
		Duration actual = Duration.ofNanos(actualNanos);
		Duration savedTime = (outcome == Outcome.CANCELLED && intended.compareTo(actual) > 0)
				? intended.minus(actual) : Duration.ZERO;
		Duration wastedTime = (outcome == Outcome.LATE) ? Duration.ofNanos(afterDoneNanos) : Duration.ZERO;
		Entry entry = new Entry(IDS.incrementAndGet(), report, outcome.value(), (reason != null) ? reason.value() : null,
				intended.toMillis(), actual.toMillis(), savedTime.toMillis(), wastedTime.toMillis(),
				Duration.ofNanos(afterDoneNanos).toMillis());
		Counter.builder("sample.reports.queries")
			.description("Report queries by outcome and, for cancelled ones, reason")
			.tag("outcome", entry.outcome())
			.tag("reason", (entry.reason() != null) ? entry.reason() : "none")
			.register(this.registry)
			.increment();
		this.saved.increment(savedTime.toNanos() / 1e9);
		this.wasted.increment(wastedTime.toNanos() / 1e9);
		this.recent.addFirst(entry);
		while (this.recent.size() > HISTORY) {
			this.recent.pollLast();
		}
		return entry;
	}

	/**
	 * Returns the most recent report queries.
	 * @return the entries, newest first
	 */
	public List<Entry> recent() {
		return new ArrayList<>(this.recent);
	}

	/**
	 * Returns the total database time saved by cancelled report queries.
	 * @return the time saved, in seconds
	 */
	public double savedSeconds() {
		return this.saved.count();
	}

	/**
	 * Returns the total database time report queries ran after their context was done.
	 * @return the time wasted, in seconds
	 */
	public double wastedSeconds() {
		return this.wasted.count();
	}

	/**
	 * Returns how many report queries ended with an outcome.
	 * @param outcome the outcome
	 * @return the count
	 */
	public long count(Outcome outcome) {
		return (long) this.registry.find("sample.reports.queries")
			.tag("outcome", outcome.value())
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	/**
	 * How a report query ended.
	 */
	public enum Outcome {

		/**
		 * Ran to the end while its result was still wanted.
		 */
		COMPLETED("completed"),

		/**
		 * Stopped early because its context was done.
		 */
		CANCELLED("cancelled"),

		/**
		 * Ran to the end although its context was done before: wasted work.
		 */
		LATE("late"),

		/**
		 * Failed for another reason.
		 */
		FAILED("failed");

		private final String value;

		Outcome(String value) {
			this.value = value;
		}

		public String value() {
			return this.value;
		}

	}

	/**
	 * One report query.
	 *
	 * @param id a sequence number
	 * @param report the report
	 * @param outcome {@code completed}, {@code cancelled}, {@code late} or {@code failed}
	 * @param reason why the context was done, if it was
	 * @param intendedMillis how long the query would have run to the end
	 * @param actualMillis how long it ran
	 * @param savedMillis intended minus actual, for a cancelled query
	 * @param wastedMillis how long it ran after its context was done, for a late query
	 * @param afterDoneMillis how long it ran after its context was done (the cancellation
	 * lag, for a cancelled query)
	 */
	public record Entry(long id, String report, String outcome, @Nullable String reason, long intendedMillis,
			long actualMillis, long savedMillis, long wastedMillis, long afterDoneMillis) {
	}

}
