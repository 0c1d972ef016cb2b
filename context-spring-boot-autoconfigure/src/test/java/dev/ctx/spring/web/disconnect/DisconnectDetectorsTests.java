package dev.ctx.spring.web.disconnect;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.FilteredClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DisconnectDetectors}.
 */
class DisconnectDetectorsTests {

	@Test
	void createWhenContainersPresentOnLinuxShouldBeAvailable() {
		try (DisconnectDetector detector = DisconnectDetectors.create(DisconnectDetectionSettings.defaults())) {
			assertThat(detector.isAvailable()).as(detector.toString()).isTrue();
			assertThat(detector).isInstanceOf(SelectorDisconnectDetector.class);
		}
	}

	@Test
	void createWhenDisabledShouldBeUnavailable() {
		DisconnectDetector detector = DisconnectDetectors
			.create(DisconnectDetectionSettings.defaults().withEnabled(false));
		assertThat(detector.isAvailable()).isFalse();
		assertThat(((UnavailableDisconnectDetector) detector).reason()).contains("disabled");
	}

	@Test
	void createWhenNoContainerIsPresentShouldBeUnavailable() {
		DisconnectDetector detector = DisconnectDetectors.create(DisconnectDetectionSettings.defaults(),
				new FilteredClassLoader("org.apache.catalina", "org.eclipse.jetty"));
		assertThat(detector.isAvailable()).isFalse();
		assertThat(((UnavailableDisconnectDetector) detector).reason()).contains("no supported servlet container");
	}

	@Test
	void closedDetectorShouldBeUnavailableAndReturnNoOpWatches() {
		DisconnectDetector detector = DisconnectDetectors.create(DisconnectDetectionSettings.defaults());
		detector.close();
		assertThat(detector.isAvailable()).isFalse();
	}

	@Test
	void tcpTableCheckShouldPassOnThisLinuxMachine() {
		assertThat(DisconnectDetectors.checkTcpTable()).isNull();
	}

	@Test
	void createWithoutContainerJarsShouldNotFailToLink() throws Exception {
		// A class loader that really lacks Tomcat and Jetty, unlike FilteredClassLoader
		// which only hides them from lookups: proves the container-specific classes are
		// never linked when their container is absent
		List<URL> urls = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			String name = entry.toLowerCase(Locale.ROOT);
			if (!name.contains("tomcat") && !name.contains("jetty")) {
				urls.add(new File(entry).toURI().toURL());
			}
		}
		try (URLClassLoader classLoader = new URLClassLoader(urls.toArray(URL[]::new),
				ClassLoader.getPlatformClassLoader())) {
			assertThat(classLoader.getResource("org/apache/catalina/connector/RequestFacade.class")).isNull();
			assertThat(classLoader.getResource("jakarta/servlet/http/HttpServletRequest.class")).isNotNull();
			Class<?> settings = classLoader.loadClass(DisconnectDetectionSettings.class.getName());
			Object defaults = settings.getMethod("defaults").invoke(null);
			Class<?> factory = classLoader.loadClass(DisconnectDetectors.class.getName());
			Object detector = factory.getMethod("create", settings).invoke(null, defaults);
			Method isAvailable = classLoader.loadClass(DisconnectDetector.class.getName()).getMethod("isAvailable");
			assertThat(isAvailable.invoke(detector)).isEqualTo(false);
			// The detector implementation itself links without the containers too
			classLoader.loadClass(SelectorDisconnectDetector.class.getName()).getDeclaredMethods();
		}
	}

}
