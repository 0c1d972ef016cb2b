package dev.ctx.boot.autoconfigure.task;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.ctx.Context;
import dev.ctx.ContextKey;

import org.springframework.scheduling.annotation.Async;

/**
 * {@code @Async} methods of every shape, recording what they saw.
 */
public class AsyncTestService {

	static final ContextKey<String> ID = ContextKey.named("id");

	private final Probe probe;

	public AsyncTestService(Probe probe) {
		this.probe = probe;
	}

	/**
	 * What the methods saw; a separate object, because fields of the CGLIB proxy are not
	 * the target's.
	 */
	static final class Probe {

		final AtomicReference<Context> fireAndForgetSeen = new AtomicReference<>();

		final AtomicReference<Thread> lastThread = new AtomicReference<>();

		final AtomicInteger runs = new AtomicInteger();

		final AtomicBoolean interrupted = new AtomicBoolean();

		final CountDownLatch blockedStarted = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final CountDownLatch blockedEnded = new CountDownLatch(1);

	}

	@Async
	public CompletableFuture<Context> current() {
		this.probe.runs.incrementAndGet();
		this.probe.lastThread.set(Thread.currentThread());
		return CompletableFuture.completedFuture(Context.current());
	}

	@Async
	public CompletableFuture<String> id() {
		String id = Context.current().value(ID);
		return CompletableFuture.completedFuture((id != null) ? id : "none");
	}

	@Async
	public Future<Context> currentAsFuture() {
		this.probe.runs.incrementAndGet();
		return CompletableFuture.completedFuture(Context.current());
	}

	@Async
	public CompletableFuture<Context> explicit(Context context) {
		this.probe.runs.incrementAndGet();
		return CompletableFuture.completedFuture(Context.current());
	}

	@Async
	public void fireAndForget() {
		this.probe.runs.incrementAndGet();
		this.probe.fireAndForgetSeen.set(Context.current());
	}

	@Async
	public CompletableFuture<String> block() {
		this.probe.runs.incrementAndGet();
		this.probe.blockedStarted.countDown();
		try {
			this.probe.release.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			this.probe.interrupted.set(true);
		}
		finally {
			this.probe.blockedEnded.countDown();
		}
		return CompletableFuture.completedFuture("released");
	}

	@Async
	public Future<String> blockAsFuture() {
		return block();
	}

	static Duration timeout() {
		return Duration.ofSeconds(20);
	}

}
