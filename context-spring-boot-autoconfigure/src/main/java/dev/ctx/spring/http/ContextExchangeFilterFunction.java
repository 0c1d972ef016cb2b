package dev.ctx.spring.http;

import dev.ctx.Context;
import dev.ctx.ContextException;
import dev.ctx.Registration;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * {@link ExchangeFilterFunction} for {@code WebClient} that ties every exchange to the
 * {@link Context} current when it is subscribed to (with Reactor's automatic context
 * propagation, the one carried by the {@code dev.ctx} {@code ThreadLocalAccessor}):
 * <ul>
 * <li>when the context is already done, the request is not sent and the exchange fails
 * with a {@link ContextDoneIOException} whose cause is {@code err()};</li>
 * <li>when the context has a deadline, the remaining budget is sent in the
 * {@link OutboundDeadline#timeoutHeader() timeout header};</li>
 * <li>when the context becomes done before the response headers arrive, the exchange is
 * cancelled (the connector closes the connection, so the downstream service sees a
 * disconnect) and fails with a {@link ContextDoneIOException}.</li>
 * </ul>
 * <p>The {@link ContextDoneIOException} is the error of the {@code Mono} itself, not wrapped
 * in a {@code WebClientRequestException} ({@code block()} wraps it in a
 * {@code ReactiveException}, as it does every checked exception). Reading the response body afterwards is not covered: bound it with
 * {@code Mono.timeout} or the context's {@code done()} stage.
 *
 * @since 0.1.0
 */
public class ContextExchangeFilterFunction implements ExchangeFilterFunction {

	private final OutboundDeadline settings;

	/**
	 * Creates a new instance.
	 * @param settings the header, margin and cancellation callback
	 */
	public ContextExchangeFilterFunction(OutboundDeadline settings) {
		Assert.notNull(settings, "'settings' must not be null");
		this.settings = settings;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return Mono.defer(() -> exchange(Context.current(), request, next));
	}

	private Mono<ClientResponse> exchange(Context context, ClientRequest request, ExchangeFunction next) {
		ContextException err = context.err();
		if (err != null) {
			this.settings.cancellations().accept(context);
			return Mono.error(new ContextDoneIOException(
					"Request " + request.method() + " " + request.url() + " not sent: its context is done", err));
		}
		String budget = this.settings.headerValue(context);
		ClientRequest sent = (budget != null)
				? ClientRequest.from(request).headers((headers) -> headers.set(this.settings.timeoutHeader(), budget)).build()
				: request;
		// Whichever signals first wins; the loser is cancelled, which aborts the exchange
		Mono<ClientResponse> done = Mono.<ClientResponse>create((sink) -> {
			Registration registration = context.afterDone(() -> {
				ContextException doneErr = context.err();
				if (doneErr == null) {
					// afterDone actions run only once the context is done: unreachable
					return;
				}
				this.settings.cancellations().accept(context);
				sink.error(new ContextDoneIOException(
						"Request " + request.method() + " " + request.url() + " aborted: its context is done", doneErr));
			}, Runnable::run);
			sink.onDispose(registration::stop);
		});
		return Mono.firstWithSignal(next.exchange(sent), done);
	}

}
