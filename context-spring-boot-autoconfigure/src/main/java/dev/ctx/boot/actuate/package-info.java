/**
 * Actuator endpoints for request contexts.
 */
@NullMarked
package dev.ctx.boot.actuate;

import org.jspecify.annotations.NullMarked;
