#!/bin/sh
# Writes docs/libkqueue-differential.md from the surefire reports of both conformance runs:
#
#   mvn verify -Pnative -Dkqueue.native.library=/absolute/path/to/libkqueue.so
#   scripts/libkqueue-differential.sh
#
# The emulation's reports are kqueue-tests/target/surefire-reports, the passthrough's
# kqueue-tests/target/surefire-reports-native; the verdicts for rows where they disagree are kept in
# scripts/libkqueue-differential.notes. Exits 2 (after writing) while a disagreeing row has no
# verdict. Needs a JDK 22 or later: $JAVA, else $JAVA_HOME,
# else the first one found on PATH or in /usr/lib/jvm.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)

major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
pick() {
    for candidate in "$@"; do
        if [ -x "$candidate" ] && [ "$(major "$candidate")" -ge 22 ] 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
}
java=$(pick "${JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" /usr/lib/jvm/*/bin/java)
if [ -z "$java" ]; then
    echo "libkqueue-differential: no JDK 22+ found; set JAVA or JAVA_HOME" >&2
    exit 1
fi

library=$(sed -n 's/.*<property name="kqueue.native.library" value="\([^"]*\)".*/\1/p' \
    "$root"/kqueue-tests/target/surefire-reports-native/TEST-*.xml 2>/dev/null | head -n 1)
version=""
if [ -n "$library" ]; then
    # libkqueue's NOTE_VERSION_STR text, e.g. "2.7.0-266 (git #f9660896)"
    version=$(grep -aoE '[0-9]+\.[0-9]+\.[0-9]+(-[0-9]+)? \(git #[0-9a-f]+\)' "$library" 2>/dev/null | head -n 1 || true)
fi
exec "$java" "$root/scripts/LibkqueueDifferential.java" "$root" \
    "$root/kqueue-tests/target/surefire-reports" "$root/kqueue-tests/target/surefire-reports-native" \
    "libkqueue${version:+ $version}"
