/**
 * JMH benchmarks of the {@code dev.ctx} core against gRPC-Java's {@code io.grpc.Context}:
 * each benchmark class measures one operation, {@code ours} and {@code grpc} doing the
 * same work in the same run. Run with {@code context-benchmarks/run.sh}.
 */
@NullMarked
package dev.ctx.benchmarks;

import org.jspecify.annotations.NullMarked;
