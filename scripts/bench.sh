#!/usr/bin/env bash
# Runs kqueue-bench's JMH suite, workloads W1 to W5, W7 and W8 against every backend (see README, Benchmarks),
# and writes into one results directory: JMH's JSON of every round, report.md (medians, ratios to
# raw epoll, bytes per operation, the machine) and one chart per workload as PNG and SVG. The suite
# (BenchSuite) and the report (BenchReport) are Java programs of kqueue-bench, run by Maven with the
# project's toolchain JDK.
#
#   scripts/bench.sh [smoke|quick|full] [results directory]
#
#   quick  (the default) one round of short iterations: about 3 minutes on two cores, under 5.
#   full   five interleaved rounds: about 25 minutes on two cores, 30 with native.
#   smoke  one very short iteration of each case, about a minute: for CI, which it fails only if a
#          case errors, never on speed.
#
# Results go to kqueue-bench/results/<UTC date>-<mode>/ unless a directory is given.
# KQUEUE_NATIVE_LIBRARY=/absolute/path/libkqueue.so adds the native passthrough, in forks of its own.
# BENCH_WORKLOADS=W7,W8 runs only the cases of those workloads (default: all).
# BENCH_MAVEN_FLAGS adds Maven flags, e.g. -o to build offline.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-quick}
case "$mode" in
    smoke|quick|full) ;;
    *) echo "usage: $0 [smoke|quick|full] [results directory]" >&2; exit 2 ;;
esac
out=$(realpath -m "${2:-kqueue-bench/results/$(date -u +%Y-%m-%d)-$mode}")
library=${KQUEUE_NATIVE_LIBRARY:-}
if [ -n "$library" ] && [ ! -f "$library" ]; then
    echo "KQUEUE_NATIVE_LIBRARY=$library: no such file" >&2
    exit 2
fi
mkdir -p "$out"
rm -f "$out"/*.json "$out"/failures.txt "$out"/skipped.txt   # a run into the same directory starts afresh

# shellcheck disable=SC2086 # BENCH_MAVEN_FLAGS is a list of flags
mvn -B -q ${BENCH_MAVEN_FLAGS:-} -DskipTests -Pbench -pl kqueue-bench -am package \
    -Dbench.main=io.github.kqueueffm.bench.report.BenchSuite -Dbench.args="$mode $out $library" \
    2>&1 | tee "$out/run.log"
echo "bench.sh: $mode run written to $out (report.md)"
