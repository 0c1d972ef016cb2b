package dev.ctx;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing may stay registered once a context is cancelled or an action stopped: a
 * long-lived parent (an application root, a server's base context) sees millions of
 * short-lived children over its life.
 */
class LeakTests {

	private static final int COUNT = 100_000;

	@Test
	void cancelledChildrenShouldBeReleasedByLongLivedParent() {
		CancelContext parent = (CancelContext) Context.background().withCancel();
		List<WeakReference<Context>> refs = new ArrayList<>(COUNT);
		for (int i = 0; i < COUNT; i++) {
			CancellableContext child = parent.withCancel();
			refs.add(new WeakReference<>(child));
			child.cancel();
		}
		assertThat(parent.cancelerCount()).isZero();
		awaitCleared(refs);
		assertThat(parent.isDone()).isFalse();
		parent.cancel();
	}

	@Test
	void uncancelledChildrenShouldStayReachableFromParent() {
		// The counterpart that shows the measure can see a leak: children nobody cancels
		// are held by their parent until it is cancelled
		CancelContext parent = (CancelContext) Context.background().withCancel();
		List<WeakReference<Context>> refs = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			refs.add(new WeakReference<>(parent.withCancel()));
		}
		assertThat(parent.cancelerCount()).isEqualTo(10);
		System.gc();
		assertThat(refs).allMatch((ref) -> ref.get() != null);
		parent.cancel();
		assertThat(parent.cancelerCount()).isZero();
		awaitCleared(refs);
	}

	@Test
	void childrenRemovedInAnyOrderShouldLeaveExactlyTheOthersToBeTold() {
		// Children live in an array in which each knows its index, and a removed one's
		// place is taken by the last: removing in a shuffled order moves them around
		CancelContext parent = (CancelContext) Context.background().withCancel();
		int count = 1000;
		List<CancellableContext> children = new ArrayList<>();
		List<Registration> registrations = new ArrayList<>();
		AtomicInteger ran = new AtomicInteger();
		for (int i = 0; i < count; i++) {
			children.add(parent.withCancel());
			registrations.add(parent.afterDone(ran::incrementAndGet, Runnable::run));
		}
		assertThat(parent.cancelerCount()).isEqualTo(2 * count);
		Random random = new Random(42);
		Collections.shuffle(children, random);
		Collections.shuffle(registrations, random);
		List<CancellableContext> keptChildren = children.subList(0, 10);
		for (CancellableContext child : children.subList(10, count)) {
			child.cancel();
		}
		for (Registration registration : registrations.subList(10, count)) {
			assertThat(registration.stop()).isTrue();
			// Stopping twice changes nothing, also once another child took its place
			assertThat(registration.stop()).isFalse();
		}
		assertThat(parent.cancelerCount()).isEqualTo(20);
		parent.cancel();
		assertThat(keptChildren).allMatch(Context::isDone);
		assertThat(ran).hasValue(10);
		assertThat(parent.cancelerCount()).isZero();
		assertThat(registrations.subList(0, 10)).noneMatch(Registration::stop);
	}

	@Test
	void cancelledTimeoutsShouldLeaveNoTimerArmed() {
		int before = ContextClock.systemPendingTimers();
		CancelContext parent = (CancelContext) Context.background().withCancel();
		List<CancellableContext> children = new ArrayList<>(COUNT);
		for (int i = 0; i < COUNT; i++) {
			children.add(parent.withTimeout(Duration.ofHours(1)));
		}
		assertThat(ContextClock.systemPendingTimers()).isGreaterThanOrEqualTo(COUNT);
		children.forEach(CancellableContext::cancel);
		// Other tests' short timers may expire meanwhile, so "at most as many as before"
		assertThat(ContextClock.systemPendingTimers()).isLessThanOrEqualTo(before);
		assertThat(parent.cancelerCount()).isZero();
		parent.cancel();
	}

	@Test
	void timeoutsCancelledByTheirParentShouldLeaveNoTimerArmed() {
		int before = ContextClock.systemPendingTimers();
		CancellableContext parent = Context.background().withCancel();
		for (int i = 0; i < COUNT; i++) {
			parent.withTimeout(Duration.ofHours(1));
		}
		assertThat(ContextClock.systemPendingTimers()).isGreaterThanOrEqualTo(COUNT);
		parent.cancel();
		assertThat(ContextClock.systemPendingTimers()).isLessThanOrEqualTo(before);
	}

	@Test
	void stoppedRegistrationsShouldBeUnlinkedAndReleaseTheirActions() {
		CancelContext parent = (CancelContext) Context.background().withCancel();
		List<Registration> registrations = new ArrayList<>(COUNT);
		List<WeakReference<Runnable>> actions = new ArrayList<>(COUNT);
		for (int i = 0; i < COUNT; i++) {
			byte[] payload = new byte[16];
			Runnable action = () -> payload[0]++;
			actions.add(new WeakReference<>(action));
			registrations.add(parent.afterDone(action));
		}
		assertThat(parent.cancelerCount()).isEqualTo(COUNT);
		for (Registration registration : registrations) {
			assertThat(registration.stop()).isTrue();
		}
		assertThat(parent.cancelerCount()).isZero();
		// The registrations are still held, the actions must not be
		awaitCleared(actions);
		assertThat(registrations).hasSize(COUNT);
		parent.cancel();
	}

	@Test
	void actionsThatRanShouldBeReleasedByTheirRegistrations() {
		CancellableContext parent = Context.background().withCancel();
		List<Registration> registrations = new ArrayList<>();
		List<WeakReference<Runnable>> actions = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			Runnable action = new Runnable() {
				@Override
				public void run() {
				}
			};
			actions.add(new WeakReference<>(action));
			registrations.add(parent.afterDone(action, Runnable::run));
		}
		parent.cancel();
		awaitCleared(actions);
		assertThat(registrations).allMatch((registration) -> !registration.stop());
	}

	private static <T> void awaitCleared(List<WeakReference<T>> refs) {
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			System.gc();
			assertThat(refs.stream().filter((ref) -> ref.get() != null).count()).isZero();
		});
	}

}
