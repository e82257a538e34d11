# bench-lib.sh: what the daemon benchmarks (bench-store.sh, bench-daemon.sh,
# bench-reload.sh) share; sourced by them (bash), after they set $build
# (the build tree) and $work (their temp dir).

bench_moduledir=$(pkg-config --variable=moduledir syslog-ng 2>/dev/null || echo /usr/lib/syslog-ng/3.38)

# The machine line every bench prints first.
bench_machine()
{
  echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

bench_free_port()
{
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# bench_has_acd: add-contextual-data() is installed (Debian:
# syslog-ng-mod-add-contextual-data) and NO_ACD is not set.
bench_has_acd()
{
  [ -z "${NO_ACD:-}" ] && [ -e "$bench_moduledir/libadd-contextual-data.so" ]
}

# bench_parser NAME FEED: sets bench_parser_def and bench_parser_use, the
# parser statement and its reference in a log path, for "bare" (none),
# "dprk" (dprk-intel() loading FEED) or "acd" (add-contextual-data() with
# FEED as its database, selecting on the whole MESSAGE).
bench_parser()
{
  bench_parser_def=
  bench_parser_use=
  case $1 in
    dprk) bench_parser_def="parser p { dprk-intel(database(\"$2\")); };" ;;
    acd) bench_parser_def="parser p { add-contextual-data(selector(\"\${MESSAGE}\") database(\"$2\")); };" ;;
    *) return 0 ;;
  esac
  bench_parser_use="parser(p);"
}

# bench_start_daemon NAME [SYSLOG-NG OPTION ...]: runs syslog-ng on
# $work/NAME.conf (log in $work/NAME.log) and waits until its control
# socket answers; the pid is in $bench_pid.
bench_start_daemon()
{
  local name=$1
  shift
  /usr/sbin/syslog-ng -F -e --no-caps --module-path="$build/modules/dprk-intel/.libs:$bench_moduledir" \
    -f "$work/$name.conf" -R "$work/$name.persist" -p "$work/$name.pid" -c "$work/$name.ctl" "$@" \
    > "$work/$name.log" 2>&1 &
  bench_pid=$!
  until syslog-ng-ctl stats -c "$work/$name.ctl" > /dev/null 2>&1; do
    kill -0 "$bench_pid" 2>/dev/null || { echo "syslog-ng did not start ($name):" >&2; tail -n 5 "$work/$name.log" >&2; exit 1; }
    sleep 0.05
  done
}

bench_stop_daemon()
{
  kill "$1"
  wait "$1" 2> /dev/null || true
}

# bench_load_seconds NAME [cpu_]: the load time (wall, or with cpu_ CPU)
# dprk-intel() logged in $work/NAME.log
bench_load_seconds()
{
  sed -n "s/.*database loaded;.*[ ,]${2:-}seconds='\([0-9.]*\)'.*/\1/p" "$work/$1.log"
}
