package dev.ctx.data.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import org.jspecify.annotations.Nullable;

/**
 * An entry of the ledger, as a JPA entity.
 */
@Entity
public class Entry {

	@Id
	@GeneratedValue
	private @Nullable Long id;

	private @Nullable String name;

	protected Entry() {
	}

	Entry(String name) {
		this.name = name;
	}

	@Nullable Long getId() {
		return this.id;
	}

	@Nullable String getName() {
		return this.name;
	}

}
