#!/usr/bin/env bash
# JDBC overhead of ContextAwareDataSource on in-memory H2, measured by
# dev.ctx.benchmarks.jdbc.JdbcOverheadComparison: interleaved 200 ms slices of every variant
# in one JVM, the ratio baseline/variant taken within each round, repeated in several JVMs.
# On a shared 2-core machine whole JMH forks drift by 10-20 %, which would decide a 5 %
# target; within a round the drift cancels. Prints a Markdown table (median of the
# per-round ratios over all rounds of all JVMs, with the range of the per-JVM medians).
# Overridable: JVMS (3), ROUNDS (30), SLICE_MS (200), WARMUP_ROUNDS (15), SKIP_BUILD.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
JVMS="${JVMS:-3}"
ROUNDS="${ROUNDS:-30}"
SLICE_MS="${SLICE_MS:-200}"
WARMUP_ROUNDS="${WARMUP_ROUNDS:-15}"
if [[ -z "${SKIP_BUILD:-}" ]]; then
	./mvnw -q -B -ntp -pl context-benchmarks -am -Pbenchmarks package -DskipTests
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for jvm in $(seq 1 "$JVMS"); do
	java -Xms512m -Xmx512m -cp context-benchmarks/target/benchmarks.jar \
		-Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
		dev.ctx.benchmarks.jdbc.JdbcOverheadComparison "$ROUNDS" "$SLICE_MS" "$WARMUP_ROUNDS" \
		2> "$work/jvm-$jvm.log" | grep -E '^[0-9]+ ' > "$work/jvm-$jvm.txt"
	echo "JVM $jvm of $JVMS done, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
python3 - "$work" "$JVMS" <<'PY'
import statistics, sys
work, jvms = sys.argv[1], int(sys.argv[2])
data = {}  # (jvm, round) -> variant -> (ns, bytes)
for j in range(1, jvms + 1):
    for line in open(f"{work}/jvm-{j}.txt"):
        r, name, ns, b = line.split()
        data.setdefault((j, int(r)), {})[name] = (float(ns), float(b))
# A variant with a context attached is compared with the raw pool under the same
# attached context too: attaching is the application's cost, not the wrapper's
rows = [
    ("roundTrip.rawPool", None), ("roundTrip.rawPoolUnderContext", "roundTrip.rawPool"),
    ("roundTrip.wrappedNoContext", "roundTrip.rawPool"), ("roundTrip.wrappedWithCancel", "roundTrip.rawPool"),
    ("roundTrip.wrappedWithCancel", "roundTrip.rawPoolUnderContext"),
    ("roundTrip.rawPoolWithQueryTimeout", None),
    ("roundTrip.wrappedWithDeadline", "roundTrip.rawPoolWithQueryTimeout"),
    ("held.raw", None), ("held.rawUnderContext", "held.raw"), ("held.wrappedNoContext", "held.raw"),
    ("held.wrappedWithCancel", "held.raw"), ("held.wrappedWithCancel", "held.rawUnderContext"),
]
rounds = len(data) // jvms
print("| Variant | median ns/op | B/op | baseline | ratio baseline/variant: median of %d rounds (per-JVM medians) |" % len(data))
print("|---|---:|---:|---|---|")
for name, base in rows:
    ns = [v[name][0] for v in data.values()]
    b = [v[name][1] for v in data.values()]
    if base is None:
        ratio, base_name = "baseline", ""
    else:
        ratios = [v[base][0] / v[name][0] for v in data.values()]
        per_jvm = [statistics.median([data[(j, r)][base][0] / data[(j, r)][name][0] for (jj, r) in data if jj == j])
                   for j in range(1, jvms + 1)]
        ratio = "**%.3f** (%s)" % (statistics.median(ratios), " / ".join("%.3f" % x for x in per_jvm))
        base_name = "`%s`" % base
    print("| `%s` | %.0f | %.0f | %s | %s |" % (name, statistics.median(ns), statistics.median(b), base_name, ratio))
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
