#!/bin/bash
# test-deb.sh: `make deb` builds syslog-ng-mod-dprk-intel from a clean export
# of the tree (git: tracked and new files); the .deb has the right version,
# Depends and files, lintian finds no error, and, unpacked with dpkg -x into a
# temp root, the real syslog-ng loads the packaged module, parses a config
# with the packaged SCL (included the way Debian's syslog-ng.conf does, through
# scl.conf), and the packaged default feed tags a known OFAC address.
# The package is built once; every check reuses it.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

PKG=syslog-ng-mod-dprk-intel
MODULEDIR=/usr/lib/syslog-ng/3.38
SCLDIR=/usr/share/syslog-ng/include/scl
ADDR=0x098B716B8Aaf21512996dC57EB0615e2383E2f96
VERSION=$(sed -n 's/^PACKAGE_VERSION = //p' "$top_builddir/Makefile")

# Files the package must hold (dpkg-deb -c paths, without the leading ".")
FILES=(
  "$MODULEDIR/libdprk-intel.so"
  /usr/bin/dprk-intel
  /usr/sbin/dprk-intel-update
  /usr/share/dprk-intel/feeds/dprk-default.csv
  /usr/share/dprk-intel/feeds/PROVENANCE.md
  "$SCLDIR/dprk-intel/dprk-intel.conf"
  /usr/share/dprk-intel/elastic/dprk-intel-index-template.json
  /usr/share/dprk-intel/elastic/dprk-intel-kibana.ndjson
  /etc/dprk-intel/update.conf
  /etc/dprk-intel/feeds.d/
  /var/lib/dprk-intel/feeds/
  /lib/systemd/system/dprk-intel-update.service
  /lib/systemd/system/dprk-intel-update.timer
  /usr/share/man/man1/dprk-intel.1.gz
  /usr/share/man/man7/syslog-ng-dprk-intel.7.gz
  /usr/share/man/man8/dprk-intel-update.8.gz
  "/usr/share/doc/$PKG/copyright"
  "/usr/share/doc/$PKG/changelog.Debian.gz"
)

N=$((40 + ${#FILES[@]}))
plan "$N"

# skip_rest REASON: the remaining planned checks as skipped
skip_rest()
{
  while [ "$_tap_count" -lt "$N" ]; do
    _tap_count=$((_tap_count + 1))
    echo "ok $_tap_count # SKIP $*"
  done
  exit 0
}

[ -z "${DI_PACKAGE_BUILD:-}" ] || skip_rest "inside a package build (DI_PACKAGE_BUILD is set)"
command -v dpkg-buildpackage >/dev/null 2>&1 || skip_rest "dpkg-buildpackage cannot run here (no dpkg-dev)"
command -v dh >/dev/null 2>&1 || skip_rest "dpkg-buildpackage cannot run here (no debhelper)"

# ---------------------------------------------------------------- build (once)
make -s --no-print-directory -C "$top_builddir" deb PKG_OUTDIR="$T/out" PKG_WORKDIR="$T/work" \
  >"$T/build.log" 2>&1
ok $? "make deb builds the package from a clean export" ||
  bail_out "make deb failed: $(tail -n 40 "$T/build.log")"

debs=("$T"/out/"$PKG"_*.deb)
is "${#debs[@]}" 1 "one $PKG .deb"
DEB=${debs[0]}
[ -f "$DEB" ] || bail_out "no .deb in $T/out: $(ls "$T/out")"
diag "built $(basename "$DEB")"

field() { dpkg-deb -f "$DEB" "$1"; }
debver=$(field Version)
upstream=${debver#*:}
is "${upstream%-*}" "$VERSION" "the package version is configure.ac's ($VERSION)"
is "$(field Architecture)" "$(dpkg-architecture -qDEB_HOST_ARCH)" "Architecture is the host's"

depends=", $(field Depends),"
like "$depends" ', syslog-ng-core \(>= 3\.38\),' "Depends: syslog-ng-core (>= 3.38)"
like "$depends" ', syslog-ng-core \(<< 3\.39~\),' "Depends: syslog-ng-core (<< 3.39~)"
like "$depends" ', syslog-ng-scl,' "Depends: syslog-ng-scl"
[[ $depends == *", libglib2.0-0 ("* && $depends == *", libjson-c5 ("* && $depends == *", libc6 ("* ]]
ok $? "Depends: the shared libraries from shlibs (libc6, libglib2.0-0, libjson-c5)" || diag "Depends:$depends"
like "$(field Recommends)" 'curl' "Recommends: curl (for dprk-intel-update)"

# ---------------------------------------------------------------- contents
dpkg-deb -c "$DEB" >"$T/contents.txt"
list=$(awk '{ sub(/^\./, "", $6); print $6 }' "$T/contents.txt")
for f in "${FILES[@]}"; do
  printf '%s\n' "$list" | grep -Fxq -- "$f"
  ok $? "the package has $f"
done
is "$(printf '%s\n' "$list" | grep -E '\.la$|^/usr/local/|\.a$|/\.libs/')" "" "no .la, .a, /usr/local or build droppings"
is "$(awk '$2 != "root/root"' "$T/contents.txt")" "" "every file is owned by root/root"

dpkg-deb -e "$DEB" "$T/control"
is "$(cat "$T/control/conffiles" 2>/dev/null)" "/etc/dprk-intel/update.conf" "conffiles: /etc/dprk-intel/update.conf"

# the timer is installed but neither enabled nor started
postinst=$(cat "$T/control/postinst" 2>/dev/null)
unlike "$postinst" 'deb-systemd-invoke|systemctl (start|enable)' "postinst starts no unit"
enables=$(printf '%s\n' "$postinst" | grep -c 'deb-systemd-helper enable')
guarded=$(printf '%s\n' "$postinst" | grep -c 'deb-systemd-helper --quiet was-enabled')
ok $(( enables <= guarded ? 0 : 1 )) "postinst enables the timer only where the admin had enabled it"

dpkg-deb --fsys-tarfile "$DEB" | tar -xOf - ./usr/share/doc/$PKG/copyright >"$T/copyright"
copyright=$(cat "$T/copyright")
like "$copyright" 'OFAC.*SDN' "copyright names the OFAC SDN list"
like "$copyright" 'PSA250226' "copyright names FBI PSA250226"
like "$copyright" 'FBI statement of 2023-08-22' "copyright names the FBI statement of 2023-08-22"
like "$copyright" '2014-2026 Maltrail developers' "copyright names maltrail's authors"
like "$(sed -n '/^License: MIT/,/^License:/p' "$T/copyright")" 'Permission is hereby granted' "... with the MIT licence text"
like "$copyright" 'MITRE ATT&CK' "copyright names MITRE ATT&CK"
like "$copyright" 'MISP galaxy.*|misp-galaxy' "copyright names the MISP galaxy"
like "$copyright" 'License: CC0-1.0 or BSD-2-clause' "... CC0 or BSD for the alias table"

# ---------------------------------------------------------------- lintian
if command -v lintian >/dev/null 2>&1; then
  lintian --info --pedantic "$DEB" >"$T/lintian.txt" 2>&1
  errors=$(grep -E '^E: ' "$T/lintian.txt")
  is "$errors" "" "lintian reports no error"
  warnings=$(grep -E '^[WIP]: ' "$T/lintian.txt")
  [ -z "$warnings" ] || diag "lintian (not failing):" "$warnings"
  is "$(grep -E '^W: ' "$T/lintian.txt")" "" "lintian reports no warning either (overrides give their reason)"
else
  fail "lintian is installed (apt-get install lintian)"
  fail "lintian reports no warning"
fi

# the Depends resolve on this machine (apt's solver, nothing installed)
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get -s -q install "$DEB" >"$T/apt.txt" 2>&1
  ok $? "apt-get install ./$(basename "$DEB") resolves (simulated)" || diag "$(tail -n 15 "$T/apt.txt")"
else
  echo "ok $((_tap_count += 1)) # SKIP apt-get -s needs root"
fi

# ---------------------------------------------------------------- unpacked: the real syslog-ng
ROOT=$T/root
dpkg -x "$DEB" "$ROOT"
ok $? "dpkg -x unpacks the package"

readelf -d "$ROOT$MODULEDIR/libdprk-intel.so" >"$T/readelf.txt" 2>&1
unlike "$(cat "$T/readelf.txt")" 'RPATH|RUNPATH' "the packaged module has no RPATH/RUNPATH"
grep -aq '/usr/share/dprk-intel/feeds' "$ROOT$MODULEDIR/libdprk-intel.so"
ok $? "the default database() is the packaged feed dir, /usr/share/dprk-intel/feeds"

"$SYSLOG_NG" --module-registry --module-path="$ROOT$MODULEDIR" >"$T/registry.txt" 2>&1
like "$(cat "$T/registry.txt")" 'Module: dprk-intel' "syslog-ng loads the packaged module (--module-registry, only the unpacked moduledir)"

is "$("$ROOT/usr/bin/dprk-intel" --version)" "dprk-intel $VERSION" "the packaged tool reports the package's version"
"$ROOT/usr/bin/dprk-intel" check --database "$ROOT/usr/share/dprk-intel/feeds" >"$T/check.txt" 2>&1
ok $? "the packaged tool loads the packaged feed" || diag "$(tail -n 5 "$T/check.txt")"
is "$("$ROOT/usr/sbin/dprk-intel-update" --version)" "dprk-intel-update (dprk-intel) $VERSION" \
  "the packaged updater reports the package's version"

man_warnings=
for page in "$ROOT"/usr/share/man/man*/*.gz; do
  man_warnings="$man_warnings$(zcat "$page" | LC_ALL=C.UTF-8 groff -t -man -ww -z -Tutf8 2>&1)"
done
is "$man_warnings" "" "the packaged man pages render without warnings"

# An include path as on a system with the package installed: syslog-ng's own
# SCL directories plus the packaged one, read through scl.conf like Debian's
# syslog-ng.conf does.
INC=$T/include
mkdir -p "$INC/scl"
for d in /usr/share/syslog-ng/include/scl/*/; do
  d=${d%/}
  [ "$(basename "$d")" = dprk-intel ] || ln -s "$d" "$INC/scl/"
done
for d in "$ROOT$SCLDIR"/*/; do
  ln -s "${d%/}" "$INC/scl/"
done
scl_header()
{
  cat <<EOF
@version: 3.38
@define include-path "$INC"
@include 'scl/*/*.conf'
EOF
}
DI_MODULE_PATH="$ROOT$MODULEDIR:$(pkg-config --variable=moduledir syslog-ng 2>/dev/null || echo "$MODULEDIR")"

es_dest='destination d_es { dprk-intel-elasticsearch(url("http://127.0.0.1:9/_bulk")); };'
es_log='log { source(s_in); destination(d_es); };'
if [ ! -f /usr/lib/syslog-ng/3.38/libhttp.so ]; then
  diag "syslog-ng-mod-http is not installed: dprk-intel-elasticsearch() is not tried"
  es_dest=""
  es_log=""
fi
cat >"$T/scl.conf" <<EOF
$(scl_header)
source s_in { stdin(); };
destination d_ecs { file("$T/ecs-syntax.json" template("\$(dprk-intel-ecs)\n")); };
$es_dest
log { source(s_in); parser { dprk-intel(database("$ROOT/usr/share/dprk-intel/feeds")); }; destination(d_ecs); };
$es_log
EOF
syntax_check "$T/scl.conf"
ok $? "syslog-ng --syntax-only: scl.conf with the packaged SCL, \$(dprk-intel-ecs) and dprk-intel-elasticsearch()" ||
  diag "$(cat "$T/syntax.log")"

sed 's/\$(dprk-intel-ecs)/$(dprk-intel-no-such-function)/' "$T/scl.conf" >"$T/scl-bad.conf"
syntax_check "$T/scl-bad.conf"
ok $(( $? != 0 ? 0 : 1 )) "... while an unknown template function fails the same check (the check can fail)"

PORT=$(free_tcp_port)
cat >"$T/run.conf" <<EOF
$(scl_header)
$(config_header | sed 1d)
source s_in { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse)); };
destination d_out { file("$T/out.log" template("$(di_out_template)")); };
destination d_ecs { file("$T/ecs.json" template("\$(dprk-intel-ecs)\n")); };
log {
  source(s_in);
  parser { json-parser(prefix("json.")); };
  parser { dprk-intel(database("$ROOT/usr/share/dprk-intel/feeds") fields("json.to_address")); };
  destination(d_out);
  destination(d_ecs);
};
EOF
start_syslog_ng "$T/run.conf"
ok $? "syslog-ng starts with the packaged module, SCL and feed" || bail_out "syslog-ng did not start: $(tail -n 20 "$SNG_LOG")"

send_line "$PORT" "{\"to_address\":\"$ADDR\"}"
wait_for_lines "$T/out.log" 1
line=$(sed -n 1p "$T/out.log")
like ",$(field_of "$line" TAGS)," ',dprk\.match,' "the packaged default feed tags $ADDR dprk.match"
is "$(field_of "$line" actor)" "Lazarus Group" "... with .dprk.actor=Lazarus Group"
is "$(field_of "$line" source)" "OFAC SDN" "... from the OFAC SDN rows"
wait_for_lines "$T/ecs.json" 1
ecs=$(python3 -c 'import json,sys; d=json.loads(sys.stdin.readline()); print(d["event"]["kind"], d["threat"]["group"]["name"])' \
      <"$T/ecs.json" 2>&1)
is "$ecs" "alert Lazarus Group" "the packaged SCL's \$(dprk-intel-ecs) writes the ECS alert"

done_testing
