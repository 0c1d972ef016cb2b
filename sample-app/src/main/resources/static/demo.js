// The demo page: fires report requests, aborts them, and draws the service's own metrics
// (/demo/stats, polled every second) on <canvas>. No libraries, no build step.
(() => {
	'use strict';

	const REASONS = [
		{ key: 'deadline_exceeded', label: 'deadline exceeded', color: '#e8833a' },
		{ key: 'client_disconnected', label: 'client disconnected', color: '#d64545' },
		{ key: 'canceled', label: 'canceled', color: '#8a63d2' },
		{ key: 'shutdown', label: 'shutdown', color: '#6b7280' }
	];
	const WINDOW_SECONDS = 60;
	const BURST_PARALLELISM = 3;
	const history = [];
	let sequence = 0;
	let slowRequest = null;

	const $ = (id) => document.getElementById(id);

	// ---- Requests -------------------------------------------------------------------

	function logLine(text) {
		const li = document.createElement('li');
		li.className = 'running';
		li.dataset.state = 'running';
		li.textContent = text;
		$('log').prepend(li);
		while ($('log').children.length > 40) {
			$('log').lastElementChild.remove();
		}
		return li;
	}

	function seconds(ms) {
		return (ms / 1000).toFixed(1) + ' s';
	}

	// Runs one report request; resolves when it has ended, however it ended
	async function runReport(path, work, label, controller) {
		const id = ++sequence;
		const prefix = `#${id} ${label} (${work} s of work)`;
		const li = logLine(`${prefix}: running…`);
		li.dataset.request = String(id);
		li.dataset.report = label;
		const started = performance.now();
		try {
			const response = await fetch(`${path}?seconds=${encodeURIComponent(work)}`, {
				signal: controller ? controller.signal : undefined,
				headers: { Accept: 'application/json' },
				cache: 'no-store'
			});
			const body = await response.json().catch(() => null);
			const took = seconds(performance.now() - started);
			if (response.ok) {
				li.className = 'ok';
				li.dataset.state = 'ok';
				li.textContent = `${prefix}: ${response.status} in ${took}`;
			}
			else {
				const reason = (body && body.reason) ? body.reason : (body && body.detail) || response.statusText;
				li.className = (reason === 'deadline_exceeded') ? 'deadline' : 'error';
				li.dataset.state = reason;
				li.textContent = `${prefix}: ${response.status} ${reason} after ${took}`;
			}
		}
		catch (error) {
			const took = seconds(performance.now() - started);
			if (error.name === 'AbortError') {
				li.className = 'aborted';
				li.dataset.state = 'aborted';
				li.textContent = `${prefix}: aborted by you after ${took}`;
			}
			else {
				li.className = 'error';
				li.dataset.state = 'error';
				li.textContent = `${prefix}: failed after ${took} (${error.message})`;
			}
		}
	}

	function workOf(input) {
		const value = Number($(input).value);
		return (value > 0) ? value : 1;
	}

	$('run-slow').addEventListener('click', async () => {
		const controller = new AbortController();
		slowRequest = controller;
		$('run-slow').disabled = true;
		$('cancel-slow').disabled = false;
		try {
			await runReport('/api/reports/revenue', workOf('work'), 'revenue', controller);
		}
		finally {
			slowRequest = null;
			$('run-slow').disabled = false;
			$('cancel-slow').disabled = true;
		}
	});

	$('cancel-slow').addEventListener('click', () => {
		if (slowRequest) {
			slowRequest.abort();
		}
	});

	$('run-deadline').addEventListener('click', async () => {
		$('run-deadline').disabled = true;
		try {
			await runReport('/api/reports/dashboard', workOf('deadline-work'), 'dashboard', null);
		}
		finally {
			$('run-deadline').disabled = false;
		}
	});

	$('run-burst').addEventListener('click', async () => {
		const n = Math.min(50, Math.max(1, Math.round(workOf('burst-n'))));
		const tasks = [];
		// The work values above set the size of the burst's requests
		const slowWork = workOf('work');
		const deadlineWork = workOf('deadline-work');
		for (let i = 0; i < n; i++) {
			const kind = i % 3;
			if (kind === 0) {
				tasks.push(() => runReport('/api/reports/dashboard', deadlineWork, 'dashboard', null));
			}
			else if (kind === 1) {
				tasks.push(() => {
					const controller = new AbortController();
					setTimeout(() => controller.abort(), 1000 + Math.random() * 2000);
					return runReport('/api/reports/revenue', slowWork, 'revenue', controller);
				});
			}
			else {
				tasks.push(() => runReport('/api/reports/revenue', 1, 'revenue', null));
			}
		}
		$('run-burst').disabled = true;
		const workers = [];
		for (let w = 0; w < BURST_PARALLELISM; w++) {
			workers.push((async () => {
				while (tasks.length > 0) {
					await tasks.shift()();
				}
			})());
		}
		await Promise.all(workers);
		$('run-burst').disabled = false;
	});

	// ---- Charts ---------------------------------------------------------------------

	// Sizes the canvas for the screen's pixel density once, keeping its design size
	function surface(canvas) {
		if (!canvas.dataset.w) {
			canvas.dataset.w = canvas.width;
			canvas.dataset.h = canvas.height;
		}
		const w = Number(canvas.dataset.w);
		const h = Number(canvas.dataset.h);
		const ratio = window.devicePixelRatio || 1;
		if (canvas.width !== w * ratio) {
			canvas.width = w * ratio;
			canvas.height = h * ratio;
		}
		const g = canvas.getContext('2d');
		g.setTransform(ratio, 0, 0, ratio, 0, 0);
		g.clearRect(0, 0, w, h);
		g.font = '11px system-ui, sans-serif';
		return { g, w, h };
	}

	// The top of the axis: four gridline steps of 1, 2, 2.5 or 5 times a power of ten
	function niceMax(value) {
		const step = Math.max(value, 1) / 4;
		const power = Math.pow(10, Math.floor(Math.log10(step)));
		for (const m of [1, 2, 2.5, 5, 10]) {
			if (m * power >= step) {
				return 4 * m * power;
			}
		}
		return 40 * power;
	}

	function gridlines(g, left, top, width, height, max, format) {
		g.strokeStyle = '#e3e6eb';
		g.fillStyle = '#6b7280';
		g.lineWidth = 1;
		g.textAlign = 'right';
		g.textBaseline = 'middle';
		for (let i = 0; i <= 4; i++) {
			const y = Math.round(top + height - (height * i) / 4) + 0.5;
			g.beginPath();
			g.moveTo(left, y);
			g.lineTo(left + width, y);
			g.stroke();
			g.fillText(format((max * i) / 4), left - 6, y);
		}
	}

	function drawBars(canvas, items) {
		const { g, w, h } = surface(canvas);
		const left = 40, top = 16, bottom = 24;
		const width = w - left - 10, height = h - top - bottom;
		const max = niceMax(Math.max(...items.map((item) => item.value)));
		gridlines(g, left, top, width, height, max, (v) => String(Math.round(v * 100) / 100));
		const slot = width / items.length;
		items.forEach((item, i) => {
			const barHeight = (height * item.value) / max;
			const x = left + i * slot + slot * 0.2;
			g.fillStyle = item.color;
			g.fillRect(x, top + height - barHeight, slot * 0.6, barHeight);
			g.fillStyle = '#1d2330';
			g.textAlign = 'center';
			g.textBaseline = 'bottom';
			g.fillText(String(item.value), x + slot * 0.3, top + height - barHeight - 2);
			g.textBaseline = 'top';
			g.fillStyle = '#6b7280';
			g.fillText(item.label, x + slot * 0.3, top + height + 6);
		});
	}

	// Time series over the last WINDOW_SECONDS, newest on the right
	function drawSeries(canvas, series, unit) {
		const { g, w, h } = surface(canvas);
		const left = 40, top = 10, bottom = 22;
		const width = w - left - 10, height = h - top - bottom;
		const now = history.length ? history[history.length - 1].t : Date.now();
		const max = niceMax(Math.max(0, ...series.flatMap((s) => history.map(s.value))));
		gridlines(g, left, top, width, height, max, (v) => String(Math.round(v * 100) / 100) + unit);
		g.fillStyle = '#6b7280';
		g.textBaseline = 'top';
		g.textAlign = 'left';
		g.fillText(`-${WINDOW_SECONDS} s`, left, top + height + 6);
		g.textAlign = 'right';
		g.fillText('now', left + width, top + height + 6);
		const xOf = (t) => left + width - (width * (now - t)) / (WINDOW_SECONDS * 1000);
		const yOf = (v) => top + height - (height * v) / max;
		for (const s of series) {
			if (history.length === 0) {
				continue;
			}
			g.beginPath();
			history.forEach((point, i) => {
				const x = xOf(point.t), y = yOf(s.value(point));
				if (i === 0) {
					g.moveTo(x, y);
				}
				else if (s.step) {
					g.lineTo(x, yOf(s.value(history[i - 1])));
					g.lineTo(x, y);
				}
				else {
					g.lineTo(x, y);
				}
			});
			g.strokeStyle = s.color;
			g.lineWidth = 2;
			g.stroke();
			if (s.fill) {
				g.lineTo(xOf(history[history.length - 1].t), top + height);
				g.lineTo(xOf(history[0].t), top + height);
				g.closePath();
				g.fillStyle = s.fill;
				g.fill();
			}
		}
	}

	// ---- Rendering the stats --------------------------------------------------------

	function render(stats) {
		const items = REASONS.map((r) => ({ label: r.label, color: r.color, value: stats.cancellations[r.key] || 0 }));
		drawBars($('chart-reasons'), items);
		const legend = $('legend-reasons');
		legend.replaceChildren(...REASONS.map((r, i) => {
			const li = document.createElement('li');
			li.id = `count-${r.key}`;
			li.dataset.value = String(items[i].value);
			const swatch = document.createElement('span');
			swatch.className = 'swatch';
			swatch.style.background = r.color;
			const value = document.createElement('strong');
			value.textContent = String(items[i].value);
			li.append(swatch, `${r.label} `, value);
			return li;
		}));
		$('lag-mean').textContent = stats.lagCount ? Math.round(stats.lagMeanMillis) : '–';
		$('lag-count').textContent = String(stats.lagCount);

		history.push({
			t: stats.timeMillis,
			inFlight: stats.inFlight.length,
			saved: stats.reports.savedSeconds,
			wasted: stats.reports.wastedSeconds
		});
		while (history.length && history[0].t < stats.timeMillis - WINDOW_SECONDS * 1000) {
			history.shift();
		}
		drawSeries($('chart-inflight'), [
			{ value: (p) => p.inFlight, color: '#2f6fdf', fill: 'rgba(47,111,223,0.15)', step: true }
		], '');
		drawSeries($('chart-time'), [
			{ value: (p) => p.saved, color: '#2e9d5b', fill: 'rgba(46,157,91,0.12)' },
			{ value: (p) => p.wasted, color: '#d64545' }
		], ' s');
		$('saved-seconds').textContent = stats.reports.savedSeconds.toFixed(1);
		$('wasted-seconds').textContent = stats.reports.wastedSeconds.toFixed(1);
		$('jdbc-cancelled').textContent = String(stats.jdbcStatementsCancelled);

		renderInFlight(stats.inFlight);
		renderQueries(stats.reports.recent);
	}

	function cell(row, content) {
		const td = document.createElement('td');
		if (content instanceof Node) {
			td.append(content);
		}
		else {
			td.textContent = content;
		}
		row.append(td);
		return td;
	}

	function emptyRow(body, columns, text) {
		const row = document.createElement('tr');
		cell(row, text).colSpan = columns;
		row.firstChild.className = 'muted';
		body.replaceChildren(row);
	}

	function renderInFlight(inFlight) {
		const body = $('inflight-rows');
		body.dataset.count = String(inFlight.length);
		if (inFlight.length === 0) {
			emptyRow(body, 5, 'none');
			return;
		}
		body.replaceChildren(...inFlight.map((request) => {
			const row = document.createElement('tr');
			row.dataset.path = request.path;
			row.dataset.done = String(request.done);
			cell(row, String(request.id));
			cell(row, `${request.method} ${request.path}`);
			cell(row, seconds(request.ageMillis));
			const bar = document.createElement('span');
			bar.className = 'bar';
			const fill = document.createElement('span');
			const share = (request.budgetMillis && request.remainingMillis != null)
				? Math.max(0, request.remainingMillis / request.budgetMillis) : 1;
			fill.style.width = `${Math.round(share * 100)}%`;
			bar.append(fill);
			const budget = document.createElement('span');
			budget.append(bar, ' ', (request.remainingMillis != null) ? seconds(Math.max(0, request.remainingMillis)) : 'no deadline');
			cell(row, budget);
			cell(row, request.done ? `done: ${(request.reason || '').replace('_', ' ')}` : 'running');
			return row;
		}));
	}

	function renderQueries(recent) {
		const body = $('query-rows');
		if (recent.length === 0) {
			emptyRow(body, 6, 'none yet');
			return;
		}
		body.replaceChildren(...recent.map((q) => {
			const row = document.createElement('tr');
			row.dataset.outcome = q.outcome;
			row.dataset.reason = q.reason || '';
			cell(row, String(q.id));
			cell(row, q.report);
			cell(row, q.reason ? `${q.outcome} (${q.reason.replace('_', ' ')})` : q.outcome).className = `outcome-${q.outcome}`;
			cell(row, seconds(q.intendedMillis));
			cell(row, seconds(q.actualMillis));
			cell(row, q.outcome === 'late' ? `−${seconds(q.wastedMillis)}` : seconds(q.savedMillis));
			return row;
		}));
	}

	async function poll() {
		const status = $('status');
		try {
			const response = await fetch('/demo/stats', { cache: 'no-store' });
			if (!response.ok) {
				throw new Error(`HTTP ${response.status}`);
			}
			render(await response.json());
			status.className = 'pill live';
			status.textContent = `live · ${new Date().toLocaleTimeString()}`;
			status.dataset.polls = String(Number(status.dataset.polls || 0) + 1);
		}
		catch (error) {
			status.className = 'pill down';
			status.textContent = `no data: ${error.message}`;
		}
		finally {
			setTimeout(poll, 1000);
		}
	}

	poll();
})();
