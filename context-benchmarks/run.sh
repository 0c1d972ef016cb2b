#!/usr/bin/env bash
# Builds the JMH jar, runs the dev.ctx vs io.grpc.Context benchmarks with the GC profiler
# (allocation per operation) and writes the results table into docs/benchmarks.md.
#
# Settings are modest on purpose (2-core machine shared with other work); override them:
#   FORKS=1 WARMUP_ITERATIONS=3 ITERATIONS=5 WARMUP_TIME=1s TIME=1s
#   BENCHMARKS='dev\.ctx\.benchmarks\..*'  regular expression of the benchmarks to run
#   TASKSET_CPUS=1                          pin JMH and its forked JVM to these CPUs (taskset -c)
#   JVM_ARGS='-Xms2g -Xmx2g'                options of the forked JVM (a fixed heap: GC work
#                                           per operation does not depend on heap resizing)
#   NICE=-10                                run JMH at this nice level (default 0); a negative
#                                           value, as root, keeps the benchmark thread on a CPU
#                                           when other builds load the machine
#   RESULT=target/jmh-result.json DOC=../docs/benchmarks.md
#   SKIP_BUILD=1                            reuse target/benchmarks.jar
#   LOCK_ATTEMPTS=60                        how often to retry, 10 s apart, while another JMH
#                                           run holds /tmp/jmh.lock
#   MERGE='target/jmh-full.json'            earlier results to keep in the table: rows (both
#                                           sides of an operation) measured again in this run
#                                           replace theirs; used to re-run rows that a burst
#                                           of load on the machine made noisy
set -euo pipefail

cd "$(dirname "$0")"

FORKS="${FORKS:-1}"
WARMUP_ITERATIONS="${WARMUP_ITERATIONS:-3}"
ITERATIONS="${ITERATIONS:-5}"
WARMUP_TIME="${WARMUP_TIME:-1s}"
TIME="${TIME:-1s}"
BENCHMARKS="${BENCHMARKS:-dev\.ctx\.benchmarks\..*}"
TASKSET_CPUS="${TASKSET_CPUS:-}"
JVM_ARGS="${JVM_ARGS--Xms2g -Xmx2g}"
NICE="${NICE:-0}"
RESULT="${RESULT:-target/jmh-result.json}"
DOC="${DOC:-../docs/benchmarks.md}"

if [[ -z "${SKIP_BUILD:-}" ]]; then
	# Only the jar is built here; ./mvnw verify runs the tests (benchmarks never run there)
	(cd .. && ./mvnw -q -pl context-benchmarks -am -Pbenchmarks package -DskipTests)
fi

command=(java -jar target/benchmarks.jar
	-f "$FORKS" -wi "$WARMUP_ITERATIONS" -i "$ITERATIONS" -w "$WARMUP_TIME" -r "$TIME"
	-prof gc -rf json -rff "$RESULT")
if [[ -n "$JVM_ARGS" ]]; then
	command+=(-jvmArgsAppend "$JVM_ARGS")
fi
command+=("$BENCHMARKS")
if [[ "$NICE" != "0" ]]; then
	command=(nice -n "$NICE" "${command[@]}")
fi
if [[ -n "$TASKSET_CPUS" ]]; then
	# The affinity is inherited by the JVM that JMH forks for each benchmark
	command=(taskset -c "$TASKSET_CPUS" "${command[@]}")
fi

mkdir -p "$(dirname "$RESULT")"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# JMH allows one run per machine (/tmp/jmh.lock), and two runs would disturb each
# other anyway: wait for another engineer's run to end rather than fail
for attempt in $(seq 1 "${LOCK_ATTEMPTS:-60}"); do
	load_before="$(cut -d ' ' -f 1-3 /proc/loadavg)"
	echo "+ ${command[*]}"
	if "${command[@]}" 2>&1 | tee "$log"; then
		if ! grep -q 'Unable to acquire the JMH lock' "$log"; then
			break
		fi
	elif ! grep -q 'Unable to acquire the JMH lock' "$log"; then
		exit 1
	fi
	if [[ "$attempt" == "${LOCK_ATTEMPTS:-60}" ]]; then
		echo "Another JMH run held /tmp/jmh.lock for too long" >&2
		exit 1
	fi
	echo "Another JMH run holds /tmp/jmh.lock; waiting (attempt $attempt)" >&2
	sleep 10
done
load_after="$(cut -d ' ' -f 1-3 /proc/loadavg)"

# Kept next to the result, so that a later run can merge it and still show how it was made
printf '%s\n%s\n%s\n' "(cd context-benchmarks && ${command[*]})" \
	"before: $load_before, after: $load_after" "$(date -u '+%Y-%m-%d %H:%M UTC')" > "$RESULT.info"

results=()
for earlier in ${MERGE:-}; do
	results+=(--result "$earlier")
done
results+=(--result "$RESULT")
python3 report.py "${results[@]}" --doc "$DOC"
