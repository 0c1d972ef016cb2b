package dev.ctx.spring.web.disconnect;

import jakarta.servlet.ServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Reaches the connection behind a request of one servlet container. Implementations
 * reference container classes and are therefore only loaded when the container is on the
 * class path.
 */
interface ContainerAdapter {

	/**
	 * The container's name, for log messages.
	 * @return the name
	 */
	String name();

	/**
	 * Resolves the connection of an in-flight request.
	 * @param request the request as given to the filter, possibly wrapped
	 * @return the handle, or {@code null} if the request does not belong to this
	 * container or its connection cannot be reached
	 * @throws Exception if the container's internals are not as expected
	 */
	@Nullable ConnectionHandle resolve(ServletRequest request) throws Exception;

}
