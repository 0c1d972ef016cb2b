package dev.ctx.benchmarks.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.Scope;
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

/**
 * One statement (prepare, bind, execute, read one row, close) on a pooled connection
 * that stays checked out, as the statements of a transaction run, on in-memory H2
 * through HikariCP: the raw pool's connection, and connections of a
 * {@link ContextAwareDataSource} with no context current and with a cancellable context
 * that was current when the connection was acquired (the checkout's guard serves every
 * statement; nothing is registered per statement). {@link JdbcStatementBenchmark}
 * measures the whole round trip with a checkout per statement.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
public class JdbcHeldConnectionBenchmark {

	private static final String SQL = "SELECT X FROM SYSTEM_RANGE(1, 10) WHERE X = ?";

	private HikariDataSource pool;

	private CancellableContext cancellable;

	private Connection raw;

	private Connection wrappedNoContext;

	private Connection wrappedWithCancel;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl("jdbc:h2:mem:held;DB_CLOSE_DELAY=-1");
		config.setUsername("sa");
		config.setMaximumPoolSize(3);
		this.pool = new HikariDataSource(config);
		ContextAwareDataSource wrapped = new ContextAwareDataSource(this.pool);
		this.cancellable = Context.background().withCancel();
		this.raw = this.pool.getConnection();
		this.wrappedNoContext = wrapped.getConnection();
		this.wrappedWithCancel = this.cancellable.call(wrapped::getConnection);
	}

	@TearDown(Level.Trial)
	public void tearDown() throws SQLException {
		this.raw.close();
		this.wrappedNoContext.close();
		this.wrappedWithCancel.close();
		this.cancellable.cancel();
		this.pool.close();
	}

	@org.openjdk.jmh.annotations.Benchmark
	public long raw() throws SQLException {
		return statement(this.raw);
	}

	@org.openjdk.jmh.annotations.Benchmark
	public long rawUnderContext() throws SQLException {
		try (Scope scope = this.cancellable.attach()) {
			return statement(this.raw);
		}
	}

	@org.openjdk.jmh.annotations.Benchmark
	public long wrappedNoContext() throws SQLException {
		return statement(this.wrappedNoContext);
	}

	@org.openjdk.jmh.annotations.Benchmark
	public long wrappedWithCancel() throws SQLException {
		try (Scope scope = this.cancellable.attach()) {
			return statement(this.wrappedWithCancel);
		}
	}

	private static long statement(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(SQL)) {
			statement.setInt(1, 7);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

}
