package dev.ctx.boot.autoconfigure.task;

import dev.ctx.spring.task.FireAndForget;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for carrying the context to task executors and
 * {@code @Async} methods.
 *
 * <p>With {@code spring.task.execution.propagate-context=true}, Spring Boot's
 * {@code ContextPropagatingTaskDecorator} carries the context to executor tasks (through
 * the {@code dev.ctx} {@code ThreadLocalAccessor}); otherwise the starter contributes
 * its own {@code TaskDecorator}. The {@code @Async} rules below apply in both cases.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("context.async")
public class ContextAsyncProperties {

	/**
	 * Whether to carry the current context to task executors and @Async methods.
	 */
	private boolean enabled = true;

	/**
	 * Whether to interrupt a running @Async method that returns a future when its
	 * context is done. When disabled, the future is cancelled and the method should
	 * check the context itself.
	 */
	private boolean interruptOnCancel;

	/**
	 * What @Async methods that return no future receive of the caller's context.
	 */
	private FireAndForget fireAndForget = FireAndForget.VALUES_ONLY;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isInterruptOnCancel() {
		return this.interruptOnCancel;
	}

	public void setInterruptOnCancel(boolean interruptOnCancel) {
		this.interruptOnCancel = interruptOnCancel;
	}

	public FireAndForget getFireAndForget() {
		return this.fireAndForget;
	}

	public void setFireAndForget(FireAndForget fireAndForget) {
		this.fireAndForget = fireAndForget;
	}

}
