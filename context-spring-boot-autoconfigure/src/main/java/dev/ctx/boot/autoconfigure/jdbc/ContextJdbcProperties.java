package dev.ctx.boot.autoconfigure.jdbc;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for the JDBC integration.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("context.jdbc")
public class ContextJdbcProperties {

	/**
	 * Whether to apply the Context deadline and cancellation to JDBC statements.
	 */
	private boolean enabled = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
