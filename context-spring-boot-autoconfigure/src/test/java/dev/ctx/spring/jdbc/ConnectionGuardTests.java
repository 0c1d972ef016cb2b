package dev.ctx.spring.jdbc;

import java.lang.ref.WeakReference;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.ContextRegistrations;
import dev.ctx.Scope;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.jdbc.datasource.AbstractDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ConnectionGuard} and how {@link ContextAwareDataSource} uses it: one
 * {@code afterDone} registration per platform thread and context, shared by its
 * checkouts, a registration of its own for a statement under another context or on a
 * busy connection, and cancels that happen only while a statement executes (repeated
 * while it has not ended), with the end of the execution waiting for them.
 */
class ConnectionGuardTests {

	private final AtomicInteger cancelled = new AtomicInteger();

	private final AtomicInteger rejected = new AtomicInteger();

	private final JdbcCancellationListener listener = new JdbcCancellationListener() {

		@Override
		public void statementRejected(Context context) {
			ConnectionGuardTests.this.rejected.incrementAndGet();
		}

		@Override
		public void statementCancelled(Context context) {
			ConnectionGuardTests.this.cancelled.incrementAndGet();
		}

	};

	private final ExecutorService executor = Executors.newCachedThreadPool();

	@AfterEach
	void shutdown() {
		this.executor.shutdownNow();
	}

	@Test
	void checkoutsOfOneThreadUnderOneContextShareOneRegistrationUntilTheThreadChecksOutUnderAnother()
			throws Exception {
		FakeDataSource pool = new FakeDataSource();
		ContextAwareDataSource dataSource = new ContextAwareDataSource(pool, this.listener);
		try (CancellableContext context = Context.background().withCancel(); Scope scope = context.attach()) {
			for (int i = 0; i < 3; i++) {
				Connection connection = dataSource.getConnection();
				assertThat(ContextRegistrations.count(context)).isOne();
				try (PreparedStatement statement = connection.prepareStatement("SELECT 1")) {
					// A streaming result set (the recording result set's fetch size is 42)
					// under the checkout's context fetches on the checkout's guard
					ResultSet resultSet = statement.executeQuery();
					assertThat(resultSet).isInstanceOf(ContextAwareResultSet.class);
					resultSet.next();
					assertThat(ContextRegistrations.count(context)).isOne();
					resultSet.close();
					statement.executeUpdate();
					assertThat(ContextRegistrations.count(context)).isOne();
				}
				connection.close();
				// Parked for the thread's next checkout under the same context
				assertThat(ContextRegistrations.count(context)).isOne();
			}
			CancellableContext other = Context.background().withCancel();
			other.call(() -> {
				dataSource.getConnection().close();
				return null;
			});
			// The thread's guard for the first context was replaced and stopped
			assertThat(ContextRegistrations.count(context)).isZero();
			assertThat(ContextRegistrations.count(other)).isOne();
			other.cancel();
			assertThat(ContextRegistrations.count(other)).isZero();
			// The guard still parked on this thread does not keep a finished context
			// (and its values) reachable
			WeakReference<Context> reference = new WeakReference<>(other);
			other = null;
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				System.gc();
				return reference.get() == null;
			});
		}
	}

	@Test
	void parkedGuardCancelsTheStatementOfALaterCheckout() throws Exception {
		FakeDataSource pool = new FakeDataSource();
		ContextAwareDataSource dataSource = new ContextAwareDataSource(pool, this.listener);
		CancellableContext context = Context.background().withCancel();
		CountDownLatch firstClosed = new CountDownLatch(1);
		BlockingStatement[] blocking = new BlockingStatement[1];
		Future<?> execution = this.executor.submit(() -> context.call(() -> {
			try (Connection connection = dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				statement.executeUpdate("UPDATE T SET X = 1");
			}
			blocking[0] = pool.next(new BlockingStatement());
			firstClosed.countDown();
			try (Connection connection = dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				return statement.executeQuery("SELECT 1");
			}
		}));
		assertThat(firstClosed.await(10, TimeUnit.SECONDS)).isTrue();
		blocking[0].awaitExecuting();
		assertThat(ContextRegistrations.count(context)).isOne();
		context.cancel();
		assertThat(failureOf(execution)).isInstanceOf(ContextCancelledSQLException.class);
		assertThat(blocking[0].cancels()).isPositive();
		assertThat(this.cancelled).hasValue(1);
	}

	@Test
	void replacedGuardServesTheCheckoutsStillOpenUntilTheLastIsClosedElsewhere() throws Exception {
		FakeDataSource pool = new FakeDataSource();
		ContextAwareDataSource dataSource = new ContextAwareDataSource(pool, this.listener);
		try (CancellableContext first = Context.background().withCancel()) {
			Connection held = first.call(dataSource::getConnection);
			Connection alsoHeld = first.call(dataSource::getConnection);
			// This thread's guard for the first context is replaced while two of its
			// checkouts are open (a transaction's connection, and a block under a context
			// of its own that checks out another)
			checkOutUnderAnotherContext(dataSource);
			assertThat(ContextRegistrations.count(first)).isOne();
			BlockingStatement blocking = pool.next(new BlockingStatement());
			Statement statement = first.call(held::createStatement);
			Future<?> execution = this.executor.submit(() -> first.call(() -> statement.executeQuery("SELECT 1")));
			blocking.awaitExecuting();
			// The open checkouts' statements still run on it
			assertThat(ContextRegistrations.count(first)).isOne();
			blocking.release();
			execution.get(10, TimeUnit.SECONDS);
			held.close();
			// Closing twice is allowed, and ends the checkout once
			held.close();
			assertThat(ContextRegistrations.count(first)).isOne();
			// The last open checkout, closed on another thread, stops it
			this.executor.submit(() -> {
				alsoHeld.close();
				return null;
			}).get(10, TimeUnit.SECONDS);
			assertThat(ContextRegistrations.count(first)).isZero();
			// A statement of a closed checkout's connection would register for itself
			assertThat(first.isDone()).isFalse();
		}
	}

	@Test
	void statementOfACheckoutWhoseGuardWasStoppedRegistersForItself() throws Exception {
		FakeDataSource pool = new FakeDataSource();
		ContextAwareDataSource dataSource = new ContextAwareDataSource(pool, this.listener);
		CancellableContext first = Context.background().withCancel();
		Connection held = first.call(dataSource::getConnection);
		Statement statement = first.call(held::createStatement);
		checkOutUnderAnotherContext(dataSource);
		// Closing the checkout stops the replaced guard; using the connection after close
		// is the application's error, but it must not run unguarded
		held.close();
		assertThat(ContextRegistrations.count(first)).isZero();
		BlockingStatement blocking = pool.next(new BlockingStatement());
		Statement next = first.call(held::createStatement);
		Future<?> execution = this.executor.submit(() -> first.call(() -> next.executeQuery("SELECT 1")));
		blocking.awaitExecuting();
		assertThat(ContextRegistrations.count(first)).isOne();
		first.cancel();
		assertThat(failureOf(execution)).isInstanceOf(ContextCancelledSQLException.class);
		assertThat(blocking.cancels()).isPositive();
		statement.close();
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void checkoutOnAVirtualThreadRegistersForItselfOnly() throws Exception {
		FakeDataSource pool = new FakeDataSource();
		ContextAwareDataSource dataSource = new ContextAwareDataSource(pool, this.listener);
		ExecutorService virtualThreads = (ExecutorService) Executors.class
			.getMethod("newVirtualThreadPerTaskExecutor")
			.invoke(null);
		try (CancellableContext context = Context.background().withCancel()) {
			virtualThreads.submit(() -> context.call(() -> {
				Connection connection = dataSource.getConnection();
				assertThat(ContextRegistrations.count(context)).isOne();
				connection.close();
				return null;
			})).get(10, TimeUnit.SECONDS);
			// Nothing parked on a thread that is gone: nothing stays registered
			assertThat(ContextRegistrations.count(context)).isZero();
		}
		finally {
			virtualThreads.shutdownNow();
		}
	}

	@Test
	void streamingResultSetUnderAnotherContextThanItsConnectionRegistersUntilClosed() throws Exception {
		FakeDataSource pool = new FakeDataSource();
		ContextAwareDataSource dataSource = new ContextAwareDataSource(pool, this.listener);
		try (Connection connection = dataSource.getConnection();
				CancellableContext context = Context.background().withCancel()) {
			PreparedStatement statement = context.call(() -> connection.prepareStatement("SELECT 1"));
			ResultSet resultSet = context.call(statement::executeQuery);
			assertThat(resultSet).isInstanceOf(ContextAwareResultSet.class);
			assertThat(ContextRegistrations.count(context)).isOne();
			context.call(resultSet::next);
			assertThat(ContextRegistrations.count(context)).isOne();
			resultSet.close();
			assertThat(ContextRegistrations.count(context)).isZero();
		}
	}

	@Test
	void checkoutWithoutContextRegistersNothingAndItsStatementsRegisterPerExecution() throws Exception {
		FakeDataSource pool = new FakeDataSource();
		BlockingStatement blocking = pool.next(new BlockingStatement());
		ContextAwareDataSource dataSource = new ContextAwareDataSource(pool, this.listener);
		try (Connection connection = dataSource.getConnection();
				CancellableContext context = Context.background().withCancel()) {
			Statement statement = context.call(connection::createStatement);
			Future<?> execution = this.executor.submit(() -> context.call(() -> {
				// The fake's result set streams (fetch size 42): it registers until closed
				statement.executeQuery("SELECT 1").close();
				return null;
			}));
			blocking.awaitExecuting();
			assertThat(ContextRegistrations.count(context)).isOne();
			blocking.release();
			execution.get(10, TimeUnit.SECONDS);
			assertThat(ContextRegistrations.count(context)).isZero();
		}
	}

	@Test
	void statementUnderCheckoutContextIsCancelledWhenItIsDone() throws Exception {
		FakeDataSource pool = new FakeDataSource();
		BlockingStatement blocking = pool.next(new BlockingStatement());
		ContextAwareDataSource dataSource = new ContextAwareDataSource(pool, this.listener);
		CancellableContext context = Context.background().withCancel();
		Future<?> execution = queryOnConnectionOfItsOwn(dataSource, context);
		blocking.awaitExecuting();
		context.cancel();
		assertThat(failureOf(execution)).isInstanceOf(ContextCancelledSQLException.class);
		assertThat(blocking.cancels()).isPositive();
		assertThat(this.cancelled).hasValue(1);
	}

	@Test
	void statementUnderAnotherContextThanItsConnectionGetsItsOwnRegistration() throws Exception {
		FakeDataSource pool = new FakeDataSource();
		BlockingStatement first = pool.next(new BlockingStatement());
		BlockingStatement second = pool.next(new BlockingStatement());
		ContextAwareDataSource dataSource = new ContextAwareDataSource(pool, this.listener);
		try (CancellableContext checkout = Context.background().withCancel()) {
			Connection connection = checkout.call(dataSource::getConnection);
			// A block with a deadline of its own, inside the work the connection was acquired for
			CancellableContext block = checkout.withCancel();
			Statement statement = block.call(connection::createStatement);
			Future<?> execution = this.executor.submit(() -> block.call(() -> statement.executeQuery("SELECT 1")));
			first.awaitExecuting();
			assertThat(ContextRegistrations.count(block)).isOne();
			block.cancel();
			assertThat(failureOf(execution)).isInstanceOf(ContextCancelledSQLException.class);
			assertThat(first.cancels()).isPositive();
			assertThat(checkout.isDone()).isFalse();
			// The checkout's own guard was not used, and still serves its context
			Statement next = checkout.call(connection::createStatement);
			Future<?> nextExecution = this.executor.submit(() -> checkout.call(() -> next.executeQuery("SELECT 2")));
			second.awaitExecuting();
			checkout.cancel();
			assertThat(failureOf(nextExecution)).isInstanceOf(ContextCancelledSQLException.class);
			assertThat(second.cancels()).isPositive();
			connection.close();
		}
	}

	@Test
	void concurrentExecutionsOnOneConnectionAreEachCancelled() throws Exception {
		FakeDataSource pool = new FakeDataSource();
		BlockingStatement first = pool.next(new BlockingStatement());
		BlockingStatement second = pool.next(new BlockingStatement());
		ContextAwareDataSource dataSource = new ContextAwareDataSource(pool, this.listener);
		CancellableContext context = Context.background().withCancel();
		Connection connection = context.call(dataSource::getConnection);
		Statement one = context.call(connection::createStatement);
		Statement two = context.call(connection::createStatement);
		Future<?> firstExecution = this.executor.submit(() -> context.call(() -> one.executeQuery("SELECT 1")));
		first.awaitExecuting();
		Future<?> secondExecution = this.executor.submit(() -> context.call(() -> two.executeQuery("SELECT 2")));
		second.awaitExecuting();
		// The checkout's guard is busy with the first: the second registers its own
		assertThat(ContextRegistrations.count(context)).isEqualTo(2);
		context.cancel();
		assertThat(failureOf(firstExecution)).isInstanceOf(ContextCancelledSQLException.class);
		assertThat(failureOf(secondExecution)).isInstanceOf(ContextCancelledSQLException.class);
		assertThat(first.cancels()).isPositive();
		assertThat(second.cancels()).isPositive();
		connection.close();
	}

	@Test
	void executionEndsOnlyAfterTheCancelInProgressReturned() throws Exception {
		FakeDataSource pool = new FakeDataSource();
		// Completes normally once the cancel started, as a statement that finished a
		// moment before the cancel reached the driver
		BlockingStatement blocking = pool.next(new BlockingStatement().completingDespiteCancel());
		CountDownLatch cancelMayReturn = blocking.holdCancel();
		ContextAwareDataSource dataSource = new ContextAwareDataSource(pool, this.listener);
		CancellableContext context = Context.background().withCancel();
		Future<?> execution = queryOnConnectionOfItsOwn(dataSource, context);
		blocking.awaitExecuting();
		context.cancel();
		blocking.awaitCancelEntered();
		// The driver returned, but the execution waits for cancel() to return
		TimeUnit.MILLISECONDS.sleep(200);
		assertThat(execution).isNotDone();
		cancelMayReturn.countDown();
		execution.get(10, TimeUnit.SECONDS);
		assertThat(this.cancelled).hasValue(1);
		// The cancel reached a statement that completed anyway: not returned to the pool
		assertThat(pool.evicted).hasSize(1);
	}

	@Test
	void cancelTheDriverIgnoredIsRepeatedWhileTheExecutionLasts() throws Exception {
		FakeDataSource pool = new FakeDataSource();
		BlockingStatement blocking = pool.next(new BlockingStatement().ignoringFirstCancel());
		ContextAwareDataSource dataSource = new ContextAwareDataSource(pool, this.listener);
		CancellableContext context = Context.background().withCancel();
		Future<?> execution = queryOnConnectionOfItsOwn(dataSource, context);
		blocking.awaitExecuting();
		context.cancel();
		assertThat(failureOf(execution)).isInstanceOf(ContextCancelledSQLException.class);
		assertThat(blocking.cancels()).isGreaterThanOrEqualTo(2);
		assertThat(this.cancelled).hasValue(1);
		// A repeated cancel may come after the driver stopped the statement, which H2
		// would remember: not returned to the pool
		assertThat(pool.evicted).hasSize(1);
	}

	@Test
	void endOfContextAfterTheExecutionCancelsNothing() throws Exception {
		FakeDataSource pool = new FakeDataSource();
		BlockingStatement blocking = pool.next(new BlockingStatement());
		ContextAwareDataSource dataSource = new ContextAwareDataSource(pool, this.listener);
		CancellableContext context = Context.background().withCancel();
		Connection connection = context.call(dataSource::getConnection);
		Statement statement = context.call(connection::createStatement);
		Future<?> execution = this.executor.submit(() -> context.call(() -> statement.executeQuery("SELECT 1")));
		blocking.awaitExecuting();
		blocking.release();
		execution.get(10, TimeUnit.SECONDS);
		context.cancel();
		// The guard is still registered (the connection is open): its action runs and
		// finds nothing executing
		TimeUnit.MILLISECONDS.sleep(200);
		assertThat(blocking.cancels()).isZero();
		assertThatExceptionOfType(ContextCancelledSQLException.class)
			.isThrownBy(() -> context.call(() -> statement.executeQuery("SELECT 1")));
		assertThat(this.rejected).hasValue(1);
		connection.close();
		assertThat(pool.evicted).isEmpty();
	}

	@Test
	void queryTimeoutFollowsTheDeadlineOfTheCheckoutContext() throws Exception {
		FakeDataSource pool = new FakeDataSource();
		ContextAwareDataSource dataSource = new ContextAwareDataSource(pool, this.listener);
		try (CancellableContext context = Context.background().withTimeout(Duration.ofMillis(2500))) {
			context.call(() -> {
				try (Connection connection = dataSource.getConnection();
						PreparedStatement statement = connection.prepareStatement("SELECT 1")) {
					statement.executeQuery();
					RecordingJdbc recorder = RecordingJdbc.of(((ContextAwareStatement<?>) statement).target);
					// The recording statement's timeout is 42 s: set to 3 s, then restored
					assertThat(recorder.calls()).filteredOn((call) -> call.method().getName().equals("setQueryTimeout"))
						.extracting((call) -> call.args()[0])
						.containsExactly(3, 42);
				}
				return null;
			});
		}
	}

	@Test
	void guardInterruptsTheAcquiringThreadOnlyDuringTheWait() {
		try (CancellableContext context = Context.background().withCancel()) {
			ConnectionGuard waiting = ConnectionGuard.checkout(context);
			waiting.run();
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
			assertThat(waiting.acquired()).isTrue();
			assertThat(Thread.currentThread().isInterrupted()).isFalse();
			waiting.release();
			ConnectionGuard acquired = ConnectionGuard.checkout(context);
			assertThat(acquired).isNotSameAs(waiting);
			assertThat(acquired.acquired()).isFalse();
			acquired.run();
			assertThat(Thread.interrupted()).isFalse();
			acquired.release();
		}
	}

	/**
	 * Checks a connection out and back in under a context of its own, which replaces this
	 * thread's parked guard.
	 */
	private static void checkOutUnderAnotherContext(ContextAwareDataSource dataSource) throws Exception {
		try (CancellableContext other = Context.background().withCancel()) {
			other.call(() -> {
				dataSource.getConnection().close();
				return null;
			});
		}
	}

	private static @Nullable Throwable failureOf(Future<?> future) throws InterruptedException {
		try {
			future.get(10, TimeUnit.SECONDS);
			return null;
		}
		catch (java.util.concurrent.ExecutionException ex) {
			return ex.getCause();
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new AssertionError("Execution did not end", ex);
		}
	}

	/**
	 * Runs a query on the executor, under {@code context}, on a connection checked out
	 * for it and closed after it.
	 */
	private Future<?> queryOnConnectionOfItsOwn(DataSource dataSource, Context context) {
		return this.executor.submit(() -> context.call(() -> {
			try (Connection connection = dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				return statement.executeQuery("SELECT 1");
			}
		}));
	}

	/**
	 * A pool whose connections hand out the statements queued with {@link #next}, then
	 * recording ones; it evicts like HikariCP.
	 */
	public static final class FakeDataSource extends AbstractDataSource {

		final List<Connection> evicted = Collections.synchronizedList(new ArrayList<>());

		private final List<Statement> statements = new ArrayList<>();

		<T extends BlockingStatement> T next(T statement) {
			this.statements.add(statement.proxy());
			return statement;
		}

		@Override
		public Connection getConnection() {
			Connection recording = RecordingJdbc.create(Connection.class);
			return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
					(proxy, method, args) -> {
						String name = method.getName();
						if (name.equals("createStatement") || name.equals("prepareStatement")) {
							synchronized (this.statements) {
								if (!this.statements.isEmpty()) {
									return this.statements.remove(0);
								}
							}
						}
						return method.invoke(recording, args);
					});
		}

		@Override
		public Connection getConnection(String username, String password) {
			return getConnection();
		}

		// Found and called by ConnectionEvictor, as on HikariDataSource
		public void evictConnection(Connection connection) {
			this.evicted.add(connection);
		}

	}

	/**
	 * A driver statement whose executions block until it is cancelled (then fail like a
	 * cancelled query, SQLState 57014) or {@linkplain #release() released}.
	 */
	static class BlockingStatement {

		private final CountDownLatch executing = new CountDownLatch(1);

		private final CountDownLatch cancelEntered = new CountDownLatch(1);

		private final CountDownLatch wake = new CountDownLatch(1);

		private final AtomicInteger cancels = new AtomicInteger();

		private volatile CountDownLatch cancelMayReturn = new CountDownLatch(0);

		private volatile boolean completeDespiteCancel;

		private volatile boolean ignoreFirstCancel;

		BlockingStatement completingDespiteCancel() {
			this.completeDespiteCancel = true;
			return this;
		}

		/**
		 * Ignores the first cancel, as a driver does that has not sent the statement yet.
		 */
		BlockingStatement ignoringFirstCancel() {
			this.ignoreFirstCancel = true;
			return this;
		}

		CountDownLatch holdCancel() {
			this.cancelMayReturn = new CountDownLatch(1);
			return this.cancelMayReturn;
		}

		void awaitExecuting() throws InterruptedException {
			assertThat(this.executing.await(10, TimeUnit.SECONDS)).as("executing").isTrue();
		}

		void awaitCancelEntered() throws InterruptedException {
			assertThat(this.cancelEntered.await(10, TimeUnit.SECONDS)).as("cancel entered").isTrue();
		}

		void release() {
			this.wake.countDown();
		}

		int cancels() {
			return this.cancels.get();
		}

		Statement proxy() {
			Statement recording = RecordingJdbc.create(PreparedStatement.class);
			return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(),
					new Class<?>[] { PreparedStatement.class }, (proxy, method, args) -> {
						String name = method.getName();
						if (name.startsWith("execute")) {
							return execute(method.getReturnType() == ResultSet.class);
						}
						if (name.equals("cancel")) {
							if (this.cancels.incrementAndGet() == 1 && this.ignoreFirstCancel) {
								return null;
							}
							this.cancelEntered.countDown();
							this.wake.countDown();
							this.cancelMayReturn.await();
							return null;
						}
						if (name.equals("getFetchSize") || name.equals("getQueryTimeout")) {
							return 0;
						}
						return method.invoke(recording, args);
					});
		}

		private @Nullable Object execute(boolean query) throws Exception {
			this.executing.countDown();
			this.wake.await();
			if (this.cancelEntered.getCount() == 0 && !this.completeDespiteCancel) {
				throw new SQLException("canceling statement due to user request", "57014");
			}
			return query ? RecordingJdbc.create(ResultSet.class) : null;
		}

	}

}
