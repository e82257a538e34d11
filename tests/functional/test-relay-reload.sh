#!/bin/bash
# test-relay-reload.sh: `syslog-ng-ctl reload` of the central node while two
# edges keep sending (docs/deployment/*.conf, as test-relay.sh runs them):
#  - the reload (with a changed incident-timeout()) takes effect, and no
#    message is lost or duplicated: the connections from the edges stay up;
#  - the open incidents stay open: the withdrawals after the reload join the
#    incidents from before, with the same ids; none is opened twice, and the
#    summaries count every withdrawal.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"
. "$top_srcdir/tests/functional/relay-lib.sh"

command -v loggen >/dev/null 2>&1 || skip_all "loggen is not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
relay_has_http || skip_all "syslog-ng's http module (syslog-ng-mod-http) is not installed"

ACCOUNTS=4
PER=3
FILLER=6000          # loggen messages per edge, at most RATE a second
RATE=1000
MIN_BEFORE_RELOAD=500
E1_PORT=$(free_tcp_port)
E2_PORT=$(free_tcp_port)

relay_es_start || bail_out "the _bulk stand-in did not start"
relay_central_conf 3600
relay_edge_conf edge-1 "$E1_PORT"
relay_edge_conf edge-2 "$E2_PORT"

send_batch() # NAME
{
  withdrawal_lines "$1-e1" "$ACCOUNTS" "$PER" >"$T/$1-e1.in"
  withdrawal_lines "$1-e2" "$ACCOUNTS" "$PER" >"$T/$1-e2.in"
  send_file "$E1_PORT" "$T/$1-e1.in" && send_file "$E2_PORT" "$T/$1-e2.in"
}
central_has_requests() # N
{
  [ -f "$RELAY_CENTRAL_FILE" ] && [ "$(grep -o '"request_id\\":\\"[^\\]*' "$RELAY_CENTRAL_FILE" | sort -u | wc -l)" -ge "$1" ]
}
filler_seen() # RELAY N
{
  [ "$(relay_check seqs "$RELAY_CENTRAL_FILE" 2>/dev/null | grep -c "^$1 ")" -ge "$2" ]
}
# the distinct incident ids of every account's withdrawals in batch B
central_ids_of() # BATCH
{
  python3 - "$RELAY_CENTRAL_FILE" "$1" <<'PY'
import json, re, sys
ids = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    m = re.search(r'"request_id":"%s-[^"]*","account_id":"([^"]*)"' % re.escape(sys.argv[2]), d.get("message", ""))
    if m:
        ids.setdefault(m.group(1), set()).add(d["dprk_intel"]["incident"]["id"])
print(" ".join("%s=%s" % (a, ",".join(sorted(i))) for a, i in sorted(ids.items())))
PY
}

plan 10

node_start central "$T/central.conf" || bail_out "the central node did not start"
node_start edge-1 "$T/edge-1.conf" || bail_out "edge-1 did not start"
node_start edge-2 "$T/edge-2.conf" || bail_out "edge-2 did not start"

send_batch before
wait_until "$DI_WAIT" central_has_requests $((2 * ACCOUNTS * PER))
ok $? "before the reload: the first withdrawals reach the central node"

loggen -i -S -T -n "$FILLER" -r "$RATE" -s 200 127.0.0.1 "$E1_PORT" >"$T/loggen-1.log" 2>&1 &
l1=$!
loggen -i -S -T -n "$FILLER" -r "$RATE" -s 200 127.0.0.1 "$E2_PORT" >"$T/loggen-2.log" 2>&1 &
l2=$!
wait_until "$DI_WAIT" filler_seen edge-1 "$MIN_BEFORE_RELOAD" && wait_until "$DI_WAIT" filler_seen edge-2 "$MIN_BEFORE_RELOAD"

# mid-stream: another incident-timeout(), still long
relay_central_conf 3000
node_reload central
ok $? "syslog-ng-ctl reload of the central node under load"
kill -0 $l1 2>/dev/null && kill -0 $l2 2>/dev/null
ok $? "loggen was still sending through both edges"
send_batch during

wait $l1 $l2
send_batch after
marker_line edge-1 | send_file "$E1_PORT" /dev/stdin
marker_line edge-2 | send_file "$E2_PORT" /dev/stdin
wait_until "$DI_WAIT" has_message "$RELAY_CENTRAL_FILE" "end of edge-1" &&
  wait_until "$DI_WAIT" has_message "$RELAY_CENTRAL_FILE" "end of edge-2"
ok $? "everything sent reaches the central node (the edges' last lines arrive)"

relay_check seqs "$RELAY_CENTRAL_FILE" | sort -u >"$T/seqs"
expected=$(for r in edge-1 edge-2; do seq 0 $((FILLER - 1)) | sed "s/^/$r /"; done | sort -u)
is "$(relay_check seqs "$RELAY_CENTRAL_FILE" | wc -l) $(diff <(echo "$expected") "$T/seqs" | grep -c '^[<>]')" "$((2 * FILLER)) 0" \
  "every loggen message arrived exactly once across the reload"
grep -o '"request_id\\":\\"[^\\]*' "$RELAY_CENTRAL_FILE" | sort >"$T/requests"
is "$(uniq -d "$T/requests" | wc -l) $(sort -u "$T/requests" | wc -l)" "0 $((3 * 2 * ACCOUNTS * PER))" \
  "every withdrawal arrived exactly once"

before=$(central_ids_of before)
is "$(central_ids_of during)" "$before" "withdrawals after the reload join the incidents from before it (same ids)"
is "$(node_stat central p_central incidents_opened)" "$ACCOUNTS" "one incident opened per account, none twice"

relay_central_conf 1
relay_close_incidents central p_central "$RELAY_CENTRAL_FILE"
ok $? "the incidents close after a reload to incident-timeout(1)"
relay_check summaries "$RELAY_CENTRAL_FILE" | grep '^account acct-w' >"$T/summaries"
for a in $(seq 1 $ACCOUNTS); do
  printf 'account acct-w%s\tcount=%s\tindicators=1\tamount=%s\tactors=Lazarus Group\n' \
    "$a" $((3 * 2 * PER)) "$(python3 -c "print(format(1.5 * $((3 * 2 * PER)), '.15g'))")"
done >"$T/expected"
diff "$T/expected" "$T/summaries" >"$T/summaries.diff"
ok $? "one summary per account, counting every withdrawal from before, during and after the reload" ||
  diag "$(cat "$T/summaries.diff")"

done_testing
