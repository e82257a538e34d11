#!/bin/bash
# test-logsrc-install.sh: the log parsers as a user gets them.  `make install`
# puts every parsers/log-*.conf and scl/dprk-intel/*.conf into syslog-ng's SCL
# directory; Debian's /etc/syslog-ng/scl.conf (scl/*/*.conf) then brings
# dprk-intel-enrich() to a config that only says @include "scl.conf" -- the
# real daemon, with the installed files, matches a sample withdrawal -- and
# the exchange relay configuration of docs/log-sources.md is valid with them;
# so is the demo configuration samples/enrich-demo.conf.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"
. "$top_srcdir/tests/functional/logsrc/logsrc.sh"

[ -f "$top_builddir/Makefile" ] || skip_all "no configured build tree in $top_builddir"
[ -f /etc/syslog-ng/scl.conf ] || skip_all "/etc/syslog-ng/scl.conf not found (syslog-ng-core's)"

# a make of its own: not the jobserver, flags and directory messages of the
# `make check` that runs this test
submake() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$top_builddir" "$@"; }
scldir=$(submake -f Makefile -f - print-scldir <<'MK' 2>/dev/null
print-scldir:
	@echo $(scldir)
MK
)
case "$scldir" in /*) ;; *) bail_out "cannot read scldir from $top_builddir/Makefile: '$scldir'" ;; esac

ROOT="$T/root"
submake install-dist_logparsersDATA install-dist_scldprkintelDATA DESTDIR="$ROOT" >"$T/install.log" 2>&1
ok $? "make install-dist_logparsersDATA install-dist_scldprkintelDATA" || diag "$(cat "$T/install.log")"

missing=
for f in "$top_srcdir"/parsers/log-*.conf "$top_srcdir"/scl/dprk-intel/*.conf; do
  [ -f "$ROOT$scldir/dprk-intel/$(basename "$f")" ] || missing="$missing $(basename "$f")"
done
is "$missing" "" "every parsers/log-*.conf and scl/dprk-intel/*.conf is installed in $scldir/dprk-intel"

# an include path as on a system with the package installed: syslog-ng's own
# SCL directories and the installed one, read by Debian's scl.conf
INC="$T/include"
mkdir -p "$INC/scl"
for d in /usr/share/syslog-ng/include/scl/*/; do
  d=${d%/}
  [ "$(basename "$d")" = dprk-intel ] || ln -s "$d" "$INC/scl/"
done
ln -s "$ROOT$scldir/dprk-intel" "$INC/scl/dprk-intel"
header()
{
  cat <<EOF
@version: 3.38
@define include-path "$INC:/etc/syslog-ng"
@include "scl.conf"
options { stats-freq(0); mark-freq(0); keep-hostname(yes); chain-hostnames(no); flush-lines(0); };
EOF
}

# ---------------------------------------------------------------- the daemon with the installed SCL
port=$(free_tcp_port)
{
  header
  cat <<EOF
source s_in { network(ip(127.0.0.1) port($port) transport(tcp) flags(no-parse)); };
parser p_enrich { dprk-intel-enrich(database("$LOGSRC_FEED")); };
destination d_out { file("$T/out" template("\${.dprk.log.crypto.account}\t\${.dprk.log.crypto.amount}\t\${.dprk.indicator}\t\${.dprk.field}\n")); };
log { source(s_in); parser(p_enrich); destination(d_out); };
EOF
} >"$T/installed.conf"
start_syslog_ng "$T/installed.conf" || bail_out "syslog-ng did not start with the installed SCL: $(cat "$SNG_LOG")"
grep '"wd-90001"' "$LOGSRC_SAMPLES/exchange-events.log" >"$T/line.log"
send_file "$port" "$T/line.log"
wait_for_lines "$T/out" 1
stop_syslog_ng
is "$(cat "$T/out" 2>/dev/null)" "$(printf 'acct-1001\t1.5\t0x098b716b8aaf21512996dc57eb0615e2383e2f96\t.dprk.log.crypto.counterparty.address')" \
  "@include \"scl.conf\" and dprk-intel-enrich(): the installed parsers parse a withdrawal and find its sanctioned address"

# ---------------------------------------------------------------- the relay configuration of the docs
awk '/<!-- relay-config/ {found = 1; next} found && /^```/ {n++; next} found && n == 1 {print}' \
  "$top_srcdir/docs/log-sources.md" >"$T/relay.doc.conf"
grep -q 'dprk-intel-enrich(' "$T/relay.doc.conf"
ok $? "docs/log-sources.md has the relay configuration" || bail_out "no relay configuration in docs/log-sources.md"
mkdir -p "$T/var-feeds"
: >"$T/es-ca.pem"
# the same file with this machine's paths: the include path, and feed
# directories and the CA file that exist here (syslog-ng checks them when it
# parses the config)
sed -e "s|^@include \"scl.conf\"|@define include-path \"$INC:/etc/syslog-ng\"\n@include \"scl.conf\"|" \
    -e "s|\"/usr/share/dprk-intel/feeds\"|\"$top_srcdir/feeds/dprk\"|" \
    -e "s|\"/var/lib/dprk-intel/feeds\"|\"$T/var-feeds\"|" \
    -e "s|\"/etc/ssl/certs/es-ca.pem\"|\"$T/es-ca.pem\"|" \
    "$T/relay.doc.conf" >"$T/relay.conf"
syntax_check "$T/relay.conf"
ok $? "the relay configuration of docs/log-sources.md: syslog-ng --syntax-only with the installed SCL" ||
  diag "$(cat "$T/syntax.log")"
sed 's/dprk-intel-enrich(/dprk-intel-enrich-missing(/' "$T/relay.conf" >"$T/relay-bad.conf"
syntax_check "$T/relay-bad.conf"
[ $? -ne 0 ]
ok $? "the same check fails when the configuration names a block that does not exist"

# ---------------------------------------------------------------- the demo configuration
# samples/enrich-demo.conf reads the source tree, a port and an output
# directory from the environment
DEMO_TOP=$top_srcdir DEMO_PORT=$(free_tcp_port) DEMO_OUT=$T syntax_check "$top_srcdir/samples/enrich-demo.conf"
ok $? "samples/enrich-demo.conf: syslog-ng --syntax-only from the source tree" || diag "$(cat "$T/syntax.log")"

done_testing
