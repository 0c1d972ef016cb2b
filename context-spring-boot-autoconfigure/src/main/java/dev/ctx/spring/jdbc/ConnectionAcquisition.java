package dev.ctx.spring.jdbc;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Interrupts a thread waiting for a pooled connection when its context is done, but only
 * during the wait. Pools honour interruption (HikariCP fails the wait with "Interrupted
 * during connection acquisition") while their own timeout is global: a bounded wait per
 * call is not available. The lock makes sure the interrupt never lands after the wait
 * ended, and tells the waiting thread whether to clear the interrupt it caused.
 */
final class ConnectionAcquisition implements Runnable {

	private final Thread thread;

	private final ReentrantLock lock = new ReentrantLock();

	// Guarded by lock
	private boolean waiting = true;

	// Guarded by lock
	private boolean interrupted;

	ConnectionAcquisition(Thread thread) {
		this.thread = thread;
	}

	@Override
	public void run() {
		this.lock.lock();
		try {
			if (this.waiting) {
				this.interrupted = true;
				this.thread.interrupt();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Ends the wait and clears the interrupt this acquisition caused, if any.
	 * @return whether the waiting thread was interrupted by the context
	 */
	boolean end() {
		this.lock.lock();
		try {
			this.waiting = false;
			if (this.interrupted) {
				Thread.interrupted();
			}
			return this.interrupted;
		}
		finally {
			this.lock.unlock();
		}
	}

}
