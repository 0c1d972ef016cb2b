package dev.ctx.spring.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import dev.ctx.spring.CancellationReason;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Writes the response of a request whose context is done: an RFC 9457 problem detail
 * ({@code application/problem+json}) with the configured status (503 by default, as Go's
 * {@code TimeoutHandler} and Spring MVC's async request timeout answer) and a
 * {@code reason} member from the cancellation vocabulary:
 *
 * <pre>{@code
 * {"type":"about:blank","title":"Deadline Exceeded","status":503,
 *  "detail":"The request did not complete within its deadline.",
 *  "instance":"/reports/42","reason":"deadline_exceeded"}
 * }</pre>
 *
 * <p>Nothing is written once the response is committed.
 *
 * @since 0.1.0
 */
public class ContextProblemResponder {

	/**
	 * The media type of the response.
	 */
	public static final String PROBLEM_JSON = "application/problem+json";

	private final int status;

	/**
	 * Creates a responder that answers with the given status.
	 * @param status the HTTP status, 400 to 599
	 */
	public ContextProblemResponder(int status) {
		Assert.isTrue(status >= 400 && status <= 599, () -> "'status' must be an error status, not " + status);
		this.status = status;
	}

	/**
	 * Returns the status of the responses.
	 * @return the HTTP status
	 */
	public int status() {
		return this.status;
	}

	/**
	 * Writes the problem response for a done context, unless the response is committed.
	 * @param request the request
	 * @param response the response
	 * @param err the context's error
	 * @param cause the context's cause
	 * @return whether the response was written
	 * @throws IOException if writing fails
	 */
	public boolean write(HttpServletRequest request, HttpServletResponse response, Throwable err,
			@Nullable Throwable cause) throws IOException {
		if (response.isCommitted()) {
			return false;
		}
		CancellationReason reason = CancellationReason.of(err, (cause != null) ? cause : err.getCause());
		response.resetBuffer();
		response.setStatus(this.status);
		response.setContentType(PROBLEM_JSON);
		byte[] body = body(reason, request.getRequestURI()).getBytes(StandardCharsets.UTF_8);
		response.setContentLength(body.length);
		try {
			OutputStream out = response.getOutputStream();
			out.write(body);
			out.flush();
		}
		catch (IllegalStateException ex) {
			// The handler already used getWriter()
			response.getWriter().write(new String(body, StandardCharsets.UTF_8));
			response.getWriter().flush();
		}
		return true;
	}

	private String body(CancellationReason reason, @Nullable String instance) {
		StringBuilder json = new StringBuilder(256);
		json.append("{\"type\":\"about:blank\",\"title\":\"").append(title(reason));
		json.append("\",\"status\":").append(this.status);
		json.append(",\"detail\":\"").append(detail(reason)).append('"');
		if (instance != null) {
			json.append(",\"instance\":\"");
			appendEscaped(json, instance);
			json.append('"');
		}
		json.append(",\"reason\":\"").append(reason.value()).append("\"}");
		return json.toString();
	}

	private static String title(CancellationReason reason) {
		return switch (reason) {
			case DEADLINE_EXCEEDED -> "Deadline Exceeded";
			case CLIENT_DISCONNECTED -> "Client Disconnected";
			case SHUTDOWN -> "Service Shutting Down";
			case CANCELED -> "Request Cancelled";
		};
	}

	private static String detail(CancellationReason reason) {
		return switch (reason) {
			case DEADLINE_EXCEEDED -> "The request did not complete within its deadline.";
			case CLIENT_DISCONNECTED -> "The client closed the connection before the request completed.";
			case SHUTDOWN -> "The service is shutting down and stopped the request.";
			case CANCELED -> "The request was cancelled before it completed.";
		};
	}

	private static void appendEscaped(StringBuilder json, String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				default -> {
					if (c < 0x20 || c == 0x2028 || c == 0x2029) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
	}

}
