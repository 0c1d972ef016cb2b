package dev.ctx;

/**
 * Handle to an action registered with {@link Context#afterDone(Runnable)}.
 *
 * <p>Go equivalent: the {@code stop} function returned by {@code context.AfterFunc}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Registration {

	/**
	 * Stops the registered action from running. Returns {@code true} if this call
	 * stopped it; {@code false} if the action has already been started (the context is
	 * done) or if {@code stop()} was called before. After {@code stop()} returns
	 * {@code true} the action will never run, and the context holds no reference to it.
	 * <p>Thread-safe; never blocks; never waits for a started action to finish.
	 * @return whether this call stopped the action
	 */
	boolean stop();

}
