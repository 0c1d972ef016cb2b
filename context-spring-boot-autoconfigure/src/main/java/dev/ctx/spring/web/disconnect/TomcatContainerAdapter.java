package dev.ctx.spring.web.disconnect;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.RequestFacade;
import org.apache.coyote.AbstractProcessor;
import org.apache.coyote.Response;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * {@link ContainerAdapter} for Tomcat 11. Tomcat offers no public way from a request to
 * its connection, so this goes through private members, resolved once when the adapter
 * is created: {@code RequestFacade.request}, {@code coyote.Request.hook} (the processor),
 * {@code AbstractProcessor.getSocketWrapper()} and, for HTTP/2,
 * {@code StreamProcessor.stream} and {@code Stream.isActive()}. If any of them is missing, creation fails and the
 * factory reports detection as unavailable on Tomcat instead of failing requests.
 * Only the NIO connector (Tomcat's default, with or without TLS) is covered; NIO2 and
 * Unix domain sockets are not.
 */
final class TomcatContainerAdapter implements ContainerAdapter {

	private static final String STREAM_PROCESSOR = "org.apache.coyote.http2.StreamProcessor";

	private final Field facadeRequest;

	private final Field hook;

	private final Method getSocketWrapper;

	private final @Nullable Class<?> streamProcessorClass;

	private final @Nullable Field processorStream;

	private final @Nullable Method streamIsActive;

	TomcatContainerAdapter() throws ReflectiveOperationException {
		this.facadeRequest = accessible(RequestFacade.class.getDeclaredField("request"));
		this.hook = accessible(org.apache.coyote.Request.class.getDeclaredField("hook"));
		this.getSocketWrapper = accessible(AbstractProcessor.class.getDeclaredMethod("getSocketWrapper"));
		Class<?> streamProcessor = loadOptional(STREAM_PROCESSOR);
		Field stream = null;
		Method isActive = null;
		if (streamProcessor != null) {
			try {
				stream = accessible(streamProcessor.getDeclaredField("stream"));
				isActive = accessible(stream.getType().getDeclaredMethod("isActive"));
			}
			catch (NoSuchFieldException | NoSuchMethodException ex) {
				// HTTP/2 streams then simply stay unwatched
				streamProcessor = null;
			}
		}
		this.streamProcessorClass = streamProcessor;
		this.processorStream = stream;
		this.streamIsActive = isActive;
	}

	@Override
	public String name() {
		return "Tomcat";
	}

	@Override
	public @Nullable ConnectionHandle resolve(ServletRequest request) throws Exception {
		ServletRequest unwrapped = request;
		while (!(unwrapped instanceof RequestFacade) && unwrapped instanceof ServletRequestWrapper wrapper) {
			unwrapped = wrapper.getRequest();
		}
		if (!(unwrapped instanceof RequestFacade)) {
			return null;
		}
		Request connectorRequest = (Request) this.facadeRequest.get(unwrapped);
		if (connectorRequest == null) {
			return null;
		}
		org.apache.coyote.Request coyoteRequest = connectorRequest.getCoyoteRequest();
		Response coyoteResponse = coyoteRequest.getResponse();
		Object processor = this.hook.get(coyoteRequest);
		if (this.streamProcessorClass != null && this.streamProcessorClass.isInstance(processor)
				&& this.processorStream != null && this.streamIsActive != null) {
			Object stream = this.processorStream.get(processor);
			Method isActive = this.streamIsActive;
			// The stream processor carries the shared connection's socket wrapper
			SocketChannel channel = channel(processor);
			return new ConnectionHandle() {

				@Override
				public boolean isCommitted() {
					return coyoteResponse.isCommitted();
				}

				@Override
				public @Nullable SocketChannel socketChannel() {
					return channel;
				}

				@Override
				public boolean isMultiplexed() {
					return true;
				}

				@Override
				public boolean isStreamGone() {
					return !Boolean.TRUE.equals(ReflectionUtils.invokeMethod(isActive, stream));
				}

			};
		}
		SocketChannel channel = channel(processor);
		if (channel == null) {
			return null;
		}
		return new ConnectionHandle() {

			@Override
			public boolean isCommitted() {
				return coyoteResponse.isCommitted();
			}

			@Override
			public SocketChannel socketChannel() {
				return channel;
			}

		};
	}

	private @Nullable SocketChannel channel(@Nullable Object processor) throws ReflectiveOperationException {
		if (!(processor instanceof AbstractProcessor)) {
			return null;
		}
		SocketWrapperBase<?> socketWrapper = (SocketWrapperBase<?>) this.getSocketWrapper.invoke(processor);
		Object socket = (socketWrapper != null) ? socketWrapper.getSocket() : null;
		// Null for NIO2 (Nio2Channel) and once the connection has been released
		return (socket instanceof NioChannel nioChannel) ? nioChannel.getIOChannel() : null;
	}

	private static <T extends java.lang.reflect.AccessibleObject> T accessible(T member) {
		member.setAccessible(true);
		return member;
	}

	private static @Nullable Class<?> loadOptional(String name) {
		try {
			return Class.forName(name, false, TomcatContainerAdapter.class.getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return null;
		}
	}

}
