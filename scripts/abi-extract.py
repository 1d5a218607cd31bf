#!/usr/bin/env python3
"""Extract the kqueue ABI facts of each host from its C headers into one data file per host.

Reads the #define lines (EVFILT_*, EV_*, NOTE_* of <sys/event.h>, E* of <sys/errno.h>, SIG* of
<sys/signal.h>) and the declaration of struct kevent, and writes
kqueue-ffm/src/test/resources/abi/<host>.properties. KeventAbiTablesTest compares the
hand-written tables in io.github.kqueueffm.bsd.abi with these files on every build; this script is
only run by hand, when a header is updated.

The headers are not part of the project (third-party source). The BSD and macOS copies are the ones
saved for issue 10 under a directory laid out as <os>/sys/sys/*.h (macOS: macos-xnu/bsd/sys/*.h);
libkqueue's is the installed header of a local build; Linux's errno and signal numbers (libkqueue's
host) come from this machine's linux-libc-dev and glibc headers.

Preprocessor conditionals are evaluated as a compiler would with no feature macros set by the user
(the default visibility of each system); blocks for the kernel (_KERNEL, KERNEL, PRIVATE, ...) are
therefore skipped. Values are resolved after the whole file is read, as cpp expands macros at use.

Where gcc is available, struct kevent is also compiled and its offsets measured: for libkqueue the
installed header itself, for the BSDs the declaration as transcribed here (LP64, as on every
64-bit host this project supports).

Usage: scripts/abi-extract.py [--headers DIR] [--libkqueue DIR] [--out DIR] [host ...]
"""

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Which macros each header contributes, by name.
EVENT_NAMES = re.compile(r"^(EVFILT_\w+|EV_\w+|NOTE_\w+)$")
ERRNO_NAMES = re.compile(r"^E[A-Z0-9]+$")
SIGNAL_NAMES = re.compile(r"^SIG[A-Z0-9]+$")
NOT_AN_ERRNO = {"ELAST"}          # the highest number, not an error
NOT_A_SIGNAL = {"SIGSTKSZ"}       # a stack size

# The visibility macros each system's <sys/cdefs.h> sets when the program defines none.
BSD_DEFAULT = {"__BSD_VISIBLE": "1", "__POSIX_VISIBLE": "200809", "__XSI_VISIBLE": "700",
               "__ISO_C_VISIBLE": "2011", "__EXT1_VISIBLE": "1", "__LP64__": "1"}
ENVS = {
    "freebsd": dict(BSD_DEFAULT),
    "dragonfly": dict(BSD_DEFAULT),
    "openbsd": {"__BSD_VISIBLE": "1", "__POSIX_VISIBLE": "200809", "__XPG_VISIBLE": "700",
                "__ISO_C_VISIBLE": "2011", "_LP64": "1"},
    "netbsd": {"_NETBSD_SOURCE": "1", "_LP64": "1"},
    "macos": {"__DARWIN_UNIX03": "1", "__DARWIN_C_ANSI": "010000", "__DARWIN_C_FULL": "900000",
              "__DARWIN_C_LEVEL": "900000", "__LP64__": "1"},
    "linux": {"__USE_MISC": "1", "__USE_POSIX": "1", "__USE_XOPEN2K": "1", "__USE_XOPEN2K8": "1",
              "__linux__": "1", "__x86_64__": "1", "__LP64__": "1"},
}

# Where each saved header came from (see the SOURCES.md saved next to the headers).
XNU = "apple-oss-distributions/xnu tag xnu-11417.121.6 (a1e26a70f38d1d7daa7b49b258e2f8538ad81650)"
HOSTS = {
    "freebsd": {
        "env": "freebsd",
        "version": "FreeBSD 15-CURRENT",
        "event": ("freebsd/sys/sys/event.h",
                  "sys/sys/event.h of FreeBSD main (15-CURRENT), as held by the fork rcghpge/freebsd "
                  "at b68d17c076972cb443860d6a9332bc946f2160f4"),
        "errno": ("freebsd/sys/sys/errno.h",
                  "sys/sys/errno.h of FreeBSD main, fork SigRISCV/freebsd-src at 0afcd89811cdd17f55c7499a2543aec3e3bf5bbc"),
        "signal": ("freebsd/sys/sys/signal.h",
                   "sys/sys/signal.h of FreeBSD main, fork SigRISCV/freebsd-src at 232ec9a69259b00f8d073b0e8cf91b2783736606"),
    },
    "macos": {
        "env": "macos",
        "version": "xnu-11417.121.6",
        "event": ("macos-xnu/bsd/sys/event.h", "bsd/sys/event.h of " + XNU),
        "errno": ("macos-xnu/bsd/sys/errno.h", "bsd/sys/errno.h of " + XNU),
        "signal": ("macos-xnu/bsd/sys/signal.h", "bsd/sys/signal.h of " + XNU),
    },
    "netbsd": {
        "env": "netbsd",
        "version": "NetBSD 11",
        "event": ("netbsd/sys/sys/event.h.gsoc-epoll-fork-variant",
                  "sys/sys/event.h of NetBSD -current after the 2023 epoll work (struct kevent with ext[4], "
                  "kevent renamed __kevent100; NetBSD 11), fork 6167656e74323431/gsoc-netbsd-linux-emulation "
                  "at 9a4b632c6cd31feef16297eaae44f0b75dfa9e32"),
        "errno": ("netbsd/sys/sys/errno.h",
                  "sys/sys/errno.h $NetBSD: errno.h,v 1.42 2020/03/08$, fork sel4-cap/netbsd-fork "
                  "at 0307b5f7c738fcc0c49aeaa720e5ace957192b99"),
        "signal": ("netbsd/sys/sys/signal.h", "sys/sys/signal.h $NetBSD: signal.h,v 1.75.4.2 2024/10/14$ (netbsd-10)"),
    },
    "netbsd10": {
        "env": "netbsd",
        "version": "event.h,v 1.54",
        "event": ("netbsd/sys/sys/event.h",
                  "sys/sys/event.h $NetBSD: event.h,v 1.54 2022/07/19$ (netbsd-10: no ext, kevent renamed __kevent50)"),
        "errno": ("netbsd/sys/sys/errno.h",
                  "sys/sys/errno.h $NetBSD: errno.h,v 1.42 2020/03/08$, fork sel4-cap/netbsd-fork "
                  "at 0307b5f7c738fcc0c49aeaa720e5ace957192b99"),
        "signal": ("netbsd/sys/sys/signal.h", "sys/sys/signal.h $NetBSD: signal.h,v 1.75.4.2 2024/10/14$ (netbsd-10)"),
    },
    "openbsd": {
        "env": "openbsd",
        "version": "event.h,v 1.74",
        "event": ("openbsd/sys/sys/event.h", "sys/sys/event.h $OpenBSD: event.h,v 1.74 2025/05/10$"),
        "errno": ("openbsd/sys/sys/errno.h", "sys/sys/errno.h $OpenBSD: errno.h,v 1.25 2017/09/05$"),
        "signal": ("openbsd/sys/sys/signal.h", "sys/sys/signal.h $OpenBSD: signal.h,v 1.29 2018/04/18$"),
    },
    "dragonfly": {
        "env": "dragonfly",
        "version": "f3cb9a78",
        "event": ("dragonfly/sys/sys/event.h",
                  "sys/sys/event.h of DragonFly master, fork tuxillo/DragonFlyBSD at f3cb9a78af3ef368e6a98c0c4f0d7fe89ad64cf6"),
        "errno": ("dragonfly/sys/sys/errno.h",
                  "sys/sys/errno.h of DragonFly, fork levex/dragonfly at 372d0ed93ffd2fc059ccb0c1fed6512f68d3576a"),
        "signal": ("dragonfly/sys/sys/signal.h",
                   "sys/sys/signal.h of DragonFlyBSD/DragonFlyBSD at d668a6f1804eef2574abe41497957ab4205aa875"),
    },
    "libkqueue": {
        "env": "linux",
        "version": "libkqueue 2.7.0",
        "event": ("@libkqueue/sys/event.h",
                  "sys/event.h as installed by a Linux build of mheily/libkqueue 2.7.0 "
                  "(f96608964f7da711e686e09c39b79abdb4cc358e)"),
        "errno": [("/usr/include/asm-generic/errno-base.h", "Linux UAPI asm-generic/errno-base.h (linux-libc-dev 6.1)"),
                  ("/usr/include/asm-generic/errno.h", "Linux UAPI asm-generic/errno.h (linux-libc-dev 6.1)"),
                  ("/usr/include/x86_64-linux-gnu/bits/errno.h", "glibc 2.36 bits/errno.h (adds ENOTSUP)")],
        "signal": [("/usr/include/x86_64-linux-gnu/bits/signum-generic.h", "glibc 2.36 bits/signum-generic.h"),
                   ("/usr/include/x86_64-linux-gnu/bits/signum-arch.h", "glibc 2.36 bits/signum-arch.h (x86_64)")],
    },
}

# LP64 size and alignment of the types struct kevent is declared with.
C_TYPES = {}
for names, size in ((("uintptr_t", "__uintptr_t", "intptr_t", "__intptr_t", "int64_t", "__int64_t",
                      "uint64_t", "__uint64_t", "long", "unsigned long", "u_long", "void*"), 8),
                    (("int", "unsigned int", "u_int", "int32_t", "uint32_t", "__int32_t", "__uint32_t"), 4),
                    (("short", "unsigned short", "u_short", "int16_t", "uint16_t", "__int16_t", "__uint16_t"), 2)):
    for n in names:
        C_TYPES[n] = size

CAST = re.compile(r"\(\s*(?:const\s+)?(?:unsigned|signed|int|short|long|char|u_int|u_short|u_long|"
                  r"__u?int\d+_t|u?int\d+_t)(?:\s+(?:int|short|long|char))*\s*\)")
NUMBER = re.compile(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b")
IDENT = re.compile(r"\b[A-Za-z_]\w*\b")


def strip_comments(text):
    """Removes /* */ and // comments, keeping line breaks so line numbers stay right."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n") + " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def py_number(match):
    literal = match.group(1)
    if literal.lower().startswith("0x"):
        return str(int(literal, 16))
    if len(literal) > 1 and literal.startswith("0"):
        return str(int(literal, 8))
    return literal


class Preprocessor:
    """Just enough of cpp for these headers: #if/#ifdef/#ifndef/#elif/#else/#endif, #define and
    #undef of object-like macros, #pragma pack; everything else is read as text."""

    def __init__(self, env):
        self.macros = dict(env)
        self.order = []            # names in the order they were (last) defined
        self.origin = {}           # name -> file it was defined in
        self.text_lines = []       # (active line, pack in effect)

    def expand(self, expr, unknown, seen=()):
        def one(m):
            name = m.group(0)
            if name in ("defined",):
                return name
            if name in self.macros and name not in seen:
                return "(" + self.expand(self.macros[name], unknown, seen + (name,)) + ")"
            return unknown(name)
        return IDENT.sub(one, expr)

    def condition(self, expr):
        expr = re.sub(r"defined\s*\(\s*(\w+)\s*\)|defined\s+(\w+)",
                      lambda m: "1" if (m.group(1) or m.group(2)) in self.macros else "0", expr)
        expr = self.expand(expr, lambda name: "0")
        return bool(evaluate(expr))

    def value(self, name):
        """The integer a macro expands to, or None when it names something that is not a macro."""
        missing = []
        expr = self.expand(self.macros[name], lambda n: missing.append(n) or "0")
        if missing:
            return None
        try:
            return evaluate(expr)
        except (SyntaxError, TypeError, NameError, ZeroDivisionError):
            return None

    def run(self, path):
        text = strip_comments(open(path, encoding="utf-8", errors="replace").read())
        text = re.sub(r"\\\n", " ", text)
        stack = []                 # (parent active, this branch active, some branch taken)
        active = True
        pack = 0
        for line in text.split("\n"):
            m = re.match(r"\s*#\s*(\w+)\s*(.*)$", line)
            if not m:
                if active:
                    self.text_lines.append((line, pack))
                continue
            directive, rest = m.group(1), m.group(2).strip()
            if directive in ("if", "ifdef", "ifndef"):
                if directive == "if":
                    taken = active and self.condition(rest)
                else:
                    defined = rest.split()[0] in self.macros
                    taken = active and (defined if directive == "ifdef" else not defined)
                stack.append((active, taken, taken))
                active = taken
            elif directive == "elif":
                parent, _, done = stack.pop()
                taken = parent and not done and self.condition(rest)
                stack.append((parent, taken, done or taken))
                active = taken
            elif directive == "else":
                parent, _, done = stack.pop()
                taken = parent and not done
                stack.append((parent, taken, True))
                active = taken
            elif directive == "endif":
                active = stack.pop()[0]
            elif not active:
                continue
            elif directive == "define":
                d = re.match(r"(\w+)(\(?)\s*(.*)$", rest)
                if d.group(2):
                    continue       # function-like (EV_SET)
                name = d.group(1)
                self.macros[name] = d.group(3).strip()
                if name in self.order:
                    self.order.remove(name)
                self.order.append(name)
                self.origin[name] = path
            elif directive == "undef":
                name = rest.split()[0]
                self.macros.pop(name, None)
                if name in self.order:
                    self.order.remove(name)
            elif directive == "pragma":
                p = re.match(r"pack\s*\(\s*(\d*)\s*\)", rest)
                if p:
                    pack = int(p.group(1)) if p.group(1) else 0
        if stack:
            raise SystemExit(f"{path}: unbalanced #if")


def evaluate(expr):
    expr = CAST.sub(" ", expr)
    expr = NUMBER.sub(py_number, expr)
    expr = expr.replace("&&", " and ").replace("||", " or ")
    expr = re.sub(r"!(?!=)", " not ", expr)
    expr = expr.replace("/", "//")
    if re.search(r"[A-Za-z_]", re.sub(r"\b(and|or|not)\b", "", expr)):
        raise NameError(expr)
    return int(eval(expr, {"__builtins__": {}}, {}))  # noqa: S307 - digits and operators only


def struct_kevent(pp):
    """The fields of struct kevent as declared (type, name, count) and the #pragma pack in effect."""
    lines = pp.text_lines
    for i, (line, pack) in enumerate(lines):
        if re.search(r"\bstruct\s+kevent\s*\{", line):
            body = []
            for text, _ in lines[i:]:
                body.append(text)
                if "}" in text:
                    break
            decl = " ".join(body)
            decl = decl[decl.index("{") + 1:decl.index("}")]
            fields = []
            for part in decl.split(";"):
                part = " ".join(part.replace("*", " * ").split())
                if not part:
                    continue
                f = re.match(r"(.+?)\s*(\*?)\s*(\w+)\s*(?:\[\s*(\d+)\s*\])?$", part)
                ctype = f.group(1) + ("*" if f.group(2) else "")
                fields.append((ctype.replace(" *", "*"), f.group(3), int(f.group(4) or 1)))
            return fields, pack
    raise SystemExit("no struct kevent")


def layout(fields, pack):
    offset, align_max, result = 0, 1, {}
    for ctype, name, count in fields:
        size = C_TYPES[ctype]
        align = min(size, pack) if pack else size
        offset = (offset + align - 1) // align * align
        result[name] = offset
        offset += size * count
        align_max = max(align_max, align)
    result["size"] = (offset + align_max - 1) // align_max * align_max
    return result


def measure(fields, pack, include_dir):
    """Compiles struct kevent with gcc and prints sizeof and offsetof: the installed header when
    include_dir is given, else the transcribed declaration."""
    gcc = shutil.which("gcc")
    if not gcc:
        return None, None
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "kevent_probe.c")
        exe = os.path.join(tmp, "kevent_probe")
        with open(src, "w") as out:
            out.write("#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n")
            if include_dir:
                out.write("#include <sys/event.h>\n")
            else:
                out.write("typedef uintptr_t __uintptr_t; typedef intptr_t __intptr_t;\n"
                          "typedef int64_t __int64_t; typedef uint64_t __uint64_t;\n"
                          "typedef unsigned short u_short; typedef unsigned int u_int;\n")
                out.write(f"#pragma pack({pack})\n" if pack else "")
                out.write("struct kevent {\n")
                for ctype, name, count in fields:
                    out.write(f"    {ctype} {name}{f'[{count}]' if count > 1 else ''};\n")
                out.write("};\n")
                out.write("#pragma pack()\n" if pack else "")
            out.write('int main(void) {\n    printf("size=%zu", sizeof(struct kevent));\n')
            for _, name, _ in fields:
                out.write(f'    printf(" {name}=%zu", offsetof(struct kevent, {name}));\n')
            out.write('    printf("\\n");\n    return 0;\n}\n')
        command = ["gcc", "-std=c11", "-Wall", "-o", exe, src]
        if include_dir:
            command[1:1] = ["-I", include_dir]
        subprocess.run(command, check=True)
        output = subprocess.run([exe], check=True, capture_output=True, text=True).stdout.strip()
        version = subprocess.run([gcc, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        shown = " ".join("kevent_probe.c" if c == src else "kevent_probe" if c == exe else c for c in command)
        return output, f"{shown} && ./kevent_probe   ({version}, {os.uname().machine})"


def sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def extract(host, spec, headers, libkqueue):
    def resolve(rel):
        if rel.startswith("@libkqueue/"):
            return os.path.join(libkqueue, rel[len("@libkqueue/"):])
        return rel if os.path.isabs(rel) else os.path.join(headers, rel)

    out = [f"# ABI facts of {host}, extracted by scripts/abi-extract.py; do not edit, rerun the script.",
           "# Third-party facts (names and numbers) from public headers; no header text is copied.",
           "# Sources (path as saved here, sha256, where it came from):"]
    props = [f"version={spec['version']}"]
    env = ENVS[spec["env"]]
    for role, names, skip in (("event", EVENT_NAMES, set()), ("errno", ERRNO_NAMES, NOT_AN_ERRNO),
                              ("signal", SIGNAL_NAMES, NOT_A_SIGNAL)):
        files = spec[role] if isinstance(spec[role], list) else [spec[role]]
        pp = Preprocessor(env)
        for rel, where in files:
            path = resolve(rel)
            pp.run(path)
            out.append(f"#   {rel}  sha256 {sha256(path)[:16]}...  {where}")
        for name in pp.order:
            if not names.match(name) or name in skip:
                continue
            value = pp.value(name)
            if value is None:
                props.append(f"# {name} = {pp.macros[name]}: not a number in this header")
            elif role == "event":
                prefix = "filter" if name.startswith("EVFILT_") else "flag" if name.startswith("EV_") else "note"
                text = str(value) if prefix == "filter" else f"0x{value & 0xFFFFFFFF:0{4 if prefix == 'flag' else 8}x}"
                props.append(f"{prefix}.{name}={text}")
            else:
                props.append(f"{role}.{name}={value}")
        if role == "event":
            fields, pack = struct_kevent(pp)
            decl = "; ".join(f"{t} {n}" + (f"[{c}]" if c > 1 else "") for t, n, c in fields)
            props.append(f"struct.kevent={decl}")
            props.append(f"struct.kevent.pack={pack}")
            computed = layout(fields, pack)
            props.append("struct.kevent.layout=" + " ".join(f"{k}={v}" for k, v in computed.items()))
            include = libkqueue if resolve(files[0][0]).startswith(libkqueue) else None
            measured, command = measure(fields, pack, include)
            if measured:
                what = "the installed header" if include else "the declaration above, transcribed to C"
                props.append(f"# gcc on {what}: {command}")
                props.append(f"struct.kevent.gcc={measured}")
    return "\n".join(out) + "\n\n" + "\n".join(props) + "\n"


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--headers", default="/work/prompts/bsd-headers",
                        help="directory of the saved BSD and macOS headers")
    parser.add_argument("--libkqueue", default="/opt/libkqueue/include/kqueue",
                        help="include directory of an installed libkqueue")
    parser.add_argument("--out", default=os.path.join(root, "kqueue-ffm/src/test/resources/abi"))
    parser.add_argument("hosts", nargs="*", default=list(HOSTS))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for host in args.hosts:
        text = extract(host, HOSTS[host], args.headers, args.libkqueue.rstrip("/"))
        with open(os.path.join(args.out, f"{host}.properties"), "w") as f:
            f.write(text)
        print(f"wrote {host}.properties")


if __name__ == "__main__":
    sys.exit(main())
