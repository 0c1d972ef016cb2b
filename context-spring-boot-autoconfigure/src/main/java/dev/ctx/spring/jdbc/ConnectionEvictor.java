package dev.ctx.spring.jdbc;

import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.util.ReflectionUtils;

/**
 * Evicts a connection from its pool instead of returning it, through the pool's
 * {@code evictConnection(Connection)} method (HikariCP) when it has one. Used for
 * connections on which a {@code cancel()} reached a statement that completed anyway:
 * some drivers keep such a cancel around (H2 leaves it on the cached command, where it
 * fails the next execution of the same SQL), so the connection must not be reused.
 * Databases whose late cancels are proven harmless once the guard has returned
 * (PostgreSQL, MariaDB, MySQL: see the race tests) keep their connection.
 */
final class ConnectionEvictor {

	private static final System.Logger logger = System.getLogger(ConnectionEvictor.class.getName());

	private final @Nullable DataSource pool;

	private final @Nullable Method evictConnection;

	ConnectionEvictor(DataSource dataSource) {
		DataSource target = dataSource;
		while (target instanceof DelegatingDataSource delegating && delegating.getTargetDataSource() != null) {
			target = delegating.getTargetDataSource();
		}
		Method method = ReflectionUtils.findMethod(target.getClass(), "evictConnection", Connection.class);
		this.pool = (method != null) ? target : null;
		this.evictConnection = method;
	}

	private static final Set<String> LATE_CANCEL_SAFE = Set.of("PostgreSQL", "MariaDB", "MySQL");

	/**
	 * Evicts {@code connection} if its database may keep a late cancel and the pool
	 * supports eviction; the caller closes it afterwards as usual.
	 */
	void evictIfLateCancelMayLinger(Connection connection) {
		if (this.evictConnection == null || lateCancelIsHarmless(connection)) {
			return;
		}
		try {
			ReflectionUtils.invokeMethod(this.evictConnection, this.pool, connection);
		}
		catch (RuntimeException ex) {
			logger.log(Level.DEBUG, "Could not evict connection " + connection, ex);
		}
	}

	private static boolean lateCancelIsHarmless(Connection connection) {
		try {
			return LATE_CANCEL_SAFE.contains(connection.getMetaData().getDatabaseProductName());
		}
		catch (SQLException | RuntimeException ex) {
			return false;
		}
	}

}
