package dev.ctx.spring.web.disconnect;

import jakarta.servlet.ServletRequest;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.jspecify.annotations.Nullable;

/**
 * {@link ContainerAdapter} for Jetty 12 (EE 11), through public API only: the request's
 * {@code ConnectionMetaData} leads to the connection's {@code EndPoint} and, for plain or
 * TLS HTTP/1.x, to the {@code SocketChannel}. HTTP/2 and HTTP/3 requests use Jetty's own
 * push notification ({@code Request.addFailureListener}), which Jetty does deliver for
 * stream resets and closed connections because it keeps reading multiplexed connections.
 */
final class JettyContainerAdapter implements ContainerAdapter {

	@Override
	public String name() {
		return "Jetty";
	}

	@Override
	public @Nullable ConnectionHandle resolve(ServletRequest request) {
		ServletContextRequest contextRequest;
		try {
			contextRequest = ServletContextRequest.getServletContextRequest(request);
		}
		catch (RuntimeException ex) {
			// Not a Jetty request (another container shares the class path)
			return null;
		}
		if (contextRequest == null) {
			return null;
		}
		ConnectionMetaData metaData = contextRequest.getConnectionMetaData();
		HttpVersion version = metaData.getHttpVersion();
		java.nio.channels.@Nullable SocketChannel channel = channel(metaData);
		if (version == HttpVersion.HTTP_2 || version == HttpVersion.HTTP_3) {
			// Jetty reads multiplexed connections all along and fails the request on a
			// stream reset; the socket probe adds connections closed after a GOAWAY,
			// which Jetty does not report as a failure of the in-flight streams
			return new ConnectionHandle() {

				@Override
				public boolean isCommitted() {
					return contextRequest.getServletContextResponse().isCommitted();
				}

				@Override
				public java.nio.channels.@Nullable SocketChannel socketChannel() {
					return channel;
				}

				@Override
				public boolean isMultiplexed() {
					return true;
				}

				@Override
				public void onStreamFailure(Runnable callback) {
					contextRequest.addFailureListener((failure) -> callback.run());
				}

			};
		}
		if (channel == null) {
			return null;
		}
		return new ConnectionHandle() {

			@Override
			public boolean isCommitted() {
				return contextRequest.getServletContextResponse().isCommitted();
			}

			@Override
			public java.nio.channels.SocketChannel socketChannel() {
				return channel;
			}

		};
	}

	private static java.nio.channels.@Nullable SocketChannel channel(ConnectionMetaData metaData) {
		EndPoint endPoint = metaData.getConnection().getEndPoint();
		while (endPoint instanceof SslConnection.SslEndPoint sslEndPoint) {
			endPoint = sslEndPoint.getSslConnection().getEndPoint();
		}
		return (endPoint instanceof SocketChannelEndPoint socketEndPoint) ? socketEndPoint.getChannel() : null;
	}

}
