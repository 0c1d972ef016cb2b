/**
 * Auto-configuration for the metrics and observations of contexts.
 */
@NullMarked
package dev.ctx.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
