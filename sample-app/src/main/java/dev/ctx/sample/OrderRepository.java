package dev.ctx.sample;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Orders, through {@link JdbcClient}. Nothing here knows about contexts: the starter
 * applies the request's deadline and cancellation to every statement of the (wrapped)
 * {@code DataSource}.
 *
 * @since 0.1.0
 */
@Repository
public class OrderRepository {

	private final JdbcClient jdbc;

	public OrderRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Returns the most recent orders.
	 * @param limit how many at most
	 * @return the orders, newest first
	 */
	public List<Order> findRecent(int limit) {
		return this.jdbc
			.sql("SELECT id, customer, total_cents, status, created_at FROM sample_orders ORDER BY id DESC LIMIT ?")
			.param(limit)
			.query(Order.class)
			.list();
	}

	/**
	 * Returns an order by id.
	 * @param id the id
	 * @return the order, if it exists
	 */
	public Optional<Order> findById(long id) {
		return this.jdbc.sql("SELECT id, customer, total_cents, status, created_at FROM sample_orders WHERE id = ?")
			.param(id)
			.query(Order.class)
			.optional();
	}

	/**
	 * Places a new order.
	 * @param customer the customer
	 * @param totalCents the total, in cents
	 * @return the new order's id
	 */
	public long create(String customer, long totalCents) {
		KeyHolder keys = new GeneratedKeyHolder();
		this.jdbc.sql("INSERT INTO sample_orders (customer, total_cents, status) VALUES (?, ?, 'NEW')")
			.params(customer, totalCents)
			.update(keys, "id");
		Number key = keys.getKey();
		if (key == null) {
			throw new IllegalStateException("The database returned no id for the new order");
		}
		return key.longValue();
	}

}
