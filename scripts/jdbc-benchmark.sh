#!/usr/bin/env bash
# JDBC overhead of ContextAwareDataSource on in-memory H2, measured by
# dev.ctx.benchmarks.jdbc.JdbcOverheadComparison: interleaved 200 ms slices of the variants
# in one JVM, the ratio baseline/variant taken within each round, repeated in several JVMs.
# On a shared 2-core machine whole JMH forks drift by 10-20 %, which would decide a 5 %
# target; within a round the drift cancels.
# Two layouts, each in JVMS JVMs:
#  - isolated: each JVM runs one wrapper variant with its baselines, so that the JIT
#    compiles the wrapper for that path alone, as in a JMH fork of its own;
#  - mixed: each JVM runs every variant, so that the wrapper's code is compiled with the
#    profile of all its paths at once, as in an application that uses them all. Only this
#    layout runs roundTrip.exposedWithCancel (the pool as the auto-configuration exposes
#    it, a HikariDataSource subclass whose getConnection() goes to the wrapper).
# Prints a Markdown table per layout (median of the per-round ratios over all rounds of
# all JVMs, with the range of the per-JVM medians).
# Overridable: JVMS (3), ROUNDS (30), SLICE_MS (200), WARMUP_ROUNDS (15), LAYOUTS
# ("isolated mixed"), MIXED_VARIANTS (a regular expression the variants of the mixed
# layout match, ".*"), SKIP_BUILD.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
JVMS="${JVMS:-3}"
ROUNDS="${ROUNDS:-30}"
SLICE_MS="${SLICE_MS:-200}"
WARMUP_ROUNDS="${WARMUP_ROUNDS:-15}"
LAYOUTS="${LAYOUTS:-isolated mixed}"
MIXED_VARIANTS="${MIXED_VARIANTS:-.*}"
if [[ -z "${SKIP_BUILD:-}" ]]; then
	./mvnw -q -B -ntp -pl context-benchmarks -am -Pbenchmarks package -DskipTests
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One wrapper variant and its baselines per group
isolated_groups=(
	'roundTrip\.(rawPool|rawPoolUnderContext|wrappedWithCancel)'
	'roundTrip\.(rawPool|wrappedNoContext)'
	'roundTrip\.(rawPoolWithQueryTimeout|wrappedWithDeadline)'
	'held\.(raw|rawUnderContext|wrappedWithCancel)'
	'held\.(raw|wrappedNoContext)'
)

# run <directory> <regex>: JVMS JVMs running the variants that match, one file each
run() {
	mkdir -p "$1"
	for jvm in $(seq 1 "$JVMS"); do
		java -Xms512m -Xmx512m -cp context-benchmarks/target/benchmarks.jar \
			-Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
			dev.ctx.benchmarks.jdbc.JdbcOverheadComparison "$ROUNDS" "$SLICE_MS" "$WARMUP_ROUNDS" "$2" \
			2> "$1/jvm-$jvm.log" | grep -E '^[0-9]+ ' > "$1/jvm-$jvm.txt"
		echo "$2: JVM $jvm of $JVMS done, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
	done
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for layout in $LAYOUTS; do
	case "$layout" in
		isolated)
			for i in "${!isolated_groups[@]}"; do
				run "$work/isolated/$i" "${isolated_groups[$i]}"
			done
			;;
		mixed)
			run "$work/mixed/0" "$MIXED_VARIANTS"
			;;
		*)
			echo "Unknown layout $layout" >&2
			exit 1
			;;
	esac
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

python3 - "$work" "$JVMS" $LAYOUTS <<'PY'
import os, statistics, sys
work, jvms, layouts = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
# A variant with a context attached is compared with the raw pool under the same
# attached context too: attaching is the application's cost, not the wrapper's
rows = [
    ("roundTrip.rawPool", None), ("roundTrip.rawPoolUnderContext", "roundTrip.rawPool"),
    ("roundTrip.wrappedNoContext", "roundTrip.rawPool"), ("roundTrip.wrappedWithCancel", "roundTrip.rawPool"),
    ("roundTrip.wrappedWithCancel", "roundTrip.rawPoolUnderContext"),
    ("roundTrip.exposedWithCancel", "roundTrip.rawPoolUnderContext"),
    ("roundTrip.exposedWithCancel", "roundTrip.wrappedWithCancel"),
    ("roundTrip.rawPoolWithQueryTimeout", None),
    ("roundTrip.wrappedWithDeadline", "roundTrip.rawPoolWithQueryTimeout"),
    ("held.raw", None), ("held.rawUnderContext", "held.raw"), ("held.wrappedNoContext", "held.raw"),
    ("held.wrappedWithCancel", "held.raw"), ("held.wrappedWithCancel", "held.rawUnderContext"),
]

def load(directory):
    data = {}  # (jvm, round) -> variant -> (ns, bytes)
    for j in range(1, jvms + 1):
        for line in open(f"{directory}/jvm-{j}.txt"):
            r, name, ns, b = line.split()
            data.setdefault((j, int(r)), {})[name] = (float(ns), float(b))
    return data

for layout in layouts:
    groups = [load(os.path.join(work, layout, g)) for g in sorted(os.listdir(os.path.join(work, layout)))]
    print()
    print("%s: %s" % (layout, "one wrapper variant and its baselines per JVM" if layout == "isolated"
                      else "every variant in each JVM"))
    print()
    print("| Variant | median ns/op | B/op | baseline | ratio baseline/variant: median of the rounds (per-JVM medians) |")
    print("|---|---:|---:|---|---|")
    for name, base in rows:
        # The group in which the variant was measured with this baseline (for a
        # baseline, the first group that has it)
        data = next((d for d in groups if any(name in v and (base is None or base in v) for v in d.values())), None)
        if data is None:
            continue
        rounds = [v for v in data.values() if name in v and (base is None or base in v)]
        ns = [v[name][0] for v in rounds]
        b = [v[name][1] for v in rounds]
        if base is None:
            ratio, base_name = "baseline", ""
        else:
            ratios = [v[base][0] / v[name][0] for v in rounds]
            per_jvm = [statistics.median([data[(jj, r)][base][0] / data[(jj, r)][name][0] for (jj, r) in data if jj == j])
                       for j in range(1, jvms + 1)]
            ratio = "**%.3f** (%s)" % (statistics.median(ratios), " / ".join("%.3f" % x for x in per_jvm))
            base_name = "`%s`" % base
        print("| `%s` | %.0f | %.0f | %s | %s |" % (name, statistics.median(ns), statistics.median(b), base_name, ratio))
PY
