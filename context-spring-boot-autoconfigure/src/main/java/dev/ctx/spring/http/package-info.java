/**
 * Outbound HTTP integration: requests made while a {@link dev.ctx.Context} is current
 * fail fast when it is done, send the remaining budget downstream, and are aborted when
 * it becomes done.
 */
@NullMarked
package dev.ctx.spring.http;

import org.jspecify.annotations.NullMarked;
