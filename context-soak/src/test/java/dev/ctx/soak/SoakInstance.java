package dev.ctx.soak;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.ctx.spring.jdbc.ContextAwareDataSource;
import dev.ctx.spring.web.InFlightRequestContexts;
import dev.ctx.spring.web.disconnect.DisconnectDetector;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One running instance of the {@link SoakApplication} on an ephemeral port, with the
 * probes the checks read.
 */
final class SoakInstance implements AutoCloseable {

	final String name;

	final ConfigurableApplicationContext context;

	final int port;

	final Ledger ledger;

	private SoakInstance(String name, ConfigurableApplicationContext context) {
		this.name = name;
		this.context = context;
		this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
		this.ledger = context.getBean(Ledger.class);
	}

	static SoakInstance start(String name, String... properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.add("soak.db=" + name);
		all.add("spring.application.name=" + name);
		// As command line arguments: they override application.properties
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SoakApplication.class)
			.run(all.stream().map((property) -> "--" + property).toArray(String[]::new));
		return new SoakInstance(name, context);
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	DataSource dataSource() {
		return this.context.getBean(DataSource.class);
	}

	HikariDataSource hikari() {
		HikariDataSource hikari = DataSourceUnwrapper.unwrap(dataSource(), HikariDataSource.class);
		if (hikari == null) {
			throw new IllegalStateException("No Hikari pool behind " + dataSource());
		}
		return hikari;
	}

	int activeConnections() {
		return hikari().getHikariPoolMXBean().getActiveConnections();
	}

	int threadsAwaitingConnection() {
		return hikari().getHikariPoolMXBean().getThreadsAwaitingConnection();
	}

	/**
	 * Whether the starter wraps this instance's DataSource (JDBC statement cancellation
	 * merged): then statements are cancelled when their context is done.
	 */
	boolean dataSourceWrappedByStarter() throws SQLException {
		// Exposed as the pool's own class (a generated subclass of HikariDataSource)
		return dataSource().isWrapperFor(ContextAwareDataSource.class);
	}

	/**
	 * Whether the starter watches for client disconnects while handlers block.
	 */
	boolean disconnectDetectionAvailable() {
		DisconnectDetector detector = this.context.getBeanProvider(DisconnectDetector.class).getIfAvailable();
		return detector != null && detector.isAvailable();
	}

	/**
	 * Returns the statements executing on this instance's database (its in-memory H2
	 * database, or PostgreSQL when {@code spring.datasource.url} points there), asked over a
	 * connection of its own (not from the pool, so the pool check is not disturbed).
	 */
	List<String> runningStatements() throws SQLException {
		String url = this.context.getEnvironment().getRequiredProperty("spring.datasource.url");
		if (url.startsWith("jdbc:postgresql:")) {
			return runningPostgresStatements(url);
		}
		List<String> running = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:" + this.name, "sa", "");
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT EXECUTING_STATEMENT FROM INFORMATION_SCHEMA.SESSIONS "
						+ "WHERE EXECUTING_STATEMENT IS NOT NULL AND SESSION_ID <> SESSION_ID()")) {
			while (rows.next()) {
				running.add(rows.getString(1));
			}
		}
		return running;
	}

	/**
	 * The pool's sessions that are not idle, found by the application name its
	 * connections set ({@code ApplicationName} = the instance's name).
	 */
	private List<String> runningPostgresStatements(String url) throws SQLException {
		List<String> running = new ArrayList<>();
		String user = this.context.getEnvironment().getProperty("spring.datasource.username", "");
		String password = this.context.getEnvironment().getProperty("spring.datasource.password", "");
		try (Connection connection = DriverManager.getConnection(url, user, password);
				PreparedStatement statement = connection.prepareStatement("SELECT state || ': ' || query "
						+ "FROM pg_stat_activity WHERE application_name = ? AND state <> 'idle' "
						+ "AND pid <> pg_backend_pid()")) {
			statement.setString(1, this.name);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					running.add(rows.getString(1));
				}
			}
		}
		return running;
	}

	double activeRequestsGauge() {
		Gauge gauge = this.context.getBean(MeterRegistry.class).find("context.requests.active").gauge();
		if (gauge == null) {
			throw new IllegalStateException("context.requests.active is not registered");
		}
		return gauge.value();
	}

	int inFlightContexts() {
		return this.context.getBean(InFlightRequestContexts.class).size();
	}

	MeterRegistry meters() {
		return this.context.getBean(MeterRegistry.class);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
