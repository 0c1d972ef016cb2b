package dev.ctx.spring.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Enumeration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.ContextException;
import dev.ctx.DeadlineExceededException;
import dev.ctx.Scope;
import dev.ctx.spring.ApplicationShutdownException;
import dev.ctx.spring.ClientDisconnectedException;
import dev.ctx.spring.web.disconnect.DisconnectDetector;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Runs every request under its own {@link Context}: Go's {@code net/http} giving each
 * request a context, with {@code defer cancel()} at the end.
 *
 * <p>For each request the filter creates a context with the application's root context's
 * values (cancelled with it, at shutdown),
 * with the deadline {@link RequestTimeoutResolver} gives (annotation, rule, default,
 * capped by the maximum) shortened by the upstream service's timeout header, binds it as
 * {@link Context#current()} for the rest of the filter chain, the handler, exception
 * handling and view rendering, and cancels it when the request ends, also when anything
 * throws. Asynchronous requests keep their context until the async request completes; it
 * is bound again on every async dispatch, and their servlet async timeout is shortened to
 * the remaining budget.
 *
 * <p>While the request runs, the context is cancelled when its deadline passes, when the
 * client disconnects (if a {@link DisconnectDetector} is available for the container),
 * and when the application shuts down. If the request then fails (any exception), or
 * throws a {@link ContextException}, the response is the {@link ContextProblemResponder
 * timeout response} instead of an error page, unless it is already committed. A handler
 * that ignores its done context and returns normally keeps its response; observers are
 * told (late completion).
 *
 * <p>A value of 0 in the inbound timeout header means the upstream's budget is spent: the
 * timeout response is written at once and the handler is not called.
 *
 * @since 0.1.0
 */
public class ContextFilter extends OncePerRequestFilter {

	/**
	 * The request attribute holding the request's {@link Context} (read-only).
	 */
	public static final String CONTEXT_ATTRIBUTE = ContextFilter.class.getName() + ".context";

	private static final String STATE_ATTRIBUTE = ContextFilter.class.getName() + ".state";

	private static final Log logger = LogFactory.getLog(ContextFilter.class);

	private static final long ASYNC_TIMEOUT_MARGIN_MILLIS = 100;

	private final Context applicationContext;

	// The parent of request contexts: the application context's values, but no link to
	// its cancellation. Registering every request with one shared parent would make all
	// request threads take that parent's lock twice per request; the application
	// context's cancellation reaches in-flight requests through inFlight instead.
	private final Context requestParent;

	private final Set<RequestContextState> inFlight = ConcurrentHashMap.newKeySet();

	private final RequestTimeoutResolver timeouts;

	private final @Nullable String inboundTimeoutHeader;

	private final ContextProblemResponder responder;

	private final RequestContextObserver observer;

	private final @Nullable DisconnectDetector disconnectDetector;

	private final boolean interruptOnDeadline;

	/**
	 * Creates a new filter.
	 * @param applicationContext the application's root context: request contexts carry its
	 * values and are cancelled, with its cause, when it is
	 * @param timeouts decides the configured timeout of each request
	 * @param inboundTimeoutHeader the header carrying an upstream service's remaining
	 * budget, or {@code null} to ignore such headers
	 * @param responder writes the timeout response
	 * @param observer told about the lifecycle of request contexts
	 * @param disconnectDetector detects client disconnects while handlers block, or
	 * {@code null}
	 * @param interruptOnDeadline whether to interrupt the request thread when the
	 * request's deadline passes while it runs synchronously
	 */
	public ContextFilter(Context applicationContext, RequestTimeoutResolver timeouts,
			@Nullable String inboundTimeoutHeader, ContextProblemResponder responder,
			RequestContextObserver observer, @Nullable DisconnectDetector disconnectDetector,
			boolean interruptOnDeadline) {
		Assert.notNull(applicationContext, "'applicationContext' must not be null");
		Assert.notNull(timeouts, "'timeouts' must not be null");
		Assert.notNull(responder, "'responder' must not be null");
		Assert.notNull(observer, "'observer' must not be null");
		this.applicationContext = applicationContext;
		this.requestParent = applicationContext.withoutCancel();
		this.timeouts = timeouts;
		this.inboundTimeoutHeader = StringUtils.hasText(inboundTimeoutHeader) ? inboundTimeoutHeader : null;
		this.responder = responder;
		this.observer = observer;
		this.disconnectDetector = (disconnectDetector != null && disconnectDetector.isAvailable())
				? disconnectDetector : null;
		this.interruptOnDeadline = interruptOnDeadline;
		applicationContext.afterDone(this::cancelInFlight, Runnable::run);
	}

	/**
	 * Returns whether no request is in flight (for shutdown: cancelled requests have
	 * answered).
	 * @return whether no request is in flight
	 */
	public boolean isIdle() {
		return this.inFlight.isEmpty();
	}

	private void cancelInFlight() {
		Throwable cause = this.applicationContext.cause();
		for (RequestContextState state : this.inFlight) {
			state.cancel((cause != null) ? cause : new ApplicationShutdownException("Application context is done"));
		}
	}

	/**
	 * Returns the context of a request handled by this filter.
	 * @param request the request
	 * @return the request's context, or empty if the filter did not handle the request
	 */
	public static Optional<Context> findContext(HttpServletRequest request) {
		return Optional.ofNullable((Context) request.getAttribute(CONTEXT_ATTRIBUTE));
	}

	/**
	 * Returns the state of the context of a request handled by this filter.
	 * @param request the request
	 * @return the request's context state, or empty if the filter did not handle it
	 */
	public static Optional<RequestContextState> findState(HttpServletRequest request) {
		return Optional.ofNullable((RequestContextState) request.getAttribute(STATE_ATTRIBUTE));
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		RequestContextState existing = (RequestContextState) request.getAttribute(STATE_ATTRIBUTE);
		if (existing != null) {
			// An async dispatch of a request that already has its context
			dispatch(existing, request, response, chain, false);
			return;
		}
		RequestContextState state = start(request);
		this.inFlight.add(state);
		if (this.applicationContext.isDone()) {
			// Shutting down: cancelInFlight may have run before this request was added
			cancelInFlight();
		}
		request.setAttribute(CONTEXT_ATTRIBUTE, state.context());
		request.setAttribute(STATE_ATTRIBUTE, state);
		this.observer.requestStarted(request, state);
		CancellableContext context = state.cancellableContext();
		if (context.isDone()) {
			// The upstream's budget is already spent: answer at once, run nothing
			state.markDone(System.nanoTime());
			this.observer.requestCancelled(state);
			if (this.responder.write(request, response, context.err(), context.cause())) {
				state.markTimeoutResponseWritten();
			}
			finish(request, state);
			return;
		}
		context.afterDone(() -> onDone(state), Runnable::run);
		dispatch(state, request, response, chain, true);
	}

	private RequestContextState start(HttpServletRequest request) {
		long start = System.nanoTime();
		Duration timeout = this.timeouts.resolve(request);
		if (this.inboundTimeoutHeader != null) {
			timeout = applyInbound(request, timeout);
		}
		// Once the application context is done, new requests are done at birth with its cause
		Context parent = this.applicationContext.isDone() ? this.applicationContext : this.requestParent;
		CancellableContext context = (timeout != null) ? parent.withTimeout(timeout) : parent.withCancel();
		return new RequestContextState(context, request.getMethod(), request.getRequestURI(),
				String.valueOf(request.getRemoteAddr()), start, timeout);
	}

	private @Nullable Duration applyInbound(HttpServletRequest request, @Nullable Duration configured) {
		Enumeration<String> values = request.getHeaders(this.inboundTimeoutHeader);
		if (values == null || !values.hasMoreElements()) {
			return configured;
		}
		String value = values.nextElement();
		long nanos = InboundTimeout.parseNanos(value);
		if (values.hasMoreElements()) {
			// Two budgets from upstream: neither can be trusted
			nanos = InboundTimeout.INVALID;
			value = value + ", ...";
		}
		if (nanos == InboundTimeout.INVALID) {
			if (logger.isDebugEnabled()) {
				logger.debug("Ignoring malformed " + this.inboundTimeoutHeader + " header '"
						+ StringUtils.truncate(value, 64) + "'");
			}
			this.observer.invalidInboundTimeout(this.inboundTimeoutHeader, value);
			return configured;
		}
		// An upstream can only shorten the deadline, never extend it past the
		// configured timeout or the maximum
		Duration inbound = Duration.ofNanos(nanos);
		Duration max = this.timeouts.maxTimeout();
		if (max != null && inbound.compareTo(max) > 0) {
			inbound = max;
		}
		return (configured == null || inbound.compareTo(configured) < 0) ? inbound : configured;
	}

	private void dispatch(RequestContextState state, HttpServletRequest request, HttpServletResponse response,
			FilterChain chain, boolean initial) throws ServletException, IOException {
		CancellableContext context = state.cancellableContext();
		DisconnectDetector.Watch watch = null;
		state.enterRequestThread();
		try (Scope scope = context.attach()) {
			if (initial && this.disconnectDetector != null) {
				watch = this.disconnectDetector.watch(request, () -> context
					.cancel(new ClientDisconnectedException("Client closed the connection")));
			}
			chain.doFilter(request, response);
		}
		catch (Throwable ex) {
			if (!handleFailure(request, response, state, ex)) {
				rethrow(ex);
			}
		}
		finally {
			boolean async = request.isAsyncStarted();
			if (watch != null && !async) {
				watch.close();
				watch = null;
			}
			state.leaveRequestThread();
			if (async) {
				continueAsync(request, state, watch);
			}
			else if (initial) {
				finish(request, state);
			}
			// else: the last async dispatch; AsyncCompletion.onComplete finishes the request
		}
	}

	private boolean handleFailure(HttpServletRequest request, HttpServletResponse response, RequestContextState state,
			Throwable ex) throws IOException {
		state.markFailed();
		if (!state.cancellableContext().isDone() && isClientGone(ex)) {
			// The container saw the client go (a failed body read or write) before the
			// watcher did: the same cancellation, and nobody to answer
			state.cancellableContext().cancel(new ClientDisconnectedException("Client disconnected: " + ex));
		}
		Context context = state.context();
		ContextException contextException = findContextException(ex);
		if (!context.isDone() && contextException == null) {
			return false;
		}
		Throwable err = (context.err() != null) ? context.err() : contextException;
		Throwable cause = (context.err() != null) ? context.cause() : contextException.getCause();
		if (logger.isDebugEnabled()) {
			logger.debug("Request " + state + " failed after its context was done: " + ex);
		}
		try {
			if (this.responder.write(request, response, err, cause)) {
				state.markTimeoutResponseWritten();
			}
		}
		catch (IOException writeFailure) {
			// Typically the client is gone: nobody to answer
			logger.debug("Could not write the response of a request whose context is done", writeFailure);
		}
		// Committed or not, a done request is not an error: no stack trace, no 500
		return true;
	}

	/**
	 * Whether a failure means the client went away: what Spring recognises (Tomcat's
	 * {@code ClientAbortException}, broken pipes, resets) plus an early end of the request
	 * body (Jetty's {@code HttpEofException} among others).
	 */
	static boolean isClientGone(Throwable ex) {
		if (DisconnectedClientHelper.isClientDisconnectedException(ex)) {
			return true;
		}
		Throwable current = ex;
		for (int depth = 0; current != null && depth < 16; depth++) {
			String name = current.getClass().getSimpleName();
			if (name.endsWith("EofException") || name.endsWith("EOFException")) {
				return true;
			}
			current = current.getCause();
		}
		return false;
	}

	static @Nullable ContextException findContextException(@Nullable Throwable ex) {
		int depth = 0;
		while (ex != null && depth++ < 16) {
			if (ex instanceof ContextException contextException) {
				return contextException;
			}
			ex = ex.getCause();
		}
		return null;
	}

	private void continueAsync(HttpServletRequest request, RequestContextState state,
			DisconnectDetector.@Nullable Watch watch) {
		AsyncContext asyncContext = request.getAsyncContext();
		Duration remaining = state.context().remaining().orElse(null);
		if (remaining != null) {
			// A little after the deadline, so that the context's own timer ends it first
			// (DeadlineExceeded) and the container's timeout only completes async requests
			// whose code does not watch the context
			long millis = remaining.toMillis() + ASYNC_TIMEOUT_MARGIN_MILLIS;
			long current = asyncContext.getTimeout();
			if (current <= 0 || millis < current) {
				asyncContext.setTimeout(millis);
			}
		}
		if (request.getAttribute(AsyncCompletion.ATTRIBUTE) == null) {
			AsyncCompletion completion = new AsyncCompletion(request, state, watch);
			request.setAttribute(AsyncCompletion.ATTRIBUTE, completion);
			asyncContext.addListener(completion);
		}
	}

	private void onDone(RequestContextState state) {
		// Runs on the thread that made the context done; the request is still in flight
		// unless this is the request's own end-of-request cancel
		if (state.cancellableContext().isDone() && !state.isFinished()) {
			state.markDone(System.nanoTime());
			this.observer.requestCancelled(state);
			if (this.interruptOnDeadline && state.context().err() instanceof DeadlineExceededException) {
				state.interruptRequestThread();
			}
		}
	}

	private void finish(HttpServletRequest request, RequestContextState state) {
		if (!state.finish()) {
			return;
		}
		this.inFlight.remove(state);
		try {
			this.observer.requestFinished(request, state);
		}
		finally {
			state.cancellableContext().cancel();
		}
	}

	private static void rethrow(Throwable ex) throws ServletException, IOException {
		if (ex instanceof ServletException servletException) {
			throw servletException;
		}
		if (ex instanceof IOException ioException) {
			throw ioException;
		}
		if (ex instanceof RuntimeException runtimeException) {
			throw runtimeException;
		}
		if (ex instanceof Error error) {
			throw error;
		}
		throw new ServletException(ex);
	}

	/**
	 * Ends an asynchronous request's context when the async request completes.
	 */
	private final class AsyncCompletion implements AsyncListener {

		static final String ATTRIBUTE = AsyncCompletion.class.getName();

		private final HttpServletRequest request;

		private final RequestContextState state;

		private final DisconnectDetector.@Nullable Watch watch;

		AsyncCompletion(HttpServletRequest request, RequestContextState state,
				DisconnectDetector.@Nullable Watch watch) {
			this.request = request;
			this.state = state;
			this.watch = watch;
		}

		@Override
		public void onComplete(AsyncEvent event) {
			if (this.watch != null) {
				this.watch.close();
			}
			finish(this.request, this.state);
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			// Either spring.mvc.async.request-timeout is shorter than the deadline, or the
			// deadline has passed already (then this cancel has no effect)
			this.state.cancellableContext().cancel(new AsyncTimeoutException());
		}

		@Override
		public void onError(AsyncEvent event) {
			Throwable failure = event.getThrowable();
			this.state.cancellableContext()
				.cancel((failure instanceof IOException)
						? new ClientDisconnectedException("Async request failed: " + failure) : failure);
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			// A new async cycle (another startAsync on an async dispatch) needs the listener again
			event.getAsyncContext().addListener(this);
		}

	}

	/**
	 * Cause of a context cancelled by the servlet container's async request timeout.
	 */
	static final class AsyncTimeoutException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		AsyncTimeoutException() {
			super("Async request timed out", null, false, false);
		}

	}

}
