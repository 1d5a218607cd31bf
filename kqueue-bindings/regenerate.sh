#!/usr/bin/env bash
# Regenerates the Linux bindings (x86_64 and aarch64) with jextract and the struct layout
# tables the layout test checks them against. Needs on PATH: jextract (built from
# openjdk/jextract, see README.md), gcc and aarch64-linux-gnu-gcc; and Debian's
# libc6-dev-arm64-cross headers. Never edit the generated sources by hand: change
# headers/linux.h or headers/linux-symbols.txt and run this again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$here/src/main/java
layouts=$here/src/test/resources/layouts
base_pkg=io.github.kqueueffm.bindings.linux
aarch64_include=${AARCH64_INCLUDE:-/usr/aarch64-linux-gnu/include}

for tool in jextract gcc aarch64-linux-gnu-gcc; do
  command -v "$tool" >/dev/null || { echo "regenerate.sh: $tool not found on PATH" >&2; exit 1; }
done
[ -d "$aarch64_include" ] || { echo "regenerate.sh: no aarch64 headers at $aarch64_include (apt-get install libc6-dev-arm64-cross)" >&2; exit 1; }
# clang's own builtin headers (stddef.h, ...) for the cross run, which must not see the host's.
clang_builtin=${CLANG_BUILTIN_INCLUDE:-$(ls -d /usr/lib/llvm-14/lib/clang/*/include 2>/dev/null | head -n 1)}
[ -d "$clang_builtin" ] || { echo "regenerate.sh: set CLANG_BUILTIN_INCLUDE to libclang's builtin include dir" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

generate() { # arch, then lines for compile_flags.txt (clang options jextract reads from its cwd)
  local arch=$1; shift
  local pkg=$base_pkg.$arch
  rm -rf "$src/${pkg//.//}"
  mkdir -p "$work/$arch"
  printf '%s\n' "$@" > "$work/$arch/compile_flags.txt"
  (cd "$work/$arch" && jextract --output "$src" --target-package "$pkg" --header-class-name Linux \
      "@$here/headers/linux-symbols.txt" "$here/headers/linux.h"
   cd "$work/$arch" && jextract --output "$src" --target-package "$pkg" --header-class-name LinuxErrno \
      "@$here/headers/linux-errno-symbols.txt" "$here/headers/linux.h")
}

generate x86_64
generate aarch64 --target=aarch64-linux-gnu -nostdinc -isystem "$clang_builtin" -isystem "$aarch64_include"

# Layout probe: gcc prints sizeof/offsetof of every struct field the bindings are used for.
probe=$work/probe.c
{
  echo '#define _GNU_SOURCE 1'
  echo '#include "'"$here"'/headers/linux.h"'
  echo '#include <stddef.h>'
  echo 'void probe(void) {'
  grep -v '^#' "$here/headers/layout-fields.txt" | while read -r line; do
    [ -n "$line" ] || continue
    read -ra words <<< "$line"
    if [ "${words[0]}" = struct ] || [ "${words[0]}" = union ]; then
      ctype="${words[0]} ${words[1]}"; name=${words[1]}; fields=("${words[@]:2}")
    else
      ctype=${words[0]}; name=${words[0]}; fields=("${words[@]:1}")
    fi
    echo "  __asm__ volatile(\"@@LAYOUT $name sizeof %c0\" :: \"i\"(sizeof($ctype)));"
    for f in "${fields[@]}"; do
      path=${f%%=*}; member=${f#*=}
      echo "  __asm__ volatile(\"@@LAYOUT $name $path %c0\" :: \"i\"(offsetof($ctype, $member)));"
    done
  done
  echo '}'
} > "$probe"
mkdir -p "$layouts"
for arch in x86_64 aarch64; do
  cc=gcc; [ "$arch" = aarch64 ] && cc=aarch64-linux-gnu-gcc
  { echo "# struct layouts measured by $cc $($cc -dumpfullversion) for linux-$arch (regenerate.sh); type field offset"
    "$cc" -S -o - "$probe" | grep -o '@@LAYOUT .*' | cut -d' ' -f2-
  } > "$layouts/linux-$arch.txt"
done

{ echo "jextract: $(jextract --version 2>&1 | tr '\n' ' ')"
  echo "host glibc headers: $(dpkg-query -W -f '${Version}' libc6-dev 2>/dev/null || echo unknown)"
  echo "aarch64 glibc headers: $(dpkg-query -W -f '${Version}' libc6-dev-arm64-cross 2>/dev/null || echo unknown)"
} > "$here/headers/generated-with.txt"
echo "regenerated: $(find "$src/${base_pkg//.//}" -name '*.java' | wc -l) files"
