package dev.ctx;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deadline arithmetic on a {@link FakeClock}. Every test runs with the monotonic time
 * starting at the epochs grpc's {@code DeadlineTest} uses, so that a deadline computed
 * as {@code now + timeout} overflows {@code long} in some of them.
 */
class DeadlineTests {

	private static final Duration HUNDRED_YEARS = Duration.ofNanos(ContextClock.MAX_OFFSET_NANOS);

	@ParameterizedTest(name = "epoch={0}")
	@ValueSource(longs = { Long.MAX_VALUE / 2, 0, Long.MAX_VALUE, Long.MIN_VALUE })
	void withTimeoutShouldExpireExactlyWhenClockReachesDeadline(long epoch) {
		FakeClock clock = new FakeClock(epoch);
		CancellableContext ctx = clock.root().withTimeout(Duration.ofSeconds(10));
		assertThat(ctx.remaining()).contains(Duration.ofSeconds(10));
		clock.advance(Duration.ofSeconds(10).minusNanos(1));
		assertThat(ctx.isDone()).isFalse();
		assertThat(ctx.remaining()).contains(Duration.ofNanos(1));
		clock.advance(Duration.ofNanos(1));
		assertThat(ctx.isDone()).isTrue();
		assertThat(ctx.err()).isInstanceOf(DeadlineExceededException.class);
		assertThat(ctx.cause()).isSameAs(ctx.err());
		assertThat(ctx.remaining()).contains(Duration.ZERO);
		assertThat(clock.pendingTimers()).isZero();
	}

	@ParameterizedTest(name = "epoch={0}")
	@ValueSource(longs = { Long.MAX_VALUE / 2, 0, Long.MAX_VALUE, Long.MIN_VALUE })
	void deadlineShouldBeStableAndRemainingNeverNegative(long epoch) {
		FakeClock clock = new FakeClock(epoch);
		CancellableContext ctx = clock.root().withTimeout(Duration.ofMillis(1500));
		Instant expected = FakeClock.ORIGIN.plusMillis(1500);
		assertThat(ctx.deadline()).contains(expected);
		clock.advance(Duration.ofMillis(500));
		assertThat(ctx.deadline()).contains(expected);
		assertThat(ctx.readOnly().deadline()).contains(expected);
		assertThat(ctx.remaining()).contains(Duration.ofSeconds(1));
		// Cancelled: the timer is gone, so the time passes the deadline with no expiry
		ctx.cancel();
		clock.advance(Duration.ofDays(365));
		assertThat(ctx.deadline()).contains(expected);
		assertThat(ctx.remaining()).contains(Duration.ZERO);
		assertThat(ctx.err()).isInstanceOf(ContextCancelledException.class);
	}

	@ParameterizedTest(name = "epoch={0}")
	@ValueSource(longs = { Long.MAX_VALUE / 2, 0, Long.MAX_VALUE, Long.MIN_VALUE })
	void withDeadlineShouldConvertInstantToMonotonicTimeOnce(long epoch) {
		FakeClock clock = new FakeClock(epoch);
		clock.advance(Duration.ofHours(3));
		Instant deadline = clock.now().plusSeconds(5);
		CancellableContext ctx = clock.root().withDeadline(deadline);
		assertThat(ctx.deadline()).contains(deadline);
		assertThat(ctx.remaining()).contains(Duration.ofSeconds(5));
		clock.advance(Duration.ofSeconds(4));
		assertThat(ctx.isDone()).isFalse();
		clock.advance(Duration.ofSeconds(1));
		assertThat(ctx.err()).isInstanceOf(DeadlineExceededException.class);
	}

	@ParameterizedTest(name = "epoch={0}")
	@ValueSource(longs = { Long.MAX_VALUE / 2, 0, Long.MAX_VALUE, Long.MIN_VALUE })
	void pastOrPresentDeadlineShouldBeDoneAtBirth(long epoch) {
		FakeClock clock = new FakeClock(epoch);
		Context root = clock.root();
		assertDoneAtBirth(root.withTimeout(Duration.ZERO));
		assertDoneAtBirth(root.withTimeout(Duration.ofNanos(-1)));
		assertDoneAtBirth(root.withTimeout(Duration.ofSeconds(Long.MIN_VALUE)));
		assertDoneAtBirth(root.withDeadline(clock.now()));
		assertDoneAtBirth(root.withDeadline(clock.now().minusNanos(1)));
		assertDoneAtBirth(root.withDeadline(Instant.MIN));
		assertThat(clock.pendingTimers()).isZero();
	}

	private static void assertDoneAtBirth(CancellableContext ctx) {
		assertThat(ctx.isDone()).isTrue();
		assertThat(ctx.err()).isInstanceOf(DeadlineExceededException.class);
		assertThat(ctx.remaining()).contains(Duration.ZERO);
		assertThat(ctx.done().toCompletableFuture()).isCompleted();
	}

	@ParameterizedTest(name = "epoch={0}")
	@ValueSource(longs = { Long.MAX_VALUE / 2, 0, Long.MAX_VALUE, Long.MIN_VALUE })
	void hugeTimeoutsShouldBeClampedToHundredYears(long epoch) {
		FakeClock clock = new FakeClock(epoch);
		Context root = clock.root();
		CancellableContext days = root.withTimeout(Duration.ofDays(1_000_000));
		CancellableContext max = root.withTimeout(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999));
		CancellableContext instantMax = root.withDeadline(Instant.MAX);
		for (CancellableContext ctx : new CancellableContext[] { days, max, instantMax }) {
			assertThat(ctx.remaining()).contains(HUNDRED_YEARS);
			assertThat(ctx.deadline()).contains(FakeClock.ORIGIN.plus(HUNDRED_YEARS));
			assertThat(ctx.isDone()).isFalse();
		}
		// A deadline past the overflow point must not read as one in the past
		clock.advance(HUNDRED_YEARS.minusDays(1));
		assertThat(days.isDone()).isFalse();
		assertThat(days.remaining()).contains(Duration.ofDays(1));
		clock.advance(Duration.ofDays(1));
		assertThat(days.err()).isInstanceOf(DeadlineExceededException.class);
		assertThat(max.err()).isInstanceOf(DeadlineExceededException.class);
		assertThat(instantMax.err()).isInstanceOf(DeadlineExceededException.class);
	}

	@ParameterizedTest(name = "epoch={0}")
	@ValueSource(longs = { Long.MAX_VALUE / 2, 0, Long.MAX_VALUE, Long.MIN_VALUE })
	void childDeadlineShouldNeverBeLaterThanParents(long epoch) {
		FakeClock clock = new FakeClock(epoch);
		CancellableContext parent = clock.root().withTimeout(Duration.ofSeconds(5));
		CancellableContext later = parent.withTimeout(Duration.ofSeconds(10));
		CancellableContext huge = parent.withTimeout(Duration.ofDays(1_000_000));
		CancellableContext plain = parent.withValue(ContextKey.named("k"), "v").withCancel();
		CancellableContext earlier = parent.withTimeout(Duration.ofSeconds(2));
		Instant parentDeadline = FakeClock.ORIGIN.plusSeconds(5);
		assertThat(later.deadline()).contains(parentDeadline);
		assertThat(huge.deadline()).contains(parentDeadline);
		assertThat(plain.deadline()).contains(parentDeadline);
		assertThat(earlier.deadline()).contains(FakeClock.ORIGIN.plusSeconds(2));
		// Only the parent and the earlier child need timers
		assertThat(clock.pendingTimers()).isEqualTo(2);
		clock.advance(Duration.ofSeconds(2));
		assertThat(earlier.err()).isInstanceOf(DeadlineExceededException.class);
		assertThat(parent.isDone()).isFalse();
		assertThat(later.isDone()).isFalse();
		clock.advance(Duration.ofSeconds(3));
		assertThat(parent.err()).isInstanceOf(DeadlineExceededException.class);
		assertThat(later.err()).isSameAs(parent.err());
		assertThat(huge.err()).isSameAs(parent.err());
		assertThat(plain.err()).isSameAs(parent.err());
		assertThat(earlier.err()).isNotSameAs(parent.err());
		assertThat(clock.pendingTimers()).isZero();
	}

	@ParameterizedTest(name = "epoch={0}")
	@ValueSource(longs = { Long.MAX_VALUE / 2, 0, Long.MAX_VALUE, Long.MIN_VALUE })
	void cancelBeforeDeadlineShouldGiveCancelledAndStopTheTimer(long epoch) {
		FakeClock clock = new FakeClock(epoch);
		RuntimeException tooSlow = new RuntimeException("tooSlow");
		CancellableContext ctx = clock.root().withTimeout(Duration.ofSeconds(1), tooSlow);
		assertThat(clock.pendingTimers()).isOne();
		ctx.cancel();
		assertThat(clock.pendingTimers()).isZero();
		clock.advance(Duration.ofSeconds(2));
		assertThat(ctx.err()).isInstanceOf(ContextCancelledException.class);
		assertThat(ctx.cause()).isSameAs(ctx.err());
	}

	@ParameterizedTest(name = "epoch={0}")
	@ValueSource(longs = { Long.MAX_VALUE / 2, 0, Long.MAX_VALUE, Long.MIN_VALUE })
	void deadlineCauseShouldBeReportedWhenTheDeadlinePasses(long epoch) {
		FakeClock clock = new FakeClock(epoch);
		RuntimeException tooSlow = new RuntimeException("tooSlow");
		CancellableContext byTimeout = clock.root().withTimeout(Duration.ofSeconds(1), tooSlow);
		CancellableContext byDeadline = clock.root().withDeadline(clock.now().plusSeconds(1), tooSlow);
		Context child = byTimeout.withValue(ContextKey.named("k"), 1);
		clock.advance(Duration.ofSeconds(1));
		assertThat(byTimeout.err()).isInstanceOf(DeadlineExceededException.class).hasCause(tooSlow);
		assertThat(byTimeout.cause()).isSameAs(tooSlow);
		assertThat(byDeadline.cause()).isSameAs(tooSlow);
		assertThat(child.cause()).isSameAs(tooSlow);
	}

	@ParameterizedTest(name = "epoch={0}")
	@ValueSource(longs = { Long.MAX_VALUE / 2, 0, Long.MAX_VALUE, Long.MIN_VALUE })
	void awaitShouldNotWaitOnceFakeDeadlinePassed(long epoch) throws InterruptedException {
		FakeClock clock = new FakeClock(epoch);
		CancellableContext ctx = clock.root().withTimeout(Duration.ofMinutes(1));
		assertThat(ctx.await(Duration.ofMillis(1))).isFalse();
		clock.advance(Duration.ofMinutes(1));
		assertThat(ctx.await(Duration.ZERO)).isTrue();
		ctx.await();
	}

	@ParameterizedTest(name = "epoch={0}")
	@ValueSource(longs = { Long.MAX_VALUE / 2, 0, Long.MAX_VALUE, Long.MIN_VALUE })
	void toStringShouldShowDeadlineAndRemainingTime(long epoch) {
		FakeClock clock = new FakeClock(epoch);
		CancellableContext ctx = clock.root().withTimeout(Duration.ofMillis(1500));
		assertThat(ctx).hasToString("test.withDeadline(2026-01-01T00:00:01.500Z [PT1.5S])");
		clock.advance(Duration.ofSeconds(1));
		assertThat(ctx).hasToString("test.withDeadline(2026-01-01T00:00:01.500Z [PT0.5S])");
		clock.advance(Duration.ofSeconds(1));
		assertThat(ctx).hasToString("test.withDeadline(2026-01-01T00:00:01.500Z [PT0S])");
	}

	@ParameterizedTest(name = "epoch={0}")
	@ValueSource(longs = { Long.MAX_VALUE / 2, 0, Long.MAX_VALUE, Long.MIN_VALUE })
	void instantConversionShouldRoundTrip(long epoch) {
		FakeClock clock = new FakeClock(epoch);
		Instant instant = FakeClock.ORIGIN.plus(42, ChronoUnit.DAYS).plusNanos(7);
		long nanos = clock.toNanoTime(instant);
		assertThat(clock.toInstant(nanos)).isEqualTo(instant);
		assertThat(nanos - epoch).isEqualTo(TimeUnit.DAYS.toNanos(42) + 7);
	}

}
