package dev.ctx.soak;

import java.util.concurrent.CompletableFuture;

import dev.ctx.Context;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;

/**
 * The fan-out task: reports the context values it sees on the executor thread.
 */
@Component
class AsyncLookup {

	/**
	 * The {@code @Async} variant, used when the starter propagates contexts to
	 * {@code @Async} methods ({@code soak.expect.async-propagation=true}).
	 * @return what the task saw
	 */
	@Async("fanoutExecutor")
	public CompletableFuture<String> lookup() {
		return CompletableFuture.completedFuture(describeCurrent());
	}

	static String describeCurrent() {
		Context current = Context.current();
		return "req=" + current.value(SoakFilters.REQUEST_ID) + " user=" + current.value(SoakFilters.USER);
	}

}
