package dev.ctx.spring.task;

import dev.ctx.Context;

import org.springframework.core.Ordered;
import org.springframework.core.task.TaskDecorator;

/**
 * {@link TaskDecorator} that runs every task with the {@link Context} that was current
 * when it was submitted, and restores the worker thread afterwards, so that pooled
 * threads never keep a context after a task. Tasks submitted without a context (from a
 * thread where {@link Context#current()} is {@link Context#background()}, such as
 * {@code @Scheduled} tasks registered at startup) are not wrapped.
 *
 * <p>Spring Boot's {@code spring.task.execution.propagate-context=true} carries the
 * context through Micrometer's context-propagation instead (see
 * {@link dev.ctx.spring.micrometer.ContextThreadLocalAccessor}); use one or the other,
 * never both.
 *
 * <p>The task is bound, not stopped: a task whose context is done when it starts still
 * runs and should look at {@link Context#isDone()}. {@code @Async} methods get the
 * stronger guarantees of {@link ContextAsyncBeanPostProcessor}.
 *
 * @since 0.1.0
 */
public class ContextTaskDecorator implements TaskDecorator, Ordered {

	/**
	 * The order of this decorator among the application's {@code TaskDecorator} beans:
	 * late, so that it is applied last and wraps the others, which then see the
	 * context on the worker thread.
	 */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 1000;

	@Override
	public Runnable decorate(Runnable runnable) {
		Context context = Context.current();
		return (context == Context.background()) ? runnable : context.wrap(runnable);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
