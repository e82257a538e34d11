#!/usr/bin/env python3
"""check-layers.py SRCDIR: the include layering of the engine, checked.

The engine is built in layers; a file may include its own layer and the
layers below it, never one above:

  base    engine/ascii.h, engine/indicator-type.*, engine/key.*
          (bytes, indicator types, keys: the vocabulary every layer speaks)
  chains  engine/chains/*   address checksums and encodings
  engine  engine/*          normaliser, scanner, store, matcher, incidents
  feeds   engine/feeds/*    the feed readers and their loader

Above the engine, the tool, the benchmarks, the fuzzers and the unit tests
link it without syslog-ng, so none of them (nor any engine file) may include
a syslog-ng header; only modules/ (the syslog-ng glue) does.  And no two
objects may include each other, even through others: foo.c and foo.h count as
one object, so "normalize.c includes chains/wallet.h, chains/wallet.c
includes normalize.h" is a cycle although no header includes itself.

Prints one line per violation and exits 1; prints nothing and exits 0 when
the tree keeps the rules.  With --syslog-ng-includes it prints instead every
syslog-ng header the tree includes (FILE: HEADER), so a test can see that the
detector recognises the module's own includes.

The syslog-ng headers are the files under `pkg-config --variable=includedir
syslog-ng`/syslog-ng, plus a fixed list of syslog-ng's best-known names (so
the check still works on a machine without the SDK).
"""
import os
import re
import subprocess
import sys

LAYERS = ["base", "chains", "engine", "feeds"]
BASE = {"engine/ascii", "engine/indicator-type", "engine/key"}
# searched for "X" after the including file's own folder, as AM_CPPFLAGS does
INCLUDE_PATH = ["engine", "engine/feeds"]
# trees whose objects are checked for cycles
CYCLE_ROOTS = ["engine", "tool"]
# trees that must not include syslog-ng (everything but modules/)
NO_SYSLOG_NG_ROOTS = ["engine", "tool", "bench", "tests/fuzz", "tests/unit"]
SYSLOG_NG_NAMES = {"cfg.h", "cfg-parser.h", "cfg-grammar.h", "cfg-tree.h", "messages.h", "syslog-ng.h",
                   "plugin.h", "plugin-types.h", "logpipe.h", "logparser.h", "mainloop.h", "apphook.h",
                   "persist-state.h", "scratch-buffers.h", "iv.h"}
SYSLOG_NG_PREFIXES = ("syslog-ng/", "logmsg/", "parser/", "template/", "stats/", "timeutils/", "filter/",
                      "rewrite/", "value-pairs/", "logthrdest/", "ivykis/")
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of(rel):
    """The layer of a source file, None outside the engine."""
    if not rel.startswith("engine/"):
        return None
    if os.path.splitext(rel)[0] in BASE:
        return "base"
    if rel.startswith("engine/chains/"):
        return "chains"
    if rel.startswith("engine/feeds/"):
        return "feeds"
    if "/" not in rel[len("engine/"):]:
        return "engine"
    return None


def syslog_ng_headers():
    names = set(SYSLOG_NG_NAMES)
    try:
        top = subprocess.run(["pkg-config", "--variable=includedir", "syslog-ng"], capture_output=True,
                             text=True, check=False).stdout.strip()
    except OSError:
        top = ""
    root = os.path.join(top, "syslog-ng") if top else ""
    if root and os.path.isdir(root):
        for folder, _, files in os.walk(root):
            for f in files:
                names.add(os.path.relpath(os.path.join(folder, f), root))
    return names


def sources(srcdir, roots):
    for root in roots:
        for folder, dirs, files in os.walk(os.path.join(srcdir, root)):
            dirs.sort()
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(folder, f), srcdir)


def includes(srcdir, rel):
    with open(os.path.join(srcdir, rel), encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, 1):
            m = INCLUDE_RE.match(line)
            if m:
                yield number, m.group(1), m.group(2)


def resolve(srcdir, rel, name):
    """The tree file a quoted include names, None for a system header."""
    for folder in [os.path.dirname(rel)] + INCLUDE_PATH:
        candidate = os.path.normpath(os.path.join(folder, name))
        if os.path.isfile(os.path.join(srcdir, candidate)):
            return candidate
    return None


def syslog_ng_includes(srcdir, roots):
    """(file, line, header) of every syslog-ng header the files under roots include."""
    known = syslog_ng_headers()
    for rel in sources(srcdir, roots):
        for number, _, name in includes(srcdir, rel):
            if resolve(srcdir, rel, name) is None and (name in known or name.startswith(SYSLOG_NG_PREFIXES)):
                yield rel, number, name


def find_cycles(edges):
    """Strongly connected components of more than one object (Tarjan)."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                out.append(sorted(scc))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def check(srcdir):
    problems = [f"{rel}:{number}: includes the syslog-ng header {name}: only modules/ may"
                for rel, number, name in syslog_ng_includes(srcdir, NO_SYSLOG_NG_ROOTS)]

    edges = {}
    for rel in sources(srcdir, CYCLE_ROOTS):
        mine = layer_of(rel)
        obj = os.path.splitext(rel)[0]
        for number, kind, name in includes(srcdir, rel):
            target = resolve(srcdir, rel, name) if kind == '"' else None
            if target is None:
                continue
            theirs = layer_of(target)
            if mine is not None and theirs is None:
                problems.append(f"{rel}:{number}: the engine includes {target}, which is outside it")
            elif mine is not None and LAYERS.index(theirs) > LAYERS.index(mine):
                problems.append(f"{rel}:{number}: {mine} includes {target} of the {theirs} layer above it")
            dest = os.path.splitext(target)[0]
            if dest != obj:
                edges.setdefault(obj, set()).add(dest)
    for scc in find_cycles(edges):
        problems.append("include cycle between objects: " + " <-> ".join(scc))
    return problems


def main():
    args = sys.argv[1:]
    if args and args[0] == "--syslog-ng-includes":
        srcdir = args[1] if len(args) > 1 else "."
        for rel, number, name in syslog_ng_includes(srcdir, ["modules"] + NO_SYSLOG_NG_ROOTS):
            print(f"{rel}:{number}: {name}")
        return 0
    problems = check(args[0] if args else ".")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
