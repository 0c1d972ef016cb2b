package dev.ctx.spring.micrometer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.ctx.spring.CancellationReason;
import dev.ctx.spring.web.RequestContextObserver;
import dev.ctx.spring.web.RequestContextState;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Adds the outcome of the request's context to the {@code http.server.requests}
 * observation: a low-cardinality key value {@code context.outcome} ({@code completed},
 * or the cancellation reason), and an event when the context is done while the request
 * runs, so that traces show why work stopped.
 *
 * @since 0.1.0
 */
public class RequestContextObservations implements RequestContextObserver {

	/**
	 * The low-cardinality key added to the request observation.
	 */
	public static final String OUTCOME_KEY = "context.outcome";

	/**
	 * The outcome of requests whose context was not done before they ended.
	 */
	public static final String COMPLETED = "completed";

	private static final KeyValue COMPLETED_VALUE = KeyValue.of(OUTCOME_KEY, COMPLETED);

	private final ObservationRegistry registry;

	private final Map<CancellationReason, KeyValue> outcomes = new EnumMap<>(CancellationReason.class);

	private final Map<CancellationReason, Observation.Event> events = new EnumMap<>(CancellationReason.class);

	private final Map<RequestContextState, Observed> observed = new ConcurrentHashMap<>();

	/**
	 * Creates a new instance.
	 * @param registry the registry whose current observation is the request's
	 */
	public RequestContextObservations(ObservationRegistry registry) {
		this.registry = registry;
		for (CancellationReason reason : CancellationReason.values()) {
			this.outcomes.put(reason, KeyValue.of(OUTCOME_KEY, reason.value()));
			this.events.put(reason, Observation.Event.of("context.cancelled", "context cancelled: " + reason.value()));
		}
	}

	@Override
	public void requestStarted(HttpServletRequest request, RequestContextState state) {
		ServerRequestObservationContext context = ServerHttpObservationFilter.findObservationContext(request)
			.orElse(null);
		if (context == null) {
			return;
		}
		// Every request observation carries the key, so that all its meters have the same tags
		context.addLowCardinalityKeyValue(COMPLETED_VALUE);
		// The request filter's observation is current on this thread; the cancel is not
		this.observed.put(state, new Observed(context, this.registry.getCurrentObservation()));
	}

	@Override
	public void requestCancelled(RequestContextState state) {
		Observed observed = this.observed.get(state);
		CancellationReason reason = state.cancellationReason();
		if (observed == null || reason == null) {
			return;
		}
		observed.context.addLowCardinalityKeyValue(this.outcomes.get(reason));
		if (observed.observation != null) {
			observed.observation.event(this.events.get(reason));
		}
	}

	@Override
	public void requestFinished(HttpServletRequest request, RequestContextState state) {
		this.observed.remove(state);
	}

	private record Observed(ServerRequestObservationContext context, @Nullable Observation observation) {
	}

}
