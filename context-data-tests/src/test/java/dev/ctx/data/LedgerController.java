package dev.ctx.data;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The web entry points of both applications: plain controllers over a {@link Ledger}.
 */
@RestController
public class LedgerController {

	private final Ledger ledger;

	public LedgerController(Ledger ledger) {
		this.ledger = ledger;
	}

	@GetMapping("/slow")
	public long slow() {
		return this.ledger.slowSum();
	}

	@GetMapping("/write-then-slow")
	public long writeThenSlow(@RequestParam String name) {
		return this.ledger.writeThenSlowSum(name);
	}

	@GetMapping("/count")
	public long count() {
		return this.ledger.count();
	}

}
