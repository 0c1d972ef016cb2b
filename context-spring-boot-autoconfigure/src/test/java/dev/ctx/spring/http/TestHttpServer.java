package dev.ctx.spring.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A minimal HTTP/1.1 server on a random loopback port, written on plain sockets so that
 * tests can count accepted connections and see when a client closes one.
 */
final class TestHttpServer implements AutoCloseable {

	enum Mode {

		/** Answer {@code 200 ok} at once. */
		RESPOND,

		/** Read the request, never answer, wait for the client to close. */
		HOLD,

		/** Send headers and part of a long body, then wait for the client to close. */
		HEADERS_THEN_HOLD

	}

	private final ServerSocket server;

	private final Thread acceptor;

	volatile Mode mode = Mode.RESPOND;

	final AtomicInteger accepts = new AtomicInteger();

	final BlockingQueue<Map<String, String>> requests = new LinkedBlockingQueue<>();

	/** {@code System.nanoTime()} at which a held connection was seen closed by the client. */
	final BlockingQueue<Long> disconnects = new LinkedBlockingQueue<>();

	TestHttpServer() throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.acceptor = new Thread(this::acceptLoop, "test-http-acceptor");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getLocalPort();
	}

	Map<String, String> takeRequest() throws InterruptedException {
		Map<String, String> request = this.requests.poll(20, TimeUnit.SECONDS);
		if (request == null) {
			throw new AssertionError("No request received");
		}
		return request;
	}

	@Nullable Long awaitDisconnect(Duration timeout) throws InterruptedException {
		return this.disconnects.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void acceptLoop() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				this.accepts.incrementAndGet();
				Thread handler = new Thread(() -> handle(socket), "test-http-connection");
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private void handle(Socket socket) {
		try (socket) {
			InputStream in = socket.getInputStream();
			OutputStream out = socket.getOutputStream();
			while (true) {
				Map<String, String> request = readRequest(in);
				if (request == null) {
					return;
				}
				this.requests.add(request);
				Mode mode = this.mode;
				if (mode == Mode.RESPOND) {
					out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
						.getBytes(StandardCharsets.US_ASCII));
					out.flush();
					continue;
				}
				if (mode == Mode.HEADERS_THEN_HOLD) {
					out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\npartial"
						.getBytes(StandardCharsets.US_ASCII));
					out.flush();
				}
				// Wait for the client to give up: read() returns -1 (or fails) when it closes
				try {
					while (in.read() != -1) {
						// discard
					}
				}
				catch (IOException ex) {
					// reset by the client: also a disconnect
				}
				this.disconnects.add(System.nanoTime());
				return;
			}
		}
		catch (IOException ex) {
			// connection gone
		}
	}

	private static @Nullable Map<String, String> readRequest(InputStream in) throws IOException {
		String requestLine = readLine(in);
		if (requestLine == null) {
			return null;
		}
		Map<String, String> request = new LinkedHashMap<>();
		request.put(":request-line", requestLine);
		String line;
		while ((line = readLine(in)) != null && !line.isEmpty()) {
			int colon = line.indexOf(':');
			request.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
		}
		return request;
	}

	private static @Nullable String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1) {
			if (b == '\n') {
				String text = line.toString(StandardCharsets.US_ASCII);
				return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
			}
			line.write(b);
		}
		return null;
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

}
