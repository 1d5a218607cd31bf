#!/usr/bin/env bash
# Dry run of a release: from a copy of this working tree with the version set to the release
# version (0.1.0-SNAPSHOT -> 0.1.0), runs the release profile as a real release would
# ("mvn deploy -Prelease", whole reactor), signed with a throwaway gpg key generated for this run
# and deleted after it, with -DskipUpload=true so that the Central Portal bundle is only written
# to target/central-publishing/central-bundle.zip. Then checks that bundle (BundleCheck.java:
# artifacts, files, checksums, pom metadata, javadoc against exports) and verifies every .asc.
# Nothing is uploaded and nothing is installed in ~/.m2. Needs gpg (Debian: gnupg) and network
# access to Maven Central (the publishing plugin only runs online). Run by .ci/run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/publishing-lib.sh"

work=$(mktemp -d)
export GNUPGHOME="$work/gnupg"
cleanup() {
    gpgconf --kill all >/dev/null 2>&1 || true # the agent this run started, for this GNUPGHOME
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -m 700 "$GNUPGHOME"
if ! gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
    --quick-generate-key 'kqueue-ffm bundle check (throwaway) <bundle-check@invalid>' ed25519 sign 1d \
    2>"$work/gpg.log"; then
    cat "$work/gpg.log" >&2
    exit 1
fi
key=$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')
echo "throwaway key $key in $GNUPGHOME"

snapshot=$(kq_project_version "$root")
release=${snapshot%-SNAPSHOT}
src="$work/kqueue-ffm"
kq_copy_tree "$root" "$src"
find "$src" -name pom.xml -exec sed -i "s:<version>$snapshot</version>:<version>$release</version>:" {} +

echo "mvn -Prelease -Dgpg.keyname=$key -DskipUpload=true -Dmaven.install.skip=true -Dmaven.test.skip=true deploy (version $release, in $src)"
(cd "$src" && kq_mvn "$work/build.log" -Prelease -Dgpg.keyname="$key" -DskipUpload=true \
    -Dmaven.install.skip=true -Dmaven.test.skip=true deploy)
bundle=$(find "$src" -path '*/target/central-publishing/central-bundle.zip' | head -n 1)
if [ -z "$bundle" ]; then
    echo "no central-bundle.zip was written; end of the build log:" >&2
    tail -n 40 "$work/build.log" >&2
    exit 1
fi
echo "bundle: ${bundle#"$src"/} ($(wc -c <"$bundle") bytes)"

expected="kqueue-parent $(kq_published_modules "$root" | tr '\n' ' ')"
# shellcheck disable=SC2086 # one artifactId per word
java "$here/BundleCheck.java" "$bundle" "$work/bundle" io.github.kqueueffm "$release" $expected

signatures=0
while IFS= read -r -d '' asc; do
    if ! gpg --batch --quiet --verify "$asc" "${asc%.asc}" 2>/dev/null; then
        echo "FAIL  bad signature: ${asc#"$work/bundle/"}"
        exit 1
    fi
    signatures=$((signatures + 1))
done < <(find "$work/bundle" -name '*.asc' -print0)
echo "ok    $signatures signatures verify against the throwaway key"
echo "check-bundle: OK"
