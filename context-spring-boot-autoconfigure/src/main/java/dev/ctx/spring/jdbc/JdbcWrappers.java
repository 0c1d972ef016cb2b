package dev.ctx.spring.jdbc;

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * {@link Wrapper} for the context-aware wrappers: a wrapper answers for the JDBC
 * interfaces it implements itself, and its target for everything else, so that
 * {@code unwrap(PreparedStatement.class)} keeps the context and
 * {@code unwrap(PgStatement.class)} reaches the driver.
 */
final class JdbcWrappers {

	private JdbcWrappers() {
	}

	static <T> T unwrap(Wrapper wrapper, Wrapper target, Class<T> type) throws SQLException {
		if (type.isInstance(wrapper)) {
			return type.cast(wrapper);
		}
		if (type.isInstance(target)) {
			return type.cast(target);
		}
		return target.unwrap(type);
	}

	static boolean isWrapperFor(Wrapper wrapper, Wrapper target, Class<?> type) throws SQLException {
		return type.isInstance(wrapper) || type.isInstance(target) || target.isWrapperFor(type);
	}

}
