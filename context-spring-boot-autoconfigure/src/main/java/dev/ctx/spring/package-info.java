/**
 * Spring Framework integration shared by every technology: the application's root
 * context and the vocabulary of cancellation reasons.
 */
@NullMarked
package dev.ctx.spring;

import org.jspecify.annotations.NullMarked;
