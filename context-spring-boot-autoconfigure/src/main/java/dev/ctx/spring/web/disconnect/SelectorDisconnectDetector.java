package dev.ctx.spring.web.disconnect;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * {@link DisconnectDetector} for Linux on any JDK from 17, needing no JVM flags. A single
 * daemon thread registers the connection of every request older than the grace period
 * with its own {@link Selector} for {@code OP_READ}: the container keeps its own
 * registration, and nothing is ever read, so readiness is only a trigger. Between its
 * periodic rounds (one every poll interval, which register new requests and poll HTTP/2
 * stream probes) the thread blocks in {@link Selector#select(long)}, so a registered
 * connection that becomes ready is looked at immediately, not at the next round.
 * Readiness is ambiguous (a pipelined request, unread body bytes, EOF or RST), so a
 * triggered connection is confirmed against the kernel's TCP table for its own 4-tuple:
 * {@code CLOSE_WAIT} means the client sent FIN, a missing row means it reset the
 * connection. A connection that stays ready but alive (pipelined data) is confirmed at
 * most once per second and left out of the selection in between. HTTP/2 requests use
 * the container's stream probes instead.
 * <p>
 * The end of a request is a handshake: {@link Watch#close()} takes the watch's lock and
 * sets {@code done}; the watcher only touches a request (and runs its callback) while
 * holding that lock with {@code done} unset, and only ever {@code tryLock}s, so it never
 * delays a request thread except while a callback runs.
 */
final class SelectorDisconnectDetector implements DisconnectDetector {

	private static final Log logger = LogFactory.getLog(SelectorDisconnectDetector.class);

	private static final long CONFIRM_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final List<ContainerAdapter> adapters;

	private final long pollNanos;

	private final long graceNanos;

	private final boolean halfCloseMeansGone;

	private final Set<RequestWatch> watches = ConcurrentHashMap.newKeySet();

	private final Set<String> loggedUnsupported = ConcurrentHashMap.newKeySet();

	private final Object lifecycleMonitor = new Object();

	private volatile @Nullable Thread thread;

	private volatile boolean idle;

	private volatile boolean closed;

	// Set by a push probe: run a round now rather than at the next periodic one
	private volatile boolean roundRequested;

	private volatile @Nullable Selector selector;

	// Written by the watcher thread only
	private volatile long rounds;

	SelectorDisconnectDetector(DisconnectDetectionSettings settings, List<ContainerAdapter> adapters) {
		Assert.notEmpty(adapters, "'adapters' must not be empty");
		this.adapters = List.copyOf(adapters);
		this.pollNanos = settings.pollInterval().toNanos();
		this.graceNanos = settings.grace().toNanos();
		this.halfCloseMeansGone = settings.isHalfCloseMeansGone();
	}

	@Override
	public Watch watch(HttpServletRequest request, Runnable onDisconnect) {
		Assert.notNull(request, "'request' must not be null");
		Assert.notNull(onDisconnect, "'onDisconnect' must not be null");
		Thread watcher = this.thread;
		if (watcher == null) {
			watcher = start();
			if (watcher == null) {
				return NoOpWatch.INSTANCE;
			}
		}
		RequestWatch watch = new RequestWatch(this, request, onDisconnect, System.nanoTime());
		this.watches.add(watch);
		if (this.idle) {
			LockSupport.unpark(watcher);
		}
		return watch;
	}

	@Override
	public boolean isAvailable() {
		return !this.closed;
	}

	@Override
	public void close() {
		Thread watcher;
		synchronized (this.lifecycleMonitor) {
			this.closed = true;
			watcher = this.thread;
		}
		if (watcher != null) {
			wakeUp();
			try {
				watcher.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Returns the number of requests currently watched, for tests.
	 * @return the number of open watches
	 */
	int watchCount() {
		return this.watches.size();
	}

	/**
	 * Returns how many rounds the watcher has run, for tests: readiness that is not a
	 * disconnect must not keep waking it.
	 * @return the number of rounds so far
	 */
	long roundCount() {
		return this.rounds;
	}

	private @Nullable Thread start() {
		synchronized (this.lifecycleMonitor) {
			if (this.closed) {
				return null;
			}
			if (this.thread == null) {
				try {
					this.selector = Selector.open();
				}
				catch (IOException ex) {
					logger.warn("Client disconnect detection disabled: cannot open a selector", ex);
					this.closed = true;
					return null;
				}
				// Usually started from a request thread: inherit neither its inheritable
				// thread-locals nor its (web application) context class loader
				Thread watcher = new Thread(null, this::run, "context-disconnect-watcher", 0, false);
				watcher.setContextClassLoader(SelectorDisconnectDetector.class.getClassLoader());
				watcher.setDaemon(true);
				watcher.start();
				this.thread = watcher;
			}
			return this.thread;
		}
	}

	private void run() {
		Selector selector = this.selector;
		Assert.state(selector != null, "No selector");
		try {
			long nextRound = System.nanoTime();
			while (!this.closed) {
				if (this.watches.isEmpty() && selector.keys().isEmpty()) {
					this.idle = true;
					if (this.watches.isEmpty() && !this.closed) {
						LockSupport.park(this);
					}
					this.idle = false;
					nextRound = System.nanoTime();
					continue;
				}
				long now = System.nanoTime();
				boolean periodic = now - nextRound >= 0;
				if (periodic || this.roundRequested || !selector.selectedKeys().isEmpty()) {
					this.roundRequested = false;
					try {
						round(selector, now);
					}
					catch (RuntimeException | IOException ex) {
						logger.warn("Client disconnect detection round failed", ex);
					}
					if (periodic) {
						nextRound = now + this.pollNanos;
					}
				}
				awaitReadiness(selector, nextRound);
			}
		}
		finally {
			try {
				selector.close();
			}
			catch (IOException ex) {
				logger.debug("Failed to close disconnect detection selector", ex);
			}
		}
	}

	/**
	 * Blocks until a registered connection becomes ready, the selector is woken up or the
	 * next periodic round is due. Readiness wakes the watcher at once, so a disconnect is
	 * seen when the kernel reports it rather than at the next round: down a chain of
	 * services each hop would otherwise add up to one poll interval.
	 */
	private void awaitReadiness(Selector selector, long nextRound) {
		long wait = nextRound - System.nanoTime();
		if (wait <= 0 || this.closed || this.roundRequested) {
			return;
		}
		try {
			// select(0) would block without a timeout: wait at least a millisecond
			selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
		}
		catch (IOException | ClosedSelectorException ex) {
			logger.debug("Disconnect detection select failed", ex);
			LockSupport.parkNanos(this, wait);
		}
	}

	/**
	 * Wakes the watcher: parked when idle, or blocked waiting for readiness.
	 */
	private void wakeUp() {
		Thread watcher = this.thread;
		if (watcher != null) {
			LockSupport.unpark(watcher);
		}
		Selector selector = this.selector;
		if (selector != null) {
			selector.wakeup();
		}
	}

	private void round(Selector selector, long now) throws IOException {
		this.rounds++;
		// Flushes keys cancelled since the last round: the JDK defers closing a channel's
		// fd until every selector it was registered with has deregistered it
		selector.selectNow();
		selector.selectedKeys().clear();
		for (RequestWatch watch : this.watches) {
			if (now - watch.startNanos >= this.graceNanos) {
				watch.prepare(selector, now);
			}
		}
		selector.selectNow();
		Set<SelectionKey> ready = selector.selectedKeys();
		List<RequestWatch> toConfirm = null;
		for (RequestWatch watch : this.watches) {
			if (watch.check(ready, now)) {
				if (toConfirm == null) {
					toConfirm = new ArrayList<>();
				}
				toConfirm.add(watch);
			}
		}
		ready.clear();
		if (toConfirm != null) {
			confirm(toConfirm);
		}
	}

	private void confirm(List<RequestWatch> toConfirm) throws IOException {
		Set<String> wanted = new HashSet<>();
		for (RequestWatch watch : toConfirm) {
			for (String key : watch.tcpKeys) {
				wanted.add(key);
			}
		}
		// Read outside any watch lock: this costs milliseconds
		Map<String, Integer> states = TcpTable.read(wanted, toConfirm.size());
		long next = System.nanoTime() + CONFIRM_BACKOFF_NANOS;
		for (RequestWatch watch : toConfirm) {
			int state = TcpTable.stateOf(states, watch.tcpKeys);
			watch.confirmed(state, next);
		}
	}

	private boolean isGone(int state) {
		return switch (state) {
			case TcpTable.MISSING -> true;
			// CLOSE_WAIT: FIN received; CLOSE, LAST_ACK, CLOSING: FIN received and the
			// connection is being torn down
			case TcpTable.CLOSE_WAIT -> this.halfCloseMeansGone;
			case 0x07, 0x09, 0x0B -> true;
			default -> false;
		};
	}

	private void logUnsupported(HttpServletRequest request) {
		String type = request.getClass().getName();
		if (this.loggedUnsupported.add(type)) {
			logger.info("Client disconnect detection is not available for requests of type " + type
					+ " (supported: " + this.adapters.stream().map(ContainerAdapter::name).toList()
					+ " with NIO connectors)");
		}
	}

	private @Nullable ConnectionHandle resolve(HttpServletRequest request) {
		for (ContainerAdapter adapter : this.adapters) {
			try {
				ConnectionHandle handle = adapter.resolve(request);
				if (handle != null) {
					return handle;
				}
			}
			catch (Exception | LinkageError ex) {
				if (this.loggedUnsupported.add(adapter.name() + ":" + ex.getClass().getName())) {
					logger.warn("Client disconnect detection failed to reach the connection on " + adapter.name(),
							ex);
				}
			}
		}
		logUnsupported(request);
		return null;
	}

	/**
	 * The state of one watched request. Fields other than the lifecycle flags are only
	 * used by the watcher thread under {@link #lock}.
	 */
	private static final class RequestWatch implements Watch {

		private static final String[] NO_KEYS = {};

		private final SelectorDisconnectDetector detector;

		private final ReentrantLock lock = new ReentrantLock();

		private final long startNanos;

		private @Nullable HttpServletRequest request;

		private @Nullable Runnable onDisconnect;

		private boolean done;

		// The watcher gave up on this request: notified, committed or unsupported
		private boolean finished;

		private @Nullable ConnectionHandle handle;

		private @Nullable SelectionKey key;

		private String[] tcpKeys = NO_KEYS;

		private long nextConfirmNanos;

		private volatile boolean streamFailed;

		RequestWatch(SelectorDisconnectDetector detector, HttpServletRequest request, Runnable onDisconnect,
				long startNanos) {
			this.detector = detector;
			this.request = request;
			this.onDisconnect = onDisconnect;
			this.startNanos = startNanos;
		}

		@Override
		public void close() {
			SelectionKey key;
			this.lock.lock();
			try {
				if (this.done) {
					return;
				}
				this.done = true;
				key = this.key;
				this.key = null;
				this.request = null;
				this.onDisconnect = null;
				this.handle = null;
			}
			finally {
				this.lock.unlock();
			}
			this.detector.watches.remove(this);
			if (key != null) {
				key.cancel();
				// Let the watcher deregister the key now, so that the container's close
				// of the channel is not deferred by our registration
				this.detector.wakeUp();
			}
		}

		/** Resolves the connection and registers it, once the grace period has passed. */
		void prepare(Selector selector, long now) {
			if (!this.lock.tryLock()) {
				return;
			}
			try {
				if (this.done || this.finished) {
					return;
				}
				HttpServletRequest request = this.request;
				Assert.state(request != null, "No request");
				if (this.handle == null) {
					this.handle = this.detector.resolve(request);
					if (this.handle == null) {
						this.finished = true;
						return;
					}
					this.handle.onStreamFailure(this::streamFailed);
				}
				ConnectionHandle handle = this.handle;
				if (handle.isCommitted()) {
					stopProbing();
					return;
				}
				SocketChannel channel = handle.socketChannel();
				SelectionKey key = this.key;
				if (key != null && !key.isValid() && channel != null && channel.isOpen()) {
					// HTTP/2 streams of one connection share one key with our selector, and
					// the first stream to end cancels it: register again
					this.key = null;
				}
				if (channel != null && this.key == null) {
					register(selector, channel);
				}
				else if (this.key != null && now - this.nextConfirmNanos >= 0) {
					unmute(this.key);
				}
			}
			finally {
				this.lock.unlock();
			}
		}

		private void register(Selector selector, SocketChannel channel) {
			try {
				this.tcpKeys = TcpTable.keys((InetSocketAddress) channel.getLocalAddress(),
						(InetSocketAddress) channel.getRemoteAddress());
				this.key = channel.register(selector, SelectionKey.OP_READ, this);
			}
			catch (CancelledKeyException ex) {
				// The previous request's key on this keep-alive connection is not flushed
				// yet: try again next round
			}
			catch (ClosedChannelException | ClosedSelectorException ex) {
				this.finished = true;
			}
			catch (IOException | IllegalBlockingModeException | ClassCastException | NullPointerException ex) {
				// Not a TCP socket (Unix domain) or a blocking channel: nothing to probe
				logger.debug("Cannot watch connection " + channel, ex);
				this.finished = true;
			}
		}

		/**
		 * Checks the cheap probes.
		 * @return whether the connection is ready and needs a TCP table confirmation
		 */
		boolean check(Set<SelectionKey> ready, long now) {
			if (!this.lock.tryLock()) {
				return false;
			}
			try {
				if (this.done || this.finished || this.handle == null) {
					return false;
				}
				if (this.streamFailed || this.handle.isStreamGone()) {
					notifyDisconnect();
					return false;
				}
				SelectionKey key = this.key;
				if (key != null && this.handle.isMultiplexed() && !key.channel().isOpen()) {
					notifyDisconnect();
					return false;
				}
				if (key == null || !ready.contains(key)) {
					return false;
				}
				if (now - this.nextConfirmNanos >= 0) {
					return true;
				}
				// Ready but alive when last confirmed (pipelined data, unread body): stop
				// listening until the back-off ends, or readiness would wake the watcher
				// again and again
				mute(key);
				return false;
			}
			finally {
				this.lock.unlock();
			}
		}

		void confirmed(int state, long nextConfirmNanos) {
			if (!this.lock.tryLock()) {
				return;
			}
			try {
				if (this.done || this.finished) {
					return;
				}
				SelectionKey key = this.key;
				if (key == null || !key.channel().isOpen()) {
					if (key != null && this.handle != null && this.handle.isMultiplexed()) {
						// The container closed a connection with streams still in flight
						notifyDisconnect();
					}
					else {
						// The container closed the connection itself: the request is ending
						stopProbing();
					}
					return;
				}
				if (this.handle != null && this.handle.isCommitted()) {
					// Committed while the table was read: the client may have closed
					// after reading a complete response
					stopProbing();
				}
				else if (this.detector.isGone(state)) {
					notifyDisconnect();
				}
				else {
					this.nextConfirmNanos = nextConfirmNanos;
					mute(key);
				}
			}
			finally {
				this.lock.unlock();
			}
		}

		private void streamFailed() {
			this.streamFailed = true;
			this.detector.roundRequested = true;
			this.detector.wakeUp();
		}

		private static void mute(SelectionKey key) {
			try {
				key.interestOps(0);
			}
			catch (CancelledKeyException ex) {
				// Ending: nothing to listen to
			}
		}

		private static void unmute(SelectionKey key) {
			try {
				if (key.interestOps() == 0) {
					key.interestOps(SelectionKey.OP_READ);
				}
			}
			catch (CancelledKeyException ex) {
				// Ending: nothing to listen to
			}
		}

		private void stopProbing() {
			this.finished = true;
			SelectionKey key = this.key;
			if (key != null) {
				key.cancel();
				this.key = null;
			}
		}

		// Runs under the lock, so that close() cannot return while the callback runs
		private void notifyDisconnect() {
			stopProbing();
			Runnable callback = this.onDisconnect;
			this.onDisconnect = null;
			if (callback != null) {
				try {
					callback.run();
				}
				catch (RuntimeException ex) {
					logger.warn("Client disconnect callback failed", ex);
				}
			}
		}

	}

	/**
	 * The watch returned when detection is unavailable.
	 */
	enum NoOpWatch implements Watch {

		INSTANCE;

		@Override
		public void close() {
		}

	}

}
