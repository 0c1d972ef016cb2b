package dev.ctx.soak;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks of one run, kept as a table: printed, written to the report, then asserted
 * all at once, so that a failing run still shows every number.
 */
final class Invariants {

	private final String title;

	private final List<Row> rows = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	Invariants(String title) {
		this.title = title;
	}

	void check(String name, Object value, String bound, boolean holds) {
		this.rows.add(new Row(name, String.valueOf(value), bound, holds));
	}

	void info(String name, Object value) {
		this.rows.add(new Row(name, String.valueOf(value), "(measured)", true));
	}

	void note(String note) {
		this.notes.add(note);
	}

	String table() {
		StringBuilder table = new StringBuilder();
		table.append("### ").append(this.title).append("\n\n");
		table.append("| check | value | bound | ok |\n|---|---|---|---|\n");
		for (Row row : this.rows) {
			table.append("| ").append(row.name).append(" | ").append(row.value.replace("|", "\\|")).append(" | ")
				.append(row.bound).append(" | ").append(row.holds ? "yes" : "**NO**").append(" |\n");
		}
		for (String note : this.notes) {
			table.append("\n- ").append(note.replace("\n", " "));
		}
		return table.append("\n").toString();
	}

	void assertAllHold() {
		List<String> failed = this.rows.stream()
			.filter((row) -> !row.holds)
			.map((row) -> row.name + " = " + row.value + " (bound " + row.bound + ")")
			.toList();
		assertThat(failed).as("%s%n%s", this.title, table()).isEmpty();
	}

	private record Row(String name, String value, String bound, boolean holds) {
	}

}
