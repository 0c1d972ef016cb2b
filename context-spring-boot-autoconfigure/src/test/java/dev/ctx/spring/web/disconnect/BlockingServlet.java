package dev.ctx.spring.web.disconnect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A servlet that plays the part of the context filter and of a blocking handler: it
 * watches its own request with a {@link DisconnectDetector} and records every event by
 * the request's {@code id} parameter.
 * <ul>
 * <li>{@code GET /sleep?ms=N}: sleeps N ms, or until the client is gone, answers
 * {@code done N}</li>
 * <li>{@code POST /upload?chunkDelay=N}: reads the body in 64 KiB chunks, sleeping N ms
 * after each, answers {@code length crc32}</li>
 * <li>{@code POST /read}: reads the body, recording a failed read</li>
 * <li>{@code POST /partial?bytes=N&ms=M}: reads N body bytes, then sleeps like /sleep</li>
 * <li>{@code GET /flushThenSleep?ms=N}: sends a complete response, then sleeps N ms</li>
 * </ul>
 * {@code closeEarly=true} closes the watch 50 ms into the request (the handler keeps
 * running); {@code slowCallback=true} makes the callback take 300 ms; {@code detector=NAME} selects one of
 * the other detectors by name.
 */
class BlockingServlet extends HttpServlet {

	private static final long serialVersionUID = 1L;

	final Map<String, Long> entered = new ConcurrentHashMap<>();

	final Map<String, Long> disconnected = new ConcurrentHashMap<>();

	final Map<String, String> readFailures = new ConcurrentHashMap<>();

	final Map<String, Long> finished = new ConcurrentHashMap<>();

	final Map<String, Long> callbackEnded = new ConcurrentHashMap<>();

	private final transient DisconnectDetector detector;

	// Live: a test may add a detector after the servlet started
	private final transient Map<String, DisconnectDetector> others;

	BlockingServlet(DisconnectDetector detector, Map<String, DisconnectDetector> others) {
		this.detector = detector;
		this.others = others;
	}

	void reset() {
		this.entered.clear();
		this.disconnected.clear();
		this.readFailures.clear();
		this.finished.clear();
		this.callbackEnded.clear();
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String id = String.valueOf(request.getParameter("id"));
		String name = request.getParameter("detector");
		DisconnectDetector detector = (name != null) ? this.others.get(name) : this.detector;
		AtomicBoolean gone = new AtomicBoolean();
		boolean slowCallback = Boolean.parseBoolean(request.getParameter("slowCallback"));
		DisconnectDetector.Watch watch = detector.watch(request, () -> {
			this.disconnected.put(id, System.nanoTime());
			gone.set(true);
			if (slowCallback) {
				// The handler sees "gone" at once and closes its watch while we still run
				sleep(300, new AtomicBoolean(), null);
				this.callbackEnded.put(id, System.nanoTime());
			}
		});
		this.entered.put(id, System.nanoTime());
		try {
			if (request.getRequestURI().equals("/flushThenSleep")) {
				// A complete response, flushed, while the handler keeps running
				byte[] bytes = "flushed".getBytes(StandardCharsets.UTF_8);
				response.setContentLength(bytes.length);
				response.getOutputStream().write(bytes);
				response.flushBuffer();
				sleep(Long.parseLong(request.getParameter("ms")), new AtomicBoolean(), null);
				return;
			}
			String body = handle(request, id, gone, watch);
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			response.setContentType("text/plain");
			response.setContentLength(bytes.length);
			response.getOutputStream().write(bytes);
		}
		finally {
			watch.close();
			this.finished.put(id, System.nanoTime());
		}
	}

	private String handle(HttpServletRequest request, String id, AtomicBoolean gone, DisconnectDetector.Watch watch)
			throws IOException {
		boolean closeEarly = Boolean.parseBoolean(request.getParameter("closeEarly"));
		switch (request.getRequestURI()) {
			case "/sleep" -> {
				long ms = Long.parseLong(request.getParameter("ms"));
				sleep(ms, gone, closeEarly ? watch : null);
				return "done " + ms;
			}
			case "/upload" -> {
				long chunkDelay = Long.parseLong(request.getParameter("chunkDelay"));
				CRC32 crc = new CRC32();
				long length = 0;
				byte[] buffer = new byte[64 * 1024];
				InputStream in = request.getInputStream();
				int read;
				while ((read = in.readNBytes(buffer, 0, buffer.length)) > 0) {
					crc.update(buffer, 0, read);
					length += read;
					sleep(chunkDelay, new AtomicBoolean(), null);
				}
				return length + " " + Long.toHexString(crc.getValue());
			}
			case "/read" -> {
				try {
					long length = request.getInputStream().transferTo(OutputStreamDiscard.INSTANCE);
					return "read " + length;
				}
				catch (IOException ex) {
					this.readFailures.put(id, ex.toString());
					throw ex;
				}
			}
			case "/partial" -> {
				int bytes = Integer.parseInt(request.getParameter("bytes"));
				int read = request.getInputStream().readNBytes(new byte[bytes], 0, bytes);
				long ms = Long.parseLong(request.getParameter("ms"));
				sleep(ms, gone, null);
				return "partial " + read;
			}
			default -> {
				return "unknown " + request.getRequestURI();
			}
		}
	}

	private static void sleep(long ms, AtomicBoolean gone, DisconnectDetector.Watch closeEarly) {
		long start = System.nanoTime();
		long end = start + TimeUnit.MILLISECONDS.toNanos(ms);
		while (!gone.get() && System.nanoTime() - end < 0) {
			if (closeEarly != null && System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(50)) {
				closeEarly.close();
				closeEarly = null;
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static final class OutputStreamDiscard extends java.io.OutputStream {

		static final OutputStreamDiscard INSTANCE = new OutputStreamDiscard();

		@Override
		public void write(int b) {
		}

		@Override
		public void write(byte[] b, int off, int len) {
		}

	}

}
