#!/bin/bash
# test-relay.sh: two edges and one central node on loopback, as
# docs/deployment.md sets them up (docs/deployment/edge.conf and
# central.conf, run as they are with local ports and directories): the
# sample logs (samples/exchange.log) are replayed by loggen into both edges,
# odd lines into edge-1 and even lines into edge-2, so that one account's
# withdrawals are split across them.  A single node running the edges'
# dprk-intel() over the whole file is the reference:
#  - every message sent reaches the central node's file and Elasticsearch
#    (a stand-in of its _bulk API that checks each document against the
#    index template) exactly once;
#  - the central node's incident summaries equal the single node's: the same
#    incidents, the same match counts, distinct indicators, actors, amounts;
#  - each summary names the relays that contributed and how many matches
#    each, and its id is one the relays gave (ids are stable across nodes);
#  - each match says which feed version the edge matched it with: the one
#    `dprk-intel check` prints for the edges' feeds.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"
. "$top_srcdir/tests/functional/relay-lib.sh"

relay_require

SAMPLE="$top_srcdir/samples/exchange.log"
ACCOUNT=acct-104233        # its withdrawals to Lazarus wallets, split across the edges
SENT=$(grep -c . "$SAMPLE")
E1_PORT=$(free_tcp_port)
E2_PORT=$(free_tcp_port)
S_PORT=$(free_tcp_port)

relay_es_start || bail_out "the _bulk stand-in did not start"

# --- the input, split: withdrawals and every other line alternate between
# the edges, each kind on its own, so that withdrawals fall on both
awk -v out="$T/edge-" '{ kind = /withdrawal.requested/ ? "w" : "o"; print > (out (n[kind]++ % 2 + 1) ".in") }' "$SAMPLE"

plan 16

premise=$(grep -c "withdrawal.requested.*$ACCOUNT" "$T/edge-1.in")/$(grep -c "withdrawal.requested.*$ACCOUNT" "$T/edge-2.in")
like "$premise" '^[1-9][0-9]*/[1-9][0-9]*$' "$ACCOUNT's withdrawals are split across the edges ($premise)"

relay_run_reference "$S_PORT" "$SAMPLE"
read -r _ n_incidents < <(relay_check count "$T/single.ndjson")
diag "reference: $SENT messages, $n_incidents incidents on one node"

# --- the topology
relay_start_nodes "$E1_PORT" "$E2_PORT"
pass "a central node and two edges start with docs/deployment/*.conf"

loggen -i -S -d -T -r 1000 -R "$T/edge-1.in" 127.0.0.1 "$E1_PORT" >"$T/loggen-1.log" 2>&1 &
l1=$!
loggen -i -S -d -T -r 1000 -R "$T/edge-2.in" 127.0.0.1 "$E2_PORT" >"$T/loggen-2.log" 2>&1 &
l2=$!
wait $l1 $l2
is "$(( $(loggen_sent "$T/loggen-1.log") + $(loggen_sent "$T/loggen-2.log") ))" "$SENT" \
  "loggen replayed the $SENT sample lines into the two edges"

central_file=$RELAY_CENTRAL_FILE
wait_until "$DI_WAIT" relay_messages_are "$central_file" "$SENT"
ok $? "the central node wrote $SENT messages" || diag "have: $(relay_check count "$central_file" 2>&1)"
relay_check messages "$T/single.ndjson" >"$T/single.messages"
relay_check messages "$central_file" >"$T/central.messages"
diff "$T/single.messages" "$T/central.messages" >"$T/messages.diff"
ok $? "every message reached the central node exactly once (the same as on one node)" ||
  diag "$(head -n 20 "$T/messages.diff")"
problems=$(relay_check relay-of "$central_file" edge-1="$T/edge-1.in" edge-2="$T/edge-2.in")
is "$problems" "" "every message names the edge it came through (dprk_intel.relay)"
is "$(node_stat central p_central matched)" "$(grep -c '"dprk.match"' "$T/single.ndjson")" \
  "the central node aggregated as many matched messages as the single node matched"
is "$(node_stat central p_central indicators)" "0" "the central node loaded no feed (mode(aggregate))"
version=$("$top_builddir/tool/dprk-intel" check --database "$RELAY_FEEDS" | sed -n 's/^version\t\([0-9a-f]*\)@.*/\1/p')
is "$(relay_check versions "$central_file" | tr '\n' ' ')" "edge-1 $version edge-2 $version " \
  "every match carries the feed version its edge matched with, as dprk-intel check prints it ($version)"

# --- the incidents
relay_central_conf 1
relay_close_incidents central p_central "$central_file"
ok $? "the central node's incidents closed" || diag "$(tail -n 20 "$(node_log central)")"
relay_check summaries "$T/single.ndjson" >"$T/single.summaries"
relay_check summaries "$central_file" >"$T/central.summaries"
is "$(wc -l <"$T/central.summaries")" "$n_incidents" "the central node reports $n_incidents incidents, as one node does"
diff "$T/single.summaries" "$T/central.summaries" >"$T/summaries.diff"
ok $? "each with the same match count, distinct indicators, actors and amount as on one node" ||
  diag "$(head -n 20 "$T/summaries.diff")"
is "$(relay_check ids "$central_file")" "" "every summary's relay counts add up to its count, and its id is one a relay gave"
like "$(relay_check relays "$central_file" "account $ACCOUNT")" '^edge-[12]:[0-9]+,edge-[12]:[0-9]+$' \
  "$ACCOUNT's summary names both edges with their match counts"

# --- Elasticsearch
wait_until "$DI_WAIT" test "$(wc -l <"$T/es/accepted.ndjson" 2>/dev/null)" = "$((SENT + n_incidents))"
ok $? "Elasticsearch indexed the $SENT messages and $n_incidents summaries" ||
  diag "accepted: $(wc -l <"$T/es/accepted.ndjson" 2>/dev/null)"
[ ! -s "$T/es/rejected.ndjson" ]
ok $? "the index template took every document (the relay fields included)" ||
  diag "$(head -c 2000 "$T/es/rejected.ndjson")"

done_testing
