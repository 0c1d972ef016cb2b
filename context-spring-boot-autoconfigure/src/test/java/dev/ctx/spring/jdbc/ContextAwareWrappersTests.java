package dev.ctx.spring.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.Scope;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the delegating wrappers of {@link ContextAwareDataSource}: every JDBC method
 * reaches the driver's object with the same arguments, every {@code execute*} method
 * obeys the context, and the {@link java.sql.Wrapper} and {@link Object} methods answer
 * for the wrapper.
 */
class ContextAwareWrappersTests {

	static Stream<Arguments> wrappersAndInterfaces() {
		return Stream.of(Arguments.of(ContextAwareConnection.class, Connection.class),
				Arguments.of(ContextAwareStatement.class, Statement.class),
				Arguments.of(ContextAwarePreparedStatement.class, PreparedStatement.class),
				Arguments.of(ContextAwareCallableStatement.class, CallableStatement.class),
				Arguments.of(ContextAwareResultSet.class, ResultSet.class));
	}

	@ParameterizedTest
	@MethodSource("wrappersAndInterfaces")
	void wrapperDeclaresEveryMethodOfItsInterface(Class<?> wrapper, Class<?> type) throws NoSuchMethodException {
		assertThat(type).isAssignableFrom(wrapper);
		for (Method method : interfaceMethods(type)) {
			// A default method the wrapper inherits would bypass the driver's implementation
			Method implementation = wrapper.getMethod(method.getName(), method.getParameterTypes());
			assertThat(implementation.getDeclaringClass().isInterface()).as("%s declared by %s", method, wrapper)
				.isFalse();
		}
	}

	@Test
	void connectionPassesEveryMethodToTheDriver() throws Exception {
		Connection target = RecordingJdbc.create(Connection.class);
		Connection connection = new ContextAwareDataSource(RecordingJdbc.dataSource(target)).getConnection();
		assertEveryMethodDelegates(connection, target, Connection.class, List.of());
	}

	@Test
	void statementPassesEveryMethodToTheDriver() throws Exception {
		Connection connection = connection();
		Statement statement = underContext(connection::createStatement);
		assertThat(statement).isInstanceOf(ContextAwareStatement.class);
		assertEveryMethodDelegates(statement, target(statement), Statement.class, List.of("getConnection"));
		assertThat(statement.getConnection()).isSameAs(connection);
	}

	@Test
	void preparedStatementPassesEveryMethodToTheDriver() throws Exception {
		Connection connection = connection();
		PreparedStatement statement = underContext(() -> connection.prepareStatement("SELECT 1"));
		assertThat(statement).isInstanceOf(ContextAwarePreparedStatement.class);
		assertEveryMethodDelegates(statement, target(statement), PreparedStatement.class, List.of("getConnection"));
		assertThat(statement.getConnection()).isSameAs(connection);
	}

	@Test
	void callableStatementPassesEveryMethodToTheDriver() throws Exception {
		Connection connection = connection();
		CallableStatement statement = underContext(() -> connection.prepareCall("CALL X()"));
		assertThat(statement).isInstanceOf(ContextAwareCallableStatement.class);
		assertEveryMethodDelegates(statement, target(statement), CallableStatement.class, List.of("getConnection"));
		assertThat(statement.getConnection()).isSameAs(connection);
	}

	@Test
	void streamingResultSetPassesEveryMethodToTheDriver() throws Exception {
		Connection connection = connection();
		try (CancellableContext context = Context.background().withCancel()) {
			ResultSet resultSet;
			Statement statement;
			try (Scope scope = context.attach()) {
				statement = connection.createStatement();
				// The recording result set answers getFetchSize() with 42: a streaming result set
				resultSet = statement.executeQuery("SELECT 1");
			}
			assertThat(resultSet).isInstanceOf(ContextAwareResultSet.class);
			assertEveryMethodDelegates(resultSet, RecordingJdbc.of(target(statement)).resultOf("executeQuery"),
					ResultSet.class, List.of("getStatement"));
			assertThat(resultSet.getStatement()).isSameAs(statement);
			context.cancel();
			assertThatExceptionOfType(ContextCancelledSQLException.class).isThrownBy(resultSet::next);
		}
	}

	@Test
	void statementsCreatedWithoutContextAreTheDriversOwn() throws SQLException {
		Connection connection = connection();
		assertThat(connection.createStatement()).isNotInstanceOf(ContextAwareStatement.class);
		assertThat(connection.prepareStatement("SELECT 1")).isNotInstanceOf(ContextAwareStatement.class);
		assertThat(connection.prepareCall("CALL X()")).isNotInstanceOf(ContextAwareStatement.class);
	}

	@Test
	void everyExecutionIsRejectedWhenTheContextIsDone() throws Exception {
		Connection connection = connection();
		CancellableContext context = Context.background().withCancel();
		try (Scope scope = context.attach()) {
			List<Statement> statements = List.of(connection.createStatement(), connection.prepareStatement("SELECT 1"),
					connection.prepareCall("CALL X()"));
			context.cancel();
			for (Statement statement : statements) {
				RecordingJdbc recorder = RecordingJdbc.of(target(statement));
				List<Method> executions = executeMethods(statement);
				assertThat(executions).hasSizeGreaterThanOrEqualTo(15);
				for (Method method : executions) {
					assertThatExceptionOfType(ContextCancelledSQLException.class)
						.as(method.toString())
						.isThrownBy(() -> invoke(statement, method, RecordingJdbc.sampleArguments(method)));
				}
				assertThat(recorder.calls()).as("calls that reached the driver").isEmpty();
			}
		}
	}

	@Test
	void everyExecutionReachesTheDriverWhileTheContextIsNotDone() throws Exception {
		Connection connection = connection();
		try (CancellableContext context = Context.background().withCancel(); Scope scope = context.attach()) {
			List<Statement> statements = List.of(connection.createStatement(), connection.prepareStatement("SELECT 1"),
					connection.prepareCall("CALL X()"));
			for (Statement statement : statements) {
				RecordingJdbc recorder = RecordingJdbc.of(target(statement));
				for (Method method : executeMethods(statement)) {
					Object[] args = RecordingJdbc.sampleArguments(method);
					invoke(statement, method, args);
					assertThat(recorder.calls()).as(method.toString()).anyMatch((call) -> call.matches(method, args));
				}
			}
		}
	}

	@Test
	void wrapperUnwrapsToItselfForJdbcInterfacesAndToTheDriverOtherwise() throws Exception {
		Connection target = RecordingJdbc.create(Connection.class);
		Connection connection = new ContextAwareDataSource(RecordingJdbc.dataSource(target)).getConnection();
		assertThat(connection.unwrap(Connection.class)).isSameAs(connection);
		assertThat(connection.isWrapperFor(Connection.class)).isTrue();
		assertThat(connection.unwrap(target.getClass())).isSameAs(target);
		assertThat(connection.isWrapperFor(target.getClass())).isTrue();
		assertThat(RecordingJdbc.of(target).calls()).isEmpty();
		PreparedStatement statement = underContext(() -> connection.prepareStatement("SELECT 1"));
		assertThat(statement.unwrap(PreparedStatement.class)).isSameAs(statement);
		assertThat(statement.unwrap(Statement.class)).isSameAs(statement);
		assertThat(statement.unwrap(target(statement).getClass())).isSameAs(target(statement));
	}

	@Test
	void wrapperIsEqualOnlyToItselfAndNamesItsTarget() throws Exception {
		Connection target = RecordingJdbc.create(Connection.class);
		Connection connection = new ContextAwareDataSource(RecordingJdbc.dataSource(target)).getConnection();
		Statement statement = underContext(connection::createStatement);
		for (Object[] pair : List.of(new Object[] { connection, target }, new Object[] { statement, target(statement) })) {
			Object wrapper = pair[0];
			assertThat(wrapper).isEqualTo(wrapper).isNotEqualTo(pair[1]);
			assertThat(wrapper.hashCode()).isEqualTo(System.identityHashCode(wrapper));
			assertThat(wrapper).hasToString("ContextAware[" + pair[1] + "]");
		}
	}

	private static Connection connection() throws SQLException {
		return new ContextAwareDataSource(RecordingJdbc.dataSource(RecordingJdbc.create(Connection.class)))
			.getConnection();
	}

	private static <T> T underContext(SqlSupplier<T> supplier) throws SQLException {
		try (CancellableContext context = Context.background().withCancel(); Scope scope = context.attach()) {
			return supplier.get();
		}
	}

	private static Statement target(Statement statement) {
		return ((ContextAwareStatement<?>) statement).target;
	}

	private static List<Method> interfaceMethods(Class<?> type) {
		return Arrays.stream(type.getMethods()).filter((method) -> !Modifier.isStatic(method.getModifiers())).toList();
	}

	private static List<Method> executeMethods(Statement statement) {
		Class<?> type = (statement instanceof CallableStatement) ? CallableStatement.class
				: (statement instanceof PreparedStatement) ? PreparedStatement.class : Statement.class;
		return interfaceMethods(type).stream().filter((method) -> method.getName().startsWith("execute")).toList();
	}

	/**
	 * Calls every method of {@code type} on {@code wrapper} with sample arguments (no
	 * context current) and checks that the call reached {@code target} with the same
	 * arguments and that its result was returned, except for {@code ownMethods}, which
	 * must still reach the target but answer for the wrapper.
	 */
	private static void assertEveryMethodDelegates(Object wrapper, Object target, Class<?> type,
			List<String> ownMethods) throws Exception {
		RecordingJdbc recorder = RecordingJdbc.of(target);
		List<Method> methods = interfaceMethods(type);
		assertThat(methods).isNotEmpty();
		for (Method method : methods) {
			recorder.clear();
			Object[] args = RecordingJdbc.sampleArguments(method);
			Object result = invoke(wrapper, method, args);
			List<RecordingJdbc.Call> calls = recorder.calls();
			if (ownMethods.contains(method.getName())) {
				continue;
			}
			assertThat(calls).as(method.toString()).anyMatch((call) -> call.matches(method, args));
			if (method.getReturnType() != void.class) {
				assertThat(result).as("result of " + method).isEqualTo(recorder.lastResult());
			}
		}
	}

	private static @Nullable Object invoke(Object target, Method method, Object[] args) throws Exception {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			if (ex.getTargetException() instanceof Exception exception) {
				throw exception;
			}
			throw ex;
		}
	}

	@FunctionalInterface
	interface SqlSupplier<T> {

		T get() throws SQLException;

	}

}
