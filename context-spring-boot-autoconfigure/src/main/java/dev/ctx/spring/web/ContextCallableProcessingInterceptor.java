package dev.ctx.spring.web;

import java.util.concurrent.Callable;

import dev.ctx.Context;
import dev.ctx.Scope;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NamedThreadLocal;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;

/**
 * Binds the request's context as {@link Context#current()} on the thread that runs a
 * controller's {@link Callable} (and {@code StreamingResponseBody}, which Spring MVC runs
 * as a callable), and unbinds it afterwards.
 *
 * @since 0.1.0
 */
public class ContextCallableProcessingInterceptor implements CallableProcessingInterceptor {

	// preProcess and postProcess run on the same executor thread, around the callable
	private static final ThreadLocal<Scope> scopes = new NamedThreadLocal<>("Context callable scope");

	@Override
	public <T> void preProcess(NativeWebRequest request, Callable<T> task) {
		Context context = findContext(request);
		if (context != null) {
			scopes.set(context.attach());
		}
	}

	@Override
	public <T> void postProcess(NativeWebRequest request, Callable<T> task, @Nullable Object concurrentResult) {
		Scope scope = scopes.get();
		if (scope != null) {
			scopes.remove();
			scope.close();
		}
	}

	private static @Nullable Context findContext(NativeWebRequest request) {
		HttpServletRequest servletRequest = request.getNativeRequest(HttpServletRequest.class);
		return (servletRequest != null) ? (Context) servletRequest.getAttribute(ContextFilter.CONTEXT_ATTRIBUTE)
				: null;
	}

}
