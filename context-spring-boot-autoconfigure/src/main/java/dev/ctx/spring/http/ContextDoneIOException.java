package dev.ctx.spring.http;

import java.io.IOException;

import dev.ctx.ContextException;

/**
 * An outbound HTTP request was not sent, or was aborted, because the current
 * {@link dev.ctx.Context} was done. The {@link #getCause() cause} is the context's
 * {@link dev.ctx.Context#err() err()}: a {@link dev.ctx.ContextCancelledException} or a
 * {@link dev.ctx.DeadlineExceededException}.
 *
 * <p>An {@link IOException}, because that is what HTTP clients report for requests that
 * did not complete: {@code RestClient} and {@code RestTemplate} wrap it in a
 * {@code ResourceAccessException}; {@code WebClient} wraps it in a
 * {@code WebClientRequestException}. Look for the {@link ContextException} in the cause
 * chain.
 *
 * @since 0.1.0
 */
public class ContextDoneIOException extends IOException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates a new instance.
	 * @param message what was not done
	 * @param err the context's {@code err()}
	 */
	public ContextDoneIOException(String message, ContextException err) {
		super(message, err);
	}

	@Override
	public synchronized ContextException getCause() {
		return (ContextException) super.getCause();
	}

}
