#!/usr/bin/env bash
# Reproducible builds: builds the published modules twice from clean copies of this working tree
# at two different paths (the release profile without a signing key: jar, sources jar, javadoc
# jar) and fails unless every jar of the two builds is byte-identical. Prints the entries that
# differ when they are not. Run by .ci/run after "mvn -B verify"; nothing is installed in ~/.m2.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/publishing-lib.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

modules=$(kq_published_modules "$root" | paste -sd, -)
version=$(kq_project_version "$root")
for build in a b; do
    # Different directory names: a path that leaked into a jar would show up as a difference.
    dir="$work/build-$build/kqueue-ffm-$build"
    kq_copy_tree "$root" "$dir"
    echo "build $build: mvn -Prelease -Dmaven.test.skip=true verify -pl $modules -am (in $dir)"
    (cd "$dir" && kq_mvn "$work/build-$build.log" -Prelease -Dmaven.test.skip=true verify -pl "$modules" -am)
done

failed=0
checked=0
for m in $(kq_published_modules "$root"); do
    for suffix in "" -sources -javadoc; do
        name="$m-$version$suffix.jar"
        a="$work/build-a/kqueue-ffm-a/$m/target/$name"
        b="$work/build-b/kqueue-ffm-b/$m/target/$name"
        if [ ! -f "$a" ] || [ ! -f "$b" ]; then
            echo "MISSING  $m/target/$name"
            failed=1
        elif cmp -s "$a" "$b"; then
            echo "same     $m/target/$name  $(sha256sum <"$a" | cut -c1-16)"
            checked=$((checked + 1))
        else
            echo "DIFFERS  $m/target/$name"
            for side in a b; do
                mkdir -p "$work/x-$side/$name"
                (cd "$work/x-$side/$name" && jar -xf "$work/build-$side/kqueue-ffm-$side/$m/target/$name")
            done
            if diff -rq "$work/x-a/$name" "$work/x-b/$name" >"$work/diff" 2>&1; then
                echo "         same entries and contents: their order, times or attributes differ"
            else
                sed 's/^/         /' "$work/diff"
            fi
            failed=1
        fi
    done
done
if [ "$failed" -ne 0 ]; then
    echo "check-reproducible: FAILED" >&2
    exit 1
fi
echo "check-reproducible: OK, $checked jars byte-identical across two clean builds"
