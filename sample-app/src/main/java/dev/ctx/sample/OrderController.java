package dev.ctx.sample;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import dev.ctx.Context;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Orders. These requests get {@code context.web.default-timeout} (5 s).
 *
 * @since 0.1.0
 */
@RestController
@RequestMapping("/api/orders")
public class OrderController {

	private final OrderRepository orders;

	private final AuditLog audit;

	public OrderController(OrderRepository orders, AuditLog audit) {
		this.orders = orders;
		this.audit = audit;
	}

	/**
	 * Lists the most recent orders.
	 * @param ctx the request's context
	 * @param limit how many orders at most (1 to 100)
	 * @return the orders and the budget left
	 */
	@GetMapping
	public OrderList list(Context ctx, @RequestParam(defaultValue = "20") int limit) {
		List<Order> recent = this.orders.findRecent(Math.max(1, Math.min(limit, 100)));
		return new OrderList(recent, Budget.remainingMillis(ctx));
	}

	/**
	 * Returns an order. A handler that does nothing slow needs no context parameter: the
	 * starter applies the request's context to its statement anyway.
	 * @param id the order's id
	 * @return the order
	 */
	@GetMapping("/{id}")
	public Order get(@PathVariable long id) {
		return this.orders.findById(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + id));
	}

	/**
	 * Places an order and audits it in the background.
	 * @param ctx the request's context
	 * @param order the order to place
	 * @return the new order, with its correlation id in {@code X-Correlation-Id}
	 */
	@PostMapping
	public ResponseEntity<Order> create(Context ctx, @RequestBody NewOrder order) {
		if (order.customer() == null || order.customer().isBlank() || order.totalCents() <= 0) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "An order needs a customer and a positive total");
		}
		long id = this.orders.create(order.customer(), order.totalCents());
		// The audit must be written even though this request's context is cancelled as soon
		// as the response is sent: like Go's context.WithoutCancel, the audit keeps the
		// request's values (the correlation id) but not its deadline or cancellation
		String correlation = UUID.randomUUID().toString();
		ctx.withValue(AuditLog.CORRELATION_ID, correlation)
			.withoutCancel()
			.run(() -> this.audit.recordAsync("order.created", id));
		Order created = this.orders.findById(id).orElseThrow();
		return ResponseEntity.created(URI.create("/api/orders/" + id)).header("X-Correlation-Id", correlation).body(created);
	}

	/**
	 * A page of orders and the request's budget left when it was read.
	 *
	 * @param orders the orders
	 * @param remainingMillis the request's remaining budget, or {@code null} without a
	 * deadline
	 */
	public record OrderList(List<Order> orders, @Nullable Long remainingMillis) {
	}

	/**
	 * An order to place.
	 *
	 * @param customer the customer
	 * @param totalCents the total in cents
	 */
	public record NewOrder(@Nullable String customer, long totalCents) {
	}

}
