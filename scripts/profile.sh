#!/bin/sh
# CPU and allocation profiles of kqueue-ffm on W1, W3 and W5 with JDK Flight Recorder (JMH's jfr
# profiler), kept as text next to the benchmark results: for each workload the recording's
# hot-methods, allocation-by-site and allocation-by-class views.
#
#   scripts/profile.sh [results directory]   (default kqueue-bench/results/<date>-profile)
#   BACKEND=epoll scripts/profile.sh          (profile another backend)
#
# About a minute. Needs a JDK 22+ (JAVA=/path/to/bin/java, else the first under /usr/lib/jvm).
set -eu
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-kqueue-bench/results/$(date -u +%Y-%m-%d)-profile}")
backend=${BACKEND:-kqueue-ffm}

. scripts/find-java.sh
jfr=$(dirname "$java")/jfr

cp_file=kqueue-bench/target/profile.classpath
mvn -B -q -o -DskipTests -pl kqueue-bench -am package dependency:build-classpath \
    -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=runtime >/dev/null
classpath=kqueue-bench/target/classes:$(cat "$cp_file")
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

profile() { # name, then JMH arguments
    name=$1
    shift
    "$java" -cp "$classpath" org.openjdk.jmh.Main "$@" -p backend="$backend" -f 1 \
        -prof "jfr:dir=$tmp/$name;configName=profile" >"$out/$name-$backend-jmh.txt" 2>&1
    recording=$(find "$tmp/$name" -name '*.jfr' | head -1)
    for view in hot-methods allocation-by-site allocation-by-class; do
        "$jfr" view --width 160 "$view" "$recording" >"$out/$name-$backend-$view.txt"
    done
}

profile W1 PingPongBench -p idle=0 -wi 2 -w 2 -i 3 -r 5
profile W3 TimersBench -wi 2 -i 10
profile W5 ChurnBench -wi 2 -w 2 -i 3 -r 5
echo "profile.sh: $backend profiles written to $out"
