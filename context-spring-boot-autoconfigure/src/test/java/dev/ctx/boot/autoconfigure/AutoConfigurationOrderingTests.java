package dev.ctx.boot.autoconfigure;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every auto-configuration of the starter is registered, public and final, and every
 * class it names by string for ordering exists (a renamed Boot class would otherwise
 * silently drop the ordering, as resilience4j's boot3 names did in Boot 4).
 */
class AutoConfigurationOrderingTests {

	@Test
	void everyOrderingNameResolves() throws Exception {
		List<String> names = new ArrayList<>();
		for (Class<?> autoConfiguration : registered()) {
			assertThat(java.lang.reflect.Modifier.isPublic(autoConfiguration.getModifiers())).isTrue();
			assertThat(java.lang.reflect.Modifier.isFinal(autoConfiguration.getModifiers())).as(autoConfiguration.getName()).isTrue();
			AutoConfiguration annotation = autoConfiguration.getAnnotation(AutoConfiguration.class);
			assertThat(annotation).as(autoConfiguration.getName()).isNotNull();
			names.addAll(List.of(annotation.afterName()));
			names.addAll(List.of(annotation.beforeName()));
		}
		assertThat(names).contains("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration");
		for (String name : names) {
			assertThat(ClassUtils.isPresent(name, getClass().getClassLoader())).as(name).isTrue();
		}
	}

	private List<Class<?>> registered() throws Exception {
		try (InputStream imports = getClass().getResourceAsStream(
				"/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
			List<Class<?>> classes = new ArrayList<>();
			for (String line : new String(imports.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
				if (!line.isBlank() && !line.startsWith("#")) {
					classes.add(Class.forName(line.trim()));
				}
			}
			assertThat(classes).hasSizeGreaterThanOrEqualTo(7);
			return classes;
		}
	}

}
