# Shared by check-reproducible.sh and check-bundle.sh (sourced, not run).

# kq_copy_tree SRC DEST: the working tree of SRC as it is now (tracked and untracked files, not
# ignored ones, so no target/ directories), copied to DEST, which must not exist. The checks build
# copies so that they start clean, at another path, and leave the checkout's target/ alone.
kq_copy_tree() {
    local src=$1 dest=$2
    mkdir -p "$dest"
    if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        (cd "$src" && git ls-files -z --cached --others --exclude-standard \
            | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
            | tar --null -T - -cf -) | (cd "$dest" && tar -xf -)
    else
        (cd "$src" && tar --exclude=./.git --exclude='./*/target' --exclude=./target -cf - .) \
            | (cd "$dest" && tar -xf -)
    fi
}

# kq_published_modules ROOT: the modules of ROOT/pom.xml that are published, one a line: every
# module whose pom does not set maven.deploy.skip to true.
kq_published_modules() {
    local root=$1 m
    for m in $(sed -n 's:.*<module>\(.*\)</module>.*:\1:p' "$root/pom.xml"); do
        grep -q '<maven.deploy.skip>true</maven.deploy.skip>' "$root/$m/pom.xml" || echo "$m"
    done
}

# kq_project_version ROOT: the version of ROOT/pom.xml (the parent has no <parent>, so its first
# <version> at project level is its own).
kq_project_version() {
    sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$1/pom.xml" | head -n 1
}

# kq_mvn LOG ARGS...: runs Maven in batch mode with its output in LOG; on failure prints the end
# of LOG and fails.
kq_mvn() {
    local log=$1
    shift
    if ! mvn -B "$@" >"$log" 2>&1; then
        tail -n 60 "$log" >&2
        echo "FAILED: mvn $* (whole log above, last 60 lines)" >&2
        return 1
    fi
}
