package dev.ctx.spring.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.Statement;

import dev.ctx.Context;

import org.jspecify.annotations.Nullable;

/**
 * Behind a {@link ContextAwareDataSource} connection: wraps the statements it creates
 * while a context that can be done is current, passes everything else through.
 */
final class ConnectionHandler implements InvocationHandler {

	private final Connection target;

	private final JdbcCancellationListener listener;

	private final ConnectionEvictor evictor;

	private final Connection proxy;

	// Set when a cancel reached a statement that completed anyway
	private volatile boolean suspect;

	ConnectionHandler(Connection target, JdbcCancellationListener listener, ConnectionEvictor evictor) {
		this.target = target;
		this.listener = listener;
		this.evictor = evictor;
		this.proxy = JdbcProxies.connection(this);
	}

	void markSuspect() {
		this.suspect = true;
	}

	Connection proxy() {
		return this.proxy;
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
		String name = method.getName();
		switch (name) {
			case "createStatement", "prepareStatement", "prepareCall" -> {
				Statement statement = (Statement) JdbcProxies.invoke(this.target, method, args);
				// A statement created without a context is left alone: no proxy, no
				// overhead. The context is looked up again when the statement executes.
				if (statement == null || ContextAwareDataSource.isNeverDone(Context.current())) {
					return statement;
				}
				return new StatementHandler(statement, method.getReturnType(), this, this.listener).proxy();
			}
			case "close" -> {
				if (this.suspect) {
					this.evictor.evictIfLateCancelMayLinger(this.target);
				}
				return JdbcProxies.invoke(this.target, method, args);
			}
			default -> {
				if (JdbcProxies.isOwnMethod(name)) {
					return JdbcProxies.invokeOwnMethod(proxy, this.target, method, args);
				}
				return JdbcProxies.invoke(this.target, method, args);
			}
		}
	}

}
