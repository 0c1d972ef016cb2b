package dev.ctx.spring.web;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.server.PathContainer;
import org.springframework.util.StringUtils;
import org.springframework.util.StringValueResolver;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The {@link Timeout @Timeout} annotations of an application's handler methods, and
 * their lookup for a request before the {@code DispatcherServlet} has chosen its handler.
 *
 * <p>The request context is created in a filter, and a context's deadline can only get
 * shorter, so the annotation must be known before the handler runs. Requests that can
 * only reach unannotated handlers pay nothing but one path-pattern match per pattern of
 * an annotated mapping; when an annotated mapping matches, the handler is looked up exactly as the
 * {@code DispatcherServlet} will look it up, so that a more specific unannotated
 * mapping still wins.
 *
 * @since 0.1.0
 */
public class AnnotatedTimeouts {

	private final Supplier<List<RequestMappingHandlerMapping>> mappings;

	private final @Nullable StringValueResolver valueResolver;

	private volatile @Nullable Index index;

	/**
	 * Creates a new instance.
	 * @param mappings supplies the handler mappings to search, in the dispatcher's order;
	 * called once, on {@link #initialize()} or on the first request, when the mappings are
	 * ready (filters are created before them)
	 * @param valueResolver resolves {@code ${...}} placeholders in annotation values
	 */
	public AnnotatedTimeouts(Supplier<List<RequestMappingHandlerMapping>> mappings,
			@Nullable StringValueResolver valueResolver) {
		this.mappings = mappings;
		this.valueResolver = valueResolver;
	}

	/**
	 * Reads and validates every annotation. Called at startup, so that an invalid value
	 * fails the application then; otherwise on the first request.
	 * @throws IllegalStateException if an annotation is invalid
	 */
	public void initialize() {
		index();
	}

	/**
	 * Returns the number of annotated handler methods.
	 * @return the number of handler methods with a timeout from an annotation
	 */
	public int size() {
		return index().byMethod.size();
	}

	private Index index() {
		Index index = this.index;
		if (index == null) {
			synchronized (this) {
				index = this.index;
				if (index == null) {
					index = buildIndex();
					this.index = index;
				}
			}
		}
		return index;
	}

	private Index buildIndex() {
		List<RequestMappingHandlerMapping> mappings = List.copyOf(this.mappings.get());
		List<Map.Entry<RequestMappingInfo, TimeoutSpec>> entries = new ArrayList<>();
		Map<Method, TimeoutSpec> byMethod = new HashMap<>();
		for (RequestMappingHandlerMapping mapping : mappings) {
			mapping.getHandlerMethods().forEach((info, handlerMethod) -> {
				TimeoutSpec spec = specFor(handlerMethod);
				if (spec != null) {
					entries.add(Map.entry(info, spec));
					byMethod.put(handlerMethod.getMethod(), spec);
				}
			});
		}
		return new Index(mappings, List.copyOf(entries), Map.copyOf(byMethod));
	}

	private @Nullable TimeoutSpec specFor(HandlerMethod handlerMethod) {
		Timeout timeout = AnnotatedElementUtils.findMergedAnnotation(handlerMethod.getMethod(), Timeout.class);
		if (timeout == null) {
			timeout = AnnotatedElementUtils.findMergedAnnotation(handlerMethod.getBeanType(), Timeout.class);
		}
		if (timeout == null) {
			return null;
		}
		String where = handlerMethod.getBeanType().getName() + "#" + handlerMethod.getMethod().getName();
		if (timeout.none()) {
			if (StringUtils.hasText(timeout.value())) {
				throw new IllegalStateException(
						"@Timeout on " + where + " sets both a value and none = true; choose one");
			}
			return TimeoutSpec.NONE;
		}
		String value = timeout.value();
		if (this.valueResolver != null) {
			value = this.valueResolver.resolveStringValue(value);
		}
		if (!StringUtils.hasText(value)) {
			throw new IllegalStateException("@Timeout on " + where + " has no value; use e.g. @Timeout(\"2s\") "
					+ "or @Timeout(none = true)");
		}
		try {
			Duration duration = Durations.parse(value);
			return new TimeoutSpec(duration);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("@Timeout on " + where + " is invalid: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Returns the timeout the annotations give to the handler of a request.
	 * @param request the request, before the dispatcher has handled it
	 * @return the annotated timeout, or {@code null} if the request's handler is not
	 * annotated
	 */
	public @Nullable TimeoutSpec find(HttpServletRequest request) {
		Index index = index();
		if (index.entries.isEmpty()) {
			return null;
		}
		boolean parsedHere = !ServletRequestPathUtils.hasParsedRequestPath(request);
		if (parsedHere) {
			ServletRequestPathUtils.parseAndCache(request);
		}
		try {
			if (!anyCandidate(index, request)) {
				return null;
			}
			return exactLookup(index, request);
		}
		finally {
			if (parsedHere) {
				ServletRequestPathUtils.clearParsedRequestPath(request);
			}
		}
	}

	private boolean anyCandidate(Index index, HttpServletRequest request) {
		// A cheap, allocation-free pre-check on the path patterns alone; only requests that
		// may reach an annotated handler pay for the full lookup
		PathContainer path = ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication();
		for (Map.Entry<RequestMappingInfo, TimeoutSpec> entry : index.entries) {
			RequestMappingInfo info = entry.getKey();
			PathPatternsRequestCondition patterns = info.getPathPatternsCondition();
			if (patterns == null) {
				// AntPathMatcher-based mapping: only the full condition can tell
				if (info.getMatchingCondition(request) != null) {
					return true;
				}
				continue;
			}
			for (PathPattern pattern : patterns.getPatterns()) {
				if (pattern.matches(path)) {
					return true;
				}
			}
		}
		return false;
	}

	private @Nullable TimeoutSpec exactLookup(Index index, HttpServletRequest request) {
		// getHandler() leaves attributes (best matching pattern, URI variables) that the
		// dispatcher sets again anyway; remove them so the request looks untouched
		Set<String> before = attributeNames(request);
		try {
			for (RequestMappingHandlerMapping mapping : index.mappings) {
				HandlerExecutionChain chain = mapping.getHandler(request);
				if (chain != null) {
					return (chain.getHandler() instanceof HandlerMethod handlerMethod)
							? index.byMethod.get(handlerMethod.getMethod()) : null;
				}
			}
			return null;
		}
		catch (Exception ex) {
			// The dispatcher will fail the same way (405, 406, ...) and answer it
			return null;
		}
		finally {
			for (String name : attributeNames(request)) {
				if (!before.contains(name)) {
					request.removeAttribute(name);
				}
			}
		}
	}

	private static Set<String> attributeNames(HttpServletRequest request) {
		Enumeration<String> names = request.getAttributeNames();
		return (names != null) ? new HashSet<>(Collections.list(names)) : Set.of();
	}

	private record Index(List<RequestMappingHandlerMapping> mappings, List<Map.Entry<RequestMappingInfo, TimeoutSpec>> entries,
			Map<Method, TimeoutSpec> byMethod) {
	}

}
