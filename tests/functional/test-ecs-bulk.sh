#!/bin/bash
# test-ecs-bulk.sh: the real dprk-intel-elasticsearch() destination against a
# stand-in for Elasticsearch's _bulk API on 127.0.0.1 (ecs/bulk-server.py):
# NDJSON action and document lines, per-item results, every document checked
# against the index template.  The endpoint answers the first requests with
# 429, 503 and 500; syslog-ng must send those batches again, and every message
# must be indexed exactly once, into the default daily index, with basic auth.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"
. "$top_srcdir/tests/functional/ecs/ecs-docs.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
command -v curl >/dev/null 2>&1 || skip_all "curl not found"
has_http=
for dir in ${DI_MODULE_PATH//:/ }; do
  [ -f "$dir/libhttp.so" ] && has_http=yes
done
[ -n "$has_http" ] || skip_all "syslog-ng's http module (syslog-ng-mod-http) is not installed"

TEMPLATE="$top_srcdir/elastic/dprk-intel-index-template.json"
ES_USER=dprk_writer
ES_PASSWORD='s3cret pw'
ROUNDS=4
SERVER_PIDS=

stop_servers()
{
  local pid
  for pid in $SERVER_PIDS; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  SERVER_PIDS=
}
trap 'status=$?; stop_servers; (exit $status); _cleanup' EXIT

# start_server DIR ARGS...: bulk-server.py on a free port, written to DIR/port
start_server()
{
  local dir=$1 i
  shift
  mkdir -p "$dir"
  python3 "$ECS_DIR/bulk-server.py" --template "$TEMPLATE" --dir "$dir" "$@" 2>"$dir/server.err" &
  SERVER_PIDS="$SERVER_PIDS $!"
  wait_until "$DI_WAIT" test -s "$dir/port" && return 0
  diag "bulk-server.py did not start: $(cat "$dir/server.err")"
  return 1
}

plan 14

# ---------------------------------------------------------------- the endpoint can fail
start_server "$T/probe" || bail_out "the _bulk endpoint did not start"
probe="http://127.0.0.1:$(cat "$T/probe/port")/_bulk"
printf '%s\n' '{"index":{"_index":"dprk-intel-2026.11.25"}}' \
  '{"@timestamp":"2026-11-25T10:00:01+00:00","message":"fits"}' \
  '{"index":{"_index":"dprk-intel-2026.11.25"}}' \
  '{"@timestamp":"2026-11-25T10:00:01+00:00","threat":{"group":{"mitre":"G0032"}}}' >"$T/probe.ndjson"
reply=$(curl -s -H 'Content-Type: application/x-ndjson' --data-binary "@$T/probe.ndjson" "$probe")
like "$reply" '"errors": true.*"status": 201.*"status": 400.*strict_dynamic_mapping_exception' \
  "the endpoint answers 200 with a per-item 400 for a document with an unmapped field, as Elasticsearch does"
[ "$(wc -l <"$T/probe/rejected.ndjson" 2>/dev/null)" = 1 ] && [ "$(wc -l <"$T/probe/accepted.ndjson")" = 1 ]
ok $? "the endpoint records the rejected document apart from the accepted one"
code=$(printf '%s\n' '{"index":{"_index":"dprk-intel-2026.11.25","_type":"_doc"}}' '{"message":"x"}' |
  curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/x-ndjson' --data-binary @- "$probe")
is "$code" 400 "the endpoint refuses _type, which Elasticsearch 8 removed"
stop_servers

# ---------------------------------------------------------------- syslog-ng through 429/5xx
ecs_module_built || bail_out "$ECS_MODULE is not built"
start_server "$T/es" --fail 429 --fail 503 --fail 500 --user "$ES_USER" --password "$ES_PASSWORD" ||
  bail_out "the _bulk endpoint did not start"
es_port=$(cat "$T/es/port")
port=$(free_tcp_port)
incidents=$(ecs_incident_options)

cat >"$T/bulk.conf" <<EOF
$(ecs_config_head)
source s_in { network(ip(127.0.0.1) port($port) transport(tcp)); };
parser p_kv { kv-parser(prefix("kv.")); };
parser p_dprk { dprk-intel(database("$ECS_DIR/feed.csv") $incidents); };
destination d_es {
  dprk-intel-elasticsearch(
    url("http://127.0.0.1:$es_port/_bulk")
    user("$ES_USER") password("$ES_PASSWORD")
    workers(2) batch-lines(4) batch-timeout(200) time-reopen(1)
  );
};
log { source(s_in); parser(p_kv); parser(p_dprk); destination(d_es); };
EOF

# ROUNDS copies of the sample, each line with a unique seq=ROUND-N
for round in $(seq 1 $ROUNDS); do
  sed "s/seq=\([0-9]*\)/seq=$round-\1/" "$ECS_DIR/sample.syslog"
done >"$T/send.log"
sent=$(grep -c . "$T/send.log")
summaries=0
[ -n "$incidents" ] && summaries=$ECS_SAMPLE_INCIDENTS

start_syslog_ng "$T/bulk.conf" || bail_out "syslog-ng did not start: $(cat "$SNG_LOG")"
pass "syslog-ng starts with dprk-intel-elasticsearch()"
send_file "$port" "$T/send.log"
wait_for_lines "$T/es/accepted.ndjson" $((sent + summaries))
ok $? "$sent messages and $summaries incident summaries arrive through the retries" ||
  diag "requests:" "$(cat "$T/es/requests.log" 2>/dev/null)"
sleep 2          # anything sent twice would arrive now
stop_syslog_ng
stop_servers

statuses=$(awk '{print $2}' "$T/es/requests.log" | tr '\n' ' ')
like "$statuses" '^429 503 500 (200 )+$' "the endpoint answered 429, 503, 500, then only 200 (requests: $statuses)"
grep -q "status_code='429'" "$SNG_LOG" && grep -q "status_code='503'" "$SNG_LOG"
ok $? "syslog-ng saw the 429 and 5xx replies" || diag "$(tail -n 20 "$SNG_LOG")"
[ ! -s "$T/es/rejected.ndjson" ]
ok $? "no document was rejected by the template inside a 200 reply" ||
  diag "$(head -c 3000 "$T/es/rejected.ndjson")"
unauthenticated=$(grep -vc 'auth=yes' "$T/es/requests.log")
is "$unauthenticated" 0 "every request carried the user and password (basic auth)"

python3 - "$T/es/accepted.ndjson" "$T/send.log" "$summaries" >"$T/verify.out" 2>&1 <<'PY'
import collections, json, re, sys, time
accepted = [json.loads(l) for l in open(sys.argv[1])]
sent = [re.search(r"seq=(\S+)", l).group(1) for l in open(sys.argv[2]) if l.strip()]
summaries = int(sys.argv[3])
index = time.strftime("dprk-intel-%Y.%m.%d")
seqs = collections.Counter()
incident_ids = collections.Counter()
bad_index = set()
for a in accepted:
    if a["_index"] != index:
        bad_index.add(a["_index"])
    doc = a["doc"]
    m = re.search(r"seq=(\S+)", doc.get("message", ""))
    if m:
        seqs[m.group(1)] += 1
    elif doc.get("event", {}).get("dataset") == "dprk_intel.incident":
        incident_ids[doc["dprk_intel"]["incident"]["id"]] += 1
    else:
        print("a document that is neither a sent message nor an incident summary: %r" % doc)
twice = sorted(s for s, n in seqs.items() if n > 1)
missing = sorted(set(sent) - set(seqs))
print("messages indexed twice: %s" % (twice or "none"))
print("messages missing: %s" % (missing or "none"))
print("indices other than %s: %s" % (index, sorted(bad_index) or "none"))
print("incident summaries: %d (%d distinct ids), wanted %d" % (sum(incident_ids.values()), len(incident_ids), summaries))
ok = not twice and not missing and not bad_index and len(incident_ids) == summaries \
    and all(n == 1 for n in incident_ids.values()) and len(seqs) == len(sent)
sys.exit(0 if ok else 1)
PY
verify=$?
grep -q 'messages indexed twice: none' "$T/verify.out" && grep -q 'messages missing: none' "$T/verify.out"
ok $? "every message was indexed exactly once" || diag "$(cat "$T/verify.out")"
grep -q '^indices other than .*: none' "$T/verify.out"
ok $? "every document went to the default index dprk-intel-\${R_YEAR}.\${R_MONTH}.\${R_DAY}" || diag "$(cat "$T/verify.out")"
ok $verify "nothing else arrived, and each incident summary once" || diag "$(cat "$T/verify.out")"

matched=$(python3 -c '
import json, sys
print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["doc"].get("event", {}).get("kind") == "alert"))' "$T/es/accepted.ndjson")
is "$matched" $((ROUNDS * ECS_SAMPLE_MATCHED)) \
  "the matched messages arrive as event.kind alert ($ROUNDS rounds of $ECS_SAMPLE_MATCHED matching lines)"
diag "$(cat "$T/verify.out")"

# a wrong password is not retried into success: the server refuses, nothing is indexed
start_server "$T/auth" --user "$ES_USER" --password "$ES_PASSWORD" || bail_out "the _bulk endpoint did not start"
sed -i "s/127.0.0.1:$es_port/127.0.0.1:$(cat "$T/auth/port")/; s/password(\"$ES_PASSWORD\")/password(\"wrong\")/" "$T/bulk.conf"
start_syslog_ng "$T/bulk.conf" || bail_out "syslog-ng did not start: $(cat "$SNG_LOG")"
send_line "$port" '<134>Nov 25 10:00:01 exchange-1 withdrawd[1]: seq=auth withdrawal to=0x098B716B8Aaf21512996dC57EB0615e2383E2f96'
wait_for_text "$T/auth/requests.log" ' 401 ' && [ ! -s "$T/auth/accepted.ndjson" ]
ok $? "with a wrong password the endpoint answers 401 and indexes nothing" || diag "$(cat "$T/auth/requests.log" 2>/dev/null)"
stop_syslog_ng
stop_servers

done_testing
