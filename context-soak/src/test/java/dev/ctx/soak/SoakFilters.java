package dev.ctx.soak;

import java.io.IOException;

import dev.ctx.Context;
import dev.ctx.ContextKey;
import dev.ctx.Scope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The two filters of the soak application.
 */
final class SoakFilters {

	/** The user a request claims to be, from the X-User header. */
	static final ContextKey<String> USER = ContextKey.named("soak.user");

	/** The id the client gave the request, from the X-Req header. */
	static final ContextKey<Long> REQUEST_ID = ContextKey.named("soak.request-id");

	static final String ENTRY_ATTRIBUTE = SoakFilters.class.getName() + ".backgroundOnEntry";

	private SoakFilters() {
	}

	static long requestId(HttpServletRequest request) {
		String value = request.getHeader("X-Req");
		if (value == null) {
			return -1;
		}
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/**
	 * Runs first, before the ContextFilter: any Context other than background found on a
	 * pooled server thread when a request arrives was left there by an earlier request.
	 */
	static final class ProbeFilter extends OncePerRequestFilter {

		private final Ledger ledger;

		ProbeFilter(Ledger ledger) {
			this.ledger = ledger;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			Context onEntry = Context.current();
			boolean clean = onEntry == Context.background();
			if (!clean) {
				this.ledger.leakedOnEntry.incrementAndGet();
				this.ledger.sample("entry " + Thread.currentThread().getName() + " had " + onEntry + " before "
						+ request.getRequestURI());
			}
			request.setAttribute(ENTRY_ATTRIBUTE, clean);
			long id = requestId(request);
			if (id >= 0) {
				this.ledger.arrived(id);
			}
			try {
				chain.doFilter(request, response);
			}
			finally {
				Context onExit = Context.current();
				if (onExit != Context.background()) {
					this.ledger.leakedOnExit.incrementAndGet();
					this.ledger.sample("exit " + Thread.currentThread().getName() + " kept " + onExit + " after "
							+ request.getRequestURI());
				}
			}
		}

	}

	/**
	 * Runs after the ContextFilter and puts the request's claims into its context, as an
	 * authentication filter would.
	 */
	static final class UserFilter extends OncePerRequestFilter {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String user = request.getHeader("X-User");
			long id = requestId(request);
			Context context = Context.current();
			if (user != null) {
				context = context.withValue(USER, user);
			}
			if (id >= 0) {
				context = context.withValue(REQUEST_ID, id);
			}
			try (Scope scope = context.attach()) {
				chain.doFilter(request, response);
			}
		}

	}

}
