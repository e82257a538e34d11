# tests/functional/lib.sh: shared helpers of the functional tests (bash).
#
# A functional test starts the real syslog-ng daemon (Debian's syslog-ng-core)
# with the module built in this tree, under its own config, persist file,
# pid file and control socket in a private temp dir, and checks what comes
# out.  Every test script is a bash script that prints TAP:
#
#   #!/bin/bash
#   . "${top_srcdir:-$(dirname "$0")/../..}/tests/functional/lib.sh"
#   plan 3                         # or call done_testing at the end
#   write_feed "$T/feed.csv" <<'EOF' ... EOF
#   port=$(free_tcp_port)
#   cat > "$T/test.conf" <<EOF ... EOF
#   start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start"
#   send_line "$port" 'some text'
#   wait_for_lines "$T/out.log" 1
#   like "$(cat "$T/out.log")" 'some text' "the line came out"
#   done_testing
#
# Environment (set by `make check` through AM_TESTS_ENVIRONMENT; a test run
# by hand guesses top_srcdir from its own path and uses top_builddir =
# top_srcdir):
#   top_srcdir, top_builddir   source and build trees
#   SYSLOG_NG, SYSLOG_NG_CTL   the binaries (default /usr/sbin/...)
#   DI_MODULE_PATH             --module-path (default: the built module, then
#                              syslog-ng's own moduledir)
#   DI_KEEP_TMP=1              keep the temp dir even when every test passed
#
# What a test gets:
#   $T                         its temp dir (removed at exit; kept on failure)
#   $DI_DATA                   tests/data of the source tree (vectors, feeds)
#   TAP: plan N, ok COND DESC, pass DESC, fail DESC, is GOT WANT DESC,
#        like TEXT REGEX DESC, unlike TEXT REGEX DESC, diag TEXT...,
#        skip_all REASON, bail_out REASON, done_testing
#   daemon: start_syslog_ng CONF [ARGS...], stop_syslog_ng, reload_syslog_ng,
#        syntax_check CONF (exit status of --syntax-only, output in
#        $T/syntax.log), syslog_ng_ctl ARGS..., $SNG_LOG (the daemon's own
#        messages: stderr with -e)
#   I/O: free_tcp_port, send_line PORT TEXT..., send_file PORT FILE,
#        wait_for_lines FILE N [TIMEOUT], wait_for_text FILE REGEX [TIMEOUT],
#        wait_until TIMEOUT CMD..., loggen_sent LOGFILE (what loggen says it sent),
#        di_stat PARSER NAME (a dprk-intel counter of `syslog-ng-ctl stats`),
#        wait_for_stat PARSER NAME VALUE [TIMEOUT] (until the counter says VALUE:
#        the incident counters are published by the parser's timer),
#        field_of LINE NAME (for tab-separated NAME=VALUE output lines),
#        write_feed FILE (stdin to a file; the canonical CSV header is
#        prepended when stdin lacks it)
#   daemon output: reply_field PORT FILE NAME TEXT (send, read one field of
#        the line that came out), parser_counter PARSER COUNTER
#   config: config_header (the @version line and quiet global options),
#        di_out_template [PREFIX] (a file() template: one tab-separated line
#        a message, TAGS=..., each INTERFACE §1 field as NAME=VALUE without
#        the prefix, MSG=$MESSAGE last; read it back with field_of)
#
# Waiting: every wait polls for what it waits for and gives up only after a
# deadline ($DI_WAIT, 120 s, unless a caller passes its own): on a busy
# machine things are slow, not wrong, and a wait that succeeds returns at
# once.  A test never assumes a rate or an idle machine: tests that drive
# loggen run it with -T (no time limit; it stops at the end of its input)
# and check what it reports it sent.
#
# Only bash is supported; the scripts re-exec themselves with bash if
# started by another shell.

if [ -z "$BASH_VERSION" ]; then
  echo "Bail out! tests/functional/lib.sh needs bash"
  exit 1
fi

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${SYSLOG_NG:=/usr/sbin/syslog-ng}"
: "${DI_WAIT:=120}"
: "${SYSLOG_NG_CTL:=/usr/sbin/syslog-ng-ctl}"
if [ -z "$DI_MODULE_PATH" ]; then
  _sng_moduledir=$(pkg-config --variable=moduledir syslog-ng 2>/dev/null)
  DI_MODULE_PATH="$top_builddir/modules/dprk-intel/.libs:${_sng_moduledir:-/usr/lib/syslog-ng/3.38}"
fi
export top_srcdir top_builddir

# public test vectors and feeds, in the source tree (tests/data/README.md)
DI_DATA=$top_srcdir/tests/data

DI_CSV_HEADER='indicator,type,actor,source,confidence,reference,valid_until,description'

# ---------------------------------------------------------------- TAP

_tap_planned=
_tap_count=0
_tap_failed=0

plan()
{
  _tap_planned=$1
  echo "1..$1"
}

# ok STATUS DESC: STATUS is an exit status (0 = pass), e.g. ok $? "..."
ok()
{
  local status=$1
  shift
  _tap_count=$((_tap_count + 1))
  if [ "$status" -eq 0 ]; then
    echo "ok $_tap_count - $*"
  else
    _tap_failed=$((_tap_failed + 1))
    echo "not ok $_tap_count - $*"
  fi
  return "$status"
}

pass() { ok 0 "$@"; }
fail() { ok 1 "$@"; }

# diag TEXT...: a TAP comment on stdout (the driver shows it in the log)
diag()
{
  local line
  printf '%s\n' "$*" | while IFS= read -r line; do echo "# $line"; done
}

# is GOT WANT DESC
is()
{
  if [ "$1" = "$2" ]; then
    ok 0 "$3"
  else
    ok 1 "$3"
    diag "     got: '$1'"
    diag "expected: '$2'"
    return 1
  fi
}

# like TEXT REGEX DESC (grep -E)
like()
{
  if printf '%s\n' "$1" | grep -Eq -- "$2"; then
    ok 0 "$3"
  else
    ok 1 "$3"
    diag "no match for /$2/ in:" "$1"
    return 1
  fi
}

unlike()
{
  if printf '%s\n' "$1" | grep -Eq -- "$2"; then
    ok 1 "$3"
    diag "unexpected match for /$2/ in:" "$1"
    return 1
  else
    ok 0 "$3"
  fi
}

skip_all()
{
  echo "1..0 # SKIP $*"
  _tap_planned=0
  exit 0
}

bail_out()
{
  echo "Bail out! $*"
  [ -n "$SNG_LOG" ] && [ -f "$SNG_LOG" ] && diag "syslog-ng said:" "$(tail -n 30 "$SNG_LOG")"
  _tap_failed=$((_tap_failed + 1))
  exit 1
}

done_testing()
{
  [ -z "$_tap_planned" ] && echo "1..$_tap_count"
  if [ -n "$_tap_planned" ] && [ "$_tap_planned" != "$_tap_count" ]; then
    diag "planned $_tap_planned tests but ran $_tap_count"
    _tap_failed=$((_tap_failed + 1))
  fi
  [ "$_tap_failed" -eq 0 ] || diag "$_tap_failed of $_tap_count failed; files kept in $T"
  exit $((_tap_failed > 0))
}

# ---------------------------------------------------------------- temp dir

T=$(mktemp -d "${TMPDIR:-/tmp}/di-functional.XXXXXX") || { echo "Bail out! mktemp failed"; exit 1; }
SNG_PID=
SNG_LOG=
_sng_ctl=
_sng_runs=0

_cleanup()
{
  local status=$?
  stop_syslog_ng
  if [ "$status" -eq 0 ] && [ "$_tap_failed" -eq 0 ] && [ -z "$DI_KEEP_TMP" ]; then
    rm -rf "$T"
  else
    echo "# temp dir kept: $T"
  fi
}
trap _cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- daemon

syslog_ng_ctl()
{
  "$SYSLOG_NG_CTL" "$@" -c "$_sng_ctl"
}

_sng_ctl_answers()
{
  "$SYSLOG_NG_CTL" stats -c "$_sng_ctl" >/dev/null 2>&1
}

# start_syslog_ng CONF [ARGS...]: starts the daemon in the background with
# its state under $T and waits ($DI_WAIT at most) until its control socket
# answers.  Fails when it exits or never answers; its messages are in
# $SNG_LOG (a new file per start: $T/syslog-ng.N.log).
start_syslog_ng()
{
  local conf=$1 i
  shift
  stop_syslog_ng
  _sng_runs=$((_sng_runs + 1))
  SNG_LOG="$T/syslog-ng.$_sng_runs.log"
  _sng_ctl="$T/ctl"
  "$SYSLOG_NG" -F -e --no-caps --module-path="$DI_MODULE_PATH" -f "$conf" \
    -R "$T/persist" -p "$T/pid" -c "$_sng_ctl" "$@" >"$SNG_LOG" 2>&1 &
  SNG_PID=$!
  local deadline=$((SECONDS + DI_WAIT))
  while [ "$SECONDS" -le "$deadline" ]; do
    if ! kill -0 "$SNG_PID" 2>/dev/null; then
      wait "$SNG_PID" 2>/dev/null
      SNG_PID=
      return 1
    fi
    _sng_ctl_answers && return 0
    sleep 0.1
  done
  diag "syslog-ng did not answer on $_sng_ctl in $DI_WAIT s"
  stop_syslog_ng
  return 1
}

# stop_syslog_ng: SIGTERM, and SIGKILL (with a diag) when it has not exited
# after $DI_WAIT; no-op when not running.
stop_syslog_ng()
{
  stop_pid syslog-ng "$SNG_PID"
  SNG_PID=
  return 0
}

# stop_pid NAME PID: SIGTERM to a daemon this shell started, then waits for
# it; SIGKILL when it has not exited $DI_WAIT s later (NAME says which)
stop_pid()
{
  local deadline=$((SECONDS + DI_WAIT))
  [ -n "$2" ] || return 0
  kill -TERM "$2" 2>/dev/null
  while kill -0 "$2" 2>/dev/null; do
    if [ "$SECONDS" -gt "$deadline" ]; then
      diag "$1 did not exit $DI_WAIT s after SIGTERM: killed"
      kill -KILL "$2" 2>/dev/null
      break
    fi
    sleep 0.1
  done
  wait "$2" 2>/dev/null
  return 0
}

# is_running: the daemon started last is still alive
is_running()
{
  [ -n "$SNG_PID" ] && kill -0 "$SNG_PID" 2>/dev/null
}

# reload_syslog_ng: `syslog-ng-ctl reload` (the config file is read again),
# then waits until the daemon answers again.  Its status is the one of the
# reload request; whether the new config was taken shows in $SNG_LOG.
reload_syslog_ng()
{
  local status deadline=$((SECONDS + DI_WAIT))
  syslog_ng_ctl reload >/dev/null 2>&1
  status=$?
  while [ "$SECONDS" -le "$deadline" ]; do
    is_running || return 1
    _sng_ctl_answers && break
    sleep 0.1
  done
  return "$status"
}

# syntax_check CONF: exit status of `syslog-ng --syntax-only`, its output in
# $T/syntax.log
syntax_check()
{
  "$SYSLOG_NG" --syntax-only --no-caps --module-path="$DI_MODULE_PATH" -f "$1" \
    -R "$T/persist.syntax" -p "$T/pid.syntax" -c "$T/ctl.syntax" >"$T/syntax.log" 2>&1
}

# ---------------------------------------------------------------- config

config_header()
{
  cat <<'EOF'
@version: 3.38
options { stats-freq(0); mark-freq(0); keep-hostname(yes); chain-hostnames(no); flush-lines(0); };
EOF
}

# write_relay_conf OPTIONS [EXTRA]: $T/test.conf, the tests' usual relay:
# TCP on 127.0.0.1:$PORT (no-parse) -> dprk-intel(OPTIONS) as p_dprk ->
# $T/out.log in di_out_template(); EXTRA is added to it as is
write_relay_conf()
{
  cat >"$T/test.conf" <<EOF
$(config_header)
source s_in { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse)); };
parser p_dprk { dprk-intel($1); };
destination d_out { file("$T/out.log" template("$(di_out_template)")); };
log { source(s_in); parser(p_dprk); destination(d_out); };
${2:-}
EOF
}

DI_OUT_FIELDS="indicator type field actor actors source confidence reference match_count matches program"
# the other-match section (docs/output.md): not DPRK-linked matches
DI_OUT_FIELDS="$DI_OUT_FIELDS other.indicator other.type other.field other.actor other.actors other.source"
DI_OUT_FIELDS="$DI_OUT_FIELDS other.confidence other.reference other.program other.match_count"

# reply_field PORT FILE NAME TEXT: sends TEXT to PORT, waits for the next
# line of FILE (a di_out_template() destination) and prints its field NAME
reply_field()
{
  local n=1
  [ -f "$2" ] && n=$(($(wc -l <"$2") + 1))
  send_line "$1" "$4"
  wait_for_lines "$2" "$n" || return 1
  field_of "$(sed -n "${n}p" "$2")" "$3"
}

# parser_counter PARSER COUNTER: a dprk-intel() counter from syslog-ng-ctl stats
parser_counter()
{
  syslog_ng_ctl stats | sed -n "s/^parser;dprk-intel;$1;[^;]*;$2;//p"
}

# di_out_template [PREFIX]: for file("..." template("$(di_out_template)"))
di_out_template()
{
  local prefix=${1:-.dprk.} name out='TAGS=${TAGS}'
  for name in $DI_OUT_FIELDS; do
    out="$out\t$name=\${$prefix$name}"
  done
  printf '%s' "$out\tMSG=\${MESSAGE}\n"
}

# ---------------------------------------------------------------- I/O

# free_tcp_port: a TCP port on 127.0.0.1 that nothing listens on now
free_tcp_port()
{
  local port
  if command -v python3 >/dev/null 2>&1 &&
     port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null) &&
     [ -n "$port" ]; then
    echo "$port"
    return 0
  fi
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# send_line PORT TEXT...: one connection, each TEXT as one line
send_line()
{
  local port=$1
  shift
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf '%s\n' "$@" >&3
    exec 3>&-
  )
}

# send_file PORT FILE: every line of FILE over one connection
send_file()
{
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    cat "$2" >&3
    exec 3>&-
  )
}

# wait_until TIMEOUT CMD...
. "$top_srcdir/scripts/wait-until.sh"

_has_lines() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }
_has_text() { [ -f "$1" ] && grep -Eq -- "$2" "$1"; }

# wait_for_lines FILE N [TIMEOUT]: until FILE has at least N lines
wait_for_lines()
{
  wait_until "${3:-$DI_WAIT}" _has_lines "$1" "$2" && return 0
  diag "$1: wanted $2 lines, have $( [ -f "$1" ] && wc -l <"$1" || echo none)"
  return 1
}

# wait_for_text FILE REGEX [TIMEOUT]: until a line of FILE matches (grep -E)
wait_for_text()
{
  wait_until "${3:-$DI_WAIT}" _has_text "$1" "$2"
}

# di_stat PARSER NAME: the dprk-intel counter NAME of the parser PARSER,
# summed over its instances (empty when there is none)
di_stat()
{
  syslog_ng_ctl stats 2>/dev/null |
    awk -F';' -v p="$1" -v n="$2" '$1 == "parser" && $2 == "dprk-intel" && $3 == p && $5 == n { s += $6; f = 1 }
                                    END { if (f) print s }'
}

_stat_is() { [ "$(di_stat "$1" "$2")" = "$3" ]; }

# wait_for_stat PARSER NAME VALUE [TIMEOUT]: until the counter says VALUE
wait_for_stat()
{
  wait_until "${4:-$DI_WAIT}" _stat_is "$1" "$2" "$3" && return 0
  diag "counter $1 $2: wanted $3, have '$(di_stat "$1" "$2")'"
  return 1
}

# loggen_sent LOGFILE: how many messages loggen says it sent (its last
# "count=N"), 0 when it says nothing
loggen_sent()
{
  local n
  n=$(sed -n 's/.*count=\([0-9][0-9]*\).*/\1/p' "$1" 2>/dev/null | tail -n 1)
  echo "${n:-0}"
}

# field_of LINE NAME: the value of NAME=... in a tab-separated line
field_of()
{
  printf '%s\n' "$1" | tr '\t' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# write_feed FILE: writes stdin to FILE, the canonical CSV header first when
# stdin does not start with it
write_feed()
{
  local first
  {
    IFS= read -r first
    [ "$first" = "$DI_CSV_HEADER" ] || echo "$DI_CSV_HEADER"
    [ -n "$first" ] && printf '%s\n' "$first"
    cat
  } >"$1"
}
