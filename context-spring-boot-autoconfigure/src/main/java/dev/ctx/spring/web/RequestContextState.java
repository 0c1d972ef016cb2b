package dev.ctx.spring.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.spring.CancellationReason;
import org.jspecify.annotations.Nullable;

/**
 * The context of one request and what the starter knows about it: when it started, its
 * budget, when and why it became done. Created by {@link ContextFilter}; read by
 * {@link RequestContextObserver observers} (metrics, the in-flight registry).
 *
 * @since 0.1.0
 */
public final class RequestContextState {

	private static final AtomicLong IDS = new AtomicLong();

	private final long id = IDS.incrementAndGet();

	private final CancellableContext context;

	private final String method;

	private final String path;

	private final String remoteAddress;

	private final long startNanos;

	private final @Nullable Duration budget;

	private volatile long doneAtNanos;

	private volatile boolean timeoutResponseWritten;

	private volatile boolean failed;

	private final AtomicBoolean finished = new AtomicBoolean();

	// Guards the request thread against interrupts and disconnect callbacks after it has
	// left the request (see ContextFilter)
	private final ReentrantLock threadLock = new ReentrantLock();

	private @Nullable Thread requestThread;

	private volatile boolean interruptSent;

	RequestContextState(CancellableContext context, String method, String path, String remoteAddress,
			long startNanos, @Nullable Duration budget) {
		this.context = context;
		this.method = method;
		this.path = path;
		this.remoteAddress = remoteAddress;
		this.startNanos = startNanos;
		this.budget = budget;
	}

	/**
	 * Returns a process-unique id of this request.
	 * @return the id
	 */
	public long id() {
		return this.id;
	}

	/**
	 * Returns the request's context (read-only).
	 * @return the context
	 */
	public Context context() {
		return this.context.readOnly();
	}

	/**
	 * Returns the request's method.
	 * @return the method
	 */
	public String method() {
		return this.method;
	}

	/**
	 * Returns the request's path (without the query string).
	 * @return the path
	 */
	public String path() {
		return this.path;
	}

	/**
	 * Returns the address of the client (or of the last proxy).
	 * @return the remote address
	 */
	public String remoteAddress() {
		return this.remoteAddress;
	}

	/**
	 * Returns when the request started, on the {@link System#nanoTime()} clock.
	 * @return the start time
	 */
	public long startNanos() {
		return this.startNanos;
	}

	/**
	 * Returns the request's total budget: the timeout its deadline was derived from.
	 * @return the budget, or {@code null} if the request has no deadline
	 */
	public @Nullable Duration budget() {
		return this.budget;
	}

	/**
	 * Returns when the context became done while the request was still running, on the
	 * {@link System#nanoTime()} clock; {@code 0} if it did not.
	 * @return the time the context became done, or 0
	 */
	public long doneAtNanos() {
		return this.doneAtNanos;
	}

	/**
	 * Returns why the context became done while the request was running.
	 * @return the reason, or {@code null} if the request ended before its context was done
	 */
	public @Nullable CancellationReason cancellationReason() {
		return (this.doneAtNanos != 0) ? CancellationReason.of(this.context) : null;
	}

	/**
	 * Returns whether the starter answered the request with its timeout response.
	 * @return whether the timeout response was written
	 */
	public boolean isTimeoutResponseWritten() {
		return this.timeoutResponseWritten;
	}

	/**
	 * Returns whether the request ended with an exception or the timeout response.
	 * @return whether the request failed
	 */
	public boolean isFailed() {
		return this.failed;
	}

	/**
	 * Cancels the request's context, for example on an operator's request.
	 * @param cause the cause
	 */
	public void cancel(Throwable cause) {
		this.context.cancel(cause);
	}

	/**
	 * Returns whether the request has ended.
	 * @return whether the request has ended
	 */
	public boolean isFinished() {
		return this.finished.get();
	}

	boolean finish() {
		return this.finished.compareAndSet(false, true);
	}

	CancellableContext cancellableContext() {
		return this.context;
	}

	void markDone(long nanos) {
		if (this.doneAtNanos == 0) {
			this.doneAtNanos = (nanos != 0) ? nanos : 1;
		}
	}

	void markTimeoutResponseWritten() {
		this.timeoutResponseWritten = true;
		this.failed = true;
	}

	void markFailed() {
		this.failed = true;
	}

	void enterRequestThread() {
		this.threadLock.lock();
		try {
			this.requestThread = Thread.currentThread();
		}
		finally {
			this.threadLock.unlock();
		}
	}

	/**
	 * Marks the request thread as gone: after this returns, {@link #interruptRequestThread}
	 * does nothing. Clears an interrupt this state may have caused.
	 */
	void leaveRequestThread() {
		this.threadLock.lock();
		try {
			this.requestThread = null;
		}
		finally {
			this.threadLock.unlock();
		}
		if (this.interruptSent) {
			// An interrupt aimed at this request must not hit the next one on this thread
			Thread.interrupted();
		}
	}

	void interruptRequestThread() {
		// Never block the timer thread: if the request thread is leaving, it is done anyway
		if (this.threadLock.tryLock()) {
			try {
				Thread thread = this.requestThread;
				if (thread != null) {
					this.interruptSent = true;
					thread.interrupt();
				}
			}
			finally {
				this.threadLock.unlock();
			}
		}
	}

	@Override
	public String toString() {
		return "RequestContextState[id=" + this.id + ", " + this.method + " " + this.path + "]";
	}

}
