# tests/functional/update-lib.sh: what the updater's tests share (bash,
# sourced after lib.sh): the feed server (feed-server.py: HTTPS with a
# certificate made here by openssl, plain HTTP beside it, redirects, bodies
# without a length), a server that accepts and never answers, an
# update.conf writer and the updater's command line.
#
#   start_feed_server          HTTPS_URL, HTTP_URL; files from $WWW
#   conf FILE LINES...         an update.conf: no OFAC list, no retries,
#                              short timeouts, the test's CA; then LINES
#   update CONF [ARGS...]      the updater on $FEEDS; output in $T/out, $T/err
#   v1 FILE / v2 FILE          versions of a small canonical CSV feed
#   leftovers                  temp files or dirs the updater left in $FEEDS

UPDATER=$top_builddir/updater/dprk-intel-update
TOOL=$top_builddir/tool/dprk-intel
[ -x "$UPDATER" ] || bail_out "$UPDATER is not built"
[ -x "$TOOL" ] || bail_out "$TOOL is not built"
command -v curl >/dev/null 2>&1 || bail_out "curl is not installed (the updater needs it)"
command -v python3 >/dev/null 2>&1 || bail_out "python3 is not installed (the test's feed server)"
command -v openssl >/dev/null 2>&1 || bail_out "openssl is not installed (the test's certificate)"

ADDR=0x098B716B8Aaf21512996dC57EB0615e2383E2f96
IP=198.51.100.23

WWW=$T/www
FEEDS=$T/feeds
CA=$T/cert.pem
mkdir -p "$WWW"
# As root the updater checks downloads as an unprivileged user: it must be
# able to reach them (mktemp made $T 0700).
chmod 0755 "$T"

FEED_SERVER_PID=
HANG_PID=
_stop_servers()
{
  [ -n "$FEED_SERVER_PID" ] && kill "$FEED_SERVER_PID" 2>/dev/null && wait "$FEED_SERVER_PID" 2>/dev/null
  [ -n "$HANG_PID" ] && kill "$HANG_PID" 2>/dev/null && wait "$HANG_PID" 2>/dev/null
  FEED_SERVER_PID=""
  HANG_PID=""
}
trap 's=$?; _stop_servers; (exit $s); _cleanup' EXIT

start_feed_server()
{
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$T/key.pem" -out "$CA" >"$T/openssl.log" 2>&1 ||
    bail_out "openssl could not make a certificate: $(cat "$T/openssl.log")"
  python3 "$top_srcdir/tests/functional/feed-server.py" --dir "$WWW" --cert "$CA" --key "$T/key.pem" \
    --ports-file "$T/ports" >"$T/server.log" 2>&1 &
  FEED_SERVER_PID=$!
  wait_until "$DI_WAIT" test -s "$T/ports" || bail_out "the feed server did not start: $(cat "$T/server.log")"
  local ports
  read -r -a ports <"$T/ports"
  HTTPS_URL=https://127.0.0.1:${ports[0]}
  HTTP_URL=http://127.0.0.1:${ports[1]}
  curl -s -o /dev/null --cacert "$CA" "$HTTPS_URL/" || bail_out "the feed server does not answer: $(cat "$T/server.log")"
}

# start_hang_server: a socket that accepts connections (the kernel does) but
# never answers; HANG_PORT
start_hang_server()
{
  python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
print(s.getsockname()[1], flush=True)
time.sleep(600)
' >"$T/hang.port" &
  HANG_PID=$!
  wait_until "$DI_WAIT" test -s "$T/hang.port" || bail_out "the hanging server did not start"
  HANG_PORT=$(cat "$T/hang.port")
}

conf()
{
  local file=$1
  shift
  { echo "ofac = none"; echo "retries = 0"; echo "connect_timeout = 5"; echo "max_time = 20"
    echo "ca_file = $CA"
    printf '%s\n' "$@"; } >"$file"
}

update()
{
  local conf=$1
  shift
  "$UPDATER" --config "$conf" --target-dir "$FEEDS" --tool "$TOOL" \
    --control-socket "$T/no-such.ctl" "$@" >"$T/out" 2>"$T/err"
}

v1()
{
  write_feed "$1" <<EOF
$ADDR,eth,Lazarus Group,test feed,90,https://example.org/v1,,version 1
EOF
}

v2()
{
  write_feed "$1" <<EOF
$ADDR,eth,Lazarus Group,test feed,90,https://example.org/v2,,version 2
$IP,ipv4,Kimsuky,test feed,70,https://example.org/v2,,version 2
EOF
}

leftovers() { find "$FEEDS" -mindepth 1 -name '.dprk-intel-update.*' ! -name '.dprk-intel-update.lock'; }
