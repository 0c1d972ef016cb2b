package dev.ctx.spring.web;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Durations}, the parser of {@link Timeout @Timeout} values.
 */
class DurationsTests {

	@ParameterizedTest
	@CsvSource({ "500, PT0.5S", "500ms, PT0.5S", "2s, PT2S", "5m, PT5M", "1h, PT1H", "1d, PT24H", "PT2S, PT2S",
			"' 3s ', PT3S", "10us, PT0.00001S", "0s, PT0S" })
	void parsesSimpleAndIsoDurations(String value, String expected) {
		assertThat(Durations.parse(value)).isEqualTo(Duration.parse(expected));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "abc", "-1s", "PT-2S", "2 seconds", "1.5s", "s", "2sec", "99999999999999s" })
	void rejectsInvalidValuesWithClearMessage(String value) {
		assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(value)).withMessageContaining("'");
	}

}
