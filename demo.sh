#!/usr/bin/env bash
# demo.sh: the main job, end to end.  Installs what is missing (as root),
# builds, starts the real syslog-ng with the dprk-intel module and the
# bundled DPRK feed, replays the sample exchange and wallet logs over TCP with
# loggen, and prints the enriched events and the matches per actor.
set -euo pipefail
top=$(cd "$(dirname "$0")" && pwd)
build=$top/_build

"$top/scripts/ensure-deps.sh"
echo "building..."
"$top/scripts/build.sh" "$build"

work=$(mktemp -d /tmp/dprk-intel-demo.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
samples=$top/samples/exchange.log
cat > "$work/demo.conf" <<CONF
@version: 3.38
options { keep-hostname(yes); stats-level(1); };

source s_exchange { network(ip(127.0.0.1) port($port) transport(tcp)); };

parser p_dprk {
  dprk-intel(
    database("$top/feeds/dprk")
    fields("MESSAGE")
    incident-key("\${HOST}")
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

/usr/sbin/syslog-ng -F -e --no-caps --module-path="$build/modules/dprk-intel/.libs:/usr/lib/syslog-ng/3.38" \
  -f "$work/demo.conf" -R "$work/persist" -p "$work/pid" -c "$work/ctl" > "$work/syslog-ng.log" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null; wait $daemon 2>/dev/null || true' EXIT
for _ in $(seq 50); do syslog-ng-ctl stats -c "$work/ctl" >/dev/null 2>&1 && break; sleep 0.2; done
if ! kill -0 $daemon 2>/dev/null; then cat "$work/syslog-ng.log"; exit 1; fi

lines=$(wc -l < "$samples")
echo "replaying $lines sample lines from samples/exchange.log into syslog-ng on 127.0.0.1:$port..."
loggen --read-file "$samples" --dont-parse -S -i 127.0.0.1 "$port" >/dev/null 2>&1 || true
for _ in $(seq 50); do [ "$(wc -l < "$work/all.log" 2>/dev/null || echo 0)" -ge "$lines" ] && break; sleep 0.2; done

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
for _ in $(seq 60); do [ -s "$work/incidents.log" ] && [ "$(syslog-ng-ctl query get 'parser.dprk-intel.*.incidents_open' -c "$work/ctl" | awk -F= '{s+=$2} END {print s+0}')" -eq 0 ] && break; sleep 0.2; done
cat "$work/incidents.log"
echo
echo "== syslog-ng-ctl stats (dprk-intel) =="
syslog-ng-ctl stats -c "$work/ctl" | grep "^parser;dprk-intel;" | grep -v ";0$" | sort || true
echo
echo "(all output: $work)"
