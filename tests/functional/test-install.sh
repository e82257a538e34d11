#!/bin/bash
# test-install.sh: `make install DESTDIR=...` puts the module, the tool, the
# default feed, the SCL, the Elasticsearch assets, the updater with its config
# and systemd units, and the man pages where configure says; the installed
# pieces work (the tool reads the installed feed, syslog-ng loads the
# installed module, the man pages render without warnings); `make uninstall`
# removes every file again.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

# mkvar NAME...: the values of make variables of the build tree, expanded
mkvar()
{
  local rule='di-print-vars:' name
  rule="$rule"$'\n\t@echo'
  for name in "$@"; do rule="$rule \$($name)"; done
  printf '%s\n' "$rule" |
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
      make -s --no-print-directory -C "$top_builddir" -f Makefile -f - di-print-vars 2>/dev/null | tail -n 1
}

read -r VERSION moduledir bindir sbindir pkgdatadir scldir sysconfdir localstatedir mandir unitdir < <(
  mkvar PACKAGE_VERSION moduledir bindir sbindir pkgdatadir scldir sysconfdir localstatedir mandir systemdsystemunitdir)
[ -n "$unitdir" ] || bail_out "cannot read the install paths from $top_builddir/Makefile"

D=$T/destdir
plan 29

make -s --no-print-directory -C "$top_builddir" install DESTDIR="$D" >"$T/install.log" 2>&1
ok $? "make install DESTDIR=... works" || bail_out "make install failed: $(tail -n 30 "$T/install.log")"

# ---------------------------------------------------------------- module
test -f "$D$moduledir/libdprk-intel.so"
ok $? "the module is in moduledir ($moduledir/libdprk-intel.so)"

"$SYSLOG_NG" --module-registry --module-path="$D$moduledir" >"$T/registry.txt" 2>&1
like "$(cat "$T/registry.txt")" 'Module: dprk-intel' "syslog-ng loads the installed module (--module-registry)"

# ---------------------------------------------------------------- tool and feed
test -x "$D$bindir/dprk-intel"
ok $? "the tool is in bindir"
is "$("$D$bindir/dprk-intel" --version)" "dprk-intel $VERSION" "the installed tool reports configure.ac's version"
for f in dprk-default.csv PROVENANCE.md; do
  test -f "$D$pkgdatadir/feeds/$f"
  ok $? "the default feed dir has $f ($pkgdatadir/feeds)"
done
"$D$bindir/dprk-intel" check --database "$D$pkgdatadir/feeds" >"$T/check.out" 2>&1
ok $? "the installed tool loads the installed default feed" || diag "$(tail -n 5 "$T/check.out")"
like "$(cat "$T/check.out")" $'actor\tLazarus Group\t[0-9]+' "... with Lazarus Group indicators"

# ---------------------------------------------------------------- SCL and Elasticsearch assets
test -f "$D$scldir/dprk-intel/dprk-intel.conf"
ok $? "the SCL is in scldir ($scldir/dprk-intel/dprk-intel.conf)"
test -n "$(find "$D$pkgdatadir/elastic" -type f 2>/dev/null)"
ok $? "the Elasticsearch/Kibana assets are in $pkgdatadir/elastic"

# ---------------------------------------------------------------- updater
test -x "$D$sbindir/dprk-intel-update"
ok $? "dprk-intel-update is in sbindir"
is "$("$D$sbindir/dprk-intel-update" --version)" "dprk-intel-update (dprk-intel) $VERSION" \
  "the installed updater reports configure.ac's version"
like "$("$D$sbindir/dprk-intel-update" --help)" "default: $sysconfdir/dprk-intel/update.conf" \
  "... reads its config from sysconfdir"
like "$("$D$sbindir/dprk-intel-update" --help)" "default: $localstatedir/lib/dprk-intel/feeds" \
  "... and keeps the feeds under localstatedir"
grep -q "^tool=$bindir/dprk-intel\$" "$D$sbindir/dprk-intel-update"
ok $? "... and runs the installed tool"
test -f "$D$sysconfdir/dprk-intel/update.conf"
ok $? "update.conf is in $sysconfdir/dprk-intel"
for u in dprk-intel-update.service dprk-intel-update.timer; do
  test -f "$D$unitdir/$u"
  ok $? "$u is in $unitdir"
done
grep -q "^ExecStart=$sbindir/dprk-intel-update\$" "$D$unitdir/dprk-intel-update.service"
ok $? "the service runs the installed updater"
like "$(cat "$D$unitdir/dprk-intel-update.timer")" '^Persistent=true' "the timer catches up on missed runs"

# ---------------------------------------------------------------- man pages
# The pages print the configured paths, which cannot be broken: with a long
# prefix (make distcheck's scratch one) a line of the default width (78n)
# cannot be adjusted.  Widen it by what the longest path exceeds a usual one.
longest=0
for dir in "$moduledir" "$bindir" "$sbindir" "$pkgdatadir" "$scldir" "$sysconfdir" "$localstatedir"; do
  [ "${#dir}" -gt "$longest" ] && longest=${#dir}
done
man_ll=$((78 + (longest > 40 ? longest - 40 : 0)))
for page in man1/dprk-intel.1 man8/dprk-intel-update.8 man7/syslog-ng-dprk-intel.7; do
  f=$D$mandir/$page
  if [ ! -f "$f" ]; then
    fail "$page is in $mandir"
    continue
  fi
  warnings=$(LC_ALL=C.UTF-8 groff -t -man -ww -z -Tutf8 -rLL="${man_ll}n" "$f" 2>&1; grep -n '@[a-zA-Z_]*@' "$f")
  is "$warnings" "" "$page is in $mandir, renders without warnings, has every @var@ replaced"
done
like "$(head -n 1 "$D$mandir/man1/dprk-intel.1")" "\"dprk-intel $VERSION\"" "the man pages carry configure.ac's version"

# ---------------------------------------------------------------- nothing unsubstituted, nothing stray
is "$(grep -rl '@[a-zA-Z_]*@' "$D$sbindir" "$D$unitdir" 2>/dev/null)" "" "no @var@ left in the updater and the units"
is "$(find "$D" -path '*/.libs/*' -o -name '*.o' | head -n 5)" "" "no build droppings installed"

# ---------------------------------------------------------------- uninstall
make -s --no-print-directory -C "$top_builddir" uninstall DESTDIR="$D" >"$T/uninstall.log" 2>&1
ok $? "make uninstall DESTDIR=... works" || diag "$(tail -n 20 "$T/uninstall.log")"
is "$(find "$D" ! -type d | sed "s|^$D||" | sort | head -n 20)" "" "make uninstall leaves no file behind"

done_testing
