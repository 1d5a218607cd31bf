# Sourced by the measuring scripts: sets $java to a JDK 22+ launcher: $JAVA if set, else
# $JAVA_HOME's, else the first under /usr/lib/jvm; exits 2 when there is none.
java=${JAVA:-}
if [ -z "$java" ]; then
    for candidate in "${JAVA_HOME:-/nonexistent}/bin/java" /usr/lib/jvm/*/bin/java; do
        [ -x "$candidate" ] || continue
        version=$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')
        if [ "${version%%.*}" -ge 22 ] 2>/dev/null; then java=$candidate; break; fi
    done
fi
[ -n "$java" ] || { echo "$0: no JDK 22+ found; set JAVA" >&2; exit 2; }
