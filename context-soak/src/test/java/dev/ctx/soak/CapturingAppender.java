package dev.ctx.soak;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;

/**
 * Keeps every WARN and ERROR event of the JVM, for the log check after a soak run.
 * Declared in {@code logback-test.xml}, so that it survives Spring Boot's logging
 * initialization of every application instance.
 */
public class CapturingAppender extends AppenderBase<ILoggingEvent> {

	private static final Queue<ILoggingEvent> EVENTS = new ConcurrentLinkedQueue<>();

	@Override
	protected void append(ILoggingEvent event) {
		if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
			event.prepareForDeferredProcessing();
			EVENTS.add(event);
		}
	}

	static int mark() {
		return EVENTS.size();
	}

	/**
	 * Returns the ERROR events since {@code mark} that {@code expected} does not accept.
	 */
	static List<String> unexpectedErrors(int mark, Predicate<ILoggingEvent> expected) {
		return EVENTS.stream()
			.skip(mark)
			.filter((event) -> event.getLevel() == Level.ERROR)
			.filter(expected.negate())
			.map(CapturingAppender::describe)
			.toList();
	}

	static long count(int mark, Level level) {
		return EVENTS.stream().skip(mark).filter((event) -> event.getLevel() == level).count();
	}

	/**
	 * Returns the WARN events since {@code mark}, counted by logger and message start.
	 */
	static Map<String, Long> warnings(int mark) {
		return EVENTS.stream()
			.skip(mark)
			.filter((event) -> event.getLevel() == Level.WARN)
			.collect(Collectors.groupingBy((event) -> event.getLoggerName() + ": "
					+ abbreviate(event.getFormattedMessage()), TreeMap::new,
					Collectors.counting()));
	}

	private static String abbreviate(String message) {
		return (message.length() <= 120) ? message : message.substring(0, 120) + "...";
	}

	static String describe(ILoggingEvent event) {
		IThrowableProxy thrown = event.getThrowableProxy();
		return event.getLevel() + " " + event.getLoggerName() + " [" + event.getThreadName() + "] "
				+ event.getFormattedMessage() + ((thrown != null) ? " : " + thrown.getClassName() + ": "
						+ thrown.getMessage() : "");
	}

}
