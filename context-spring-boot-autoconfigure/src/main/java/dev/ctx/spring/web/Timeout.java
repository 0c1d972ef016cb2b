package dev.ctx.spring.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The timeout of requests handled by a controller method, or by every handler method of
 * a controller class. A method's annotation wins over its class's; both win over the
 * {@code context.web.timeouts} rules and {@code context.web.default-timeout}.
 * {@code context.web.max-timeout} still caps the result, and an upstream service's
 * timeout header can still shorten it.
 *
 * <pre>{@code
 * @GetMapping("/reports/{id}")
 * @Timeout("2m")
 * Report report(@PathVariable long id, Context ctx) { ... }
 *
 * @GetMapping("/events")
 * @Timeout(none = true)             // no deadline from configuration
 * SseEmitter events() { ... }
 * }</pre>
 *
 * <p>Values are durations such as {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h},
 * {@code 1d} (no unit means milliseconds) or ISO-8601 ({@code PT2S}), and may be
 * {@code ${...}} placeholders. Invalid values fail the application at startup.
 *
 * @since 0.1.0
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Timeout {

	/**
	 * The timeout, e.g. {@code "2s"}.
	 * @return the timeout
	 */
	String value() default "";

	/**
	 * Whether requests to this handler get no deadline from configuration (the default
	 * timeout and the rules); {@code max-timeout} and inbound timeout headers still apply.
	 * @return whether to opt out of configured timeouts
	 */
	boolean none() default false;

}
