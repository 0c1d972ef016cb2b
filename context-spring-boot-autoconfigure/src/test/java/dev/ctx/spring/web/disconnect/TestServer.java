package dev.ctx.spring.web.disconnect;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.EnumSet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;

/**
 * A real embedded server on an ephemeral port, serving one servlet at {@code /*},
 * optionally behind one filter.
 */
interface TestServer extends AutoCloseable {

	int port();

	@Override
	void close();

	static TestServer tomcat(HttpServlet servlet) throws Exception {
		return tomcat(servlet, null);
	}

	static TestServer tomcat(HttpServlet servlet, @Nullable Filter filter) throws Exception {
		Path baseDir = Files.createTempDirectory("tomcat");
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(baseDir.toString());
		Connector connector = new Connector(); // HTTP/1.1 NIO, Tomcat's default
		connector.setPort(0);
		// h2c with prior knowledge, next to HTTP/1.1 on the same port
		connector.addUpgradeProtocol(new Http2Protocol());
		tomcat.setConnector(connector);
		Context context = tomcat.addContext("", baseDir.toString());
		Wrapper wrapper = Tomcat.addServlet(context, "blocking", servlet);
		wrapper.addMapping("/*");
		// Initialize at startup (a DispatcherServlet refreshes its context), not on the
		// first request, whose timing the tests measure
		wrapper.setLoadOnStartup(1);
		if (filter != null) {
			FilterDef filterDef = new FilterDef();
			filterDef.setFilterName("watching");
			filterDef.setFilter(filter);
			context.addFilterDef(filterDef);
			FilterMap filterMap = new FilterMap();
			filterMap.setFilterName("watching");
			filterMap.addURLPattern("/*");
			context.addFilterMap(filterMap);
		}
		tomcat.start();
		int port = connector.getLocalPort();
		return new TestServer() {

			@Override
			public int port() {
				return port;
			}

			@Override
			public void close() {
				try {
					tomcat.stop();
					tomcat.destroy();
				}
				catch (LifecycleException ex) {
					throw new IllegalStateException(ex);
				}
			}

		};
	}

	static TestServer jetty(HttpServlet servlet) throws Exception {
		return jetty(servlet, null);
	}

	static TestServer jetty(HttpServlet servlet, @Nullable Filter filter) throws Exception {
		Server server = new Server();
		HttpConfiguration configuration = new HttpConfiguration();
		// h2c with prior knowledge, next to HTTP/1.1 on the same port
		ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(configuration),
				new HTTP2CServerConnectionFactory(configuration));
		connector.setPort(0);
		server.addConnector(connector);
		ServletContextHandler handler = new ServletContextHandler();
		ServletHolder holder = new ServletHolder(servlet);
		holder.setInitOrder(1);
		handler.addServlet(holder, "/*");
		if (filter != null) {
			handler.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
		}
		server.setHandler(handler);
		server.start();
		int port = connector.getLocalPort();
		return new TestServer() {

			@Override
			public int port() {
				return port;
			}

			@Override
			public void close() {
				try {
					server.stop();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}

		};
	}

}
