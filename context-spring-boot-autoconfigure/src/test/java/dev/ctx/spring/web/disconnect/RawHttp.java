package dev.ctx.spring.web.disconnect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Raw HTTP/1.1 over a plain socket, so that tests control exactly how and when the
 * client closes (FIN, RST, half-close) and can pipeline.
 */
final class RawHttp {

	private RawHttp() {
	}

	static Socket connect(int port) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
		socket.setSoTimeout(15_000);
		socket.setTcpNoDelay(true);
		return socket;
	}

	static String get(String pathAndQuery) {
		return "GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
	}

	static String postHead(String pathAndQuery, long contentLength) {
		return "POST " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
				+ "Content-Length: " + contentLength + "\r\n\r\n";
	}

	static void write(Socket socket, String text) throws IOException {
		socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
		socket.getOutputStream().flush();
	}

	/**
	 * Reads one response with a {@code Content-Length} body.
	 * @return "status body"
	 */
	static String readResponse(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		String statusLine = readLine(in);
		String[] status = statusLine.split(" ");
		long length = -1;
		String line;
		while (!(line = readLine(in)).isEmpty()) {
			int colon = line.indexOf(':');
			if (line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
				length = Long.parseLong(line.substring(colon + 1).trim());
			}
		}
		if (length < 0) {
			throw new IOException("No Content-Length in response " + statusLine);
		}
		byte[] body = in.readNBytes((int) length);
		return status[1] + " " + new String(body, StandardCharsets.UTF_8);
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != '\n') {
			if (b < 0) {
				throw new IOException("Connection closed by server after '" + line + "'");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

}
