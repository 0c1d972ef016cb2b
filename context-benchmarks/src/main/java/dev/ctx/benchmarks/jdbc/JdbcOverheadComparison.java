package dev.ctx.benchmarks.jdbc;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.Scope;
import dev.ctx.boot.autoconfigure.jdbc.ContextDataSourceAutoConfiguration;
import dev.ctx.spring.jdbc.ContextAwareDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The JDBC overhead of {@link ContextAwareDataSource} measured in interleaved time
 * slices in one JVM, to complement {@link JdbcStatementBenchmark} and
 * {@link JdbcHeldConnectionBenchmark}: on a shared 2-core machine the speed of the
 * machine drifts by 10-20 % within seconds, and JMH runs each benchmark in forks of its
 * own, one after the other, so that drift lands between the baseline and the variant.
 * Here every round gives each variant one slice (default 200 ms), in an order that
 * rotates from round to round, and the ratio baseline/variant is taken within the
 * round: the drift cancels, and the median over rounds is the result.
 * <p>Each variant runs its own copy of the loop, so that its pool, connection and
 * statement calls see one receiver type, as in a JMH fork of its own; the shared
 * {@code query} method sees two statement types (the pool's and the wrapper's), which
 * the JIT inlines both of, for every variant alike. Allocation per operation comes from
 * {@code ThreadMXBean.getThreadAllocatedBytes}.
 * <p>A JVM that runs every variant compiles the wrapper's code with the profile of all
 * its paths at once (a held connection, a checkout per statement, a deadline), as an
 * application that uses them all does; a JVM that runs one wrapper variant and its
 * baselines compiles it for that path alone, as a JMH fork does. The script runs both.
 * <p>Prints one line per variant and round: {@code round variant nsPerOp bytesPerOp}.
 * Arguments: rounds (default 30), slice milliseconds (default 200), warm-up rounds
 * (default 15), a regular expression the names of the variants to run match (default:
 * all). Run by {@code scripts/jdbc-benchmark.sh}.
 */
public final class JdbcOverheadComparison {

	private static final String SQL = "SELECT X FROM SYSTEM_RANGE(1, 10) WHERE X = ?";

	private static volatile long sink;

	private final HikariDataSource pool;

	private final DataSource wrapped;

	private final AnnotationConfigApplicationContext application;

	private final DataSource exposed;

	private final CancellableContext cancellable;

	private final CancellableContext deadline;

	private final Connection heldRaw;

	private final Connection heldWrappedNoContext;

	private final Connection heldWrappedWithCancel;

	private JdbcOverheadComparison() throws Exception {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl("jdbc:h2:mem:comparison;DB_CLOSE_DELAY=-1");
		config.setUsername("sa");
		config.setMaximumPoolSize(5);
		this.pool = new HikariDataSource(config);
		ContextAwareDataSource wrapped = new ContextAwareDataSource(this.pool);
		this.wrapped = wrapped;
		// The same pool as a bean, wrapped and exposed by the auto-configuration
		this.application = new AnnotationConfigApplicationContext();
		this.application.registerBean("dataSource", HikariDataSource.class, () -> this.pool);
		this.application.register(ContextDataSourceAutoConfiguration.class);
		this.application.refresh();
		this.exposed = this.application.getBean(HikariDataSource.class);
		this.cancellable = Context.background().withCancel();
		this.deadline = Context.background().withTimeout(Duration.ofHours(1));
		this.heldRaw = this.pool.getConnection();
		this.heldWrappedNoContext = wrapped.getConnection();
		this.heldWrappedWithCancel = this.cancellable.call(wrapped::getConnection);
	}

	private interface Loop {

		long run(long untilNanos) throws SQLException;

	}

	private record Variant(String name, Loop loop) {
	}

	private List<Variant> variants() {
		return List.of(new Variant("roundTrip.rawPool", this::rawPool),
				new Variant("roundTrip.rawPoolUnderContext", this::rawPoolUnderContext),
				new Variant("roundTrip.wrappedNoContext", this::wrappedNoContext),
				new Variant("roundTrip.wrappedWithCancel", this::wrappedWithCancel),
				new Variant("roundTrip.exposedWithCancel", this::exposedWithCancel),
				new Variant("roundTrip.rawPoolWithQueryTimeout", this::rawPoolWithQueryTimeout),
				new Variant("roundTrip.wrappedWithDeadline", this::wrappedWithDeadline),
				new Variant("held.raw", this::heldRaw), new Variant("held.rawUnderContext", this::heldRawUnderContext),
				new Variant("held.wrappedNoContext", this::heldWrappedNoContext),
				new Variant("held.wrappedWithCancel", this::heldWrappedWithCancel));
	}

	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 30;
		long sliceNanos = Duration.ofMillis((args.length > 1) ? Long.parseLong(args[1]) : 200).toNanos();
		int warmupRounds = (args.length > 2) ? Integer.parseInt(args[2]) : 15;
		Pattern selected = Pattern.compile((args.length > 3) ? args[3] : ".*");
		JdbcOverheadComparison comparison = new JdbcOverheadComparison();
		try {
			comparison.run(rounds, sliceNanos, warmupRounds, selected);
		}
		finally {
			comparison.close();
		}
	}

	private void run(int rounds, long sliceNanos, int warmupRounds, Pattern selected) throws SQLException {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		List<Variant> variants = variants().stream()
			.filter((variant) -> selected.matcher(variant.name()).matches())
			.toList();
		if (variants.isEmpty()) {
			throw new IllegalArgumentException("No variant matches " + selected);
		}
		int count = variants.size();
		for (int round = -warmupRounds; round < rounds; round++) {
			for (int i = 0; i < count; i++) {
				// Rotate the order, so that no variant always follows the same one
				Variant variant = variants.get(Math.floorMod(i + round, count));
				long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
				long start = System.nanoTime();
				long operations = variant.loop().run(start + sliceNanos);
				long elapsed = System.nanoTime() - start;
				long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
				if (round >= 0) {
					System.out.printf(Locale.ROOT, "%d %s %.1f %.0f%n", round, variant.name(),
							(double) elapsed / operations, (double) allocated / operations);
				}
			}
		}
	}

	private void close() throws SQLException {
		this.heldRaw.close();
		this.heldWrappedNoContext.close();
		this.heldWrappedWithCancel.close();
		this.cancellable.cancel();
		this.deadline.cancel();
		this.application.close();
		this.pool.close();
	}

	// One copy of the loop per variant: each call site sees one receiver type

	private long rawPool(long untilNanos) throws SQLException {
		long operations = 0;
		long sum = 0;
		do {
			for (int i = 0; i < 64; i++) {
				try (Connection connection = this.pool.getConnection();
						PreparedStatement statement = connection.prepareStatement(SQL)) {
					sum += query(statement);
				}
			}
			operations += 64;
		}
		while (System.nanoTime() < untilNanos);
		sink = sum;
		return operations;
	}

	private long rawPoolUnderContext(long untilNanos) throws SQLException {
		long operations = 0;
		long sum = 0;
		do {
			for (int i = 0; i < 64; i++) {
				try (Scope scope = this.cancellable.attach();
						Connection connection = this.pool.getConnection();
						PreparedStatement statement = connection.prepareStatement(SQL)) {
					sum += query(statement);
				}
			}
			operations += 64;
		}
		while (System.nanoTime() < untilNanos);
		sink = sum;
		return operations;
	}

	private long wrappedNoContext(long untilNanos) throws SQLException {
		long operations = 0;
		long sum = 0;
		do {
			for (int i = 0; i < 64; i++) {
				try (Connection connection = this.wrapped.getConnection();
						PreparedStatement statement = connection.prepareStatement(SQL)) {
					sum += query(statement);
				}
			}
			operations += 64;
		}
		while (System.nanoTime() < untilNanos);
		sink = sum;
		return operations;
	}

	private long wrappedWithCancel(long untilNanos) throws SQLException {
		long operations = 0;
		long sum = 0;
		do {
			for (int i = 0; i < 64; i++) {
				try (Scope scope = this.cancellable.attach();
						Connection connection = this.wrapped.getConnection();
						PreparedStatement statement = connection.prepareStatement(SQL)) {
					sum += query(statement);
				}
			}
			operations += 64;
		}
		while (System.nanoTime() < untilNanos);
		sink = sum;
		return operations;
	}

	/**
	 * {@link #wrappedWithCancel} through the bean the auto-configuration exposes: a
	 * subclass of {@code HikariDataSource} whose {@code getConnection()} goes to the
	 * wrapper.
	 */
	private long exposedWithCancel(long untilNanos) throws SQLException {
		long operations = 0;
		long sum = 0;
		do {
			for (int i = 0; i < 64; i++) {
				try (Scope scope = this.cancellable.attach();
						Connection connection = this.exposed.getConnection();
						PreparedStatement statement = connection.prepareStatement(SQL)) {
					sum += query(statement);
				}
			}
			operations += 64;
		}
		while (System.nanoTime() < untilNanos);
		sink = sum;
		return operations;
	}

	private long rawPoolWithQueryTimeout(long untilNanos) throws SQLException {
		long operations = 0;
		long sum = 0;
		do {
			for (int i = 0; i < 64; i++) {
				try (Connection connection = this.pool.getConnection();
						PreparedStatement statement = connection.prepareStatement(SQL)) {
					// What the wrapper does for a deadline, by hand
					int previous = statement.getQueryTimeout();
					statement.setQueryTimeout(3600);
					try {
						sum += query(statement);
					}
					finally {
						statement.setQueryTimeout(previous);
					}
				}
			}
			operations += 64;
		}
		while (System.nanoTime() < untilNanos);
		sink = sum;
		return operations;
	}

	private long wrappedWithDeadline(long untilNanos) throws SQLException {
		long operations = 0;
		long sum = 0;
		do {
			for (int i = 0; i < 64; i++) {
				try (Scope scope = this.deadline.attach();
						Connection connection = this.wrapped.getConnection();
						PreparedStatement statement = connection.prepareStatement(SQL)) {
					sum += query(statement);
				}
			}
			operations += 64;
		}
		while (System.nanoTime() < untilNanos);
		sink = sum;
		return operations;
	}

	private long heldRaw(long untilNanos) throws SQLException {
		long operations = 0;
		long sum = 0;
		do {
			for (int i = 0; i < 64; i++) {
				try (PreparedStatement statement = this.heldRaw.prepareStatement(SQL)) {
					sum += query(statement);
				}
			}
			operations += 64;
		}
		while (System.nanoTime() < untilNanos);
		sink = sum;
		return operations;
	}

	private long heldRawUnderContext(long untilNanos) throws SQLException {
		long operations = 0;
		long sum = 0;
		do {
			for (int i = 0; i < 64; i++) {
				try (Scope scope = this.cancellable.attach();
						PreparedStatement statement = this.heldRaw.prepareStatement(SQL)) {
					sum += query(statement);
				}
			}
			operations += 64;
		}
		while (System.nanoTime() < untilNanos);
		sink = sum;
		return operations;
	}

	private long heldWrappedNoContext(long untilNanos) throws SQLException {
		long operations = 0;
		long sum = 0;
		do {
			for (int i = 0; i < 64; i++) {
				try (PreparedStatement statement = this.heldWrappedNoContext.prepareStatement(SQL)) {
					sum += query(statement);
				}
			}
			operations += 64;
		}
		while (System.nanoTime() < untilNanos);
		sink = sum;
		return operations;
	}

	private long heldWrappedWithCancel(long untilNanos) throws SQLException {
		long operations = 0;
		long sum = 0;
		do {
			for (int i = 0; i < 64; i++) {
				try (Scope scope = this.cancellable.attach();
						PreparedStatement statement = this.heldWrappedWithCancel.prepareStatement(SQL)) {
					sum += query(statement);
				}
			}
			operations += 64;
		}
		while (System.nanoTime() < untilNanos);
		sink = sum;
		return operations;
	}

	private static long query(PreparedStatement statement) throws SQLException {
		statement.setInt(1, 7);
		try (ResultSet result = statement.executeQuery()) {
			result.next();
			return result.getLong(1);
		}
	}

}
