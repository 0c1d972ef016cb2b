package dev.ctx.spring.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import dev.ctx.Context;
import dev.ctx.ContextException;
import dev.ctx.Registration;
import dev.ctx.spring.InterruptOnDone;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;

/**
 * {@link ClientHttpRequestInterceptor} for {@code RestClient} and {@code RestTemplate}
 * that ties every request made while a {@link Context} is current to that context:
 * <ul>
 * <li>when the context is already done, the request is not sent (no connection is
 * opened) and a {@link ContextDoneIOException} whose cause is {@code err()} is thrown;</li>
 * <li>when the context has a deadline, the remaining budget is sent in the
 * {@link OutboundDeadline#timeoutHeader() timeout header};</li>
 * <li>when the context becomes done while the request waits for its response headers,
 * the calling thread is interrupted ({@link InterruptOnDone}, scoped to the exchange
 * and cleared afterwards) and a {@link ContextDoneIOException} is thrown;</li>
 * <li>once headers have arrived, the response body stream is closed when the context
 * becomes done (the stream itself, not the response: {@code JdkClientHttpResponse.close()}
 * would first drain the body), so that a body still being read stops with a
 * {@link ContextDoneIOException} and the connection is dropped. Interrupts would not
 * help here: the JDK client's body stream ignores them.</li>
 * </ul>
 *
 * <p>What the abort achieves depends on the request factory:
 * <ul>
 * <li>{@code JdkClientHttpRequestFactory} (Spring Boot's choice when no other HTTP
 * client library is on the classpath): Spring cancels the JDK {@code HttpClient}
 * exchange on interrupt, which closes the connection, so the downstream service sees a
 * disconnect. The context's deadline thereby acts as the read timeout.</li>
 * <li>{@code SimpleClientHttpRequestFactory} ({@code HttpURLConnection}): blocking socket
 * reads ignore interrupts, so a request that is waiting for its headers runs on until
 * the factory's own read timeout; fail-fast and the header still apply. Configure
 * {@code spring.http.clients.read-timeout}.</li>
 * <li>Apache HttpClient, Jetty and Reactor Netty factories: fail-fast, the header and
 * closing the response apply; whether an interrupt aborts a request that waits for
 * headers is up to the library (Jetty's and Reactor's blocking waits are
 * interruptible).</li>
 * </ul>
 *
 * <p>Add it last (innermost), so that retries by other interceptors each re-check the
 * context and send a fresh budget.
 *
 * @since 0.1.0
 */
public class ContextClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {

	private final OutboundDeadline settings;

	/**
	 * Creates a new instance.
	 * @param settings the header, margin and cancellation callback
	 */
	public ContextClientHttpRequestInterceptor(OutboundDeadline settings) {
		Assert.notNull(settings, "'settings' must not be null");
		this.settings = settings;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		Context context = Context.current();
		ContextException err = context.err();
		if (err != null) {
			this.settings.cancellations().accept(context);
			throw new ContextDoneIOException("Request " + request.getMethod() + " " + request.getURI()
					+ " not sent: its context is done", err);
		}
		String budget = this.settings.headerValue(context);
		if (budget != null) {
			request.getHeaders().set(this.settings.timeoutHeader(), budget);
		}
		ClientHttpResponse response;
		try (InterruptOnDone interrupt = InterruptOnDone.register(context)) {
			response = execution.execute(request, body);
		}
		catch (IOException ex) {
			err = context.err();
			if (err != null) {
				this.settings.cancellations().accept(context);
				ContextDoneIOException aborted = new ContextDoneIOException(
						"Request " + request.getMethod() + " " + request.getURI() + " aborted: its context is done", err);
				aborted.addSuppressed(ex);
				throw aborted;
			}
			throw ex;
		}
		return new ContextClientHttpResponse(response, context);
	}

	/**
	 * Closes the body stream (stopping a read in progress) when the context becomes done
	 * before the caller closed the response.
	 */
	private static final class ContextClientHttpResponse implements ClientHttpResponse {

		private final ClientHttpResponse delegate;

		private final Context context;

		private final Registration registration;

		ContextClientHttpResponse(ClientHttpResponse delegate, Context context) {
			this.delegate = delegate;
			this.context = context;
			this.registration = context.afterDone(this::abort);
		}

		@Override
		public HttpStatusCode getStatusCode() throws IOException {
			return this.delegate.getStatusCode();
		}

		@Override
		public String getStatusText() throws IOException {
			return this.delegate.getStatusText();
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.delegate.getHeaders();
		}

		@Override
		public InputStream getBody() throws IOException {
			return new ContextInputStream(this.delegate.getBody(), this.context);
		}

		private void abort() {
			try {
				this.delegate.getBody().close();
			}
			catch (IOException ex) {
				// Already closed or broken: either way no longer read
			}
		}

		@Override
		public void close() {
			this.registration.stop();
			this.delegate.close();
		}

	}

	/**
	 * A response body that is not read once the context is done, and that reports a
	 * read failed by the abort as a {@link ContextDoneIOException}.
	 */
	private static final class ContextInputStream extends FilterInputStream {

		private final Context context;

		ContextInputStream(InputStream in, Context context) {
			super(in);
			this.context = context;
		}

		@Override
		public int read() throws IOException {
			checkNotDone();
			try {
				return checkEndOfStream(super.read());
			}
			catch (IOException ex) {
				throw translate(ex);
			}
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			checkNotDone();
			try {
				return checkEndOfStream(super.read(b, off, len));
			}
			catch (IOException ex) {
				throw translate(ex);
			}
		}

		private int checkEndOfStream(int read) throws ContextDoneIOException {
			// An aborted stream may look like a normal end: it is not one
			if (read == -1) {
				checkNotDone();
			}
			return read;
		}

		private void checkNotDone() throws ContextDoneIOException {
			ContextException err = this.context.err();
			if (err != null) {
				throw new ContextDoneIOException("Response body not read: its context is done", err);
			}
		}

		private IOException translate(IOException ex) {
			ContextException err = this.context.err();
			if (err == null) {
				return ex;
			}
			ContextDoneIOException aborted = new ContextDoneIOException("Response body read aborted: its context is done",
					err);
			aborted.addSuppressed(ex);
			return aborted;
		}

	}

}
