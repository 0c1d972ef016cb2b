package dev.ctx.spring.jdbc;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.jspecify.annotations.Nullable;

/**
 * JDK dynamic proxies for the few JDBC types that need intercepting. The proxy
 * constructors are looked up once: {@link Proxy#newProxyInstance} repeats the lookup on
 * every call, once per connection and statement here.
 */
final class JdbcProxies {

	private static final Constructor<?> CONNECTION = constructor(Connection.class);

	private static final Constructor<?> STATEMENT = constructor(Statement.class);

	private static final Constructor<?> PREPARED_STATEMENT = constructor(PreparedStatement.class);

	private static final Constructor<?> CALLABLE_STATEMENT = constructor(CallableStatement.class);

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

	static Connection connection(ConnectionHandler handler) {
		return (Connection) newInstance(CONNECTION, handler);
	}

	static Statement statement(Class<?> type, StatementHandler handler) {
		Constructor<?> constructor = (type == CallableStatement.class) ? CALLABLE_STATEMENT
				: (type == PreparedStatement.class) ? PREPARED_STATEMENT : STATEMENT;
		return (Statement) newInstance(constructor, handler);
	}

	static ResultSet resultSet(ResultSetHandler handler) {
		return (ResultSet) newInstance(RESULT_SET, handler);
	}

	static boolean isContextAware(Connection connection) {
		return Proxy.isProxyClass(connection.getClass())
				&& Proxy.getInvocationHandler(connection) instanceof ConnectionHandler;
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
