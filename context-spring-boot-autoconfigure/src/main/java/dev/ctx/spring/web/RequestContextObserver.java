package dev.ctx.spring.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Callback for the lifecycle of request contexts: the hook for metrics and for the
 * registry of in-flight requests. Methods are called on request threads (and on the
 * deadline timer or watcher thread for {@link #requestCancelled}); they must be cheap
 * and must not throw.
 *
 * @since 0.1.0
 */
public interface RequestContextObserver {

	/**
	 * An observer that does nothing.
	 */
	RequestContextObserver NONE = new RequestContextObserver() {
	};

	/**
	 * A request context was created.
	 * @param request the request
	 * @param state the request's context state
	 */
	default void requestStarted(HttpServletRequest request, RequestContextState state) {
	}

	/**
	 * A request context became done before its request ended (deadline, disconnect,
	 * shutdown or another cancellation).
	 * @param state the request's context state
	 */
	default void requestCancelled(RequestContextState state) {
	}

	/**
	 * A request ended; its context is cancelled right after this call.
	 * @param request the request
	 * @param state the request's context state
	 */
	default void requestFinished(HttpServletRequest request, RequestContextState state) {
	}

	/**
	 * An inbound timeout header was malformed and ignored.
	 * @param header the header name
	 * @param value the value
	 */
	default void invalidInboundTimeout(String header, String value) {
	}

}
