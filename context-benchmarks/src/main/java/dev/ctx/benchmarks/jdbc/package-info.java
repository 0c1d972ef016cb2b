/**
 * JDBC benchmarks: the cost of {@code ContextAwareDataSource} per statement.
 */
@NullMarked
package dev.ctx.benchmarks.jdbc;

import org.jspecify.annotations.NullMarked;
