package dev.ctx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * The one cancellable context: Go's {@code cancelCtx} and {@code timerCtx} in one class.
 *
 * <p>The context becomes done by one compare-and-set of the volatile {@code state} (so
 * {@link #isDone()} is one volatile read); the cause travels in the state, never in a
 * field written outside that compare-and-set. A plain {@code cancel()} does not create
 * the {@link ContextCancelledException} that {@link #err()} reports: most contexts are
 * cancelled when their work is finished and nobody asks why, so the exception is
 * created by the first {@link #err()} (or when children must be told), and published
 * with a compare-and-set so that every caller gets the same instance.
 *
 * <p>Children, afterDone actions, the deadline timer and the {@code done()} future are
 * registered under the intrinsic lock, and the canceller takes them out under the same
 * lock. Most contexts never register anything (a request's context, a
 * {@code withCancel()} around one call), so the canceller takes the lock only when
 * {@code registered} is set. Every registration sets that sticky volatile flag and only
 * then reads {@code state} (both under the lock); the canceller writes {@code state}
 * and only then reads the flag. Volatile accesses are totally ordered, so either the
 * registration sees the context done (and does not register) or the canceller sees the
 * flag and waits for the lock, behind the registration. A child is thus either taken
 * out and cancelled by the parent or sees the parent done when registering (and is done
 * at birth). When {@link #cancel()} returns, every descendant is done.
 *
 * <p>Children and afterDone actions are kept as one reference while there is one, then
 * in an array in which each knows its own index, so that adding and removing one takes
 * constant time and allocates nothing: the array is kept once grown (and halved when
 * mostly empty). Go's map, like a {@code HashSet}, allocates an entry per add. A request's
 * context holds an action of its own and gains and loses one with every connection
 * checkout, so the second child is the common case, not the exception.
 */
final class CancelContext extends AbstractContext implements CancellableContext, Canceler {

	private final AbstractContext parent;

	private final @Nullable CancelContext parentNode;

	final boolean hasDeadline;

	final long deadlineNanos;

	private final boolean ownDeadline;

	private final @Nullable Throwable deadlineCause;

	private static final VarHandle STATE;

	static {
		try {
			STATE = MethodHandles.lookup().findVarHandle(CancelContext.class, "state", Object.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** The state of a context cancelled whose ContextCancelledException is not created yet. */
	private static final Object CANCELLED = new Object();

	// null while not done; then CANCELLED (cancelled without a cause, exception not
	// created yet) or the ContextException, whose contextCause() is the cause. Leaves
	// null by one CAS; CANCELLED is replaced by the exception (by CAS) at most once.
	private volatile @Nullable Object state;

	// Set (under the lock, before reading state) by every registration: the canceller
	// needs the lock only when it is set. Never cleared.
	private volatile boolean registered;

	// Guarded by this: null, one Canceler, or a Canceler[] whose first childCount
	// elements are the children, each at its childIndex() (most contexts have 0 or 1)
	private @Nullable Object children;

	// Guarded by this: the number of children in the array
	private int childCount;

	// Guarded by this context's parent's lock
	private int childIndex;

	// Guarded by this
	private @Nullable Future<?> timer;

	// Guarded by this
	private @Nullable CompletableFuture<Void> doneFuture;

	// Guarded by this
	private @Nullable CompletionStage<Void> doneStage;

	private volatile @Nullable ReadOnlyContext readOnly;

	CancelContext(AbstractContext parent, boolean withDeadline, long deadlineNanos,
			@Nullable Throwable deadlineCause) {
		super(parent.clock, parent.values);
		this.parent = parent;
		CancelContext parentNode = parent.cancelNode();
		this.parentNode = parentNode;
		if (parentNode != null && parentNode.hasDeadline
				&& (!withDeadline || parentNode.deadlineNanos - deadlineNanos <= 0)) {
			// The parent's deadline is earlier: the new one would have no effect
			this.hasDeadline = true;
			this.deadlineNanos = parentNode.deadlineNanos;
			this.ownDeadline = false;
		}
		else {
			this.hasDeadline = withDeadline;
			this.deadlineNanos = deadlineNanos;
			this.ownDeadline = withDeadline;
		}
		this.deadlineCause = deadlineCause;
		if (parentNode != null && !parentNode.addCanceler(this)) {
			ContextException parentErr = parentNode.err();
			// addCanceler returned false: the parent is done, so its err is set
			cancel(false, (parentErr != null) ? parentErr : new ContextCancelledException(null), null);
			return;
		}
		if (this.ownDeadline) {
			armTimer();
		}
	}

	private void armTimer() {
		if (this.deadlineNanos - this.clock.nanoTime() <= 0) {
			expire();
			return;
		}
		Future<?> timer = this.clock.schedule(this::expire, this.deadlineNanos);
		synchronized (this) {
			markRegistered();
			if (this.state == null) {
				this.timer = timer;
				return;
			}
		}
		timer.cancel(false);
	}

	private void expire() {
		if (this.state == null) {
			cancel(true, new DeadlineExceededException(this.deadlineCause), this.deadlineCause);
		}
	}

	@Override
	@Nullable CancelContext cancelNode() {
		return this;
	}

	@Override
	Context attachable() {
		return readOnly();
	}

	@Override
	public Context readOnly() {
		ReadOnlyContext view = this.readOnly;
		if (view == null) {
			synchronized (this) {
				view = this.readOnly;
				if (view == null) {
					view = new ReadOnlyContext(this);
					this.readOnly = view;
				}
			}
		}
		return view;
	}

	@Override
	public boolean isDone() {
		return this.state != null;
	}

	@Override
	public @Nullable ContextException err() {
		Object state = this.state;
		if (state == null || state instanceof ContextException) {
			return (ContextException) state;
		}
		// CANCELLED means cancelled without a cause
		ContextException err = new ContextCancelledException(null);
		Object witness = STATE.compareAndExchange(this, CANCELLED, err);
		// Another thread may have created it first: everyone returns the one published
		return (witness == CANCELLED) ? err : (ContextException) witness;
	}

	@Override
	public void cancel() {
		if (this.state == null) {
			cancel(true, null, null);
		}
	}

	@Override
	public void cancel(@Nullable Throwable cause) {
		if (this.state == null) {
			cancel(true, null, cause);
		}
	}

	@Override
	public void close() {
		cancel();
	}

	/**
	 * Go's {@code cancelCtx.cancel}. Returns whether this call made the context done.
	 * {@code err} is the exception to report, whose cause is the context's cause; a
	 * {@code null} err stands for a {@link ContextCancelledException} with {@code cause},
	 * created here only when there is a cause (otherwise by the first {@link #err()}).
	 */
	boolean cancel(boolean removeFromParent, @Nullable ContextException err, @Nullable Throwable cause) {
		Object done = (err != null) ? err : (cause != null) ? new ContextCancelledException(cause) : CANCELLED;
		if (!STATE.compareAndSet(this, null, done)) {
			return false;
		}
		Object children = null;
		int childCount = 0;
		Future<?> timer = null;
		CompletableFuture<Void> doneFuture = null;
		if (this.registered) {
			synchronized (this) {
				children = this.children;
				childCount = this.childCount;
				this.children = null;
				this.childCount = 0;
				timer = this.timer;
				this.timer = null;
				doneFuture = this.doneFuture;
			}
		}
		if (timer != null) {
			timer.cancel(false);
		}
		if (removeFromParent && this.parentNode != null) {
			this.parentNode.removeCanceler(this);
		}
		if (children != null) {
			// Children report the same instance as this context: create it now
			ContextException shared = err();
			if (shared == null) {
				throw new IllegalStateException("Done context without err");
			}
			if (children instanceof Canceler child) {
				child.parentDone(shared);
			}
			else {
				// Taken out under the lock: nobody else reads or writes this array now
				Canceler[] array = (Canceler[]) children;
				for (int i = 0; i < childCount; i++) {
					array[i].parentDone(shared);
				}
			}
		}
		// Last, so that whoever waits for this context sees every descendant done
		if (doneFuture != null) {
			doneFuture.complete(null);
		}
		return true;
	}

	/**
	 * Records that something is registered with this context, before the caller reads
	 * {@code state}. Called under the lock.
	 */
	private void markRegistered() {
		if (!this.registered) {
			this.registered = true;
		}
	}

	@Override
	public void parentDone(ContextException err) {
		cancel(false, err, null);
	}

	@Override
	public int childIndex() {
		return this.childIndex;
	}

	@Override
	public void childIndex(int index) {
		this.childIndex = index;
	}

	@Nullable Throwable causeOrErr() {
		ContextException err = err();
		if (err == null) {
			return null;
		}
		Throwable cause = err.contextCause();
		return (cause != null) ? cause : err;
	}

	/**
	 * Adds a child unless this context is done. Returns whether it was added.
	 */
	boolean addCanceler(Canceler child) {
		synchronized (this) {
			markRegistered();
			if (this.state != null) {
				return false;
			}
			Object children = this.children;
			if (children == null) {
				this.children = child;
			}
			else if (children instanceof Canceler single) {
				Canceler[] array = new Canceler[4];
				array[0] = single;
				single.childIndex(0);
				array[1] = child;
				child.childIndex(1);
				this.children = array;
				this.childCount = 2;
			}
			else {
				Canceler[] array = (Canceler[]) children;
				int count = this.childCount;
				if (count == array.length) {
					array = Arrays.copyOf(array, count * 2);
					this.children = array;
				}
				array[count] = child;
				child.childIndex(count);
				this.childCount = count + 1;
			}
			return true;
		}
	}

	void removeCanceler(Canceler child) {
		synchronized (this) {
			Object children = this.children;
			if (children == child) {
				this.children = null;
			}
			else if (children instanceof Canceler[] array) {
				int index = child.childIndex();
				int count = this.childCount;
				if (index >= count || array[index] != child) {
					// Not a child (any more): removed already, or this context was done
					return;
				}
				// The last child takes the removed one's place
				int last = count - 1;
				Canceler moved = array[last];
				array[index] = moved;
				moved.childIndex(index);
				array[last] = null;
				this.childCount = last;
				if (array.length > 16 && last < array.length / 4) {
					// Mostly empty after a burst of children: give the memory back
					this.children = Arrays.copyOf(array, array.length / 2);
				}
			}
		}
	}

	/**
	 * Returns how many children and afterDone actions this context holds (for tests:
	 * nothing may stay registered after it is cancelled or stopped).
	 */
	int cancelerCount() {
		synchronized (this) {
			Object children = this.children;
			if (children == null) {
				return 0;
			}
			return (children instanceof Canceler) ? 1 : this.childCount;
		}
	}

	Registration addAfterDone(Runnable action, Executor executor) {
		AfterDone afterDone = new AfterDone(this, action, executor);
		if (!addCanceler(afterDone)) {
			afterDone.start();
		}
		return afterDone;
	}

	CompletionStage<Void> doneStage() {
		synchronized (this) {
			if (this.doneStage == null) {
				this.doneStage = doneFuture().minimalCompletionStage();
			}
			return this.doneStage;
		}
	}

	private CompletableFuture<Void> doneFuture() {
		synchronized (this) {
			CompletableFuture<Void> future = this.doneFuture;
			if (future == null) {
				markRegistered();
				future = new CompletableFuture<>();
				if (this.state != null) {
					future.complete(null);
				}
				this.doneFuture = future;
			}
			return future;
		}
	}

	void awaitDone() throws InterruptedException {
		if (this.state != null) {
			return;
		}
		try {
			doneFuture().get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	boolean awaitDone(Duration timeout) throws InterruptedException {
		if (this.state != null) {
			return true;
		}
		try {
			doneFuture().get(ContextClock.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String toString() {
		if (!this.ownDeadline) {
			return this.parent + ".withCancel";
		}
		long left = this.deadlineNanos - this.clock.nanoTime();
		return this.parent + ".withDeadline(" + this.clock.toInstant(this.deadlineNanos) + " ["
				+ Duration.ofNanos(Math.max(0, left)) + "])";
	}

}
