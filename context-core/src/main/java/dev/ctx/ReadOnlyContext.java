package dev.ctx;

/**
 * {@link CancellableContext#readOnly()}: everything of a {@link CancelContext} except
 * the right to cancel it.
 */
final class ReadOnlyContext extends AbstractContext {

	private final CancelContext context;

	ReadOnlyContext(CancelContext context) {
		super(context.clock, context.values);
		this.context = context;
	}

	@Override
	CancelContext cancelNode() {
		return this.context;
	}

	@Override
	public String toString() {
		return this.context.toString();
	}

}
