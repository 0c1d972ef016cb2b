package dev.ctx;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * An {@link Context#afterDone(Runnable) afterDone} action. Exactly one of "start" and
 * "stop" wins, decided by one compare-and-set, so an action racing a cancel runs once
 * or is stopped: never both, never neither.
 */
final class AfterDone extends AtomicInteger implements Registration, Canceler {

	private static final long serialVersionUID = 1L;

	private static final System.Logger logger = System.getLogger(AfterDone.class.getName());

	private static final int ARMED = 0;

	private static final int STARTED = 1;

	private static final int STOPPED = 2;

	private final @Nullable CancelContext owner;

	// Released once started or stopped: a stopped registration must not pin the action
	private volatile @Nullable Runnable action;

	private final Executor executor;

	// Guarded by the owner's lock
	private int childIndex;

	AfterDone(@Nullable CancelContext owner, Runnable action, Executor executor) {
		this.owner = owner;
		this.action = action;
		this.executor = executor;
	}

	@Override
	public void parentDone(ContextException err) {
		start();
	}

	@Override
	public int childIndex() {
		return this.childIndex;
	}

	@Override
	public void childIndex(int index) {
		this.childIndex = index;
	}

	void start() {
		if (!compareAndSet(ARMED, STARTED)) {
			return;
		}
		Runnable action = this.action;
		this.action = null;
		if (action == null) {
			return;
		}
		try {
			this.executor.execute(action);
		}
		catch (RejectedExecutionException ex) {
			logger.log(Level.WARNING, "afterDone action " + action + " rejected by " + this.executor, ex);
		}
		catch (RuntimeException ex) {
			// A direct executor runs the action inside cancel() or on the deadline timer:
			// its failure must not escape there and leave the other children of the
			// context, and done(), uncompleted.
			logger.log(Level.WARNING, "afterDone action " + action + " failed", ex);
		}
	}

	@Override
	public boolean stop() {
		if (!compareAndSet(ARMED, STOPPED)) {
			return false;
		}
		this.action = null;
		if (this.owner != null) {
			this.owner.removeCanceler(this);
		}
		return true;
	}

}
