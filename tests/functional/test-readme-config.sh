#!/bin/bash
# test-readme-config.sh: the one complete configuration README.md shows is
# what users copy, so it runs here as it stands.  The block is taken out of
# README.md; only what is local to a machine changes: the tree's feed and SCL
# instead of the installed ones, files in the temp dir, ports on 127.0.0.1,
# a stand-in for Elasticsearch's _bulk API (ecs/bulk-server.py, which checks
# every document against the index template), a short incident-timeout().
# Then the exchange's syslog and its services' events go in: the alert line
# for a withdrawal to a Lazarus Group wallet has the account and amount, the
# account's incident is summed, Elasticsearch takes every document.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

[ -f /etc/syslog-ng/scl.conf ] || skip_all "/etc/syslog-ng/scl.conf not found (syslog-ng-core's)"

SERVER_PID=
trap 'status=$?; [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null; (exit $status); _cleanup' EXIT

plan 7

# ---------------------------------------------------------------- the block, made local
awk '/^## One complete configuration/ {on = 1} on && /^```/ {n++; next} on && n == 1 {print}' \
  "$top_srcdir/README.md" >"$T/readme.conf"
grep -q '^parser p_dprk' "$T/readme.conf"
ok $? "README.md shows a configuration with a dprk-intel parser" || bail_out "no configuration in README.md"

mkdir -p "$T/es"
python3 "$top_srcdir/tests/functional/ecs/bulk-server.py" --template "$top_srcdir/elastic/dprk-intel-index-template.json" \
  --dir "$T/es" 2>"$T/es/server.err" &
SERVER_PID=$!
wait_until "$DI_WAIT" test -s "$T/es/port" || bail_out "the _bulk stand-in did not start: $(cat "$T/es/server.err")"

APPS=$(free_tcp_port)
HOSTS=$(free_tcp_port)
python3 - "$T/readme.conf" "$T/test.conf" <<EOF
import re, sys
conf = open(sys.argv[1]).read()
def sub(old, new, count=1):
    global conf
    if old not in conf:
        sys.exit("README's configuration no longer has: " + old)
    conf = conf.replace(old, new, count)
# the tree's SCL, where an installed package would have put it
sub('@include "scl.conf"', '@include "scl.conf"\n@include "$top_srcdir/parsers/log-*.conf"\n'
    '@include "$top_srcdir/scl/dprk-intel/*.conf"')
conf, n = re.subn(r'database\([^)]*\)', 'database("$top_srcdir/feeds/dprk")', conf, flags=re.S)
if n != 1:
    sys.exit("README's configuration: expected one database()")
sub('/var/log/dprk-intel/', '$T/', 2)
sub('ip(0.0.0.0) port(5140)', 'ip(127.0.0.1) port($APPS)')
sub('ip(0.0.0.0) port(601)', 'ip(127.0.0.1) port($HOSTS)')
sub('incident-timeout(3600)', 'incident-timeout(3) state-file("$T/incidents.state")')
conf, n = re.subn(r'url\("https://[^"]*/_bulk"\)', 'url("http://127.0.0.1:$(cat "$T/es/port")/_bulk")', conf)
if n != 1:
    sys.exit("README's configuration: expected one Elasticsearch url()")
conf, n = re.subn(r'\s*tls\([^;]*?\)\)\n', '\n', conf)
open(sys.argv[2], "w").write(conf)
EOF
ok $? "the configuration made local (paths, ports, the _bulk stand-in)" || bail_out "README's configuration changed shape"

syntax_check "$T/test.conf"
ok $? "syslog-ng --syntax-only accepts it" || diag "$(cat "$T/syntax.log")"
start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start: $(cat "$SNG_LOG")"

send_file "$APPS" "$top_srcdir/samples/exchange-events.log"
send_file "$HOSTS" "$top_srcdir/samples/exchange.log"

wait_for_text "$T/alerts.log" '"request_id":"wd-90001"'
alert=$(grep -m1 '"request_id":"wd-90001"' "$T/alerts.log")
like "$alert" '^[0-9T:+-]+ Lazarus Group eth 0x098b716b8aaf21512996dc57eb0615e2383e2f96 account=acct-1001 amount=1\.5 incident=[0-9a-f]{16} \{' \
  "alerts.log: the withdrawal to a Lazarus Group wallet, with account, amount and incident"
wait_for_text "$T/incidents.log" 'key=acct-1001:'
like "$(cat "$T/incidents.log")" 'dprk-intel: incident [0-9a-f]{16} key=acct-1001: 5 matches of 3 Lazarus Group indicators .*, amount 3\.75' \
  "incidents.log: one incident for the account, its withdrawals summed"
like "$(cat "$T/incidents.log")" 'key=acct-104233: [0-9]+ matches' "... and one for the taken-over account of the exchange's syslog"

# every alert and summary line reached Elasticsearch, none refused
want=$(( $(wc -l <"$T/alerts.log") + $(wc -l <"$T/incidents.log") ))
has_docs() { [ "$(wc -l <"$T/es/accepted.ndjson" 2>/dev/null || echo 0)" -ge "$want" ]; }
wait_until "$DI_WAIT" has_docs
is "$(wc -l <"$T/es/accepted.ndjson" 2>/dev/null || echo 0)|$(wc -l <"$T/es/rejected.ndjson" 2>/dev/null || echo 0)" "$want|0" \
  "Elasticsearch took every alert and summary ($want documents), the template refused none"

done_testing
