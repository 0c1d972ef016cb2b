package dev.ctx.spring.web.disconnect;

import jakarta.servlet.http.HttpServlet;

/**
 * {@link DisconnectDetector} on embedded Jetty 12 (EE 11).
 */
class JettyDisconnectDetectorTests extends AbstractDisconnectDetectorTests {

	@Override
	TestServer startServer(HttpServlet servlet) throws Exception {
		return TestServer.jetty(servlet);
	}

	@Override
	String containerName() {
		return "Jetty";
	}

}
