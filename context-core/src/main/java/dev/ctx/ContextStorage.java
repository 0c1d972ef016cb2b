package dev.ctx;

import java.lang.System.Logger.Level;

import org.jspecify.annotations.Nullable;

/**
 * The thread-local binding behind {@link Context#current()} and {@link Context#attach()}.
 */
final class ContextStorage {

	private static final System.Logger logger = System.getLogger(ContextStorage.class.getName());

	// Not inheritable: inheritable thread-locals and thread pools don't mix. Contexts
	// cross threads explicitly, with wrap() or a task decorator.
	private static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();

	private ContextStorage() {
	}

	static Context current() {
		Context context = CURRENT.get();
		return (context != null) ? context : RootContext.BACKGROUND;
	}

	static Scope attach(Context context) {
		Context previous = CURRENT.get();
		CURRENT.set(context);
		return new ThreadScope(context, previous);
	}

	private static final class ThreadScope implements Scope {

		private final Context attached;

		private final @Nullable Context previous;

		private boolean closed;

		ThreadScope(Context attached, @Nullable Context previous) {
			this.attached = attached;
			this.previous = previous;
		}

		@Override
		public void close() {
			// Kept small enough to be inlined into the caller's try-with-resources, so
			// that escape analysis removes this object: the warning is out of line.
			if (this.closed) {
				return;
			}
			this.closed = true;
			Context current = CURRENT.get();
			if (current != this.attached) {
				warnOutOfOrder(this.attached, current);
			}
			// Setting null rather than remove() on the root: the entry left in the thread's
			// map holds no value and only a weak reference to the ThreadLocal, so a pooled
			// servlet thread pins neither this class loader nor a context (grpc does the
			// same), and the next attach() on the thread reuses the entry instead of
			// allocating a new one.
			CURRENT.set(this.previous);
		}

		private static void warnOutOfOrder(Context attached, @Nullable Context current) {
			logger.log(Level.WARNING, "Context scope closed out of order: expected " + attached
					+ " to be current but was " + ((current != null) ? current : RootContext.BACKGROUND),
					new IllegalStateException("Unbalanced scope"));
		}

	}

}
