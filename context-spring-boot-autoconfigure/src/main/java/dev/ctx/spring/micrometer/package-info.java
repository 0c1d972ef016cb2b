/**
 * Micrometer integration: meter names, cancellation metrics and the context-propagation
 * {@code ThreadLocalAccessor}.
 */
@NullMarked
package dev.ctx.spring.micrometer;

import org.jspecify.annotations.NullMarked;
