package dev.ctx.boot.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties shared by every part of the starter.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("context")
public class ContextProperties {

	/**
	 * Whether to enable the starter. When disabled, no part of it is configured.
	 */
	private boolean enabled = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
