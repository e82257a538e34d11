#!/bin/bash
# test-relay-reload.sh: `syslog-ng-ctl reload` of the central node while two
# edges keep sending (docs/deployment/*.conf, as test-relay.sh runs them):
#  - the reload (with a changed incident-timeout()) takes effect while
#    loggen sends through both edges (it sends until the test stops it, so
#    a slow machine cannot make it finish before the reload), messages keep
#    arriving after it, and no message is lost or duplicated: every one
#    loggen says it sent arrives once;
#  - the open incidents stay open: the withdrawals after the reload join the
#    incidents from before, with the same ids; none is opened twice, and the
#    summaries count every withdrawal.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"
. "$top_srcdir/tests/functional/relay-lib.sh"

relay_require

ACCOUNTS=4
PER=3
RATE=1000            # loggen's messages per edge and second, at most
MIN_BEFORE_RELOAD=500   # of loggen's messages per edge, the central node has
MIN_AFTER_RELOAD=200    # before the reload, and more after it
E1_PORT=$(free_tcp_port)
E2_PORT=$(free_tcp_port)

relay_es_start || bail_out "the _bulk stand-in did not start"

plan 13

relay_start_nodes "$E1_PORT" "$E2_PORT"

relay_send_batch before "$ACCOUNTS" "$PER" "$E1_PORT" "$E2_PORT"
wait_until "$DI_WAIT" relay_has_requests $((2 * ACCOUNTS * PER))
ok $? "before the reload: the first withdrawals reach the central node"

relay_fill "$RATE" "$MIN_BEFORE_RELOAD" "$E1_PORT" "$E2_PORT"
ok $? "under load: loggen's messages flow through both edges"

# mid-stream: another incident-timeout(), still long
relay_central_conf 3000
seen1=$(relay_filler_count edge-1) seen2=$(relay_filler_count edge-2)
node_reload central
ok $? "syslog-ng-ctl reload of the central node under load"
kill -0 $RELAY_LOGGEN_PIDS 2>/dev/null
ok $? "loggen was still sending through both edges when the reload was done"
wait_until "$DI_WAIT" relay_filler_seen edge-1 $((seen1 + MIN_AFTER_RELOAD)) &&
  wait_until "$DI_WAIT" relay_filler_seen edge-2 $((seen2 + MIN_AFTER_RELOAD))
ok $? "messages kept arriving from both edges after the reload (had $seen1, $seen2; now $(relay_filler_count edge-1), $(relay_filler_count edge-2))"
relay_send_batch during "$ACCOUNTS" "$PER" "$E1_PORT" "$E2_PORT"

relay_fill_stop
sent1=$(loggen_sent "$T/loggen-1.log") sent2=$(loggen_sent "$T/loggen-2.log")
is "$sent1 $sent2" "$(relay_filled 1) $(relay_filled 2)" \
  "loggen ran until it was stopped and sent every line it was given ($sent1, $sent2)"
relay_send_batch after "$ACCOUNTS" "$PER" "$E1_PORT" "$E2_PORT"
relay_send_markers edge-1="$E1_PORT" edge-2="$E2_PORT"
ok $? "everything sent reaches the central node (the edges' last lines arrive)"

relay_check seqs "$RELAY_CENTRAL_FILE" | sort -u >"$T/seqs"
expected=$( (seq 0 $((sent1 - 1)) | sed "s/^/edge-1 /"; seq 0 $((sent2 - 1)) | sed "s/^/edge-2 /") | sort -u)
is "$(relay_check seqs "$RELAY_CENTRAL_FILE" | wc -l) $(diff <(echo "$expected") "$T/seqs" | grep -c '^[<>]')" "$((sent1 + sent2)) 0" \
  "every message loggen sent arrived exactly once across the reload"
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
