package dev.ctx;

import java.util.concurrent.CancellationException;

import org.jspecify.annotations.Nullable;

/**
 * Why a {@link Context} is done: {@link ContextCancelledException} or
 * {@link DeadlineExceededException}. It is what {@link Context#err()} returns and what
 * {@link Context#throwIfDone()} throws.
 *
 * <p>Unchecked, and a {@link CancellationException}, so that code which already treats
 * cancellation (for example {@code CompletableFuture}) understands it. The instance is
 * created once, when the context is done, and shared by all its descendants; it has no
 * stack trace (creating one for every cancelled request would cost more than the
 * cancellation saves). The {@link #getCause() cause}, when there is one, is the cause
 * given to {@code cancel(cause)} or to {@code withTimeout(timeout, cause)}.
 *
 * <p>Go equivalent: the errors {@code context.Canceled} and
 * {@code context.DeadlineExceeded}.
 *
 * @since 0.1.0
 */
public abstract sealed class ContextException extends CancellationException
		permits ContextCancelledException, DeadlineExceededException {

	private static final long serialVersionUID = 1L;

	// The cause given at construction: what Context.cause() reports, whatever initCause
	// a caller may try on this shared instance later
	private final transient @Nullable Throwable contextCause;

	ContextException(String message, @Nullable Throwable cause) {
		super(message);
		this.contextCause = cause;
		if (cause != null) {
			initCause(cause);
		}
	}

	@Nullable Throwable contextCause() {
		return this.contextCause;
	}

	@Override
	public Throwable fillInStackTrace() {
		// Shared by the whole tree of cancelled contexts: a stack trace would describe
		// one thread's cancel() call, not the place where it is thrown. Not synchronized
		// like Throwable's: it touches no state, and the constructor calls it on every
		// cancel(), where a monitor would cost an atomic instruction for nothing.
		return this;
	}

}
