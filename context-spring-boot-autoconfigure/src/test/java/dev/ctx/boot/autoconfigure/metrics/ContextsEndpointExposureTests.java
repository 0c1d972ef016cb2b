package dev.ctx.boot.autoconfigure.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.ctx.spring.web.InFlightRequestContexts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code contexts} endpoint is not reachable, and costs nothing, unless exposed.
 */
@SpringBootTest(classes = ContextMetricsIntegrationTests.MetricsTestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
class ContextsEndpointExposureTests {

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Test
	void contextsEndpointIsNotExposedByDefault() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		HttpResponse<String> read = client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/contexts")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(read.statusCode()).isEqualTo(404);
		HttpResponse<String> write = client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/contexts/1"))
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(write.statusCode()).isEqualTo(404);
		assertThat(this.context.getBeanNamesForType(InFlightRequestContexts.class)).isEmpty();
	}

}
