#!/bin/bash
# test-distcheck.sh: the release tarball.  `make distcheck` in a build tree of
# its own: the tarball is made, unpacked, built out of tree with a read-only
# source dir, its own `make check` passes, it installs and uninstalls into a
# scratch prefix, and `make distclean` leaves nothing behind.  Then, in a git
# checkout, every committed file must be in the tarball (a file that only
# the clone has is a file a packager does not get).
#
# Guard against recursion: the tarball's `make check` runs this test again;
# DI_DISTCHECK (set below, inherited through make) makes that run skip, as do
# package builds (DI_PACKAGE_BUILD), which run `make check` of an export.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

[ -z "${DI_DISTCHECK:-}" ] || skip_all "inside make distcheck already (DI_DISTCHECK is set)"
[ -z "${DI_PACKAGE_BUILD:-}" ] || skip_all "inside a package build (DI_PACKAGE_BUILD is set)"
[ -f "$top_builddir/Makefile" ] || bail_out "$top_builddir is not configured"

plan 4

VERSION=$(sed -n 's/^PACKAGE_VERSION = //p' "$top_builddir/Makefile")
TARBALL=dprk-intel-$VERSION.tar.gz
# A build tree of its own, so that distcheck's tree and tarball do not meet
# the ones of the `make check` running this test.  An in-tree configured
# source dir cannot have a second build tree: there, use that one.
if [ -f "$top_srcdir/config.status" ]; then
  B=$top_builddir
  diag "$top_srcdir is configured in tree: make distcheck runs there"
else
  B=$T/build
  mkdir -p "$B"
  # the tarball's updater tests run, as root, the tool as an unprivileged
  # user (check_user), who must reach it (mktemp made $T 0700)
  chmod 0755 "$T"
  (cd "$B" && "$top_srcdir/configure" --quiet) >"$T/configure.log" 2>&1 ||
    bail_out "configure in $B failed: $(tail -n 20 "$T/configure.log")"
fi

# Clean of our make's jobserver and variables; as many jobs as cores.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u top_srcdir -u top_builddir DI_DISTCHECK=1 \
  make -C "$B" -j"$(nproc)" distcheck >"$T/distcheck.log" 2>&1
status=$?
is "$status" 0 "make distcheck passes" || {
  diag "$(grep -E '^(FAIL|ERROR|XPASS)' "$T/distcheck.log" | head -n 30)"
  diag "$(tail -n 30 "$T/distcheck.log")"
}
grep -q "^dprk-intel-$VERSION archives ready for distribution" "$T/distcheck.log" && [ -s "$B/$TARBALL" ]
ok $? "$TARBALL is ready for distribution"
# the tarball's own make check ran every test (none was skipped for lack of
# a file: a missing data file is a bail-out or a failure there)
like "$(grep -E '^# (PASS|FAIL|ERROR):' "$T/distcheck.log" | tr '\n' ' ')" \
  '^# PASS: +[1-9][0-9]* # FAIL: +0 # ERROR: +0 $' "the tarball's make check passed tests and failed none"

if toplevel=$(git -C "$top_srcdir" rev-parse --show-toplevel 2>/dev/null) &&
   [ "$(cd "$toplevel" && pwd -P)" = "$(cd "$top_srcdir" && pwd -P)" ] && [ -f "$B/$TARBALL" ]; then
  # every committed file is shipped, but the git-only ones
  missing=$(comm -13 <(tar -tzf "$B/$TARBALL" | sed "s|^dprk-intel-$VERSION/||" | sort -u) \
                     <(git -C "$top_srcdir" ls-files | grep -vxE '\.gitignore|\.gitattributes' | sort -u))
  is "$missing" "" "every committed file is in $TARBALL"
elif [ -f "$B/$TARBALL" ]; then
  pass "# SKIP $top_srcdir is not a git checkout: no list of committed files"
else
  fail "every committed file is in $TARBALL (there is no $TARBALL)"
fi

done_testing
