package dev.ctx.sample;

import dev.ctx.Context;
import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A stand-in for a downstream pricing service, in the same application so that the
 * sample needs no second process. It reports the budget its caller sent
 * ({@code Request-Timeout-Ms}) and the deadline its own context got from it.
 *
 * @since 0.1.0
 */
@RestController
public class PricingController {

	/**
	 * The header carrying the caller's remaining budget ({@code context.web.inbound-timeout-header}).
	 */
	public static final String BUDGET_HEADER = "Request-Timeout-Ms";

	/**
	 * Prices an order.
	 * @param ctx the request's context
	 * @param orderId the order
	 * @param totalCents the order's total
	 * @param inboundBudget the caller's remaining budget, if it sent one
	 * @return the quote
	 */
	@GetMapping("/internal/pricing")
	public Quote quote(Context ctx, @RequestParam long orderId, @RequestParam long totalCents,
			@RequestHeader(name = BUDGET_HEADER, required = false) @Nullable String inboundBudget) {
		// A flat 8% tax; the interesting part is the budget
		long priceCents = Math.round(totalCents * 1.08);
		return new Quote(orderId, priceCents, inboundBudget, Budget.remainingMillis(ctx));
	}

	/**
	 * A price, and the budget the pricing request had.
	 *
	 * @param orderId the order
	 * @param priceCents the price including tax
	 * @param inboundBudgetHeader the caller's {@code Request-Timeout-Ms} header, if sent
	 * @param remainingMillis this request's remaining budget while it computed the price
	 */
	public record Quote(long orderId, long priceCents, @Nullable String inboundBudgetHeader,
			@Nullable Long remainingMillis) {
	}

}
