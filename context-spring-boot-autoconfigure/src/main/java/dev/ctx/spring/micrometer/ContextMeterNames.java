package dev.ctx.spring.micrometer;

/**
 * Names and tag keys of every meter the starter registers, in one place. Names are
 * lower-case and dot-separated under the {@code context.} prefix; tag values come from
 * small fixed sets (never a URI, a user or a tenant).
 *
 * @since 0.1.0
 */
public final class ContextMeterNames {

	/**
	 * Counter of contexts that were done before their work finished. Tags
	 * {@link #REASON} and {@link #SOURCE}.
	 */
	public static final String CANCELLATIONS = "context.cancellations";

	/**
	 * Gauge of request contexts in flight.
	 */
	public static final String REQUESTS_ACTIVE = "context.requests.active";

	/**
	 * Distribution of the share of the budget left when a request with a deadline ends.
	 */
	public static final String DEADLINE_REMAINING = "context.deadline.remaining";

	/**
	 * Timer from the moment a request context is done until the request actually ended.
	 */
	public static final String CANCELLATION_LAG = "context.cancellation.lag";

	/**
	 * Counter of JDBC statements cancelled because their context was done. Tag
	 * {@link #NAME}.
	 */
	public static final String JDBC_STATEMENTS_CANCELLED = "context.jdbc.statements.cancelled";

	/**
	 * Counter of JDBC statements not sent because their context was already done. Tag
	 * {@link #NAME}.
	 */
	public static final String JDBC_STATEMENTS_REJECTED = "context.jdbc.statements.rejected";

	/**
	 * Counter of handlers that returned normally although their context was done.
	 */
	public static final String HTTP_LATE_COMPLETIONS = "context.http.late.completions";

	/**
	 * Counter of inbound timeout headers that were ignored because they were malformed.
	 */
	public static final String INBOUND_DEADLINE_INVALID = "context.inbound.deadline.invalid";

	/**
	 * Tag key: why a context was done, one of {@code deadline_exceeded},
	 * {@code client_disconnected}, {@code canceled}, {@code shutdown}.
	 */
	public static final String REASON = "reason";

	/**
	 * Tag key: where the work ran, one of {@code http}, {@code async}, {@code jdbc},
	 * {@code http_client}.
	 */
	public static final String SOURCE = "source";

	/**
	 * Tag key: the data source bean name, without a {@code dataSource} suffix.
	 */
	public static final String NAME = "name";

	private ContextMeterNames() {
	}

}
