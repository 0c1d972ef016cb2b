package dev.ctx.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * An orders/reports service that shows what the starter does to requests that time out
 * or whose client goes away.
 *
 * <p>The application has no code for contexts of its own beyond taking a {@code Context}
 * parameter where it matters: the starter gives every request its context, cancels
 * database statements, carries the context to {@code @Async} tasks and passes the
 * remaining budget to downstream services.
 *
 * @since 0.1.0
 */
@SpringBootApplication
@EnableAsync
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
