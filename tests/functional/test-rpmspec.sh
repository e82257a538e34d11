#!/bin/bash
# test-rpmspec.sh: the RPM spec that make generates from
# packaging/rpm/syslog-ng-dprk-intel.spec.in parses with `rpmspec -P`, carries
# configure.ac's version (in Version and in the newest %changelog entry), the
# Fedora build dependencies and the syslog-ng 3.38 pin; then `make rpm`
# (rpmbuild --nodeps on Debian, about 15 s) builds it from a clean export and
# the RPM holds the files under Fedora's paths.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

SPEC=$top_builddir/packaging/rpm/syslog-ng-dprk-intel.spec
VERSION=$(sed -n 's/^PACKAGE_VERSION = //p' "$top_builddir/Makefile")

N=24
plan "$N"
skip_rest()
{
  while [ "$_tap_count" -lt "$N" ]; do
    _tap_count=$((_tap_count + 1))
    echo "ok $_tap_count # SKIP $*"
  done
  exit 0
}

command -v rpmspec >/dev/null 2>&1 || skip_rest "rpmspec is not installed (apt-get install rpm)"

# ---------------------------------------------------------------- the spec
test -f "$SPEC"
ok $? "make generates packaging/rpm/syslog-ng-dprk-intel.spec" || bail_out "no $SPEC"
is "$(grep -c '@[A-Za-z_]*@' "$SPEC")" 0 "no @var@ left in the spec"

rpmspec -P "$SPEC" >"$T/parsed.spec" 2>"$T/rpmspec.err"
ok $? "rpmspec -P parses the spec" || diag "$(cat "$T/rpmspec.err")"
is "$(grep -v '^$' "$T/rpmspec.err")" "" "... without a warning"

is "$(rpmspec -q --srpm --qf '%{version}' "$SPEC" 2>/dev/null)" "$VERSION" "Version is configure.ac's ($VERSION)"
newest=$(sed -n '/^%changelog/,$ s/^\*.* - \([^ ]*\)-[^- ]*$/\1/p' "$SPEC" | head -n 1)
is "$newest" "$VERSION" "the newest %changelog entry is for $VERSION"
debian=$(dpkg-parsechangelog -l "$top_srcdir/packaging/debian/changelog" -SVersion 2>/dev/null)
debian=${debian#*:}
is "${debian%-*}" "$VERSION" "so is the newest debian/changelog entry"

buildrequires=$(rpmspec -q --buildrequires "$SPEC" 2>/dev/null)
for dep in 'syslog-ng-devel >= 3.38' 'json-c-devel' 'glib2-devel >= 2.58' 'ivykis-devel' 'bison'; do
  printf '%s\n' "$buildrequires" | grep -Fxq -- "$dep"
  ok $? "BuildRequires: $dep"
done
requires=$(rpmspec -q --requires "$SPEC" 2>/dev/null)
like "$requires" '^syslog-ng(\(x86-64\)|\(.*\))? >= 3\.38$' "Requires: syslog-ng >= 3.38"
like "$requires" '^syslog-ng(\(.*\))? < 3\.39$' "Requires: syslog-ng < 3.39 (the module ABI)"
like "$(cat "$T/parsed.spec")" "--with-moduledir=/usr/lib(64)?/syslog-ng( |$)" "the module goes into %{_libdir}/syslog-ng"

# ---------------------------------------------------------------- make rpm
if [ -n "${DI_PACKAGE_BUILD:-}" ]; then
  skip_rest "inside a package build (DI_PACKAGE_BUILD is set)"
fi
command -v rpmbuild >/dev/null 2>&1 || skip_rest "rpmbuild is not installed"

make -s --no-print-directory -C "$top_builddir" rpm PKG_OUTDIR="$T/out" PKG_WORKDIR="$T/work" >"$T/build.log" 2>&1
ok $? "make rpm builds the RPM (rpmbuild --nodeps here)" || bail_out "make rpm failed: $(tail -n 40 "$T/build.log")"
rpms=("$T"/out/syslog-ng-dprk-intel-"$VERSION"-1*.rpm)
[ -f "${rpms[0]}" ] || bail_out "no RPM in $T/out: $(ls "$T/out")"
RPM=${rpms[0]}
diag "built $(basename "$RPM")"

libdir=$(rpm --eval '%{_libdir}')
files=$(rpm -qlp "$RPM" 2>/dev/null)
missing=
for f in "$libdir/syslog-ng/libdprk-intel.so" /usr/bin/dprk-intel /usr/sbin/dprk-intel-update \
         /usr/share/dprk-intel/feeds/dprk-default.csv /usr/share/syslog-ng/include/scl/dprk-intel/dprk-intel.conf \
         /etc/dprk-intel/update.conf /var/lib/dprk-intel/feeds; do
  printf '%s\n' "$files" | grep -Fxq -- "$f" || missing="$missing $f"
done
is "$missing" "" "the RPM has the module, the tool, the updater, the feed, the SCL, the config"
like "$files" '^/usr/lib/systemd/system/dprk-intel-update\.timer$' "the RPM has the timer in %{_unitdir}"
is "$(printf '%s\n' "$files" | grep -c '^/usr/share/man/man[178]/')" 3 "the RPM has the three man pages"
is "$(printf '%s\n' "$files" | grep -E '\.la$|/usr/local/')" "" "no .la, nothing under /usr/local"
is "$(rpm -qcp "$RPM" 2>/dev/null)" "/etc/dprk-intel/update.conf" "update.conf is a %config file"
like "$(rpm -qp --requires "$RPM" 2>/dev/null)" '^syslog-ng(\(.*\))? < 3\.39$' "the RPM requires syslog-ng < 3.39"

mkdir -p "$T/root"
rpm2archive - <"$RPM" | tar -xzf - -C "$T/root"
readelf -d "$T/root$libdir/syslog-ng/libdprk-intel.so" >"$T/readelf.txt" 2>&1
unlike "$(cat "$T/readelf.txt")" 'RPATH|RUNPATH|Error' "the RPM's module has no RPATH/RUNPATH"
is "$("$T/root/usr/bin/dprk-intel" --version 2>&1)" "dprk-intel $VERSION" "the RPM's tool reports configure.ac's version"

done_testing
