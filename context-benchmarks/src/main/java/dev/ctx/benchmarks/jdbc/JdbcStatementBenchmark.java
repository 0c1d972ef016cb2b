package dev.ctx.benchmarks.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.Scope;
import dev.ctx.boot.autoconfigure.jdbc.ContextDataSourceAutoConfiguration;
import dev.ctx.spring.jdbc.ContextAwareDataSource;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * One JDBC round trip (borrow a pooled connection, prepare, bind, execute, read one row,
 * close) on in-memory H2 through HikariCP: the raw pool, the pool wrapped in a
 * {@link ContextAwareDataSource} with no context current, and wrapped with a context
 * that can be cancelled (cancel registered at checkout and stopped at close), and with
 * one that also has a deadline (query timeout set and restored as well; on H2 each
 * {@code setQueryTimeout} runs a {@code SET QUERY_TIMEOUT} command on the session), and
 * the pool as the auto-configuration exposes it (a subclass of {@code HikariDataSource}
 * whose {@code getConnection()} goes to the wrapper) with a cancellable context.
 * Run side by side, so that the ratios compare numbers from the same machine state.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
public class JdbcStatementBenchmark {

	private static final String SQL = "SELECT X FROM SYSTEM_RANGE(1, 10) WHERE X = ?";

	private HikariDataSource pool;

	private DataSource wrapped;

	private AnnotationConfigApplicationContext application;

	private DataSource exposed;

	private CancellableContext deadline;

	private CancellableContext cancellable;

	@Setup(Level.Trial)
	public void setUp() {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1");
		config.setUsername("sa");
		config.setMaximumPoolSize(2);
		this.pool = new HikariDataSource(config);
		this.wrapped = new ContextAwareDataSource(this.pool);
		this.application = new AnnotationConfigApplicationContext();
		this.application.registerBean("dataSource", HikariDataSource.class, () -> new HikariDataSource(config));
		this.application.register(ContextDataSourceAutoConfiguration.class);
		this.application.refresh();
		this.exposed = this.application.getBean(HikariDataSource.class);
		this.deadline = Context.background().withTimeout(Duration.ofHours(1));
		this.cancellable = Context.background().withCancel();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.deadline.cancel();
		this.cancellable.cancel();
		this.pool.close();
		this.application.close();
	}

	@org.openjdk.jmh.annotations.Benchmark
	public long rawPool() throws SQLException {
		return roundTrip(this.pool);
	}

	/**
	 * The raw pool doing by hand what the wrapper does for a deadline: set a query timeout
	 * before executing and restore it after. The baseline for {@link #wrappedWithDeadline()}.
	 */
	@org.openjdk.jmh.annotations.Benchmark
	public long rawPoolWithQueryTimeout() throws SQLException {
		try (Connection connection = this.pool.getConnection();
				PreparedStatement statement = connection.prepareStatement(SQL)) {
			int previous = statement.getQueryTimeout();
			statement.setQueryTimeout(3600);
			statement.setInt(1, 7);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
			finally {
				statement.setQueryTimeout(previous);
			}
		}
	}

	/**
	 * The raw pool while the cancellable context is attached: what attaching a context
	 * alone costs the round trip (the pool and the driver keep thread-locals of their
	 * own), so that {@link #wrappedWithCancel()} can also be compared without it.
	 */
	@org.openjdk.jmh.annotations.Benchmark
	public long rawPoolUnderContext() throws SQLException {
		try (Scope scope = this.cancellable.attach()) {
			return roundTrip(this.pool);
		}
	}

	@org.openjdk.jmh.annotations.Benchmark
	public long wrappedNoContext() throws SQLException {
		return roundTrip(this.wrapped);
	}

	@org.openjdk.jmh.annotations.Benchmark
	public long wrappedWithDeadline() throws SQLException {
		try (Scope scope = this.deadline.attach()) {
			return roundTrip(this.wrapped);
		}
	}

	@org.openjdk.jmh.annotations.Benchmark
	public long wrappedWithCancel() throws SQLException {
		try (Scope scope = this.cancellable.attach()) {
			return roundTrip(this.wrapped);
		}
	}

	/**
	 * {@link #wrappedWithCancel()} through the data source bean the auto-configuration
	 * exposes, injectable as a {@code HikariDataSource}.
	 */
	@org.openjdk.jmh.annotations.Benchmark
	public long exposedWithCancel() throws SQLException {
		try (Scope scope = this.cancellable.attach()) {
			return roundTrip(this.exposed);
		}
	}

	private static long roundTrip(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(SQL)) {
			statement.setInt(1, 7);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

}
