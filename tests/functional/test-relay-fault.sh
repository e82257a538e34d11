#!/bin/bash
# test-relay-fault.sh: the central node goes down under load and comes back
# (docs/deployment.md, "When the central node is down").  Two edges and a
# central node run docs/deployment/*.conf; loggen keeps both edges busy while
# the central node is stopped for several seconds and started again:
#  - while it is down the edges hold the messages in their disk buffers
#    (withdrawals of the same accounts are sent through both edges then), and
#    the buffers drain once it is back;
#  - nothing is duplicated; every withdrawal, before, during and after the
#    outage, arrives once; of loggen's messages nothing is lost but what was
#    inside the TCP connection at the moment of the stop: at most one run of
#    consecutive messages per edge, right after the last one the central
#    node had written, no longer than the connection's buffers can hold
#    (syslog-ng 3.38's network transport has no acknowledgement of its own);
#  - the central node's open incidents survive the restart: after it, each
#    account's incident goes on with the id it had, and the counts and
#    amounts come out as for one node.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"
. "$top_srcdir/tests/functional/relay-lib.sh"

relay_require

ACCOUNTS=4           # acct-w1..4, each with PER withdrawals per batch, per edge
PER=3
RATE=1000            # loggen's messages per edge and second, at most; it
                     # sends until the test stops it, after the restart
MIN_BEFORE_STOP=500  # loggen messages per edge the central node has before the stop
OUTAGE=5             # seconds the central node stays down
E1_PORT=$(free_tcp_port)
E2_PORT=$(free_tcp_port)

relay_es_start || bail_out "the _bulk stand-in did not start"

plan 13

relay_start_nodes "$E1_PORT" "$E2_PORT"

# --- before: one batch, delivered
relay_send_batch before "$ACCOUNTS" "$PER" "$E1_PORT" "$E2_PORT"
wait_until "$DI_WAIT" relay_has_requests $((2 * ACCOUNTS * PER))
ok $? "before the outage: the first withdrawals reach the central node"
ids_before=$(relay_check batch-ids "$RELAY_CENTRAL_FILE" before)

# --- under load, the central node goes down
relay_fill "$RATE" "$MIN_BEFORE_STOP" "$E1_PORT" "$E2_PORT"
ok $? "under load: loggen's messages flow through both edges"
node_stop central
kill -0 $RELAY_LOGGEN_PIDS 2>/dev/null
ok $? "the central node stopped while loggen was still sending"
relay_check seqs "$RELAY_CENTRAL_FILE" >"$T/seqs-at-stop"

# What the stop can lose per edge: what fits in the connection's buffers,
# the edge's so-sndbuf() and the central node's so-rcvbuf() as the
# deployment configs set them (Linux doubles both), counted in messages of
# at least loggen's 200 bytes, plus the central node's window per
# connection (log-iw-size() 10000 / max-connections() 100).
sndbuf=$(sed -n 's/.*so-sndbuf(\([0-9]*\)).*/\1/p' "$DEPLOYMENT_DIR/edge.conf")
rcvbuf=$(sed -n 's/.*so-rcvbuf(\([0-9]*\)).*/\1/p' "$DEPLOYMENT_DIR/central.conf")
bound=$(( (2 * sndbuf + 2 * rcvbuf) / 200 + 100 ))

# down for several seconds, and until each edge holds more than that bound
# in its disk buffer: losing what came in meanwhile could not pass as
# in-flight loss
relay_send_batch during "$ACCOUNTS" "$PER" "$E1_PORT" "$E2_PORT"
sleep "$OUTAGE"
over_bound() { [ "$(node_queued edge-1)" -gt "$bound" ] && [ "$(node_queued edge-2)" -gt "$bound" ]; }
wait_until "$DI_WAIT" over_bound
ok $? "while it is down, both edges hold messages in their disk buffers ($(node_queued edge-1), $(node_queued edge-2); bound $bound)"

node_start central "$T/central.conf" || bail_out "the central node did not start again"
like "$(cat "$(node_log central)")" 'open incidents restored from the state file' \
  "the central node restores its open incidents at start"

relay_fill_stop
sent1=$(loggen_sent "$T/loggen-1.log") sent2=$(loggen_sent "$T/loggen-2.log")
is "$sent1 $sent2" "$(relay_filled 1) $(relay_filled 2)" \
  "loggen sent through both edges until it was stopped, every line it was given ($sent1, $sent2)"
relay_send_batch after "$ACCOUNTS" "$PER" "$E1_PORT" "$E2_PORT"
relay_send_markers edge-1="$E1_PORT" edge-2="$E2_PORT"
ok $? "after the restart, everything the edges had reaches the central node (their last lines arrive)"
wait_until "$DI_WAIT" test "$(node_queued edge-1)" = 0 && wait_until "$DI_WAIT" test "$(node_queued edge-2)" = 0
ok $? "the edges' disk buffers drained"

# --- what arrived
relay_check seqs "$RELAY_CENTRAL_FILE" >"$T/seqs"
is "$(sort "$T/seqs" | uniq -d | wc -l)" "0" "no loggen message arrived twice"
is "$(relay_request_counts)" "0 $((3 * 2 * ACCOUNTS * PER))" \
  "every withdrawal, before, during and after the outage, arrived exactly once"

# the loss at the stop: at most one run per edge, right after what the
# central node had, no longer than the bound above
python3 - "$T/seqs-at-stop" "$T/seqs" "$bound" "$sent1" "$sent2" >"$T/loss" <<'PY'
import collections, sys
at_stop, final = collections.defaultdict(set), collections.defaultdict(set)
for path, into in ((sys.argv[1], at_stop), (sys.argv[2], final)):
    for line in open(path):
        relay, seq = line.split()
        into[relay].add(int(seq))
bound = int(sys.argv[3])
sent = {"edge-1": int(sys.argv[4]), "edge-2": int(sys.argv[5])}
for relay in ("edge-1", "edge-2"):
    missing = sorted(set(range(sent[relay])) - final[relay])
    last = max(at_stop[relay], default=-1)
    if not missing:
        print("%s: nothing lost" % relay)
        continue
    run = missing[-1] - missing[0] + 1 == len(missing)
    where = missing[0] == last + 1
    print("%s: lost %d (seq %d..%d), the central node had up to %d at the stop: %s" % (
        relay, len(missing), missing[0], missing[-1], last,
        "OK" if run and where and len(missing) <= bound else
        "NOT ONE RUN" if not run else "NOT RIGHT AFTER THE STOP" if not where else "MORE THAN THE BUFFERS HOLD"))
PY
diag "$(cat "$T/loss")"
unlike "$(cat "$T/loss")" 'NOT|MORE' \
  "of loggen's messages, only what was inside the connection at the stop is missing (one run per edge, <= $bound)"

# --- the incidents
ids_after=$(relay_check batch-ids "$RELAY_CENTRAL_FILE" after)
is "$ids_after" "$ids_before" "after the restart each account's incident goes on with its id"
relay_central_conf 1
relay_close_incidents central p_central "$RELAY_CENTRAL_FILE"
relay_withdrawal_summaries "$ACCOUNTS" $((3 * 2 * PER))
ok $? "one incident per account, with every withdrawal's count and amount, as one node would report" ||
  diag "$(cat "$T/summaries.diff")"

done_testing
