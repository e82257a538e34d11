#!/usr/bin/env bash
# build.sh [BUILDDIR]: configures (once) and builds out of tree, default _build.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/_build}
[ -x "$top/configure" ] && [ "$top/configure" -nt "$top/configure.ac" ] || "$top/autogen.sh" >/dev/null 2>&1
mkdir -p "$build"
cd "$build"
[ -f Makefile ] || "$top/configure" --quiet --prefix=/usr --sysconfdir=/etc --localstatedir=/var
make -j"$(nproc)" >/dev/null
