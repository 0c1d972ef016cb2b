/**
 * Auto-configuration for the actuator endpoint of request contexts.
 */
@NullMarked
package dev.ctx.boot.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
