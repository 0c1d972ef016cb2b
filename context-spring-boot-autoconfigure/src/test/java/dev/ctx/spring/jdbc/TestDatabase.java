package dev.ctx.spring.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

/**
 * The databases the JDBC tests run against, located through environment variables
 * ({@code CONTEXT_TEST_PG_URL}, {@code CONTEXT_TEST_PG_USER},
 * {@code CONTEXT_TEST_PG_PASSWORD}, and the same with {@code MARIADB}), with defaults for
 * the servers of the development machines. Public for the end-to-end tests in
 * {@code dev.ctx.boot.autoconfigure.jdbc}.
 */
public enum TestDatabase {

	H2("H2", "jdbc:h2:mem:context;DB_CLOSE_DELAY=-1", "sa", ""),

	POSTGRES("PG", "jdbc:postgresql://127.0.0.1:5432/test", "postgres", ""),

	MARIADB("MARIADB", "jdbc:mariadb://127.0.0.1:3306/test", "root", "");

	private final String url;

	private final String user;

	private final String password;

	private volatile @Nullable Boolean reachable;

	TestDatabase(String env, String url, String user, String password) {
		this.url = env("CONTEXT_TEST_" + env + "_URL", url);
		this.user = env("CONTEXT_TEST_" + env + "_USER", user);
		this.password = env("CONTEXT_TEST_" + env + "_PASSWORD", password);
	}

	private static String env(String name, String defaultValue) {
		String value = System.getenv(name);
		return (value != null) ? value : defaultValue;
	}

	public String url() {
		return this.url;
	}

	public String user() {
		return this.user;
	}

	public String password() {
		return this.password;
	}

	public Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, this.user, this.password);
	}

	HikariDataSource pool(String name, int size) {
		HikariConfig config = new HikariConfig();
		config.setPoolName(name);
		config.setJdbcUrl(this.url);
		config.setUsername(this.user);
		config.setPassword(this.password);
		config.setMaximumPoolSize(size);
		config.setMinimumIdle(size);
		return new HikariDataSource(config);
	}

	public boolean isReachable() {
		Boolean reachable = this.reachable;
		if (reachable == null) {
			DriverManager.setLoginTimeout(5);
			try (Connection connection = connect()) {
				reachable = connection.isValid(5);
			}
			catch (SQLException ex) {
				reachable = false;
			}
			this.reachable = reachable;
		}
		return reachable;
	}

}
