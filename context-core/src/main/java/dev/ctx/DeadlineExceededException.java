package dev.ctx;

import org.jspecify.annotations.Nullable;

/**
 * The context's deadline passed before it was cancelled. The message is
 * {@code "context deadline exceeded"}, as in Go.
 *
 * <p>Go equivalent: {@code context.DeadlineExceeded}.
 *
 * @since 0.1.0
 */
public final class DeadlineExceededException extends ContextException {

	private static final long serialVersionUID = 1L;

	DeadlineExceededException(@Nullable Throwable cause) {
		super("context deadline exceeded", cause);
	}

}
