#!/bin/bash
# test-relay-shard.sh: two central nodes (docs/deployment.md, "Two central
# nodes").  An edge runs docs/deployment/edge-two-centrals.conf: every
# message goes to the central node that the SHA-1 of its incident key
# belongs to (dprk-intel-forward()'s key() and shard(): a filter on
# $(sha1)), so that one account's matches meet in one central node:
#  - each message reaches exactly one central node, all of them together
#    the whole input (samples/exchange.log);
#  - no incident key has incidents on both; together they report what one
#    node reports for the same input.
# And failover(): an edge whose central node does not answer sends to the
# one failover(servers()) names -- syslog-ng 3.38's network destinations have
# it (docs/deployment.md says when to prefer it and what it costs).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"
. "$top_srcdir/tests/functional/relay-lib.sh"

relay_require
# the two central nodes listen on one port of two loopback addresses
(exec 3<>/dev/tcp/127.0.0.2/9) 2>&1 | grep -q 'Cannot assign\|Network is unreachable' &&
  skip_all "127.0.0.2 is not a loopback address here"

SAMPLE="$top_srcdir/samples/exchange.log"
SENT=$(grep -c . "$SAMPLE")
E_PORT=$(free_tcp_port)
F_PORT=$(free_tcp_port)
S_PORT=$(free_tcp_port)

relay_es_start || bail_out "the _bulk stand-in did not start"
relay_central_conf 3600 central-a 127.0.0.1
relay_central_conf 3600 central-b 127.0.0.2
deployment_conf edge-two-centrals "$T/edge.conf" relay_name=edge-1 listen_ip=127.0.0.1 listen_port="$E_PORT" \
  central_a=127.0.0.1 central_b=127.0.0.2 central_port="$C_PORT" buffer_dir="$T/edge" feeds="$RELAY_FEEDS" \
  salt="$RELAY_SALT"
# edge.conf pointing at an address where nobody listens, with the line
# docs/deployment.md adds for a failover central node
relay_edge_conf edge-f "$F_PORT"
sed -i 's/^@define central .*/@define central "127.0.0.3"/;
        s/^    so-sndbuf(65536)$/&\n    failover(servers("127.0.0.1"))/' "$T/edge-f.conf"

plan 10

relay_run_reference "$S_PORT" "$SAMPLE"

node_start central-a "$T/central-a.conf" || bail_out "central-a did not start"
node_start central-b "$T/central-b.conf" || bail_out "central-b did not start"
node_start edge "$T/edge.conf" || bail_out "the edge did not start"
pass "two central nodes and an edge start with docs/deployment/central.conf and edge-two-centrals.conf"

loggen -i -S -d -T -r 1000 -R "$SAMPLE" 127.0.0.1 "$E_PORT" >"$T/loggen.log" 2>&1
is "$(loggen_sent "$T/loggen.log")" "$SENT" "loggen replayed the $SENT sample lines into the edge"
both_have_all() { [ $(( $(relay_check count "$T/central-a/dprk-intel.ndjson" 2>/dev/null | cut -d' ' -f1) +
                        $(relay_check count "$T/central-b/dprk-intel.ndjson" 2>/dev/null | cut -d' ' -f1) )) -ge "$SENT" ]; }
wait_until "$DI_WAIT" both_have_all
ok $? "the central nodes wrote $SENT messages between them"
na=$(relay_check count "$T/central-a/dprk-intel.ndjson" | cut -d' ' -f1)
nb=$(relay_check count "$T/central-b/dprk-intel.ndjson" | cut -d' ' -f1)
ok $([ "$na" -gt 0 ] && [ "$nb" -gt 0 ]; echo $?) "each central node has its share ($na + $nb)"
relay_check messages "$T/single.ndjson" >"$T/single.messages"
{ relay_check messages "$T/central-a/dprk-intel.ndjson"; relay_check messages "$T/central-b/dprk-intel.ndjson"; } |
  sort >"$T/central.messages"
diff "$T/single.messages" "$T/central.messages" >"$T/messages.diff"
ok $? "every message reached exactly one central node" || diag "$(head -n 20 "$T/messages.diff")"

relay_central_conf 1 central-a 127.0.0.1
relay_central_conf 1 central-b 127.0.0.2
relay_close_incidents central-a p_central "$T/central-a/dprk-intel.ndjson" &&
  relay_close_incidents central-b p_central "$T/central-b/dprk-intel.ndjson"
ok $? "both central nodes' incidents closed"
relay_check summaries "$T/central-a/dprk-intel.ndjson" | cut -f1 | sort >"$T/keys-a"
relay_check summaries "$T/central-b/dprk-intel.ndjson" | cut -f1 | sort >"$T/keys-b"
is "$(comm -12 "$T/keys-a" "$T/keys-b" | tr '\n' ' ')" "" "no incident key has incidents on both central nodes"
relay_check summaries "$T/single.ndjson" >"$T/single.summaries"
{ relay_check summaries "$T/central-a/dprk-intel.ndjson"; relay_check summaries "$T/central-b/dprk-intel.ndjson"; } |
  sort >"$T/central.summaries"
diff "$T/single.summaries" "$T/central.summaries" >"$T/summaries.diff"
ok $? "together they report the incidents one node reports, with the same counts and amounts" ||
  diag "$(head -n 20 "$T/summaries.diff")"

# --- failover()
node_start edge-f "$T/edge-f.conf" || bail_out "the failover edge did not start"
marker_line edge-f | send_file "$F_PORT" /dev/stdin
wait_until "$DI_WAIT" has_message "$T/central-a/dprk-intel.ndjson" "end of edge-f"
ok $? "failover(): with its central node unreachable, the edge sends to the failover server"
like "$(cat "$(node_log edge-f)")" "127.0.0.3" "the edge tried its central node first (its log names 127.0.0.3)"

done_testing
