package dev.ctx.spring.web.disconnect;

import jakarta.servlet.http.HttpServlet;

/**
 * {@link DisconnectDetector} on embedded Tomcat 11 (NIO connector).
 */
class TomcatDisconnectDetectorTests extends AbstractDisconnectDetectorTests {

	@Override
	TestServer startServer(HttpServlet servlet) throws Exception {
		return TestServer.tomcat(servlet);
	}

	@Override
	String containerName() {
		return "Tomcat";
	}

}
