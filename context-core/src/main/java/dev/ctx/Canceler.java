package dev.ctx;

import org.jspecify.annotations.Nullable;

/**
 * What a cancellable context notifies when it is done: its child contexts and its
 * {@code afterDone} actions (Go's {@code canceler}).
 */
interface Canceler {

	/**
	 * Called once, by the parent, after the parent is done.
	 */
	void parentDone(ContextException err, @Nullable Throwable cause);

}
