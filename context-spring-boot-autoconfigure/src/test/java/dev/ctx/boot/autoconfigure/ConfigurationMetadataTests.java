package dev.ctx.boot.autoconfigure;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.json.JsonMapper;
import dev.ctx.spring.micrometer.ContextMeterNames;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata IDEs use to complete and document {@code context.*}
 * properties is generated, with a description for every property.
 */
class ConfigurationMetadataTests {

	@Test
	@SuppressWarnings("unchecked")
	void everyContextPropertyIsDescribed() throws Exception {
		try (InputStream json = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(json).as("generated metadata").isNotNull();
			Map<String, Object> metadata = JsonMapper.builder().build().readValue(json, Map.class);
			List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata.get("properties");
			Map<String, String> descriptions = properties.stream()
				.filter((property) -> ((String) property.get("name")).startsWith("context."))
				.collect(Collectors.toMap((property) -> (String) property.get("name"),
						(property) -> String.valueOf(property.get("description"))));
			assertThat(descriptions).containsKeys("context.enabled", "context.web.enabled",
					"context.web.default-timeout", "context.web.max-timeout", "context.web.timeouts",
					"context.web.inbound-timeout-header", "context.web.timeout-status",
					"context.web.interrupt-on-deadline", "context.web.disconnect.check-interval");
			descriptions.forEach((name, description) -> assertThat(description).as(name)
				.isNotEqualTo("null")
				.doesNotStartWith("The "));
			// The README documents every property, so that it cannot fall behind the code
			String readme = Files.readString(Path.of("../README.md"));
			descriptions.keySet()
				.forEach((name) -> assertThat(readme.contains("`" + name + "`") || readme.contains("`" + name + "[n]"))
					.as("README documents " + name)
					.isTrue());
		}
	}

	@Test
	void readmeDocumentsEveryMeter() throws Exception {
		String readme = Files.readString(Path.of("../README.md"));
		for (Field field : ContextMeterNames.class.getFields()) {
			String value = (String) field.get(null);
			if (value.startsWith("context.")) {
				assertThat(readme).as("README documents meter " + value).contains("`" + value + "`");
			}
		}
	}

}
