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

relay_require

ACCOUNTS=4
PER=3
FILLER=6000          # loggen messages per edge, at most RATE a second
RATE=1000
MIN_BEFORE_RELOAD=500
E1_PORT=$(free_tcp_port)
E2_PORT=$(free_tcp_port)

relay_es_start || bail_out "the _bulk stand-in did not start"

plan 10

relay_start_nodes "$E1_PORT" "$E2_PORT"

relay_send_batch before "$ACCOUNTS" "$PER" "$E1_PORT" "$E2_PORT"
wait_until "$DI_WAIT" relay_has_requests $((2 * ACCOUNTS * PER))
ok $? "before the reload: the first withdrawals reach the central node"

relay_fill "$FILLER" "$RATE" "$MIN_BEFORE_RELOAD" "$E1_PORT" "$E2_PORT"

# mid-stream: another incident-timeout(), still long
relay_central_conf 3000
node_reload central
ok $? "syslog-ng-ctl reload of the central node under load"
kill -0 $RELAY_LOGGEN_PIDS 2>/dev/null
ok $? "loggen was still sending through both edges"
relay_send_batch during "$ACCOUNTS" "$PER" "$E1_PORT" "$E2_PORT"

wait $RELAY_LOGGEN_PIDS
relay_send_batch after "$ACCOUNTS" "$PER" "$E1_PORT" "$E2_PORT"
relay_send_markers edge-1="$E1_PORT" edge-2="$E2_PORT"
ok $? "everything sent reaches the central node (the edges' last lines arrive)"

relay_check seqs "$RELAY_CENTRAL_FILE" | sort -u >"$T/seqs"
expected=$(for r in edge-1 edge-2; do seq 0 $((FILLER - 1)) | sed "s/^/$r /"; done | sort -u)
is "$(relay_check seqs "$RELAY_CENTRAL_FILE" | wc -l) $(diff <(echo "$expected") "$T/seqs" | grep -c '^[<>]')" "$((2 * FILLER)) 0" \
  "every loggen message arrived exactly once across the reload"
is "$(relay_request_counts)" "0 $((3 * 2 * ACCOUNTS * PER))" \
  "every withdrawal arrived exactly once"

before=$(relay_check batch-ids "$RELAY_CENTRAL_FILE" before)
is "$(relay_check batch-ids "$RELAY_CENTRAL_FILE" during)" "$before" "withdrawals after the reload join the incidents from before it (same ids)"
is "$(node_stat central p_central incidents_opened)" "$ACCOUNTS" "one incident opened per account, none twice"

relay_central_conf 1
relay_close_incidents central p_central "$RELAY_CENTRAL_FILE"
ok $? "the incidents close after a reload to incident-timeout(1)"
relay_withdrawal_summaries "$ACCOUNTS" $((3 * 2 * PER))
ok $? "one summary per account, counting every withdrawal from before, during and after the reload" ||
  diag "$(cat "$T/summaries.diff")"

done_testing
