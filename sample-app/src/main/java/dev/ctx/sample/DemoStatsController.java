package dev.ctx.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ctx.Context;
import dev.ctx.sample.ReportLedger.Outcome;
import dev.ctx.spring.CancellationReason;
import dev.ctx.spring.micrometer.ContextMeterNames;
import dev.ctx.spring.web.InFlightRequestContexts;
import dev.ctx.spring.web.RequestContextState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo page's data, on the application's own port (actuator lives on the management
 * port, which a page served here could only reach with CORS): the starter's meters, the
 * in-flight request contexts and the report ledger, read on every call.
 *
 * @since 0.1.0
 */
@RestController
public class DemoStatsController {

	private static final String DEMO_PATHS = "/demo/";

	private final MeterRegistry registry;

	private final ReportLedger ledger;

	private final ObjectProvider<InFlightRequestContexts> inFlight;

	public DemoStatsController(MeterRegistry registry, ReportLedger ledger,
			ObjectProvider<InFlightRequestContexts> inFlight) {
		this.registry = registry;
		this.ledger = ledger;
		this.inFlight = inFlight;
	}

	/**
	 * Returns everything the demo page draws.
	 * @return the current stats
	 */
	@GetMapping("/demo/stats")
	public DemoStats stats() {
		Map<String, Long> byReason = new LinkedHashMap<>();
		Map<String, Long> bySource = new LinkedHashMap<>();
		for (CancellationReason reason : CancellationReason.values()) {
			byReason.put(reason.value(), 0L);
		}
		for (Counter counter : this.registry.find(ContextMeterNames.CANCELLATIONS).counters()) {
			String reason = counter.getId().getTag(ContextMeterNames.REASON);
			String source = counter.getId().getTag(ContextMeterNames.SOURCE);
			long count = (long) counter.count();
			if (reason != null) {
				byReason.merge(reason, count, Long::sum);
			}
			if (source != null) {
				bySource.merge(source, count, Long::sum);
			}
		}
		Timer lag = this.registry.find(ContextMeterNames.CANCELLATION_LAG).timer();
		Reports reports = new Reports(this.ledger.count(Outcome.COMPLETED), this.ledger.count(Outcome.CANCELLED),
				this.ledger.count(Outcome.LATE), this.ledger.count(Outcome.FAILED), this.ledger.savedSeconds(),
				this.ledger.wastedSeconds(), this.ledger.recent().stream().limit(12).toList());
		return new DemoStats(System.currentTimeMillis(), byReason, bySource, inFlight(),
				(lag != null) ? lag.count() : 0, (lag != null) ? lag.mean(TimeUnit.MILLISECONDS) : 0,
				(lag != null) ? lag.max(TimeUnit.MILLISECONDS) : 0, sum(ContextMeterNames.JDBC_STATEMENTS_CANCELLED),
				sum(ContextMeterNames.HTTP_LATE_COMPLETIONS), reports);
	}

	private List<InFlight> inFlight() {
		InFlightRequestContexts contexts = this.inFlight.getIfAvailable();
		if (contexts == null) {
			return fromGauge();
		}
		long now = System.nanoTime();
		List<InFlight> result = new ArrayList<>();
		for (RequestContextState state : contexts.all()) {
			if (state.path().startsWith(DEMO_PATHS)) {
				continue;
			}
			Context ctx = state.context();
			CancellationReason reason = CancellationReason.of(ctx);
			Duration budget = state.budget();
			result.add(new InFlight(state.id(), state.method(), state.path(),
					Duration.ofNanos(now - state.startNanos()).toMillis(), Budget.remainingMillis(ctx),
					(budget != null) ? budget.toMillis() : null, ctx.isDone(), (reason != null) ? reason.value() : null));
		}
		result.sort(Comparator.comparingLong(InFlight::id));
		return result;
	}

	private List<InFlight> fromGauge() {
		// Without the contexts endpoint there is only the gauge, which counts this request
		Gauge active = this.registry.find(ContextMeterNames.REQUESTS_ACTIVE).gauge();
		int count = (active != null) ? Math.max(0, (int) active.value() - 1) : 0;
		List<InFlight> anonymous = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			anonymous.add(new InFlight(-1 - i, "?", "?", 0, null, null, false, null));
		}
		return anonymous;
	}

	private long sum(String name) {
		return (long) this.registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
	}

	/**
	 * Everything the demo page shows.
	 *
	 * @param timeMillis when the stats were read (epoch millis)
	 * @param cancellations {@code context.cancellations} by reason, all sources
	 * @param cancellationsBySource {@code context.cancellations} by source
	 * @param inFlight request contexts in flight, except the demo page's own
	 * @param lagCount cancelled requests that have ended
	 * @param lagMeanMillis mean time from cancellation to the end of the request
	 * @param lagMaxMillis recent maximum of that time
	 * @param jdbcStatementsCancelled {@code context.jdbc.statements.cancelled}
	 * @param lateCompletions {@code context.http.late.completions}
	 * @param reports the report ledger
	 */
	public record DemoStats(long timeMillis, Map<String, Long> cancellations, Map<String, Long> cancellationsBySource,
			List<InFlight> inFlight, long lagCount, double lagMeanMillis, double lagMaxMillis,
			long jdbcStatementsCancelled, long lateCompletions, Reports reports) {
	}

	/**
	 * A request in flight.
	 *
	 * @param id the request's id
	 * @param method the method
	 * @param path the path
	 * @param ageMillis how long it has run
	 * @param remainingMillis its remaining budget, if it has a deadline
	 * @param budgetMillis its whole budget, if it has a deadline
	 * @param done whether its context is done
	 * @param reason why, if it is
	 */
	public record InFlight(long id, String method, String path, long ageMillis, @Nullable Long remainingMillis,
			@Nullable Long budgetMillis, boolean done, @Nullable String reason) {
	}

	/**
	 * The report ledger.
	 *
	 * @param completed queries that ran to the end while wanted
	 * @param cancelled queries stopped early
	 * @param late queries that ran to the end although no longer wanted
	 * @param failed queries that failed otherwise
	 * @param savedSeconds database time saved by cancelled queries
	 * @param wastedSeconds database time spent after contexts were done
	 * @param recent the latest queries, newest first
	 */
	public record Reports(long completed, long cancelled, long late, long failed, double savedSeconds,
			double wastedSeconds, List<ReportLedger.Entry> recent) {
	}

}
