package dev.ctx.spring.web;

import dev.ctx.Context;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves handler method parameters of type {@link Context} to the
 * {@linkplain Context#current() current} context: the request's context, or the child a
 * later filter bound with values of its own (read-only either way: a handler can watch its
 * request's cancellation, not cause it). When nothing is bound, the request's context from
 * {@link ContextFilter}'s request attribute is used.
 *
 * <pre>{@code
 * @GetMapping("/orders")
 * List<Order> orders(Context ctx) {
 *     return repository.findAll(ctx);
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public class ContextMethodArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return Context.class == parameter.getParameterType();
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer mavContainer,
			NativeWebRequest webRequest, @Nullable WebDataBinderFactory binderFactory) {
		Context current = Context.current();
		if (current != Context.background()) {
			// The request's context, or a descendant of it with a later filter's values
			return current;
		}
		HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
		if (request != null && request.getAttribute(ContextFilter.CONTEXT_ATTRIBUTE) instanceof Context requestContext) {
			return requestContext;
		}
		return current;
	}

}
