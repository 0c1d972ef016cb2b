package dev.ctx.spring.web;

import java.io.IOException;

import dev.ctx.Context;
import dev.ctx.ContextException;
import dev.ctx.spring.ClientDisconnectedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers with the {@link ContextProblemResponder timeout response} when a handler fails
 * while its request's context is done, whatever it threw (a {@code QueryTimeoutException}
 * from JDBC, an {@code InterruptedException} wrapped by the application, an async request
 * timeout), or when it throws a {@link ContextException}. A failed read or write because
 * the client went away cancels the request's context (reason
 * {@code client_disconnected}) and is answered with nothing. Other exceptions are left to
 * the next resolvers. Runs first, so that an application's catch-all
 * {@code @ExceptionHandler} does not turn a timeout into a 500.
 *
 * @since 0.1.0
 */
public class ContextHandlerExceptionResolver implements HandlerExceptionResolver, Ordered {

	private static final Log logger = LogFactory.getLog(ContextHandlerExceptionResolver.class);

	private final ContextProblemResponder responder;

	/**
	 * Creates a new resolver.
	 * @param responder writes the timeout response
	 */
	public ContextHandlerExceptionResolver(ContextProblemResponder responder) {
		this.responder = responder;
	}

	@Override
	public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception ex) {
		Context context = (Context) request.getAttribute(ContextFilter.CONTEXT_ATTRIBUTE);
		if (context != null && !context.isDone() && ContextFilter.isClientGone(ex)) {
			// The container saw the client go (a failed body read or write) before the
			// disconnect watcher did: the same cancellation, and nobody to answer
			ContextFilter.findState(request)
				.ifPresent((state) -> state.cancel(new ClientDisconnectedException("Client disconnected: " + ex)));
		}
		ContextException contextException = ContextFilter.findContextException(ex);
		boolean done = context != null && context.isDone();
		if (!done && contextException == null) {
			return null;
		}
		Throwable err = done ? context.err() : contextException;
		Throwable cause = done ? context.cause() : contextException.getCause();
		try {
			if (this.responder.write(request, response, err, cause)) {
				ContextFilter.findState(request).ifPresent(RequestContextState::markTimeoutResponseWritten);
			}
		}
		catch (IOException writeFailure) {
			// The client is most likely gone; nothing more to tell it
			logger.debug("Could not write timeout response", writeFailure);
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Resolved " + ex + " of a request whose context is done");
		}
		return new ModelAndView();
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
