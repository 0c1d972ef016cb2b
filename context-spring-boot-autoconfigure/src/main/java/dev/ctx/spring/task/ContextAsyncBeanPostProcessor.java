package dev.ctx.spring.task;

import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.ctx.Context;
import org.aopalliance.aop.Advice;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.scheduling.annotation.AsyncAnnotationAdvisor;
import org.springframework.scheduling.annotation.AsyncAnnotationBeanPostProcessor;
import org.springframework.util.Assert;

/**
 * Hands the caller's {@link Context} to {@code @Async} methods. Every bean that Spring's
 * {@link AsyncAnnotationBeanPostProcessor} proxied gets two advisors with the same
 * pointcut as Spring's {@link AsyncAnnotationAdvisor}, one on each side of it:
 * <ul>
 * <li>before it (on the calling thread): chooses the context to hand over, binds it
 * while Spring submits the task (so that executor {@code TaskDecorator}s capture the
 * same one), does not submit at all when that context is already done, and cancels the
 * returned future when the context becomes done while the future is pending;</li>
 * <li>after it (on the executor's thread): checks the context once more (it may have
 * become done while the task was queued), then runs the method with it bound, and
 * restores the thread afterwards.</li>
 * </ul>
 *
 * <p>Which context a method gets:
 * <pre>{@code
 * @Async CompletableFuture<Report> build(Query q)   // the caller's Context.current(), in full
 * @Async Future<Report> build(Query q)              // the same
 * @Async void audit(Event e)                        // caller's values only (withoutCancel()),
 *                                                    //   or per context.async.fire-and-forget
 * @Async CompletableFuture<Report> build(Context ctx, Query q)  // ctx, in full, whatever is current
 * @Async void notify(Context ctx, Event e)           // ctx, in full (an explicit choice)
 * }</pre>
 * With a context in full:
 * <ul>
 * <li>if it is done when the method is called, the method does not run and the returned
 * future is already completed exceptionally with the context's
 * {@link Context#err() err()} (a void method is skipped);</li>
 * <li>if it is done while the task waits in the executor's queue, the method does not
 * run either;</li>
 * <li>if it becomes done while the future is pending, the future is cancelled: a
 * {@code CompletableFuture} is completed exceptionally with {@code err()}
 * ({@code isCancelled()} is {@code true}; {@code get()} throws the
 * {@link dev.ctx.ContextException}, or from JDK 23 on a {@code CancellationException}
 * caused by it); another {@code Future} is cancelled with
 * {@code cancel(interruptOnCancel)}. The running method is interrupted only when
 * {@code interruptOnCancel} is set; otherwise it should look at
 * {@code Context.current().isDone()}.</li>
 * </ul>
 *
 * <p>Why advisors around Spring's own instead of an {@code AsyncConfigurer} or a
 * replacement interceptor: the application (or Spring Boot) keeps its
 * {@code @EnableAsync}, its {@code AsyncConfigurer}, its executors and its exception
 * handler; only one {@code AsyncConfigurer} may exist, and replacing
 * {@code AsyncExecutionInterceptor} would lose qualifier-based executor selection. The
 * advisor after Spring's runs inside the task Spring submits, which is the only place
 * where the executor's thread can be reached for every kind of executor. This
 * post-processor is not {@code Ordered}, so it runs after
 * {@code AsyncAnnotationBeanPostProcessor}, which is.
 *
 * @since 0.1.0
 */
public class ContextAsyncBeanPostProcessor implements BeanPostProcessor {

	private final Supplier<Settings> settings;

	/**
	 * Creates a new instance.
	 * @param settings supplies the settings on first use (so that configuration
	 * properties and meter registries are not created while post-processors are)
	 */
	public ContextAsyncBeanPostProcessor(Supplier<Settings> settings) {
		Assert.notNull(settings, "'settings' must not be null");
		this.settings = settings;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof Advised advised) || advised.isFrozen()) {
			return bean;
		}
		Advisor[] advisors = advised.getAdvisors();
		for (int i = 0; i < advisors.length; i++) {
			if (advisors[i] instanceof AsyncContextAdvisor) {
				// Already done (a bean post-processed twice)
				return bean;
			}
		}
		for (int i = 0; i < advisors.length; i++) {
			if (advisors[i] instanceof AsyncAnnotationAdvisor async) {
				AsyncCallState.Interceptors interceptors = AsyncCallState.interceptors(this.settings);
				advised.addAdvisor(i + 1, new AsyncContextAdvisor(async, interceptors.bind()));
				advised.addAdvisor(i, new AsyncContextAdvisor(async, interceptors.capture()));
				return bean;
			}
		}
		return bean;
	}

	/**
	 * How {@code @Async} methods receive the caller's context.
	 * @param fireAndForget what methods without a future receive
	 * @param interruptOnCancel whether to interrupt a running method when its context is
	 * done
	 * @param cancellations called with the context of every call that was skipped or
	 * cancelled because its context was done (for meters)
	 */
	public record Settings(FireAndForget fireAndForget, boolean interruptOnCancel,
			Consumer<Context> cancellations) {

		/**
		 * Creates settings.
		 * @param fireAndForget what methods without a future receive
		 * @param interruptOnCancel whether to interrupt a running method when its
		 * context is done
		 * @param cancellations called with the context of every call that was skipped
		 * or cancelled because its context was done
		 */
		public Settings {
			Assert.notNull(fireAndForget, "'fireAndForget' must not be null");
			Assert.notNull(cancellations, "'cancellations' must not be null");
		}

		/**
		 * Returns the defaults: values only for fire-and-forget, no interrupts, no
		 * meters.
		 * @return the default settings
		 */
		public static Settings defaults() {
			return new Settings(FireAndForget.VALUES_ONLY, false, (context) -> {
			});
		}

	}

	private static final class AsyncContextAdvisor extends DefaultPointcutAdvisor {

		private static final long serialVersionUID = 1L;

		AsyncContextAdvisor(AsyncAnnotationAdvisor async, Advice advice) {
			super(async.getPointcut(), advice);
		}

	}

}
