#!/usr/bin/env bash
# demo.sh: the main job, end to end.  Installs what is missing (as root),
# builds, starts the real syslog-ng with the dprk-intel module, the bundled
# DPRK feed and dprk-intel-enrich() (which parses the exchange and wallet log
# sources it knows, then scans them), replays the sample logs over TCP with
# loggen -- an exchange's syslog and the raw logs of eleven log sources --
# and prints the enriched events, the matches per actor and per log source,
# the suspected incidents (one per account) and the parser's counters.  Stops with an error when a
# step does not happen (tests/functional/test-clean-checkout.sh relies on it).
set -euo pipefail
top=$(cd "$(dirname "$0")" && pwd)
build=$top/_build

# the exchange's syslog (RFC 3164 lines) and the raw logs of each log source
# that dprk-intel-enrich() parses (samples/README.md)
syslog_sample=$top/samples/exchange.log
source_samples=()
while read -r name; do
  source_samples+=("$top/samples/$name")
done < <(grep -v '^#' "$top/samples/demo-sources.list")
for f in "$syslog_sample" "${source_samples[@]}"; do
  [ -f "$f" ] || { echo "demo.sh: $f is missing (a checkout without the sample logs?)" >&2; exit 1; }
done

"$top/scripts/ensure-deps.sh"
echo "building..."
"$top/scripts/build.sh" "$build"

work=$(mktemp -d /tmp/dprk-intel-demo.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
raw_port=$(free_port)
cat "${source_samples[@]}" > "$work/sources.log"
cat > "$work/demo.conf" <<CONF
@version: 3.38
# The SCL of this tree: dprk-intel-enrich() and the log parsers it picks
# from (installed, \`@include "scl.conf"\` brings them), and syslog-ng's own
# apache-accesslog-parser() they build on.
@include "scl/apache/apache.conf"
@include "$top/parsers/log-*.conf"
@include "$top/scl/dprk-intel/dprk-intel-enrich.conf"
options { keep-hostname(yes); stats-level(1); };

# the exchange's syslog, and raw log-source lines as their programs write them
source s_syslog { network(ip(127.0.0.1) port($port) transport(tcp)); };
source s_raw { network(ip(127.0.0.1) port($raw_port) transport(tcp) flags(no-parse)); };

# parses what it recognises (exchange JSON events, access logs, CloudTrail,
# Fireblocks, BitGo, bitcoind, geth, the hot-wallet signer), then runs
# dprk-intel() on the parsed fields and MESSAGE, one incident per account
parser p_dprk {
  dprk-intel-enrich(
    database("$top/feeds/dprk")
    incident-timeout(3)              # short, so that the demo sees incidents close
    state-file("$work/incidents.state")
  );
};

destination d_enriched {
  file("$work/enriched.jsonl"
       template("\$(format-json host=\${HOST} program=\${PROGRAM} message=\${MESSAGE} tags=\${TAGS}
                 --key .dprk.* --exclude .dprk.matches)\n"));
};
destination d_incidents {
  file("$work/incidents.log" template("\${MESSAGE}\n"));
};
destination d_all { file("$work/all.log" template("\${.dprk.log.service.type:--}\t\$(if (tags(\"dprk.match\")) match \"\")\n")); };

log {
  source(s_syslog); source(s_raw);
  parser(p_dprk);
  if (tags("dprk.incident")) { destination(d_incidents); }
  else { destination(d_all); };
  if (tags("dprk.match")) { destination(d_enriched); };
};
CONF

. "$top/scripts/wait-until.sh"
die() {
  echo "demo.sh: $*" >&2
  echo "syslog-ng said:" >&2
  tail -n 20 "$work/syslog-ng.log" >&2
  exit 1
}
ctl() { syslog-ng-ctl "$@" -c "$work/ctl"; }
counter() {   # the sum of a dprk-intel counter over every parser instance
  ctl query get "parser.dprk-intel.*.$1" 2>/dev/null | awk -F= '{s+=$2} END {print s+0}'
}
lines_in() { if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi; }

/usr/sbin/syslog-ng -F -e --no-caps --module-path="$build/modules/dprk-intel/.libs:/usr/lib/syslog-ng/3.38" \
  -f "$work/demo.conf" -R "$work/persist" -p "$work/pid" -c "$work/ctl" > "$work/syslog-ng.log" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null; wait $daemon 2>/dev/null || true' EXIT
wait_until 60 ctl stats >/dev/null 2>&1 || die "syslog-ng did not start"

replay() {   # replay FILE PORT: every line of FILE, however long loggen takes
  local lines sent
  lines=$(wc -l < "$1")
  # -T: no time limit, loggen stops at the end of the file; its last line
  # says how many it sent
  loggen --read-file "$1" --dont-parse -S -i -T 127.0.0.1 "$2" > "$work/loggen.log" 2>&1 || true
  sent=$(sed -n 's/.*count=\([0-9]*\).*/\1/p' "$work/loggen.log" | tail -n 1)
  [ "${sent:-0}" -eq "$lines" ] || die "loggen sent ${sent:-0} of $lines lines of $1: $(cat "$work/loggen.log")"
}
lines=$(( $(wc -l < "$syslog_sample") + $(wc -l < "$work/sources.log") ))
echo "replaying samples/exchange.log (an exchange's syslog, $(wc -l < "$syslog_sample") lines) and the raw logs of"
echo "${#source_samples[@]} log sources ($(wc -l < "$work/sources.log") lines) into syslog-ng with dprk-intel-enrich()..."
replay "$syslog_sample" "$port"
replay "$work/sources.log" "$raw_port"
all_in() { [ "$(lines_in "$work/all.log")" -ge "$lines" ]; }
wait_until 120 all_in || die "$(lines_in "$work/all.log") of $lines lines reached $work/all.log"

echo
echo "== enriched events (tagged dprk.match) =="
python3 - "$work/enriched.jsonl" <<'PY'
import json, sys, collections
per_actor = collections.Counter()
n = 0
for line in open(sys.argv[1]):
    e = json.loads(line)
    d = e["_dprk"]   # format-json writes the leading dot of .dprk.* as "_"
    n += 1
    log = d.get("log", {})
    parsed = log.get("service", {}).get("type", "-")
    crypto = log.get("crypto", {})
    account = f" account {crypto['account']}" if crypto.get("account") else ""
    amount = f" amount {crypto['amount']}" if crypto.get("amount") else ""
    print(f"{e['host']:<18} {parsed:<11} {d['actor']:<26} {d['type']:<6} {d['indicator']}  (source {d['source']}, confidence {d['confidence']}, {d['match_count']} match(es)){account}{amount}")
    for a in d["actors"].split(","):
        per_actor[a] += 1
print()
print("== matched messages per actor ==")
for actor, count in per_actor.most_common():
    print(f"{count:>4}  {actor}")
print(f"\n{n} of the sample messages matched")
PY
echo
echo "== messages per log source (what dprk-intel-enrich() parsed; - = free text only) =="
awk -F'\t' '{n[$1]++; if ($2 == "match") m[$1]++} END {for (s in n) printf "%-12s %4d messages, %3d matched\n", s, n[s], m[s]}' \
  "$work/all.log" | sort
echo
echo "== suspected incidents (summaries emitted when an incident closes) =="
# every incident closed (incident-timeout(3) after its last match) and its
# summary written
all_closed() {
  local closed
  closed=$(counter incidents_closed)
  [ "$(counter incidents_open)" -eq 0 ] && [ "$closed" -gt 0 ] && [ "$(lines_in "$work/incidents.log")" -ge "$closed" ]
}
wait_until 120 all_closed || die "incidents still open after 120 s ($(counter incidents_open) open)"
cat "$work/incidents.log"
echo
echo "== syslog-ng-ctl stats (dprk-intel) =="
ctl stats | grep "^parser;dprk-intel;" | grep -v ";0$" | sort || true
echo
echo "(all output: $work)"
