package dev.ctx.data.jdbc;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * An entry of the ledger, as a Spring Data JDBC aggregate, in table {@code LEDGER_ENTRY}
 * (named by Spring Data's conventions, in the letter case of each database).
 *
 * @param id the generated id
 * @param name the name
 */
@Table
public record LedgerEntry(@Id @Nullable Long id, String name) {

}
