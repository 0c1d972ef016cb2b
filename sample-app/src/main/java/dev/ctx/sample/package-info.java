/**
 * A small orders/reports service that uses context-spring-boot-starter as a user would:
 * {@code Context} handler parameters, timeouts from properties and {@code @Timeout}, a
 * slow and cancellable report query, an {@code @Async} audit, a downstream call through
 * {@code RestClient}, and a live demo page.
 */
@NullMarked
package dev.ctx.sample;

import org.jspecify.annotations.NullMarked;
