#!/usr/bin/env bash
# demo.sh: the main job, end to end.  Installs what is missing (as root),
# builds, starts the real syslog-ng with the dprk-intel module and the
# bundled DPRK feed, replays the sample exchange and wallet logs over TCP with
# loggen, and prints the enriched events, the matches per actor, the
# suspected incidents and the parser's counters.  Stops with an error when a
# step does not happen (tests/functional/test-clean-checkout.sh relies on it).
set -euo pipefail
top=$(cd "$(dirname "$0")" && pwd)
build=$top/_build

samples=$top/samples/exchange.log
[ -f "$samples" ] || { echo "demo.sh: $samples is missing (a checkout without the sample logs?)" >&2; exit 1; }

"$top/scripts/ensure-deps.sh"
echo "building..."
"$top/scripts/build.sh" "$build"

work=$(mktemp -d /tmp/dprk-intel-demo.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/demo.conf" <<CONF
@version: 3.38
options { keep-hostname(yes); stats-level(1); };

source s_exchange { network(ip(127.0.0.1) port($port) transport(tcp)); };

parser p_dprk {
  dprk-intel(
    database("$top/feeds/dprk")
    fields("MESSAGE")
    # one incident per customer account, else per host
    incident-key('\$(if ("\${json.account_id}" ne "") "account \${json.account_id}" "host \${HOST}")')
    incident-timeout(3)              # short, so that the demo sees incidents close
    incident-amount("\${json.amount}")
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
destination d_all { file("$work/all.log"); };

log {
  source(s_exchange);
  if (message("^\\{")) { parser { json-parser(prefix("json.")); }; };
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

lines=$(wc -l < "$samples")
echo "replaying $lines sample lines from samples/exchange.log into syslog-ng on 127.0.0.1:$port..."
# -T: no time limit, loggen stops at the end of the file; its last line
# says how many it sent
loggen --read-file "$samples" --dont-parse -S -i -T 127.0.0.1 "$port" > "$work/loggen.log" 2>&1 || true
sent=$(sed -n 's/.*count=\([0-9]*\).*/\1/p' "$work/loggen.log" | tail -n 1)
[ "${sent:-0}" -eq "$lines" ] || die "loggen sent ${sent:-0} of $lines lines: $(cat "$work/loggen.log")"
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
    print(f"{e['host']:<18} {d['actor']:<26} {d['type']:<6} {d['indicator']}  (source {d['source']}, confidence {d['confidence']}, {d['match_count']} match(es))")
    for a in d["actors"].split(","):
        per_actor[a] += 1
print()
print("== matched messages per actor ==")
for actor, count in per_actor.most_common():
    print(f"{count:>4}  {actor}")
print(f"\n{n} of the sample messages matched")
PY
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
