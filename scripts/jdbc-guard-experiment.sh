#!/usr/bin/env bash
# What the JDBC guard's compare-and-sets cost, and what is left without them: the
# cancellable round trip and held statement of scripts/jdbc-benchmark.sh, with their
# baselines under the same context, in its mixed layout (the four variants in each JVM),
# for three builds of the guard, one after the other, REPS times:
#  - as-is: the committed code, two compare-and-sets per checkout and two per execution;
#  - execution-without-cas: scripts/experiments/guard-execution-without-cas.patch, the
#    execution's pair replaced by plain release stores;
#  - without-cas: scripts/experiments/guard-without-cas.patch, the checkout's pair too.
# The patched guards are NOT safe (a cancel can be lost or reach the next statement):
# they exist to measure, never to merge. The script refuses to run over uncommitted
# changes to the autoconfigure module, and restores and rebuilds it on exit.
# Overridable: REPS (2), JVMS (3), ROUNDS (20).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
module=context-spring-boot-autoconfigure
if ! git diff --quiet HEAD -- "$module"; then
	echo "Uncommitted changes in $module: commit or stash them first" >&2
	exit 1
fi
build() {
	./mvnw -q -B -ntp -pl context-benchmarks -am -Pbenchmarks package -DskipTests
}
trap 'git checkout -q HEAD -- "$module" && build' EXIT
for rep in $(seq 1 "${REPS:-2}"); do
	for guard in as-is execution-without-cas without-cas; do
		git checkout -q HEAD -- "$module"
		if [[ "$guard" != as-is ]]; then
			git apply "scripts/experiments/guard-$guard.patch"
		fi
		build
		echo "## guard $guard, repetition $rep, $(date -u +%H:%M) UTC"
		LAYOUTS=mixed JVMS="${JVMS:-3}" ROUNDS="${ROUNDS:-20}" SKIP_BUILD=1 \
			MIXED_VARIANTS='roundTrip\.(rawPoolUnderContext|wrappedWithCancel)|held\.(rawUnderContext|wrappedWithCancel)' \
			bash scripts/jdbc-benchmark.sh 2>/dev/null
	done
done
