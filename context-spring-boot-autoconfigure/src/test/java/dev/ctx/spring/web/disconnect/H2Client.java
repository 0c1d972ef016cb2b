package dev.ctx.spring.web.disconnect;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;

/**
 * A low-level h2c (prior knowledge) client that can reset a single stream.
 */
final class H2Client implements AutoCloseable {

	private final HTTP2Client client = new HTTP2Client();

	private final int port;

	private final Session session;

	H2Client(int port) throws Exception {
		this.port = port;
		this.client.start();
		this.session = this.client.connect(new InetSocketAddress("127.0.0.1", port), new Session.Listener() {
		}).get(5, TimeUnit.SECONDS);
	}

	/**
	 * Sends a GET; the future completes with "status body".
	 */
	Stream get(String pathAndQuery, CompletableFuture<String> response) throws Exception {
		MetaData.Request request = new MetaData.Request("GET",
				HttpURI.from("http://127.0.0.1:" + this.port + pathAndQuery), HttpVersion.HTTP_2, HttpFields.EMPTY);
		return this.session.newStream(new HeadersFrame(request, null, true), new Stream.Listener() {

			private int status;

			private final ByteArrayOutputStream body = new ByteArrayOutputStream();

			@Override
			public void onHeaders(Stream stream, HeadersFrame frame) {
				if (frame.getMetaData() instanceof MetaData.Response metaData) {
					this.status = metaData.getStatus();
				}
				if (frame.isEndStream()) {
					complete();
				}
				else {
					stream.demand();
				}
			}

			@Override
			public void onDataAvailable(Stream stream) {
				Stream.Data data = stream.readData();
				if (data == null) {
					stream.demand();
					return;
				}
				ByteBuffer buffer = data.frame().getByteBuffer();
				byte[] bytes = new byte[buffer.remaining()];
				buffer.get(bytes);
				this.body.writeBytes(bytes);
				data.release();
				if (data.frame().isEndStream()) {
					complete();
				}
				else {
					stream.demand();
				}
			}

			private void complete() {
				response.complete(this.status + " " + this.body.toString(StandardCharsets.UTF_8));
			}

		}).get(5, TimeUnit.SECONDS);
	}

	void reset(Stream stream) throws Exception {
		stream.reset(new ResetFrame(stream.getId(), ErrorCode.CANCEL_STREAM_ERROR.code)).get(5, TimeUnit.SECONDS);
	}

	/**
	 * Closes the TCP connection abruptly, without GOAWAY, as a dying client process does.
	 */
	void abort() {
		((HTTP2Session) this.session).getEndPoint().close();
	}

	@Override
	public void close() {
		try {
			this.client.stop();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
