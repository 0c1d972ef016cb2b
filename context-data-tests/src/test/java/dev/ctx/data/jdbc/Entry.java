package dev.ctx.data.jdbc;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * An entry of the ledger, as a Spring Data JDBC aggregate.
 *
 * @param id the generated id
 * @param name the name
 */
@Table("LEDGER_ENTRY")
public record Entry(@Id @Nullable Long id, String name) {

}
