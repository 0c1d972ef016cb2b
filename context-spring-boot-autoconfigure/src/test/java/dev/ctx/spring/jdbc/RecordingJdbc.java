package dev.ctx.spring.jdbc;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.sql.Connection;
import java.sql.Date;
import java.sql.JDBCType;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * JDBC objects for tests, made with {@link Proxy}: each records the calls it receives
 * and answers them with a fresh sample value of the return type (interfaces are
 * answered with new recording objects, so that a connection hands out recording
 * statements and a statement recording result sets).
 */
final class RecordingJdbc implements InvocationHandler {

	private final String name;

	private final List<Call> calls = new ArrayList<>();

	private @Nullable Object lastResult;

	private RecordingJdbc(String name) {
		this.name = name;
	}

	/**
	 * Returns a new recording object of type {@code type}.
	 */
	static <T> T create(Class<T> type) {
		return type.cast(Proxy.newProxyInstance(RecordingJdbc.class.getClassLoader(), new Class<?>[] { type },
				new RecordingJdbc("Recording" + type.getSimpleName())));
	}

	/**
	 * Returns the recorder behind {@code recording}.
	 */
	static RecordingJdbc of(Object recording) {
		return (RecordingJdbc) Proxy.getInvocationHandler(recording);
	}

	/**
	 * Returns a data source whose every connection is {@code connection}.
	 */
	static DataSource dataSource(Connection connection) {
		return (DataSource) Proxy.newProxyInstance(RecordingJdbc.class.getClassLoader(),
				new Class<?>[] { DataSource.class }, (proxy, method, args) -> switch (method.getName()) {
					case "getConnection" -> connection;
					case "toString" -> "RecordingDataSource";
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == args[0];
					default -> throw new UnsupportedOperationException(method.toString());
				});
	}

	synchronized List<Call> calls() {
		return List.copyOf(this.calls);
	}

	synchronized void clear() {
		this.calls.clear();
	}

	synchronized @Nullable Object lastResult() {
		return this.lastResult;
	}

	/**
	 * Returns what the last call of the method named {@code name} returned.
	 */
	synchronized @Nullable Object resultOf(String name) {
		Object result = null;
		for (Call call : this.calls) {
			if (call.method().getName().equals(name)) {
				result = call.result();
			}
		}
		return result;
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) {
		if (method.getDeclaringClass() == Object.class) {
			return switch (method.getName()) {
				case "toString" -> this.name + "@" + Integer.toHexString(System.identityHashCode(proxy));
				case "hashCode" -> System.identityHashCode(proxy);
				default -> proxy == args[0];
			};
		}
		Object result = sample(method.getReturnType(), 42);
		synchronized (this) {
			this.calls.add(new Call(method, (args != null) ? args : new Object[0], result));
			this.lastResult = result;
		}
		return result;
	}

	/**
	 * Returns a sample value of {@code type}, distinct for each {@code seed} where the
	 * type allows it; a new recording object for JDBC interfaces.
	 */
	static @Nullable Object sample(Class<?> type, int seed) {
		if (type == void.class) {
			return null;
		}
		if (type == int.class) {
			return seed;
		}
		if (type == long.class) {
			return (long) seed;
		}
		if (type == boolean.class) {
			return true;
		}
		if (type == short.class) {
			return (short) seed;
		}
		if (type == byte.class) {
			return (byte) seed;
		}
		if (type == float.class) {
			return (float) seed;
		}
		if (type == double.class) {
			return (double) seed;
		}
		if (type == String.class) {
			return "sample" + seed;
		}
		if (type == Class.class) {
			return Integer.class;
		}
		if (type == SQLType.class) {
			return JDBCType.INTEGER;
		}
		if (type == SQLWarning.class) {
			return new SQLWarning("sample" + seed);
		}
		if (type == BigDecimal.class) {
			return BigDecimal.valueOf(seed);
		}
		if (type == Date.class) {
			return new Date(seed);
		}
		if (type == Time.class) {
			return new Time(seed);
		}
		if (type == Timestamp.class) {
			return new Timestamp(seed);
		}
		if (type == Calendar.class) {
			return Calendar.getInstance();
		}
		if (type == InputStream.class) {
			return new ByteArrayInputStream(new byte[] { (byte) seed });
		}
		if (type == Reader.class) {
			return new StringReader("sample" + seed);
		}
		if (type == URL.class) {
			try {
				return URI.create("http://example.com/" + seed).toURL();
			}
			catch (java.net.MalformedURLException ex) {
				throw new IllegalStateException(ex);
			}
		}
		if (type == Map.class) {
			return Map.of("sample" + seed, Integer.class);
		}
		if (type == Properties.class) {
			Properties properties = new Properties();
			properties.setProperty("sample", String.valueOf(seed));
			return properties;
		}
		if (type.isArray()) {
			Object array = java.lang.reflect.Array.newInstance(type.getComponentType(), 1);
			java.lang.reflect.Array.set(array, 0, sample(type.getComponentType(), seed));
			return array;
		}
		if (type.isInterface()) {
			return create(type);
		}
		if (type == Object.class) {
			return "object" + seed;
		}
		throw new IllegalArgumentException("No sample for " + type);
	}

	/**
	 * Returns sample arguments for {@code method}, distinct from each other.
	 */
	static Object[] sampleArguments(Method method) {
		Class<?>[] types = method.getParameterTypes();
		Object[] args = new Object[types.length];
		for (int i = 0; i < types.length; i++) {
			args[i] = sample(types[i], 1000 + i);
		}
		return args;
	}

	@Override
	public String toString() {
		return this.name;
	}

	record Call(Method method, Object[] args, @Nullable Object result) {

		boolean matches(Method other, Object[] otherArgs) {
			return this.method.getName().equals(other.getName())
					&& Arrays.equals(this.method.getParameterTypes(), other.getParameterTypes())
					&& Arrays.equals(this.args, otherArgs);
		}

		@Override
		public String toString() {
			return this.method.getName() + Arrays.toString(this.args);
		}

	}

}
