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
# Every node still running is stopped when the test exits; the temp dir is
# kept on failure, as lib.sh does.

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
  local name=$1 pid=${_node_pid[$1]}
  local deadline=$((SECONDS + DI_WAIT))
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -gt "$deadline" ]; then
      diag "$name did not exit $DI_WAIT s after SIGTERM: killed"
      kill -KILL "$pid" 2>/dev/null
      break
    fi
    sleep 0.1
  done
  wait "$pid" 2>/dev/null
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
trap 'status=$?; _nodes_stop_all; (exit $status); _cleanup' EXIT

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
