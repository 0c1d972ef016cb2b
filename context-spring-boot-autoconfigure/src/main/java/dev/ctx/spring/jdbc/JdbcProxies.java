package dev.ctx.spring.jdbc;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * The JDK dynamic proxy for streaming result sets. The proxy constructor is looked up
 * once: {@link Proxy#newProxyInstance} repeats the lookup on every call.
 */
final class JdbcProxies {

	private static final Constructor<?> RESULT_SET = constructor(ResultSet.class);

	private JdbcProxies() {
	}

	private static Constructor<?> constructor(Class<?> type) {
		ClassLoader loader = JdbcProxies.class.getClassLoader();
		Object proxy = Proxy.newProxyInstance(loader, new Class<?>[] { type }, (p, m, a) -> null);
		try {
			return proxy.getClass().getConstructor(InvocationHandler.class);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException("No constructor on JDK proxy class for " + type, ex);
		}
	}

	static ResultSet resultSet(ResultSetHandler handler) {
		return (ResultSet) newInstance(RESULT_SET, handler);
	}

	private static Object newInstance(Constructor<?> constructor, InvocationHandler handler) {
		try {
			return constructor.newInstance(handler);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Cannot create JDBC proxy", ex);
		}
	}

	static @Nullable Object invoke(Object target, Method method, @Nullable Object @Nullable [] args)
			throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	/**
	 * Handles the methods every proxy answers itself: {@code unwrap}, {@code isWrapperFor}
	 * and the {@link Object} methods.
	 * @return whether {@code method} is one of them
	 */
	static boolean isOwnMethod(String name) {
		return switch (name) {
			case "unwrap", "isWrapperFor", "equals", "hashCode", "toString" -> true;
			default -> false;
		};
	}

	static @Nullable Object invokeOwnMethod(Object proxy, Object target, Method method,
			@Nullable Object @Nullable [] args) throws SQLException {
		Object arg = (args != null && args.length > 0) ? args[0] : null;
		return switch (method.getName()) {
			case "unwrap" -> ((Class<?>) arg).isInstance(proxy) ? proxy : unwrapTarget(target, (Class<?>) arg);
			case "isWrapperFor" -> ((Class<?>) arg).isInstance(proxy) || isWrapperFor(target, (Class<?>) arg);
			case "equals" -> proxy == arg;
			case "hashCode" -> System.identityHashCode(proxy);
			default -> "ContextAware[" + target + "]";
		};
	}

	private static Object unwrapTarget(Object target, Class<?> type) throws SQLException {
		if (type.isInstance(target)) {
			return target;
		}
		return ((java.sql.Wrapper) target).unwrap(type);
	}

	private static boolean isWrapperFor(Object target, Class<?> type) throws SQLException {
		return type.isInstance(target) || ((java.sql.Wrapper) target).isWrapperFor(type);
	}

}
