package dev.ctx.spring.micrometer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ctx.spring.CancellationReason;
import dev.ctx.spring.web.RequestContextObserver;
import dev.ctx.spring.web.RequestContextState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Micrometer meters for request contexts: how many requests are in flight, how many
 * were cut short and why, how long work went on after it was no longer wanted, and how
 * much of their budget requests leave unused.
 *
 * <ul>
 * <li>{@code context.requests.active} (gauge): request contexts in flight;</li>
 * <li>{@code context.cancellations} (counter, tags {@code reason}, {@code source=http}):
 * requests whose context was done before they ended;</li>
 * <li>{@code context.cancellation.lag} (timer): from the moment a request's context was
 * done until the request ended;</li>
 * <li>{@code context.deadline.remaining} (distribution summary, percent): the share of
 * the budget left when a request with a deadline ended. Mostly near 100: the timeout is
 * loose; often 0: it is too tight. Enable its histogram with
 * {@code management.metrics.distribution.percentiles-histogram.context.deadline.remaining=true};</li>
 * <li>{@code context.http.late.completions} (counter): handlers that returned normally
 * although their context was done;</li>
 * <li>{@code context.inbound.deadline.invalid} (counter): malformed inbound timeout
 * headers that were ignored.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public class RequestContextMetrics implements RequestContextObserver {

	private final AtomicInteger active = new AtomicInteger();

	private final Map<CancellationReason, Counter> cancellations = new EnumMap<>(CancellationReason.class);

	private final Timer lag;

	private final DistributionSummary remaining;

	private final Counter lateCompletions;

	private final Counter invalidInbound;

	/**
	 * Creates the meters in the given registry.
	 * @param registry the registry
	 */
	public RequestContextMetrics(MeterRegistry registry) {
		Gauge.builder(ContextMeterNames.REQUESTS_ACTIVE, this.active, AtomicInteger::get)
			.description("Request contexts in flight")
			.register(registry);
		for (CancellationReason reason : CancellationReason.values()) {
			this.cancellations.put(reason, ContextCancellationMetrics.counter(registry, reason, "http"));
		}
		this.lag = Timer.builder(ContextMeterNames.CANCELLATION_LAG)
			.description("Time from a request's context being done until the request ended")
			.register(registry);
		this.remaining = DistributionSummary.builder(ContextMeterNames.DEADLINE_REMAINING)
			.description("Share of the budget left when a request with a deadline ended")
			.baseUnit("percent")
			.minimumExpectedValue(1.0)
			.maximumExpectedValue(100.0)
			.register(registry);
		this.lateCompletions = Counter.builder(ContextMeterNames.HTTP_LATE_COMPLETIONS)
			.description("Handlers that returned normally although their request's context was done")
			.register(registry);
		this.invalidInbound = Counter.builder(ContextMeterNames.INBOUND_DEADLINE_INVALID)
			.description("Malformed inbound timeout headers that were ignored")
			.register(registry);
	}

	@Override
	public void requestStarted(HttpServletRequest request, RequestContextState state) {
		this.active.incrementAndGet();
	}

	@Override
	public void requestCancelled(RequestContextState state) {
		CancellationReason reason = state.cancellationReason();
		if (reason != null) {
			this.cancellations.get(reason).increment();
		}
	}

	@Override
	public void requestFinished(HttpServletRequest request, RequestContextState state) {
		this.active.decrementAndGet();
		long end = System.nanoTime();
		long doneAt = state.doneAtNanos();
		if (doneAt != 0) {
			this.lag.record(Math.max(0, end - doneAt), TimeUnit.NANOSECONDS);
			if (!state.isFailed()) {
				this.lateCompletions.increment();
			}
		}
		Duration budget = state.budget();
		if (budget != null && !budget.isZero()) {
			double left = state.context().remaining().map(Duration::toNanos).orElse(0L);
			this.remaining.record(Math.max(0.0, Math.min(100.0, 100.0 * left / budget.toNanos())));
		}
	}

	@Override
	public void invalidInboundTimeout(String header, String value) {
		this.invalidInbound.increment();
	}

}
