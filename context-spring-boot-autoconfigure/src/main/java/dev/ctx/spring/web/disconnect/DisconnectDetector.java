package dev.ctx.spring.web.disconnect;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Notices that the client of an in-flight servlet request has gone away while the
 * request's handler is blocked (sleeping, waiting on a lock or a database, reading a
 * body). One instance serves the whole application and is thread-safe.
 * <p>
 * Typical use in a filter:<pre>{@code
 * try (DisconnectDetector.Watch watch = detector.watch(request, () -> ctx.cancel(...))) {
 *     chain.doFilter(request, response);
 * }
 * finally {
 *     Thread.interrupted(); // only if onDisconnect interrupts the request thread
 * }
 * }</pre>
 * <p>
 * Notes and cautions:
 * <ul>
 * <li>Nothing is ever read from the connection; detection relies on the kernel's TCP
 * state, so it sees a close (FIN), a reset (RST) and, unless disabled, a half-close by
 * the client. It cannot see a client that vanished without closing (a pulled cable): only
 * TCP keep-alive or a deadline help there.</li>
 * <li>Requests younger than the {@linkplain DisconnectDetectionSettings#grace() grace
 * period} are never probed, so short requests only pay for adding to and removing from a
 * concurrent set.</li>
 * <li>Probing stops once the response is committed: a client that closes after reading a
 * complete response is not a disconnect.</li>
 * <li>Behind a reverse proxy only the proxy's connection is seen; the proxy must close its
 * upstream connection when its client aborts.</li>
 * </ul>
 *
 * @since 0.1.0
 * @see DisconnectDetectors#create(DisconnectDetectionSettings)
 */
public interface DisconnectDetector extends AutoCloseable {

	/**
	 * Starts watching the connection of the given HTTP/1.1 or HTTP/2 request. The
	 * callback runs at most once, on the watcher thread, when the client is gone; it must
	 * be quick and must not block (cancelling a context is ideal). Costs one allocation
	 * and a concurrent-set insertion; nothing container-specific happens until the
	 * request outlives the grace period. When detection is unavailable for this request
	 * (unknown container, Unix domain socket, detection disabled), the returned watch
	 * does nothing.
	 * @param request the request as seen by the filter (wrappers are unwrapped)
	 * @param onDisconnect called when the client is gone
	 * @return the watch, to be closed before the request thread leaves the filter
	 */
	Watch watch(HttpServletRequest request, Runnable onDisconnect);

	/**
	 * Whether this detector can detect anything at all in this JVM, container and
	 * operating system. The reason when it cannot is logged once, at creation.
	 * @return {@code false} when every {@link #watch} call returns a no-op watch
	 */
	boolean isAvailable();

	/**
	 * Stops the watcher thread and releases its selector. Watches still open do nothing
	 * afterwards. Idempotent.
	 */
	@Override
	void close();

	/**
	 * The watch of one request.
	 *
	 * @since 0.1.0
	 */
	interface Watch extends AutoCloseable {

		/**
		 * Stops watching. Must be called on the request thread before it leaves the
		 * request (in the filter's {@code finally}), because the connection and its
		 * objects are recycled for the next request afterwards. Once this method returns,
		 * the callback is neither running nor will it run. If the callback is running
		 * concurrently, this method waits for it to return. Idempotent.
		 */
		@Override
		void close();

	}

}
