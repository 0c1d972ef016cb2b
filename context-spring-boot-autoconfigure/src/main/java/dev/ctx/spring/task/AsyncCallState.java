package dev.ctx.spring.task;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.ctx.Context;
import dev.ctx.ContextException;
import dev.ctx.Registration;
import dev.ctx.Scope;
import dev.ctx.spring.InterruptOnDone;
import dev.ctx.spring.task.ContextAsyncBeanPostProcessor.Settings;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.util.function.SingletonSupplier;

/**
 * One {@code @Async} call: the context handed over, carried from the calling thread to
 * the executor's thread as a user attribute of the method invocation (Spring's task
 * continues the same invocation), and whether it was counted as cancelled.
 */
final class AsyncCallState {

	private static final Log logger = LogFactory.getLog(AsyncCallState.class);

	private static final String ATTRIBUTE = AsyncCallState.class.getName();

	final Context context;

	final boolean full;

	private final AtomicBoolean counted = new AtomicBoolean();

	private AsyncCallState(Context context, boolean full) {
		this.context = context;
		this.full = full;
	}

	void countCancelled(Settings settings) {
		if (this.counted.compareAndSet(false, true)) {
			settings.cancellations().accept(this.context);
		}
	}

	static Interceptors interceptors(Supplier<Settings> settings) {
		SingletonSupplier<Settings> resolved = SingletonSupplier.of(settings);
		return new Interceptors((invocation) -> capture(invocation, resolved.obtain()),
				(invocation) -> bind(invocation, resolved.obtain()));
	}

	record Interceptors(MethodInterceptor capture, MethodInterceptor bind) {
	}

	private static @Nullable Object capture(MethodInvocation invocation, Settings settings) throws Throwable {
		if (!(invocation instanceof ProxyMethodInvocation proxyInvocation)) {
			return invocation.proceed();
		}
		Method method = invocation.getMethod();
		Class<?> returnType = method.getReturnType();
		boolean returnsFuture = Future.class.isAssignableFrom(returnType);
		AsyncCallState call = choose(invocation.getArguments(), returnsFuture, settings);
		ContextException err = call.context.err();
		if (err != null) {
			call.countCancelled(settings);
			if (logger.isDebugEnabled()) {
				logger.debug("Not running @Async " + method + ": its context is done (" + err.getMessage() + ")");
			}
			if (returnType.isAssignableFrom(CompletableFuture.class)) {
				return CompletableFuture.failedFuture(err);
			}
			if (!returnsFuture) {
				return null;
			}
		}
		proxyInvocation.setUserAttribute(ATTRIBUTE, call);
		Object result;
		// Bound while Spring submits the task: executor TaskDecorators capture the same context
		try (Scope scope = call.context.attach()) {
			result = invocation.proceed();
		}
		if (call.full && result instanceof Future<?> future) {
			cancelWhenDone(call, future, settings);
		}
		return result;
	}

	private static AsyncCallState choose(Object[] arguments, boolean returnsFuture, Settings settings) {
		for (Object argument : arguments) {
			if (argument instanceof Context explicit) {
				return new AsyncCallState(explicit, true);
			}
		}
		Context current = Context.current();
		if (returnsFuture) {
			return new AsyncCallState(current, true);
		}
		return switch (settings.fireAndForget()) {
			case FULL -> new AsyncCallState(current, true);
			case VALUES_ONLY -> new AsyncCallState(
					(current == Context.background()) ? current : current.withoutCancel(), false);
			case NONE -> new AsyncCallState(Context.background(), false);
		};
	}

	private static void cancelWhenDone(AsyncCallState call, Future<?> future, Settings settings) {
		if (future.isDone()) {
			return;
		}
		Registration registration = call.context.afterDone(() -> {
			boolean cancelled;
			if (future instanceof CompletableFuture<?> completable) {
				ContextException err = call.context.err();
				// err() is a CancellationException: the future reports itself cancelled
				// and get() throws the context's own exception
				cancelled = (err != null) && completable.completeExceptionally(err);
			}
			else {
				cancelled = future.cancel(settings.interruptOnCancel());
			}
			if (cancelled) {
				call.countCancelled(settings);
			}
		}, Runnable::run);
		if (future instanceof CompletableFuture<?> completable) {
			// Deregister on completion: a long-lived context must not keep every future
			completable.whenComplete((result, ex) -> registration.stop());
		}
	}

	private static @Nullable Object bind(MethodInvocation invocation, Settings settings) throws Throwable {
		if (!(invocation instanceof ProxyMethodInvocation proxyInvocation)
				|| !(proxyInvocation.getUserAttribute(ATTRIBUTE) instanceof AsyncCallState call)) {
			return invocation.proceed();
		}
		ContextException err = call.context.err();
		if (err != null) {
			// Done while queued: the method does not run
			call.countCancelled(settings);
			throw err;
		}
		try (Scope scope = call.context.attach()) {
			if (call.full && settings.interruptOnCancel()) {
				try (InterruptOnDone interrupt = InterruptOnDone.register(call.context)) {
					return invocation.proceed();
				}
			}
			return invocation.proceed();
		}
	}

}
