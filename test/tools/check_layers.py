#!/usr/bin/env python3
"""The module layering of lib/wavesync, checked on every `make unit`.

Each module may include only the modules listed for it below (and itself); the third-party
headers that stand for I/O may appear only in the module that owns them. docs/architecture.md
explains the layers; this file is what keeps that page true. Exit 0 when every include is
allowed, else 1 with one `file:line: ...` message per offending include.
"""
import pathlib
import re
import sys

# module -> the wavesync modules it may include (besides itself).
ALLOWED = {
    "model": set(),
    "hooks": {"model"},
    "lua": {"model"},
    "manifest": {"model"},
    "plan": {"model", "hooks"},
    "health": {"model", "lua"},
    "kube": {"model"},
    "render": {"model", "manifest"},
    "applyset": {"model", "plan", "hooks", "kube"},
    "engine": {"model", "plan", "hooks", "health", "kube", "applyset"},
    # output/ formats what the engine tells it: events, plans, reports. It never reaches the
    # cluster, so it includes nothing from kube/ (nor applyset/, which writes through kube/).
    "output": {"model", "plan", "hooks", "health", "engine"},
}

# Third-party headers that mean I/O or a parser, and the one module allowed each.
OWNED = [
    (re.compile(r"^(curl/|openssl/|nghttp2/)"), {"kube"}),
    (re.compile(r"^yaml-cpp/"), {"kube"}),
    (re.compile(r"^yaml\.h$"), {"manifest"}),
    (re.compile(r"^(lua|lualib|lauxlib)\.h$|^luajit"), {"lua"}),
]

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]')


def main() -> int:
    repo = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2]
    root = repo / "lib" / "wavesync"
    if not root.is_dir():
        print(f"layering: {root} is not a directory", file=sys.stderr)
        return 2
    problems = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".cpp", ".hpp", ".h") or not path.is_file():
            continue
        module = path.relative_to(root).parts[0]
        if module not in ALLOWED:
            problems.append(f"{path}: module {module!r} is not described in {__file__}")
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            header = m.group(1)
            if header.startswith("wavesync/"):
                target = header.split("/")[1]
                if target != module and target not in ALLOWED[module]:
                    problems.append(f"{path}:{number}: {module}/ may not include {header}")
                continue
            for pattern, owners in OWNED:
                if pattern.search(header) and module not in owners:
                    problems.append(f"{path}:{number}: only {', '.join(sorted(owners))}/ may include <{header}>")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"layering: {len(problems)} include(s) break the rules in {pathlib.Path(__file__).name}", file=sys.stderr)
        return 1
    print("layering: every include in lib/wavesync follows the module rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
