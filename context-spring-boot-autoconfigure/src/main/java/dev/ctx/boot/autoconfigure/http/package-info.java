/**
 * Auto-configuration for outbound HTTP clients ({@code RestClient}, {@code RestTemplate},
 * {@code WebClient}) that carry the current {@link dev.ctx.Context}.
 */
@NullMarked
package dev.ctx.boot.autoconfigure.http;

import org.jspecify.annotations.NullMarked;
