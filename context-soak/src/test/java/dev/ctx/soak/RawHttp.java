package dev.ctx.soak;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for what a well-behaved client cannot do: send any header
 * value, stop at any point of the exchange, read slowly, or vanish with a reset.
 */
final class RawHttp {

	private RawHttp() {
	}

	static Socket open(int port, Duration readTimeout) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
		socket.setSoTimeout((int) readTimeout.toMillis());
		socket.setTcpNoDelay(true);
		return socket;
	}

	/**
	 * Opens a connection whose receive window stays small, so that a slow reader really
	 * holds the server's writes back.
	 */
	static Socket openSmallWindow(int port, Duration readTimeout) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(4096);
		socket.setSoTimeout((int) readTimeout.toMillis());
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		return socket;
	}

	static byte[] head(String method, String target, int port, long id, String user, String... headers) {
		StringBuilder head = new StringBuilder();
		head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
		head.append("Host: 127.0.0.1:").append(port).append("\r\n");
		head.append("X-Req: ").append(id).append("\r\n");
		head.append("X-User: ").append(user).append("\r\n");
		head.append("Connection: close\r\n");
		for (String header : headers) {
			head.append(header).append("\r\n");
		}
		head.append("\r\n");
		return head.toString().getBytes(StandardCharsets.ISO_8859_1);
	}

	/**
	 * Sends a whole request on a new connection and reads the response to the end of the
	 * connection.
	 */
	static Response exchange(int port, byte[] head, byte[] body, Duration timeout) throws IOException {
		try (Socket socket = open(port, timeout)) {
			OutputStream out = socket.getOutputStream();
			out.write(head);
			out.write(body);
			out.flush();
			return Response.parse(readAll(socket.getInputStream()));
		}
	}

	static byte[] readAll(InputStream in) throws IOException {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		in.transferTo(all);
		return all.toByteArray();
	}

	/**
	 * Closes abruptly: a reset instead of an orderly close when {@code reset}.
	 */
	static void vanish(Socket socket, boolean reset) throws IOException {
		if (reset) {
			socket.setSoLinger(true, 0);
		}
		socket.close();
	}

	record Response(int status, String head, String body) {

		static Response parse(byte[] bytes) throws IOException {
			String text = new String(bytes, StandardCharsets.ISO_8859_1);
			int end = text.indexOf("\r\n\r\n");
			if (!text.startsWith("HTTP/1.1 ") || end < 0) {
				throw new IOException("Not an HTTP response (" + bytes.length + " bytes): "
						+ text.substring(0, Math.min(80, text.length())));
			}
			String head = text.substring(0, end);
			String body = text.substring(end + 4);
			if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
				body = unchunk(body);
			}
			return new Response(Integer.parseInt(text.substring(9, 12)), head, body);
		}

		private static String unchunk(String chunked) throws IOException {
			StringBuilder body = new StringBuilder();
			int at = 0;
			while (true) {
				int lineEnd = chunked.indexOf("\r\n", at);
				if (lineEnd < 0) {
					throw new IOException("Truncated chunked body");
				}
				int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
				if (size == 0) {
					return body.toString();
				}
				body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
				at = lineEnd + 2 + size + 2;
			}
		}

	}

}
