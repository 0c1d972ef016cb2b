package dev.ctx.spring;

/**
 * The {@linkplain dev.ctx.Context#cause() cause} of a request context cancelled because
 * its HTTP client went away. Go has no equivalent type: {@code net/http} cancels the
 * request's context with {@code context.Canceled}.
 *
 * @since 0.1.0
 */
public class ClientDisconnectedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates a new instance.
	 * @param message how the disconnect was detected
	 */
	public ClientDisconnectedException(String message) {
		super(message, null, false, false);
	}

}
