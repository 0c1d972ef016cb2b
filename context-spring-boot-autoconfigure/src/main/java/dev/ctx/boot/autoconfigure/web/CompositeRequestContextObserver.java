package dev.ctx.boot.autoconfigure.web;

import java.util.List;

import dev.ctx.spring.web.RequestContextObserver;
import dev.ctx.spring.web.RequestContextState;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Tells several {@link RequestContextObserver observers}, in order.
 */
final class CompositeRequestContextObserver implements RequestContextObserver {

	private final List<RequestContextObserver> observers;

	CompositeRequestContextObserver(List<RequestContextObserver> observers) {
		this.observers = List.copyOf(observers);
	}

	@Override
	public void requestStarted(HttpServletRequest request, RequestContextState state) {
		for (RequestContextObserver observer : this.observers) {
			observer.requestStarted(request, state);
		}
	}

	@Override
	public void requestCancelled(RequestContextState state) {
		for (RequestContextObserver observer : this.observers) {
			observer.requestCancelled(state);
		}
	}

	@Override
	public void requestFinished(HttpServletRequest request, RequestContextState state) {
		for (RequestContextObserver observer : this.observers) {
			observer.requestFinished(request, state);
		}
	}

	@Override
	public void invalidInboundTimeout(String header, String value) {
		for (RequestContextObserver observer : this.observers) {
			observer.invalidInboundTimeout(header, value);
		}
	}

}
