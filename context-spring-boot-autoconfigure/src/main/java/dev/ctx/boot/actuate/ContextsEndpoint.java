package dev.ctx.boot.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.ctx.Context;
import dev.ctx.spring.CancellationReason;
import dev.ctx.spring.web.InFlightRequestContexts;
import dev.ctx.spring.web.RequestContextState;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@link WebEndpoint @WebEndpoint} that lists the request contexts in flight (method, path,
 * route, age, remaining budget, client address) and cancels one by id. Like every
 * endpoint but health, it is not exposed unless listed in
 * {@code management.endpoints.web.exposure.include}.
 *
 * @since 0.1.0
 */
@WebEndpoint(id = "contexts")
public class ContextsEndpoint {

	private final InFlightRequestContexts contexts;

	/**
	 * Creates a new endpoint.
	 * @param contexts the in-flight request contexts
	 */
	public ContextsEndpoint(InFlightRequestContexts contexts) {
		this.contexts = contexts;
	}

	/**
	 * Lists the request contexts in flight, oldest first.
	 * @return the in-flight request contexts
	 */
	@ReadOperation
	public ContextsDescriptor contexts() {
		long now = System.nanoTime();
		List<ContextDescriptor> descriptors = new ArrayList<>();
		for (RequestContextState state : this.contexts.all()) {
			descriptors.add(describe(state, now));
		}
		descriptors.sort(Comparator.comparingLong(ContextDescriptor::id));
		return new ContextsDescriptor(descriptors);
	}

	/**
	 * Cancels the context of an in-flight request, as an operator.
	 * @param id the request's id
	 * @return the request, after the cancel, or 404 if it is not in flight
	 */
	@WriteOperation
	public WebEndpointResponse<ContextDescriptor> cancel(@Selector long id) {
		RequestContextState state = this.contexts.get(id);
		if (state == null) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		state.cancel(new OperatorCancellationException());
		return new WebEndpointResponse<>(describe(state, System.nanoTime()));
	}

	private ContextDescriptor describe(RequestContextState state, long now) {
		Context context = state.context();
		CancellationReason reason = CancellationReason.of(context);
		return new ContextDescriptor(state.id(), state.method(), state.path(), this.contexts.route(state.id()),
				Duration.ofNanos(now - state.startNanos()).toMillis(),
				context.remaining().map(Duration::toMillis).orElse(null), state.remoteAddress(), context.isDone(),
				(reason != null) ? reason.value() : null);
	}

	/**
	 * The request contexts in flight.
	 *
	 * @param contexts the contexts
	 */
	public record ContextsDescriptor(List<ContextDescriptor> contexts) implements OperationResponseBody {
	}

	/**
	 * One request context in flight.
	 *
	 * @param id the request's id, to cancel it
	 * @param method the HTTP method
	 * @param path the request path
	 * @param route the handler's pattern, once known
	 * @param ageMillis how long the request has been running
	 * @param remainingMillis the budget left, or {@code null} if it has no deadline
	 * @param clientAddress the client's (or last proxy's) address
	 * @param done whether the context is done
	 * @param reason why the context is done, if it is
	 */
	public record ContextDescriptor(long id, String method, String path, @Nullable String route, long ageMillis,
			@Nullable Long remainingMillis, String clientAddress, boolean done, @Nullable String reason)
			implements OperationResponseBody {
	}

	/**
	 * The cause of a context cancelled through this endpoint.
	 */
	public static class OperatorCancellationException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		OperatorCancellationException() {
			super("Cancelled by an operator through the contexts endpoint", null, false, false);
		}

	}

}
