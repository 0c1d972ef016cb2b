package dev.ctx.spring.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.ctx.Context;
import dev.ctx.ContextException;

import org.jspecify.annotations.Nullable;

/**
 * Behind a streaming result set: each {@code next()} may fetch rows from the server, so
 * it obeys the context of the execution that produced the result set. The statement is
 * cancelled only while a fetch is in progress.
 */
final class ResultSetHandler implements InvocationHandler {

	private final ResultSet target;

	private final Statement statementProxy;

	private final Context context;

	private final JdbcCancellationListener listener;

	private final StatementGuard guard;

	private final ResultSet proxy;

	ResultSetHandler(ResultSet target, Statement statement, Statement statementProxy, Context context,
			JdbcCancellationListener listener) {
		this.target = target;
		this.statementProxy = statementProxy;
		this.context = context;
		this.listener = listener;
		this.guard = StatementGuard.register(context, statement, false);
		this.proxy = JdbcProxies.resultSet(this);
	}

	ResultSet proxy() {
		return this.proxy;
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
		String name = method.getName();
		return switch (name) {
			case "next" -> next(method);
			case "close" -> close(method);
			case "getStatement" -> this.statementProxy;
			default -> JdbcProxies.isOwnMethod(name) ? JdbcProxies.invokeOwnMethod(proxy, this.target, method, args)
					: JdbcProxies.invoke(this.target, method, args);
		};
	}

	private @Nullable Object next(Method method) throws Throwable {
		ContextException err = this.context.err();
		if (err != null) {
			this.listener.statementRejected(this.context);
			throw ContextSqlExceptions.stopped("Row not fetched", err, null);
		}
		this.guard.begin();
		boolean stoppedByContext = false;
		try {
			return JdbcProxies.invoke(this.target, method, null);
		}
		catch (SQLException ex) {
			ContextException cause = ContextSqlExceptions.causedBy(this.context, ex);
			if (cause == null) {
				throw ex;
			}
			stoppedByContext = true;
			throw ContextSqlExceptions.stopped("Fetch stopped", cause, ex);
		}
		finally {
			if (this.guard.end() | stoppedByContext) {
				this.listener.statementCancelled(this.context);
			}
		}
	}

	private @Nullable Object close(Method method) throws Throwable {
		this.guard.close();
		return JdbcProxies.invoke(this.target, method, null);
	}

}
