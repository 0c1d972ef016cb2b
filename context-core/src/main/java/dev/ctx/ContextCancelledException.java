package dev.ctx;

import org.jspecify.annotations.Nullable;

/**
 * The context was cancelled: {@link CancellableContext#cancel()} was called on it or
 * on one of its ancestors, before any deadline passed. The message is
 * {@code "context canceled"}, as in Go.
 *
 * <p>Go equivalent: {@code context.Canceled}.
 *
 * @since 0.1.0
 */
public final class ContextCancelledException extends ContextException {

	private static final long serialVersionUID = 1L;

	ContextCancelledException(@Nullable Throwable cause) {
		super("context canceled", cause);
	}

}
