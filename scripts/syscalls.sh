#!/bin/sh
# System calls per operation of workloads W1, W3 and W5 (kqueue-bench's SyscallCount), counted with
# strace -c -f at two operation counts; the difference divided by the difference of counts cancels
# the JVM's start-up and each workload's setup. Prints one table per workload and backend.
#
#   scripts/syscalls.sh [W1|W3|W5 ...]          (default: all three)
#   BACKENDS="kqueue-ffm epoll" scripts/syscalls.sh W5
#
# Needs strace and a JDK 22+ (JAVA=/path/to/bin/java, else the first one found under /usr/lib/jvm).
set -eu
cd "$(dirname "$0")/.."
workloads=${*:-W1 W3 W5}
small=${SMALL:-2000}
large=${LARGE:-22000}

. scripts/find-java.sh
command -v strace >/dev/null || { echo "syscalls.sh: strace is not installed" >&2; exit 2; }

cp_file=kqueue-bench/target/syscalls.classpath
mvn -B -q -o -DskipTests -pl kqueue-bench -am package dependency:build-classpath \
    -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=runtime >/dev/null
classpath=kqueue-bench/target/classes:$(cat "$cp_file")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

count() { # workload backend operations → strace summary file
    strace -f -c -o "$tmp/$1-$2-$3" "$java" --enable-native-access=ALL-UNNAMED -Xint -XX:-UsePerfData \
        -cp "$classpath" io.github.kqueueffm.bench.SyscallCount "$1" "$2" "$3" >/dev/null
}

for w in $workloads; do
    case $w in
        W1) backends=${BACKENDS:-"kqueue-ffm epoll+fionread epoll"} ;;
        W3) backends=${BACKENDS:-"kqueue-ffm epoll nio"} ;;
        W5) backends=${BACKENDS:-"kqueue-ffm epoll"} ;;
        *) echo "syscalls.sh: unknown workload $w" >&2; exit 2 ;;
    esac
    for b in $backends; do
        count "$w" "$b" "$small"
        count "$w" "$b" "$large"
        echo "## $w $b: system calls per operation ($large − $small operations)"
        awk -v n=$((large - small)) '
            FNR == 1 { file++ }
            /^ *[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9]+/ {
                calls = $4; name = $NF
                if (name == "total") next
                if (file == 1) before[name] = calls; else after[name] = calls
            }
            END {
                total = 0
                for (name in after) {
                    per = (after[name] - before[name]) / n
                    if (per >= 0.001) { printf "%-20s %7.3f\n", name, per; total += per }
                }
                printf "%-20s %7.3f\n", "total", total
            }' "$tmp/$w-$b-$small" "$tmp/$w-$b-$large"
    done
done
