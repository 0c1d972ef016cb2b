package dev.ctx.spring.web.disconnect;

import java.nio.channels.SocketChannel;

import org.jspecify.annotations.Nullable;

/**
 * The container-specific view of one in-flight request's connection. Only used on the
 * watcher thread while it holds the watch's lock, that is while the request is known to
 * be in flight, because containers recycle these objects afterwards.
 */
interface ConnectionHandle {

	/**
	 * Whether the response has been committed. Probing stops then: a client closing
	 * after a complete response must not count as a disconnect.
	 * @return whether the response is committed
	 */
	boolean isCommitted();

	/**
	 * The TCP connection of the request, to be probed without reading. For multiplexed
	 * requests this only reveals the end of the whole connection.
	 * @return the channel, or {@code null} if it cannot be reached
	 */
	default @Nullable SocketChannel socketChannel() {
		return null;
	}

	/**
	 * Whether the connection carries several requests (HTTP/2). Then the closing of the
	 * connection by the container itself also means the request's client is gone,
	 * whereas for HTTP/1.x it means the request is ending anyway.
	 * @return whether the connection is multiplexed
	 */
	default boolean isMultiplexed() {
		return false;
	}

	/**
	 * Polled probe for multiplexed requests: whether the stream was reset or its
	 * connection closed.
	 * @return whether the request's stream is gone
	 */
	default boolean isStreamGone() {
		return false;
	}

	/**
	 * Push probe for multiplexed requests: registers a callback the container invokes,
	 * on any thread, when the stream fails. Called at most once.
	 * @param callback the callback, which must only record the failure
	 */
	default void onStreamFailure(Runnable callback) {
	}

}
