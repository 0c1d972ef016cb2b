package dev.ctx.spring.jdbc;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

import dev.ctx.Context;
import org.jspecify.annotations.NullUnmarked;
import org.jspecify.annotations.Nullable;

/**
 * A connection of a {@link ContextAwareDataSource}: wraps the statements it creates
 * while a context that can be done is current, or all of them when it was acquired
 * under one, and passes everything else to the driver's connection. Every {@link Connection} method is implemented here, the JDBC
 * 4.2 and 4.3 default methods included, so that the driver's own implementation is
 * always the one called.
 */
// JDBC leaves nullness unspecified: so do the methods that only delegate
@NullUnmarked
final class ContextAwareConnection implements Connection {

	private final Connection target;

	// Registered with the context current at checkout; null if none could be done
	private final @Nullable ConnectionGuard guard;

	private final JdbcCancellationListener listener;

	private final ConnectionEvictor evictor;

	// Set when a cancel reached a statement that completed anyway
	private volatile boolean suspect;

	// Whether close() ended the checkout for the guard
	private boolean released;

	ContextAwareConnection(Connection target, @Nullable ConnectionGuard guard, JdbcCancellationListener listener,
			ConnectionEvictor evictor) {
		this.target = target;
		this.guard = guard;
		this.listener = listener;
		this.evictor = evictor;
	}

	JdbcCancellationListener listener() {
		return this.listener;
	}

	void markSuspect() {
		this.suspect = true;
	}

	/**
	 * Begins an execution of {@code statement}, one of this connection's, under the
	 * current context: on the guard of this checkout when the context is the one it was
	 * acquired under, on a guard of its own otherwise.
	 * @throws SQLException when the context is done: the statement is not sent
	 */
	Execution begin(Statement statement) throws SQLException {
		Context context = Context.current();
		if (ContextAwareDataSource.isNeverDone(context)) {
			return Execution.NONE;
		}
		ConnectionGuard guard = this.guard;
		if (guard != null && guard.isFor(context)) {
			return guard.begin(context, statement, this, this.listener, false);
		}
		// A transaction's connection acquired before a block with a deadline of its own,
		// or acquired without a context
		return ConnectionGuard.begin(context, statement, this, this.listener);
	}

	/**
	 * Wraps a streaming result set of {@code statement} whose row fetches obey
	 * {@code context}: they run on this checkout's guard when {@code context} is the one
	 * the connection was acquired under (no registration of their own), otherwise on a
	 * guard the result set registers until it is closed.
	 */
	ResultSet streamingResultSet(ResultSet resultSet, ContextAwareStatement<?> statement, Context context) {
		ConnectionGuard guard = this.guard;
		if (guard != null && guard.isFor(context)) {
			return new ContextAwareResultSet(resultSet, statement.target, statement, context, this, guard, false);
		}
		// A late cancel of a row fetch does not make the connection suspect: none is named
		return new ContextAwareResultSet(resultSet, statement.target, statement, context, null,
				ConnectionGuard.fetching(context), true);
	}

	// A statement is wrapped when the connection was acquired under a context that can
	// be done, or when it is created under one; otherwise it is left alone: no wrapper, no
	// overhead. Either way the context is looked up again when the statement executes.

	private boolean wrapsStatements() {
		return this.guard != null || !ContextAwareDataSource.isNeverDone(Context.current());
	}

	private Statement wrap(Statement statement) {
		return (statement != null && wrapsStatements()) ? new ContextAwareStatement<>(statement, this) : statement;
	}

	private PreparedStatement wrap(PreparedStatement statement) {
		return (statement != null && wrapsStatements()) ? new ContextAwarePreparedStatement<>(statement, this)
				: statement;
	}

	private CallableStatement wrap(CallableStatement statement) {
		return (statement != null && wrapsStatements()) ? new ContextAwareCallableStatement(statement, this)
				: statement;
	}

	@Override
	public Statement createStatement() throws SQLException {
		return wrap(this.target.createStatement());
	}

	@Override
	public PreparedStatement prepareStatement(String sql) throws SQLException {
		return wrap(this.target.prepareStatement(sql));
	}

	@Override
	public CallableStatement prepareCall(String sql) throws SQLException {
		return wrap(this.target.prepareCall(sql));
	}

	@Override
	public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
		return wrap(this.target.createStatement(resultSetType, resultSetConcurrency));
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
			throws SQLException {
		return wrap(this.target.prepareStatement(sql, resultSetType, resultSetConcurrency));
	}

	@Override
	public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
			throws SQLException {
		return wrap(this.target.prepareCall(sql, resultSetType, resultSetConcurrency));
	}

	@Override
	public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
			throws SQLException {
		return wrap(this.target.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
			int resultSetHoldability) throws SQLException {
		return wrap(this.target.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability));
	}

	@Override
	public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
			int resultSetHoldability) throws SQLException {
		return wrap(this.target.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability));
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
		return wrap(this.target.prepareStatement(sql, autoGeneratedKeys));
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
		return wrap(this.target.prepareStatement(sql, columnIndexes));
	}

	@Override
	public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
		return wrap(this.target.prepareStatement(sql, columnNames));
	}

	@Override
	public void close() throws SQLException {
		ConnectionGuard guard = this.guard;
		if (guard != null && !this.released) {
			// Once: closing a closed connection is allowed, and a no-op
			this.released = true;
			guard.release();
		}
		if (this.suspect) {
			this.evictor.evictIfLateCancelMayLinger(this.target);
		}
		this.target.close();
	}

	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return JdbcWrappers.unwrap(this, this.target, iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return JdbcWrappers.isWrapperFor(this, this.target, iface);
	}

	@Override
	public String nativeSQL(String sql) throws SQLException {
		return this.target.nativeSQL(sql);
	}

	@Override
	public void setAutoCommit(boolean autoCommit) throws SQLException {
		this.target.setAutoCommit(autoCommit);
	}

	@Override
	public boolean getAutoCommit() throws SQLException {
		return this.target.getAutoCommit();
	}

	@Override
	public void commit() throws SQLException {
		this.target.commit();
	}

	@Override
	public void rollback() throws SQLException {
		this.target.rollback();
	}

	@Override
	public boolean isClosed() throws SQLException {
		return this.target.isClosed();
	}

	@Override
	public DatabaseMetaData getMetaData() throws SQLException {
		return this.target.getMetaData();
	}

	@Override
	public void setReadOnly(boolean readOnly) throws SQLException {
		this.target.setReadOnly(readOnly);
	}

	@Override
	public boolean isReadOnly() throws SQLException {
		return this.target.isReadOnly();
	}

	@Override
	public void setCatalog(String catalog) throws SQLException {
		this.target.setCatalog(catalog);
	}

	@Override
	public String getCatalog() throws SQLException {
		return this.target.getCatalog();
	}

	@Override
	public void setTransactionIsolation(int level) throws SQLException {
		this.target.setTransactionIsolation(level);
	}

	@Override
	public int getTransactionIsolation() throws SQLException {
		return this.target.getTransactionIsolation();
	}

	@Override
	public SQLWarning getWarnings() throws SQLException {
		return this.target.getWarnings();
	}

	@Override
	public void clearWarnings() throws SQLException {
		this.target.clearWarnings();
	}

	@Override
	public Map<String, Class<?>> getTypeMap() throws SQLException {
		return this.target.getTypeMap();
	}

	@Override
	public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
		this.target.setTypeMap(map);
	}

	@Override
	public void setHoldability(int holdability) throws SQLException {
		this.target.setHoldability(holdability);
	}

	@Override
	public int getHoldability() throws SQLException {
		return this.target.getHoldability();
	}

	@Override
	public Savepoint setSavepoint() throws SQLException {
		return this.target.setSavepoint();
	}

	@Override
	public Savepoint setSavepoint(String name) throws SQLException {
		return this.target.setSavepoint(name);
	}

	@Override
	public void rollback(Savepoint savepoint) throws SQLException {
		this.target.rollback(savepoint);
	}

	@Override
	public void releaseSavepoint(Savepoint savepoint) throws SQLException {
		this.target.releaseSavepoint(savepoint);
	}

	@Override
	public Clob createClob() throws SQLException {
		return this.target.createClob();
	}

	@Override
	public Blob createBlob() throws SQLException {
		return this.target.createBlob();
	}

	@Override
	public NClob createNClob() throws SQLException {
		return this.target.createNClob();
	}

	@Override
	public SQLXML createSQLXML() throws SQLException {
		return this.target.createSQLXML();
	}

	@Override
	public boolean isValid(int timeout) throws SQLException {
		return this.target.isValid(timeout);
	}

	@Override
	public void setClientInfo(String name, String value) throws SQLClientInfoException {
		this.target.setClientInfo(name, value);
	}

	@Override
	public void setClientInfo(Properties properties) throws SQLClientInfoException {
		this.target.setClientInfo(properties);
	}

	@Override
	public String getClientInfo(String name) throws SQLException {
		return this.target.getClientInfo(name);
	}

	@Override
	public Properties getClientInfo() throws SQLException {
		return this.target.getClientInfo();
	}

	@Override
	public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
		return this.target.createArrayOf(typeName, elements);
	}

	@Override
	public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
		return this.target.createStruct(typeName, attributes);
	}

	@Override
	public void setSchema(String schema) throws SQLException {
		this.target.setSchema(schema);
	}

	@Override
	public String getSchema() throws SQLException {
		return this.target.getSchema();
	}

	@Override
	public void abort(Executor executor) throws SQLException {
		this.target.abort(executor);
	}

	@Override
	public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
		this.target.setNetworkTimeout(executor, milliseconds);
	}

	@Override
	public int getNetworkTimeout() throws SQLException {
		return this.target.getNetworkTimeout();
	}

	@Override
	public void beginRequest() throws SQLException {
		this.target.beginRequest();
	}

	@Override
	public void endRequest() throws SQLException {
		this.target.endRequest();
	}

	@Override
	public boolean setShardingKeyIfValid(ShardingKey shardingKey, ShardingKey superShardingKey, int timeout)
			throws SQLException {
		return this.target.setShardingKeyIfValid(shardingKey, superShardingKey, timeout);
	}

	@Override
	public boolean setShardingKeyIfValid(ShardingKey shardingKey, int timeout) throws SQLException {
		return this.target.setShardingKeyIfValid(shardingKey, timeout);
	}

	@Override
	public void setShardingKey(ShardingKey shardingKey, ShardingKey superShardingKey) throws SQLException {
		this.target.setShardingKey(shardingKey, superShardingKey);
	}

	@Override
	public void setShardingKey(ShardingKey shardingKey) throws SQLException {
		this.target.setShardingKey(shardingKey);
	}

	@Override
	public String toString() {
		return "ContextAware[" + this.target + "]";
	}

}
