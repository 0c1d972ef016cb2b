package dev.ctx.boot.autoconfigure.web;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link AbstractContextWebMvcIntegrationTests} on embedded Tomcat, with a small thread
 * pool so that threads are reused across requests.
 */
@SpringBootTest(classes = { WebTestApplication.class, TomcatContextWebMvcIntegrationTests.TomcatConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractContextWebMvcIntegrationTests.PROPERTIES, AbstractContextWebMvcIntegrationTests.RULES_1,
				AbstractContextWebMvcIntegrationTests.RULES_2, AbstractContextWebMvcIntegrationTests.RULES_3,
				"server.tomcat.threads.max=4", "server.tomcat.threads.min-spare=1" })
class TomcatContextWebMvcIntegrationTests extends AbstractContextWebMvcIntegrationTests {

	@Configuration(proxyBeanMethods = false)
	static class TomcatConfiguration {

		@Bean
		TomcatServletWebServerFactory tomcatServletWebServerFactory() {
			// Both containers are on the test class path; name the one under test
			return new TomcatServletWebServerFactory();
		}

	}

}
