package dev.ctx;

/**
 * What a cancellable context notifies when it is done: its child contexts and its
 * {@code afterDone} actions (Go's {@code canceler}).
 */
interface Canceler {

	/**
	 * Called once, by the parent, after the parent is done.
	 * @param err the parent's err, shared by the whole tree; it carries the cause
	 */
	void parentDone(ContextException err);

	/**
	 * Returns where the parent keeps this canceler in its array of children; read and
	 * written only under the parent's lock.
	 */
	int childIndex();

	/**
	 * Records where the parent keeps this canceler in its array of children; called
	 * only under the parent's lock.
	 */
	void childIndex(int index);

}
