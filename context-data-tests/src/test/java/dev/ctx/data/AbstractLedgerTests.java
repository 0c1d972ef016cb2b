package dev.ctx.data;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import dev.ctx.CancellableContext;
import dev.ctx.Context;
import dev.ctx.ContextCancelledException;
import dev.ctx.DeadlineExceededException;
import dev.ctx.spring.jdbc.ContextAwareDataSource;
import dev.ctx.spring.jdbc.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A Spring Data application (its repositories and transactions know nothing of
 * contexts) on embedded Tomcat with HikariCP, called by a real HTTP client: the
 * request's deadline stops the repository's statement on the database, the answer is the
 * timeout response, the transaction is rolled back and the pool is healthy afterwards.
 * Subclasses choose the application (Spring Data JPA or Spring Data JDBC) and the
 * database.
 * <p>Without the starter's JDBC wrapper the slow query runs for minutes: the timeout,
 * in a thread of its own, turns that into a failure instead of a hung build.
 */
@Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
public abstract class AbstractLedgerTests {

	/** Upper bound for "at the 500 ms deadline" on a machine shared with other builds. */
	private static final Duration PROMPT = Duration.ofSeconds(3);

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@LocalServerPort
	private int port;

	// Injected by its concrete type: the wrapped pool keeps its class
	@Autowired
	private HikariDataSource pool;

	@Autowired
	private Ledger ledger;

	@Test
	void poolIsWrappedAndStillAHikariDataSource() throws Exception {
		assertThat(this.pool.isWrapperFor(ContextAwareDataSource.class)).isTrue();
		assertThat(this.pool.getMaximumPoolSize()).isEqualTo(4);
	}

	@Test
	void slowRepositoryQueryAnswersTheTimeoutResponseAtTheDeadline() throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = get("/slow");
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).contains("Deadline Exceeded");
		assertThat(elapsed).isLessThan(PROMPT);
		assertSlowQueryGone();
		assertPoolHealthy();
	}

	@Test
	void transactionStoppedAtTheDeadlineIsRolledBack() throws Exception {
		long before = this.ledger.count();
		HttpResponse<String> response = get("/write-then-slow?name=" + UUID.randomUUID());
		assertThat(response.statusCode()).isEqualTo(503);
		assertSlowQueryGone();
		assertPoolHealthy();
		assertThat(this.ledger.count()).isEqualTo(before);
	}

	@Test
	void repositoryUnderADoneContextIsRejectedAndTranslated() {
		CancellableContext done = Context.background().withCancel();
		done.cancel();
		assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> done.run(this.ledger::slowSum))
			.withRootCauseInstanceOf(ContextCancelledException.class);
		assertThat(this.ledger.count()).isGreaterThanOrEqualTo(0);
	}

	@Test
	void repositoryUnderADeadlineIsCancelledAndTranslated() throws Exception {
		long start = System.nanoTime();
		try (CancellableContext deadline = Context.background().withTimeout(Duration.ofMillis(300))) {
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> deadline.run(this.ledger::slowSum))
				.withRootCauseInstanceOf(DeadlineExceededException.class);
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
		assertPoolHealthy();
	}

	/**
	 * Asserts that the stopped statement no longer runs on the database server, where
	 * the server can tell.
	 */
	protected void assertSlowQueryGone() {
	}

	/**
	 * Points the application's data source at {@code database}; for the
	 * {@code @DynamicPropertySource} method of a subclass.
	 */
	protected static void dataSource(DynamicPropertyRegistry registry, TestDatabase database) {
		registry.add("spring.datasource.url", database::url);
		registry.add("spring.datasource.username", database::user);
		registry.add("spring.datasource.password", database::password);
	}

	/**
	 * Waits until the {@code SELECT COUNT(*)} of the server's running statements, run on a
	 * connection of its own, answers zero.
	 */
	protected static void awaitNoneRunning(TestDatabase database, String countSql) {
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(count(database, countSql)).isZero());
	}

	private static int count(TestDatabase database, String sql) throws SQLException {
		try (Connection connection = database.connect();
				PreparedStatement statement = connection.prepareStatement(sql);
				ResultSet result = statement.executeQuery()) {
			result.next();
			return result.getInt(1);
		}
	}

	private void assertPoolHealthy() throws Exception {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.pool.getHikariPoolMXBean().getActiveConnections()).isZero());
		for (int i = 0; i < 20; i++) {
			HttpResponse<String> response = get("/count");
			assertThat(response.statusCode()).isEqualTo(200);
		}
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
