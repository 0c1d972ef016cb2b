package dev.ctx.spring.web;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The request contexts in flight, for operators: what is running, for how long, with how
 * much budget left, and the means to cancel one.
 *
 * @since 0.1.0
 */
public class InFlightRequestContexts implements RequestContextObserver {

	// HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, without depending on spring-webmvc here
	private static final String BEST_MATCHING_PATTERN_ATTRIBUTE = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

	private final Map<Long, RequestContextState> inFlight = new ConcurrentHashMap<>();

	private final Map<Long, HttpServletRequest> requests = new ConcurrentHashMap<>();

	@Override
	public void requestStarted(HttpServletRequest request, RequestContextState state) {
		this.inFlight.put(state.id(), state);
		this.requests.put(state.id(), request);
	}

	@Override
	public void requestFinished(HttpServletRequest request, RequestContextState state) {
		this.inFlight.remove(state.id());
		this.requests.remove(state.id());
	}

	/**
	 * Returns the route (the best matching handler pattern) of an in-flight request, once
	 * Spring MVC has chosen its handler.
	 * @param id the request's id
	 * @return the route, or {@code null} if not known (yet)
	 */
	public @Nullable String route(long id) {
		HttpServletRequest request = this.requests.get(id);
		if (request == null) {
			return null;
		}
		try {
			Object route = request.getAttribute(BEST_MATCHING_PATTERN_ATTRIBUTE);
			return (route != null) ? route.toString() : null;
		}
		catch (RuntimeException ex) {
			// The request ended and was recycled while we looked
			return null;
		}
	}

	/**
	 * Returns the requests in flight.
	 * @return an unmodifiable view of the in-flight requests
	 */
	public Collection<RequestContextState> all() {
		return Collections.unmodifiableCollection(this.inFlight.values());
	}

	/**
	 * Returns an in-flight request by id.
	 * @param id the id
	 * @return the request, or {@code null} if none with that id is in flight
	 */
	public @Nullable RequestContextState get(long id) {
		return this.inFlight.get(id);
	}

	/**
	 * Returns how many requests are in flight.
	 * @return the number of requests in flight
	 */
	public int size() {
		return this.inFlight.size();
	}

}
