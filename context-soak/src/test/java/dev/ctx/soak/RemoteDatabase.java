package dev.ctx.soak;

import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import org.jspecify.annotations.Nullable;

/**
 * A second database reached over TCP (an H2 server behind a {@link TcpProxy} that the
 * test takes down and brings back), for the "database goes down" fault. Not a DataSource bean, so that Boot's primary DataSource
 * stays auto-configured.
 */
class RemoteDatabase implements AutoCloseable {

	private final @Nullable HikariDataSource dataSource;

	RemoteDatabase(@Nullable String url) {
		if (url == null) {
			this.dataSource = null;
			return;
		}
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setUsername("sa");
		config.setPoolName("remote");
		config.setMaximumPoolSize(4);
		// Fail fast while the database is down: callers wait at most this long for a connection
		config.setConnectionTimeout(500);
		config.setValidationTimeout(250);
		// Start even when the database is down; connect on first use
		config.setInitializationFailTimeout(-1);
		// H2 reports a lost server with its own codes, not SQLState 08xxx: without this,
		// Hikari keeps handing out the dead connections (used within 500 ms of each other they
		// are not revalidated) and the pool never recovers
		config.setExceptionOverride(new SQLExceptionOverride() {
			@java.lang.Override
			public SQLExceptionOverride.Override adjudicate(SQLException ex) {
				return evictWhenConnectionLost(ex);
			}
		});
		this.dataSource = new HikariDataSource(config);
	}

	private static SQLExceptionOverride.Override evictWhenConnectionLost(SQLException ex) {
		return switch (ex.getErrorCode()) {
			// CONNECTION_BROKEN_1, DATABASE_IS_CLOSED, DATABASE_CALLED_AT_SHUTDOWN
			case 90067, 90098, 90121 -> SQLExceptionOverride.Override.MUST_EVICT;
			default -> SQLExceptionOverride.Override.CONTINUE_EVICT;
		};
	}

	@Nullable DataSource dataSource() {
		return this.dataSource;
	}

	@Nullable HikariDataSource hikari() {
		return this.dataSource;
	}

	@Override
	public void close() {
		if (this.dataSource != null) {
			this.dataSource.close();
		}
	}

}
