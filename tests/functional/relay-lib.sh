# tests/functional/relay-lib.sh: several syslog-ng daemons in one test --
# edges and a central node on loopback (docs/deployment.md).  Sourced after
# lib.sh, whose helpers drive one daemon at a time; these drive any number,
# each by a NAME, with its own directory $T/NAME: persist file, pid file,
# control socket, disk buffers, and its messages in $T/NAME/syslog-ng.N.log
# (a new file per start).
#
#   node_start NAME CONF        start, wait until its control socket answers
#   node_stop NAME              SIGTERM, wait for the exit (SIGKILL after $DI_WAIT)
#   node_reload NAME            syslog-ng-ctl reload, wait until it answers again
#   node_running NAME           still alive
#   node_ctl NAME ARGS...       syslog-ng-ctl ARGS against it
#   node_log NAME               the path of its current log
#   node_stat NAME PARSER COUNTER   a dprk-intel counter of that parser
#   node_queued NAME            messages waiting in its destinations' queues
#                               (disk buffers included), summed
#   relay_config_head           @version, quiet options, scl.conf and our
#                               SCL (from the source tree)
#
# The tests' topology: relay_es_start (a stand-in for Elasticsearch),
# relay_central_conf, relay_edge_conf (docs/deployment/*.conf with local
# values), relay_close_incidents, relay_check (relay-check.py), and lines to
# send: withdrawal_lines, marker_line.
#
# Every node still running, and the stand-in, are stopped when the test
# exits; the temp dir is kept on failure, as lib.sh does.

RELAY_SCL="$top_srcdir/scl/dprk-intel/dprk-intel-relay.conf"
ECS_SCL_FILE="$top_srcdir/scl/dprk-intel/dprk-intel.conf"
declare -A _node_pid _node_runs

_node_dir() { echo "$T/$1"; }

node_ctl()
{
  local name=$1
  shift
  "$SYSLOG_NG_CTL" "$@" -c "$(_node_dir "$name")/ctl"
}

_node_answers() { node_ctl "$1" stats >/dev/null 2>&1; }

node_log()
{
  echo "$(_node_dir "$1")/syslog-ng.${_node_runs[$1]:-0}.log"
}

node_running()
{
  local pid=${_node_pid[$1]}
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

node_start()
{
  local name=$1 conf=$2 dir
  dir=$(_node_dir "$name")
  mkdir -p "$dir"
  node_stop "$name"
  _node_runs[$name]=$(( ${_node_runs[$name]:-0} + 1 ))
  "$SYSLOG_NG" -F -e --no-caps --module-path="$DI_MODULE_PATH" -f "$conf" \
    -R "$dir/persist" -p "$dir/pid" -c "$dir/ctl" >"$(node_log "$name")" 2>&1 &
  _node_pid[$name]=$!
  local deadline=$((SECONDS + DI_WAIT))
  while [ "$SECONDS" -le "$deadline" ]; do
    if ! node_running "$name"; then
      wait "${_node_pid[$name]}" 2>/dev/null
      _node_pid[$name]=
      diag "$name did not start:" "$(tail -n 20 "$(node_log "$name")")"
      return 1
    fi
    _node_answers "$name" && return 0
    sleep 0.1
  done
  diag "$name did not answer in $DI_WAIT s"
  node_stop "$name"
  return 1
}

node_stop()
{
  local name=$1
  stop_pid "$name" "${_node_pid[$name]}"
  _node_pid[$name]=
  return 0
}

node_reload()
{
  local name=$1 status deadline=$((SECONDS + DI_WAIT))
  node_ctl "$name" reload >/dev/null 2>&1
  status=$?
  while [ "$SECONDS" -le "$deadline" ]; do
    node_running "$name" || return 1
    _node_answers "$name" && break
    sleep 0.1
  done
  return "$status"
}

node_stat()
{
  node_ctl "$1" stats 2>/dev/null |
    awk -F';' -v p="$2" -v n="$3" '$1 == "parser" && $2 == "dprk-intel" && $3 == p && $5 == n { s += $6; f = 1 }
                                    END { if (f) print s }'
}

node_queued()
{
  node_ctl "$1" stats 2>/dev/null |
    awk -F';' '$1 ~ /^dst\./ && $5 == "queued" { s += $6 } END { print s + 0 }'
}

_nodes_stop_all()
{
  local name
  for name in "${!_node_pid[@]}"; do
    node_stop "$name"
  done
}

relay_config_head()
{
  config_header
  printf '@include "scl.conf"\n@include "%s"\n@include "%s"\n' "$ECS_SCL_FILE" "$RELAY_SCL"
}

# deployment_conf NAME OUT VAR=VALUE...: docs/deployment/NAME.conf as the
# tests run it: each VAR's @define set to VALUE (it must be there), our SCL
# from the source tree included after scl.conf, and lib.sh's quiet global
# options (no stats or mark messages in the outputs).
DEPLOYMENT_DIR="$top_srcdir/docs/deployment"

deployment_conf()
{
  local src="$DEPLOYMENT_DIR/$1.conf" out=$2 kv
  shift 2
  cp "$src" "$out" || return 1
  for kv in "$@"; do
    if ! grep -q "^@define ${kv%%=*} " "$out"; then
      diag "$src has no @define ${kv%%=*}"
      return 1
    fi
    awk -v name="${kv%%=*}" -v value="${kv#*=}" '
      $1 == "@define" && $2 == name { printf "@define %s \"%s\"\n", name, value; next }
      { print }' "$out" >"$out.tmp" && mv "$out.tmp" "$out"
  done
  awk -v scl="$ECS_SCL_FILE" -v relay="$RELAY_SCL" -v opts="$(config_header | grep '^options')" '
    { print }
    $0 == "@include \"scl.conf\"" { printf "@include \"%s\"\n@include \"%s\"\n%s\n", scl, relay, opts }' \
    "$out" >"$out.tmp" && mv "$out.tmp" "$out"
}

# withdrawal_lines BATCH ACCOUNTS PER_ACCOUNT: RFC 3164 lines of a wallet
# API, PER_ACCOUNT withdrawals of each of ACCOUNTS accounts (acct-w1, ...)
# to a Lazarus Group address of the bundled feed, amount 1.5 each, each with
# a unique request id (BATCH-ACCOUNT-N)
RELAY_LAZARUS_ETH=0x098b716b8aaf21512996dc57eb0615e2383e2f96
withdrawal_lines()
{
  local batch=$1 accounts=$2 per=$3 a n
  for n in $(seq 1 "$per"); do
    for a in $(seq 1 "$accounts"); do
      printf '<134>Nov 30 10:00:%02d wallet-api-01 withdrawal-svc[42]: {"event":"withdrawal.requested","request_id":"%s-%s-%s","account_id":"acct-w%s","to_address":"%s","amount":"1.5"}\n' \
        "$n" "$batch" "$a" "$n" "$a" "$RELAY_LAZARUS_ETH"
    done
  done
}

# marker_line NAME: a line that marks the end of what was sent through an
# edge: once the central node has it, it has everything sent before it on
# that connection (TCP keeps the order, the edge's disk buffer too)
marker_line()
{
  printf '<134>Nov 30 10:59:59 test-driver marker[1]: end of %s\n' "$1"
}

# has_message FILE TEXT: an ECS document of FILE has message TEXT
has_message()
{
  [ -f "$1" ] && grep -qF "\"message\":\"$2\"" "$1"
}

# ---------------------------------------------------------------- the topology of the tests
# relay_es_start: the _bulk stand-in (ecs/bulk-server.py) in $T/es, checking
# every document against the index template; stopped at exit
RELAY_ES_PID=
relay_es_start()
{
  mkdir -p "$T/es"
  python3 "$top_srcdir/tests/functional/ecs/bulk-server.py" \
    --template "$top_srcdir/elastic/dprk-intel-index-template.json" --dir "$T/es" 2>"$T/es/server.err" &
  RELAY_ES_PID=$!
  wait_until "$DI_WAIT" test -s "$T/es/port" && return 0
  diag "the _bulk stand-in did not start: $(cat "$T/es/server.err")"
  return 1
}
trap 'status=$?; [ -n "$RELAY_ES_PID" ] && { kill $RELAY_ES_PID; wait $RELAY_ES_PID; } 2>/dev/null;
      _nodes_stop_all; (exit $status); _cleanup' EXIT

# relay_has_http: syslog-ng's http module is there (dprk-intel-elasticsearch())
relay_has_http()
{
  local dir
  for dir in ${DI_MODULE_PATH//:/ }; do
    [ -f "$dir/libhttp.so" ] && return 0
  done
  return 1
}

RELAY_SALT="relay tests: one salt for every node"
RELAY_FEEDS="$top_srcdir/feeds/dprk"
C_PORT=$(free_tcp_port)

# relay_central_conf TIMEOUT [NAME [IP]]: $T/NAME.conf (NAME: central), a
# central node listening on IP (127.0.0.1) port $C_PORT, writing to
# $T/NAME/dprk-intel.ndjson and the stand-in, incident-timeout(TIMEOUT)
relay_central_conf()
{
  local name=${2:-central}
  deployment_conf central "$T/$name.conf" listen_ip="${3:-127.0.0.1}" listen_port="$C_PORT" \
    es_url="http://127.0.0.1:$(cat "$T/es/port")/_bulk" buffer_dir="$T/$name" log_dir="$T/$name" \
    salt="$RELAY_SALT" incident_timeout="$1"
}
RELAY_CENTRAL_FILE="$T/central/dprk-intel.ndjson"

# relay_edge_conf NAME PORT: $T/NAME.conf, an edge listening on PORT
relay_edge_conf()
{
  deployment_conf edge "$T/$1.conf" relay_name="$1" listen_ip=127.0.0.1 listen_port="$2" \
    central=127.0.0.1 central_port="$C_PORT" buffer_dir="$T/$1" feeds="$RELAY_FEEDS" salt="$RELAY_SALT"
}

# relay_check ARGS...: tests/functional/relay-check.py
relay_check()
{
  python3 "$top_srcdir/tests/functional/relay-check.py" "$@"
}

# relay_close_incidents NAME PARSER FILE: closes every open incident of
# NAME's PARSER now (its config must have been rewritten with
# incident-timeout(1)): reloads it and waits for their summaries in FILE.
# The incident counters are published by the parser's timer: once it says
# that some closed and none is open, it has seen them all.
relay_close_incidents()
{
  local closed0 have
  closed0=$(node_stat "$1" "$2" incidents_closed)
  have=$(relay_check count "$3" | cut -d' ' -f2)
  node_reload "$1" || return 1
  if ! wait_until "$DI_WAIT" _relay_all_closed "$1" "$2" "${closed0:-0}"; then
    diag "$1: incidents still open: $(node_stat "$1" "$2" incidents_open)"
    return 1
  fi
  local want=$(( have + $(node_stat "$1" "$2" incidents_closed) - ${closed0:-0} ))
  wait_until "$DI_WAIT" _relay_summaries_are "$3" "$want" && return 0
  diag "$1: wanted $want summaries in $3, have $(relay_check count "$3")"
  return 1
}
_relay_all_closed()
{
  [ "$(node_stat "$1" "$2" incidents_closed)" -gt "$3" ] && [ "$(node_stat "$1" "$2" incidents_open)" = 0 ]
}
_relay_summaries_are() { [ -f "$1" ] && [ "$(relay_check count "$1" | cut -d' ' -f2)" = "$2" ]; }
relay_messages_are() { [ -f "$1" ] && [ "$(relay_check count "$1" | cut -d' ' -f1)" = "$2" ]; }

# relay_single_conf PORT TIMEOUT: $T/single.conf, the reference for the
# central node: the edges' parser (docs/deployment/edge.conf's p_dprk, word
# for word, with incident-timeout(TIMEOUT) to close incidents on demand) on
# one node, listening on PORT, writing $(dprk-intel-ecs) to $T/single.ndjson
relay_single_conf()
{
  {
    relay_config_head
    printf '@define feeds "%s"\n@define salt "%s"\n' "$RELAY_FEEDS" "$RELAY_SALT"
    echo "source s_apps { network(ip(127.0.0.1) port($1) transport(tcp)); };"
    sed -n '/^parser p_dprk {/,/^};/p' "$DEPLOYMENT_DIR/edge.conf" |
      sed "s/^    incident-id-salt(\"\`salt\`\")$/&\n    incident-timeout($2)/"
    cat <<EOF
destination d_file { file("$T/single.ndjson" template("\$(dprk-intel-ecs)\n")); };
log {
  source(s_apps);
  if (message("^\\\\{")) { parser { json-parser(prefix("json.")); }; };
  parser(p_dprk);
  destination(d_file);
  flags(flow-control);
};
EOF
  } >"$T/single.conf"
}

# ---------------------------------------------------------------- what the tests share
# relay_require: skips the test without loggen, python3 or syslog-ng's http
# module (dprk-intel-elasticsearch())
relay_require()
{
  command -v loggen >/dev/null 2>&1 || skip_all "loggen is not installed"
  command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
  relay_has_http || skip_all "syslog-ng's http module (syslog-ng-mod-http) is not installed"
}

# relay_start_nodes E1_PORT E2_PORT: the central node (incident-timeout(3600))
# and edge-1, edge-2 listening on E1_PORT, E2_PORT, written and started
# (bails out when one does not start)
relay_start_nodes()
{
  relay_central_conf 3600
  relay_edge_conf edge-1 "$1"
  relay_edge_conf edge-2 "$2"
  node_start central "$T/central.conf" || bail_out "the central node did not start"
  node_start edge-1 "$T/edge-1.conf" || bail_out "edge-1 did not start"
  node_start edge-2 "$T/edge-2.conf" || bail_out "edge-2 did not start"
}

# relay_send_batch NAME ACCOUNTS PER PORT...: batch NAME of withdrawals
# (withdrawal_lines) through each edge listening on PORT: the same
# accounts, each edge its own request ids (NAME-e1-..., NAME-e2-...)
relay_send_batch()
{
  local name=$1 accounts=$2 per=$3 port n=0
  shift 3
  for port in "$@"; do
    n=$((n + 1))
    withdrawal_lines "$name-e$n" "$accounts" "$per" >"$T/$name-e$n.in"
    send_file "$port" "$T/$name-e$n.in" || return 1
  done
}

# relay_has_requests N: the central node has N distinct withdrawals
relay_has_requests()
{
  [ -f "$RELAY_CENTRAL_FILE" ] && [ "$(relay_check requests "$RELAY_CENTRAL_FILE" | sort -u | wc -l)" -ge "$1" ]
}

# relay_filler_seen RELAY N: the central node has N of loggen's messages
# that came through RELAY
relay_filler_seen() { [ "$(relay_filler_count "$1")" -ge "$2" ]; }

# relay_fill RATE MIN E1_PORT E2_PORT: loggen sends through each edge in the
# background, at most RATE messages a second, until relay_fill_stop; true
# once the central node has MIN of each.  loggen reads its lines (as it
# makes them: "seq: N", 200 bytes) from a pipe that relay-filler.py keeps
# full, so it goes on for as long as the test needs however slow the
# machine is, and stops cleanly when the filler ends.  loggen's output in
# $T/loggen-1.log, -2.log, the pids in $RELAY_LOGGEN_PIDS.
relay_fill()
{
  local i=0 port
  rm -f "$T/fill.stop"
  RELAY_LOGGEN_PIDS= RELAY_FILLER_PIDS=
  for port in "$3" "$4"; do
    i=$((i + 1))
    rm -f "$T/fill-$i.fifo" "$T/fill-$i.count"
    mkfifo "$T/fill-$i.fifo" || return 1
    python3 "$top_srcdir/tests/functional/relay-filler.py" "$T/fill.stop" "$T/fill-$i.count" >"$T/fill-$i.fifo" &
    RELAY_FILLER_PIDS="$RELAY_FILLER_PIDS $!"
    loggen -i -S -d -T -r "$1" -R "$T/fill-$i.fifo" 127.0.0.1 "$port" >"$T/loggen-$i.log" 2>&1 &
    RELAY_LOGGEN_PIDS="$RELAY_LOGGEN_PIDS $!"
  done
  wait_until "$DI_WAIT" relay_filler_seen edge-1 "$2" && wait_until "$DI_WAIT" relay_filler_seen edge-2 "$2"
}

# relay_fill_stop: ends relay_fill's loggens: each sends what it read and
# exits, its last line saying how many (loggen_sent); true when the fillers
# and loggens all ended well
relay_fill_stop()
{
  local pid rc=0
  touch "$T/fill.stop"
  for pid in $RELAY_FILLER_PIDS $RELAY_LOGGEN_PIDS; do
    wait "$pid" || rc=1
  done
  return $rc
}

# relay_filled N: what the filler of edge N wrote into loggen's pipe
relay_filled() { cat "$T/fill-$1.count" 2>/dev/null || echo 0; }

# relay_filler_count RELAY: how many of loggen's messages through RELAY the
# central node has
relay_filler_count() { relay_check seqs "$RELAY_CENTRAL_FILE" 2>/dev/null | grep -c "^$1 "; }

# relay_request_counts: "DUPLICATES DISTINCT" of the withdrawals the central
# node has
relay_request_counts()
{
  relay_check requests "$RELAY_CENTRAL_FILE" | sort >"$T/requests"
  echo "$(uniq -d "$T/requests" | wc -l) $(sort -u "$T/requests" | wc -l)"
}

# relay_send_markers NAME=PORT...: a last line through each edge; waits
# until the central node has them all: then it has everything sent before
relay_send_markers()
{
  local pair
  for pair in "$@"; do
    marker_line "${pair%%=*}" | send_file "${pair#*=}" /dev/stdin || return 1
  done
  for pair in "$@"; do
    wait_until "$DI_WAIT" has_message "$RELAY_CENTRAL_FILE" "end of ${pair%%=*}" || return 1
  done
}

# relay_withdrawal_summaries ACCOUNTS COUNT: true when the central node's
# summaries of acct-w1..ACCOUNTS are one each with COUNT withdrawals of 1.5
# (the diff in $T/summaries.diff)
relay_withdrawal_summaries()
{
  local a amount
  amount=$(python3 -c "print(format(1.5 * $2, '.15g'))")
  for a in $(seq 1 "$1"); do
    printf 'account acct-w%s\tcount=%s\tindicators=1\tamount=%s\tactors=Lazarus Group\n' "$a" "$2" "$amount"
  done >"$T/expected"
  relay_check summaries "$RELAY_CENTRAL_FILE" | grep '^account acct-w' >"$T/summaries"
  diff "$T/expected" "$T/summaries" >"$T/summaries.diff"
}

# relay_run_reference PORT INPUT: the single node of relay_single_conf,
# INPUT replayed into it by loggen, every incident closed; leaves
# $T/single.ndjson (bails out when it does not get there)
relay_run_reference()
{
  local sent
  sent=$(grep -c . "$2")
  relay_single_conf "$1" 3600
  node_start single "$T/single.conf" || bail_out "the single node did not start"
  loggen -i -S -d -T -r 1000 -R "$2" 127.0.0.1 "$1" >"$T/loggen-single.log" 2>&1
  wait_until "$DI_WAIT" relay_messages_are "$T/single.ndjson" "$sent" ||
    bail_out "the single node did not write $sent messages"
  relay_single_conf "$1" 1
  relay_close_incidents single p_dprk "$T/single.ndjson" || bail_out "the single node's incidents did not close"
  node_stop single
}
