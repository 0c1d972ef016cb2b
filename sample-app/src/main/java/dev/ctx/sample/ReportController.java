package dev.ctx.sample;

import java.time.Duration;

import dev.ctx.Context;
import dev.ctx.spring.web.Timeout;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Reports. The route rule in {@code application.yml} gives {@code GET /api/reports/**}
 * 20 s instead of the default 5 s; the dashboard overrides that with {@link Timeout}.
 *
 * @since 0.1.0
 */
@RestController
@RequestMapping("/api/reports")
public class ReportController {

	private static final Duration MAX_WORK = Duration.ofSeconds(60);

	private final ReportRepository reports;

	private final OrderRepository orders;

	private final PricingClient pricing;

	public ReportController(ReportRepository reports, OrderRepository orders, PricingClient pricing) {
		this.reports = reports;
		this.orders = orders;
		this.pricing = pricing;
	}

	/**
	 * A slow revenue report: the scan runs for {@code seconds} unless the client goes away
	 * or the 20 s budget runs out first.
	 * @param ctx the request's context
	 * @param seconds how long the scan should run
	 * @return the report
	 */
	@GetMapping("/revenue")
	public Report revenue(Context ctx, @RequestParam(defaultValue = "8") double seconds) {
		return run(ctx, "revenue", seconds);
	}

	/**
	 * The dashboard tile: it must answer within 2 s, however long the scan would take.
	 * @param ctx the request's context
	 * @param seconds how long the scan would run
	 * @return the report
	 */
	@GetMapping("/dashboard")
	@Timeout("2s")
	public Report dashboard(Context ctx, @RequestParam(defaultValue = "1") double seconds) {
		return run(ctx, "dashboard", seconds);
	}

	/**
	 * An order's report, priced by the pricing service: the call carries this request's
	 * remaining budget, which the pricing service reports back.
	 * @param ctx the request's context
	 * @param id the order
	 * @return the order report
	 */
	@GetMapping("/orders/{id}")
	public OrderReport order(Context ctx, @PathVariable long id) {
		Order order = this.orders.findById(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + id));
		Long budgetAtCall = Budget.remainingMillis(ctx);
		PricingController.Quote quote = this.pricing.quote(order.id(), order.totalCents());
		return new OrderReport(order, budgetAtCall, quote);
	}

	private Report run(Context ctx, String report, double seconds) {
		if (!(seconds > 0) || seconds > MAX_WORK.toSeconds()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"seconds must be more than 0 and at most " + MAX_WORK.toSeconds());
		}
		Long budget = Budget.remainingMillis(ctx);
		ReportRepository.Scan scan = this.reports.scan(ctx, report, Duration.ofNanos((long) (seconds * 1e9)));
		// The result is no use to a client that has gone or a deadline that has passed:
		// answer with the starter's problem response instead of a stale 200
		ctx.throwIfDone();
		return new Report(scan, budget);
	}

	/**
	 * A report.
	 *
	 * @param scan the scan's result
	 * @param budgetMillis the request's budget when the scan started
	 */
	public record Report(ReportRepository.Scan scan, @Nullable Long budgetMillis) {
	}

	/**
	 * An order's report.
	 *
	 * @param order the order
	 * @param budgetAtCallMillis this request's remaining budget when it called pricing
	 * @param quote the pricing service's answer
	 */
	public record OrderReport(Order order, @Nullable Long budgetAtCallMillis, PricingController.Quote quote) {
	}

}
