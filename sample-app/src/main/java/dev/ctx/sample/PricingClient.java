package dev.ctx.sample;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Calls the pricing service (this application's own {@code /internal/pricing}) with a
 * {@link RestClient} built from Boot's {@link RestClient.Builder}, so that the starter's
 * customization applies: the remaining budget goes out in {@code Request-Timeout-Ms} and
 * the call is aborted when the request's context is cancelled.
 *
 * @since 0.1.0
 */
@Component
public class PricingClient {

	private final RestClient client;

	private final Environment environment;

	public PricingClient(RestClient.Builder builder, Environment environment) {
		this.client = builder.build();
		this.environment = environment;
	}

	/**
	 * Prices an order.
	 * @param orderId the order
	 * @param totalCents its total
	 * @return the quote
	 */
	public PricingController.Quote quote(long orderId, long totalCents) {
		PricingController.Quote quote = this.client.get()
			.uri(baseUrl() + "/internal/pricing?orderId={id}&totalCents={total}", orderId, totalCents)
			.retrieve()
			.body(PricingController.Quote.class);
		if (quote == null) {
			throw new IllegalStateException("The pricing service answered without a body");
		}
		return quote;
	}

	private String baseUrl() {
		// The port is known only once the server has started (port 0 in tests)
		String port = this.environment.getProperty("local.server.port",
				this.environment.getProperty("server.port", "8080"));
		return "http://127.0.0.1:" + port;
	}

}
