package dev.ctx;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scope discipline: {@link Context#attach()} and {@link Scope#close()} on one thread.
 */
class ScopeTests {

	private static final ContextKey<Object> KEY = ContextKey.named("payload");

	// Held strongly: JUL keeps loggers weakly, the handler would go with it
	private static final Logger storageLogger = Logger.getLogger(ContextStorage.class.getName());

	private final List<LogRecord> records = new CopyOnWriteArrayList<>();

	private final Handler handler = new Handler() {

		@Override
		public void publish(LogRecord record) {
			ScopeTests.this.records.add(record);
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	@BeforeEach
	void captureLogs() {
		storageLogger.addHandler(this.handler);
	}

	@AfterEach
	void releaseLogs() {
		storageLogger.removeHandler(this.handler);
	}

	@Test
	void nestedScopesShouldRestoreInReverseOrder() {
		Context a = Context.background().withValue(KEY, "a");
		CancellableContext b = a.withCancel();
		assertThat(Context.current()).isSameAs(Context.background());
		try (Scope outer = a.attach()) {
			assertThat(Context.current()).isSameAs(a);
			try (Scope inner = b.attach()) {
				assertThat(Context.current()).isSameAs(b.readOnly());
			}
			assertThat(Context.current()).isSameAs(a);
		}
		assertThat(Context.current()).isSameAs(Context.background());
		assertThat(this.records).isEmpty();
		b.cancel();
	}

	@Test
	void outOfOrderCloseShouldLogAndRestoreWhatWasCurrentAtOpening() throws InterruptedException {
		// On a thread of its own: out-of-order closing leaves the thread with a context
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread thread = new Thread(() -> {
			try {
				Context a = Context.background().withValue(KEY, "a");
				Context b = a.withValue(KEY, "b");
				Scope scopeA = a.attach();
				Scope scopeB = b.attach();
				scopeA.close();
				assertThat(this.records).hasSize(1);
				LogRecord record = this.records.get(0);
				assertThat(record.getLevel()).isEqualTo(Level.WARNING);
				assertThat(record.getMessage()).contains("out of order");
				assertThat(record.getThrown()).isInstanceOf(IllegalStateException.class);
				assertThat(Context.current()).isSameAs(Context.background());
				scopeB.close();
				assertThat(this.records).hasSize(2);
				// B restores what was current when it was opened: A
				assertThat(Context.current()).isSameAs(a);
			}
			catch (Throwable ex) {
				failure.set(ex);
			}
		});
		thread.start();
		thread.join(30_000);
		assertThat(failure.get()).isNull();
	}

	@Test
	void closingTwiceShouldHaveNoEffect() {
		Context a = Context.background().withValue(KEY, "a");
		Context b = Context.background().withValue(KEY, "b");
		Scope scopeA = a.attach();
		scopeA.close();
		try (Scope scopeB = b.attach()) {
			scopeA.close();
			assertThat(Context.current()).isSameAs(b);
		}
		assertThat(Context.current()).isSameAs(Context.background());
		assertThat(this.records).isEmpty();
	}

	@Test
	void outermostCloseShouldLeaveNothingOnTheThread() {
		WeakReference<Object> payload = attachAndCloseOnThisThread();
		// This thread lives on, like a pooled servlet thread: it must not pin the context
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
			System.gc();
			return payload.get() == null;
		});
		assertThat(Context.current()).isSameAs(Context.background());
	}

	private static WeakReference<Object> attachAndCloseOnThisThread() {
		Object payload = new byte[1024];
		CancellableContext ctx = Context.background().withValue(KEY, payload).withCancel();
		try (Scope outer = ctx.attach()) {
			try (Scope inner = ctx.withValue(KEY, "inner").attach()) {
				assertThat(Context.current().value(KEY)).isEqualTo("inner");
			}
			assertThat(Context.current().value(KEY)).isSameAs(payload);
		}
		ctx.cancel();
		return new WeakReference<>(payload);
	}

}
