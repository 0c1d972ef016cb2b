/**
 * Spring MVC integration: a {@link dev.ctx.Context} for every servlet request, with
 * deadlines from configuration, annotations and upstream services, and cancellation when
 * the request ends or its client goes away.
 */
@NullMarked
package dev.ctx.spring.web;

import org.jspecify.annotations.NullMarked;
