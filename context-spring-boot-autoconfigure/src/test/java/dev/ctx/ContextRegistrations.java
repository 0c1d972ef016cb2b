package dev.ctx;

/**
 * Reads how many {@code afterDone} actions and children a context holds, for the JDBC
 * tests: it lives in package {@code dev.ctx} of the test sources so that core needs no
 * public diagnostic API.
 */
public final class ContextRegistrations {

	private ContextRegistrations() {
	}

	/**
	 * Returns the number of {@code afterDone} actions and children registered with the
	 * nearest cancellable context of {@code context}, 0 when it has none.
	 * @param context the context
	 * @return the registrations
	 */
	public static int count(Context context) {
		CancelContext node = ((AbstractContext) context).cancelNode();
		return (node != null) ? node.cancelerCount() : 0;
	}

}
