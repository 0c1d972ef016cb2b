package dev.ctx.spring;

/**
 * The {@linkplain dev.ctx.Context#cause() cause} of contexts cancelled because the
 * application is shutting down.
 *
 * @since 0.1.0
 */
public class ApplicationShutdownException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates a new instance.
	 * @param message what is shutting down
	 */
	public ApplicationShutdownException(String message) {
		super(message, null, false, false);
	}

}
