package dev.ctx.spring;

import java.util.concurrent.atomic.AtomicInteger;

import dev.ctx.Context;
import dev.ctx.Registration;

import org.springframework.util.Assert;

/**
 * Interrupts the current thread if a {@link Context} becomes done before the returned
 * handle is closed: for blocking calls that react to interrupts but not to a context
 * (the JDK {@code HttpClient} request behind Spring's {@code JdkClientHttpRequest}, a
 * {@code Future.get()}, an {@code @Async} method when {@code interrupt-on-cancel} is
 * enabled).
 *
 * <pre>{@code
 * try (InterruptOnDone interrupt = InterruptOnDone.register(context)) {
 *     return blockingCall();
 * }
 * }</pre>
 *
 * <p>The interrupt can only hit the code between {@code register} and {@code close}:
 * {@code close()} stops the registration and, when the interrupt was delivered (or is
 * being delivered by the cancelling thread, which it waits for), clears the thread's
 * interrupt status again, unless the thread was already interrupted before
 * {@code register}. A pooled thread therefore never carries a stale interrupt into its
 * next task. Use it on one thread, with try-with-resources.
 *
 * @since 0.1.0
 */
public final class InterruptOnDone implements AutoCloseable {

	private static final int RUNNING = 0;

	private static final int INTERRUPTING = 1;

	private static final int INTERRUPTED = 2;

	private static final int CLOSED = 3;

	private final Thread thread;

	private final boolean interruptedBefore;

	private final AtomicInteger state = new AtomicInteger(RUNNING);

	private final Registration registration;

	private InterruptOnDone(Context context) {
		this.thread = Thread.currentThread();
		this.interruptedBefore = this.thread.isInterrupted();
		// Direct executor: interrupting is cheap and must not wait for a free thread
		this.registration = context.afterDone(this::interrupt, Runnable::run);
	}

	/**
	 * Arranges for the current thread to be interrupted when {@code context} is done
	 * (at once if it already is) until the returned handle is closed.
	 * @param context the context
	 * @return the handle, to close on this thread
	 */
	public static InterruptOnDone register(Context context) {
		Assert.notNull(context, "'context' must not be null");
		return new InterruptOnDone(context);
	}

	private void interrupt() {
		if (this.state.compareAndSet(RUNNING, INTERRUPTING)) {
			this.thread.interrupt();
			this.state.set(INTERRUPTED);
		}
	}

	/**
	 * Returns whether the context's completion interrupted the thread.
	 * @return whether the thread was interrupted by this handle
	 */
	public boolean hasInterrupted() {
		int state = this.state.get();
		return state == INTERRUPTING || state == INTERRUPTED;
	}

	/**
	 * Stops the registration; clears the interrupt this handle delivered, if any.
	 */
	@Override
	public void close() {
		this.registration.stop();
		if (this.state.compareAndSet(RUNNING, CLOSED)) {
			return;
		}
		while (this.state.get() == INTERRUPTING) {
			// The cancelling thread is between the two writes of interrupt(): nanoseconds
			Thread.onSpinWait();
		}
		if (!this.interruptedBefore && Thread.currentThread() == this.thread) {
			Thread.interrupted();
		}
	}

}
