package dev.ctx.spring.micrometer;

import java.util.ArrayDeque;
import java.util.Deque;

import dev.ctx.Context;
import dev.ctx.Scope;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NamedThreadLocal;

/**
 * Micrometer context-propagation {@link ThreadLocalAccessor} for
 * {@link Context#current()}, registered through {@code META-INF/services} so that every
 * {@link ContextSnapshot} carries the current {@link Context}: Spring's
 * {@code ContextPropagatingTaskDecorator} (Spring Boot's
 * {@code spring.task.execution.propagate-context=true}), Reactor's automatic context
 * propagation and Micrometer Observation need no extra code.
 *
 * <p>{@link Context#background()} (what {@link Context#current()} returns when nothing
 * is bound) is reported as absent, so that a snapshot taken on a thread without a
 * context clears the context of the thread it is restored on.
 *
 * <p>Why a stack of {@link Scope}s: the core API binds a context only through
 * {@link Context#attach()}, whose scope restores exactly what was bound before, and
 * offers no way to set the current context without one (so that no code can leave a
 * context behind on a pooled thread). Context-propagation calls {@code setValue} and
 * later, on the same thread and in reverse order, {@code restore}; each {@code setValue}
 * opens a scope and pushes it, each {@code restore} pops and closes the newest one. The
 * stack is removed from the thread when it is empty. A {@code restore} out of order is
 * reported by the core scope (a warning with a stack trace) and still restores what was
 * bound before.
 *
 * @since 0.1.0
 */
public class ContextThreadLocalAccessor implements ThreadLocalAccessor<Context> {

	/**
	 * The key of this accessor in the {@code ContextRegistry} and in Reactor contexts.
	 */
	public static final String KEY = "dev.ctx";

	private static final ThreadLocal<Deque<Scope>> SCOPES = new NamedThreadLocal<>("dev.ctx propagated scopes");

	@Override
	public Object key() {
		return KEY;
	}

	@Override
	public @Nullable Context getValue() {
		Context current = Context.current();
		return (current == Context.background()) ? null : current;
	}

	@Override
	public void setValue(Context value) {
		push(value.attach());
	}

	@Override
	public void setValue() {
		// Absent in the snapshot: run without a context, whatever this thread had
		push(Context.background().attach());
	}

	@Override
	public void restore(Context previousValue) {
		pop();
	}

	@Override
	public void restore() {
		pop();
	}

	private static void push(Scope scope) {
		Deque<Scope> scopes = SCOPES.get();
		if (scopes == null) {
			scopes = new ArrayDeque<>(4);
			SCOPES.set(scopes);
		}
		scopes.push(scope);
	}

	private static void pop() {
		Deque<Scope> scopes = SCOPES.get();
		if (scopes == null) {
			// A restore without a set: nothing of ours is bound
			return;
		}
		Scope scope = scopes.pop();
		if (scopes.isEmpty()) {
			SCOPES.remove();
		}
		scope.close();
	}

}
