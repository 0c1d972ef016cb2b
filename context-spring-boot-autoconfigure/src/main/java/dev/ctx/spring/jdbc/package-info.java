/**
 * JDBC integration: a {@link javax.sql.DataSource} wrapper that makes every statement
 * obey the current {@link dev.ctx.Context} (deadline as query timeout, cancellation as
 * {@link java.sql.Statement#cancel()}).
 */
@NullMarked
package dev.ctx.spring.jdbc;

import org.jspecify.annotations.NullMarked;
