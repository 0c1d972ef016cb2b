package dev.ctx.spring;

import dev.ctx.Context;
import dev.ctx.DeadlineExceededException;

import org.jspecify.annotations.Nullable;

/**
 * Why a context was done, in the one vocabulary used by meters, logs and problem
 * details: {@code deadline_exceeded}, {@code client_disconnected}, {@code canceled},
 * {@code shutdown}.
 *
 * @since 0.1.0
 */
public enum CancellationReason {

	/**
	 * The deadline passed ({@link DeadlineExceededException}).
	 */
	DEADLINE_EXCEEDED("deadline_exceeded"),

	/**
	 * The HTTP client went away ({@link ClientDisconnectedException} as cause).
	 */
	CLIENT_DISCONNECTED("client_disconnected"),

	/**
	 * Cancelled for any other reason (an operator, application code).
	 */
	CANCELED("canceled"),

	/**
	 * The application is shutting down ({@link ApplicationShutdownException} as cause).
	 */
	SHUTDOWN("shutdown");

	private final String value;

	CancellationReason(String value) {
		this.value = value;
	}

	/**
	 * Returns the value used in tags, logs and problem details.
	 * @return the lower-case value, e.g. {@code deadline_exceeded}
	 */
	public String value() {
		return this.value;
	}

	/**
	 * Returns why the given context is done.
	 * @param context the context
	 * @return the reason, or {@code null} if the context is not done
	 */
	public static @Nullable CancellationReason of(Context context) {
		if (context.err() == null) {
			return null;
		}
		return of(context.err(), context.cause());
	}

	/**
	 * Returns the reason for a done context's {@code err()} and {@code cause()}.
	 * @param err the context's error
	 * @param cause the context's cause
	 * @return the reason
	 */
	public static CancellationReason of(Throwable err, @Nullable Throwable cause) {
		if (err instanceof DeadlineExceededException) {
			return DEADLINE_EXCEEDED;
		}
		if (cause instanceof ClientDisconnectedException) {
			return CLIENT_DISCONNECTED;
		}
		if (cause instanceof ApplicationShutdownException) {
			return SHUTDOWN;
		}
		return CANCELED;
	}

	@Override
	public String toString() {
		return this.value;
	}

}
