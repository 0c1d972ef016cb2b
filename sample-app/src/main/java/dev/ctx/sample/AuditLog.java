package dev.ctx.sample;

import java.util.List;

import dev.ctx.Context;
import dev.ctx.ContextKey;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/**
 * Writes audit entries off the request thread, with {@link Async @Async}. The starter
 * carries the caller's {@link Context} to the task, so the entry can record the
 * request's correlation id without it being passed as a parameter.
 *
 * @since 0.1.0
 */
@Service
public class AuditLog {

	/**
	 * The correlation id of the request that caused an audit entry.
	 */
	public static final ContextKey<String> CORRELATION_ID = ContextKey.named("correlation-id");

	private final JdbcClient jdbc;

	public AuditLog(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records an action in the background, under the caller's context.
	 * @param action the action
	 * @param orderId the order concerned
	 */
	@Async
	public void recordAsync(String action, long orderId) {
		Context ctx = Context.current();
		this.jdbc
			.sql("INSERT INTO sample_audit (action, order_id, correlation_id, thread_name) VALUES (?, ?, ?, ?)")
			.params(action, orderId, ctx.value(CORRELATION_ID), Thread.currentThread().getName())
			.update();
	}

	/**
	 * Returns the audit entries of an order.
	 * @param orderId the order
	 * @return the entries, oldest first
	 */
	public List<Entry> entries(long orderId) {
		return this.jdbc
			.sql("SELECT action, order_id, correlation_id, thread_name FROM sample_audit WHERE order_id = ? ORDER BY id")
			.param(orderId)
			.query(Entry.class)
			.list();
	}

	/**
	 * An audit entry.
	 *
	 * @param action the action
	 * @param orderId the order
	 * @param correlationId the correlation id found in the task's context, if any
	 * @param threadName the thread that wrote the entry
	 */
	public record Entry(String action, long orderId, @Nullable String correlationId, String threadName) {
	}

}
