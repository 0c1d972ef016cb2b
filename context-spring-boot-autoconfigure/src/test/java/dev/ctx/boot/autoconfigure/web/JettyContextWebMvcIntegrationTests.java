package dev.ctx.boot.autoconfigure.web;

import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link AbstractContextWebMvcIntegrationTests} on embedded Jetty 12.
 */
@SpringBootTest(classes = { WebTestApplication.class, JettyContextWebMvcIntegrationTests.JettyConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractContextWebMvcIntegrationTests.PROPERTIES, AbstractContextWebMvcIntegrationTests.RULES_1,
				AbstractContextWebMvcIntegrationTests.RULES_2, AbstractContextWebMvcIntegrationTests.RULES_3,
				"server.jetty.threads.max=8", "server.jetty.threads.min=4" })
class JettyContextWebMvcIntegrationTests extends AbstractContextWebMvcIntegrationTests {

	@Override
	int requestsForLeakTest() {
		// Tomcat runs the full 10,000; the same checks on Jetty with fewer keep the build short
		return 2_000;
	}

	@Configuration(proxyBeanMethods = false)
	static class JettyConfiguration {

		@Bean
		JettyServletWebServerFactory jettyServletWebServerFactory() {
			return new JettyServletWebServerFactory();
		}

	}

}
