package dev.ctx.spring.web.disconnect;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Creates the {@link DisconnectDetector} suited to the running JVM, operating system and
 * servlet containers.
 * <p>
 * Supported: embedded Tomcat 11 (NIO connector) and Jetty 12 (EE 11), on Linux, on any
 * JDK from 17 without JVM flags. HTTP/1.x connections are probed through their TCP state;
 * HTTP/2 streams through the container (Jetty's failure listener, Tomcat's stream state).
 * On other operating systems, with other containers (Undertow, Tomcat NIO2 or Unix domain
 * sockets) or when disabled, the detector is {@linkplain DisconnectDetector#isAvailable()
 * unavailable} and the reason is logged once, when it is created. Both containers may be
 * on the class path at once; each request is matched to its container at runtime.
 *
 * @since 0.1.0
 */
public final class DisconnectDetectors {

	private static final Log logger = LogFactory.getLog(DisconnectDetectors.class);

	private static final String TOMCAT_REQUEST = "org.apache.catalina.connector.RequestFacade";

	private static final String TOMCAT_NIO_CHANNEL = "org.apache.tomcat.util.net.NioChannel";

	private static final String JETTY_REQUEST = "org.eclipse.jetty.ee11.servlet.ServletContextRequest";

	private static final String JETTY_ENDPOINT = "org.eclipse.jetty.io.SocketChannelEndPoint";

	private DisconnectDetectors() {
	}

	/**
	 * Creates a detector. The watcher thread starts with the first watched request and
	 * stops when the detector is {@linkplain DisconnectDetector#close() closed}, which
	 * Spring does for a {@code @Bean} on shutdown. Creation takes a few milliseconds: it
	 * checks, on a loopback connection, that the kernel's TCP table reports a close.
	 * @param settings the settings
	 * @return the detector, possibly {@linkplain DisconnectDetector#isAvailable()
	 * unavailable}
	 */
	public static DisconnectDetector create(DisconnectDetectionSettings settings) {
		return create(settings, DisconnectDetectors.class.getClassLoader());
	}

	static DisconnectDetector create(DisconnectDetectionSettings settings, @Nullable ClassLoader classLoader) {
		Assert.notNull(settings, "'settings' must not be null");
		if (!settings.isEnabled()) {
			return unavailable("it is disabled");
		}
		List<String> problems = new ArrayList<>();
		List<ContainerAdapter> adapters = adapters(classLoader, problems);
		if (adapters.isEmpty()) {
			problems.add(0, "no supported servlet container (Tomcat 11, Jetty 12 EE 11) is on the class path");
			return unavailable(String.join("; ", problems));
		}
		String osProblem = checkTcpTable();
		if (osProblem != null) {
			return unavailable(osProblem);
		}
		if (!problems.isEmpty() && logger.isInfoEnabled()) {
			logger.info("Client disconnect detection is partly unavailable: " + String.join("; ", problems));
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Client disconnect detection enabled for "
					+ adapters.stream().map(ContainerAdapter::name).toList() + " with " + settings);
		}
		return new SelectorDisconnectDetector(settings, adapters);
	}

	private static List<ContainerAdapter> adapters(@Nullable ClassLoader classLoader, List<String> problems) {
		List<ContainerAdapter> adapters = new ArrayList<>();
		if (ClassUtils.isPresent(TOMCAT_REQUEST, classLoader) && ClassUtils.isPresent(TOMCAT_NIO_CHANNEL, classLoader)) {
			try {
				// Loaded only here, so Tomcat classes are never needed when Tomcat is absent
				adapters.add(new TomcatContainerAdapter());
			}
			catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
				problems.add("Tomcat's internals are not as expected (" + ex + ")");
			}
		}
		if (ClassUtils.isPresent(JETTY_REQUEST, classLoader) && ClassUtils.isPresent(JETTY_ENDPOINT, classLoader)) {
			try {
				adapters.add(new JettyContainerAdapter());
			}
			catch (RuntimeException | LinkageError ex) {
				problems.add("Jetty's API is not as expected (" + ex + ")");
			}
		}
		return adapters;
	}

	/**
	 * Checks on a loopback connection that the TCP table shows an established connection
	 * and, after the client closed, {@code CLOSE_WAIT}: this catches systems where
	 * {@code /proc} exists but does not reflect this process's sockets (sandboxes).
	 * @return the problem, or {@code null} if the check passed
	 */
	static @Nullable String checkTcpTable() {
		if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")
				|| !TcpTable.isReadable()) {
			return "it needs Linux's /proc/net/tcp (os.name=" + System.getProperty("os.name") + ")";
		}
		try (ServerSocketChannel server = ServerSocketChannel.open()) {
			server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			SocketChannel client = SocketChannel.open(server.getLocalAddress());
			try (SocketChannel accepted = server.accept()) {
				String[] keys = TcpTable.keys((InetSocketAddress) accepted.getLocalAddress(),
						(InetSocketAddress) accepted.getRemoteAddress());
				int state = TcpTable.stateOf(TcpTable.read(Set.of(keys), 1), keys);
				if (state != TcpTable.ESTABLISHED) {
					return "/proc/net/tcp does not show this process's connections (state " + state + ")";
				}
				client.close();
				// The loopback FIN arrives almost at once; allow for a loaded machine
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
				while (TcpTable.stateOf(TcpTable.read(Set.of(keys), 1), keys) != TcpTable.CLOSE_WAIT) {
					if (System.nanoTime() - deadline > 0) {
						return "/proc/net/tcp never showed a closed loopback connection as CLOSE_WAIT";
					}
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
				}
				return null;
			}
			finally {
				client.close();
			}
		}
		catch (IOException | RuntimeException ex) {
			return "/proc/net/tcp could not be checked (" + ex + ")";
		}
	}

	private static DisconnectDetector unavailable(String reason) {
		logger.info("Client disconnect detection is unavailable: " + reason);
		return new UnavailableDisconnectDetector(reason);
	}

}
