/**
 * Soak and fault harness: a small application, a load generator and the checks that
 * nothing leaked and nothing was lost.
 */
@NullMarked
package dev.ctx.soak;

import org.jspecify.annotations.NullMarked;
