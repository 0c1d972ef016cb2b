package dev.ctx;

import org.jspecify.annotations.Nullable;

/**
 * {@link Context#background()} and {@link Context#todo()}: never done, no deadline, no
 * values.
 */
final class RootContext extends AbstractContext {

	static final RootContext BACKGROUND = new RootContext(ContextClock.SYSTEM, "Context.background");

	static final RootContext TODO = new RootContext(ContextClock.SYSTEM, "Context.todo");

	private final String name;

	RootContext(ContextClock clock, String name) {
		super(clock, ValueMap.EMPTY);
		this.name = name;
	}

	@Override
	@Nullable CancelContext cancelNode() {
		return null;
	}

	@Override
	public String toString() {
		return this.name;
	}

}
