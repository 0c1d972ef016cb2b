package dev.ctx.sample;

import java.time.LocalDateTime;

/**
 * An order.
 *
 * @param id the id
 * @param customer the customer's name
 * @param totalCents the order's total, in cents
 * @param status the order's status
 * @param createdAt when the order was placed
 * @since 0.1.0
 */
public record Order(long id, String customer, long totalCents, String status, LocalDateTime createdAt) {
}
