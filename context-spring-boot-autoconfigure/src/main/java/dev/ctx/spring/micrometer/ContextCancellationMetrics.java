package dev.ctx.spring.micrometer;

import dev.ctx.Context;
import dev.ctx.spring.CancellationReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The {@code context.cancellations} counter, registered the same way (one description,
 * the {@code reason} and {@code source} tags) by every part of the starter that counts
 * cancelled work: Prometheus keeps one help text and one set of tag keys per name.
 *
 * @since 0.1.0
 */
public final class ContextCancellationMetrics {

	private ContextCancellationMetrics() {
	}

	/**
	 * Returns the counter for a reason and source.
	 * @param registry the registry
	 * @param reason why the work stopped
	 * @param source where the work ran: {@code http}, {@code async}, {@code jdbc} or
	 * {@code http_client}
	 * @return the counter
	 */
	public static Counter counter(MeterRegistry registry, CancellationReason reason, String source) {
		return Counter.builder(ContextMeterNames.CANCELLATIONS)
			.description("Contexts that were done before their work finished")
			.tag(ContextMeterNames.REASON, reason.value())
			.tag(ContextMeterNames.SOURCE, source)
			.register(registry);
	}

	/**
	 * Counts one cancellation of work that ran under a done context; does nothing while
	 * the context is not done.
	 * @param registry the registry
	 * @param context the context of the work
	 * @param source where the work ran
	 */
	public static void increment(MeterRegistry registry, Context context, String source) {
		CancellationReason reason = CancellationReason.of(context);
		if (reason != null) {
			counter(registry, reason, source).increment();
		}
	}

}
