#!/bin/bash
# test-kibana-install.sh: elastic/dprk-intel-es-install against stand-ins for
# Elasticsearch and Kibana (ecs/bulk-server.py) on 127.0.0.1: the template
# arrives byte for byte at PUT /_index_template/dprk-intel, the saved objects
# at POST /api/saved_objects/_import?overwrite=true with kbn-xsrf, both with
# the user and password; over HTTPS with --cacert; a refused request (wrong
# password, unknown CA, server down) makes the script fail.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
command -v curl >/dev/null 2>&1 || skip_all "curl not found"
ECS_DIR="$top_srcdir/tests/functional/ecs"
INSTALL="$top_srcdir/elastic/dprk-intel-es-install"
TEMPLATE="$top_srcdir/elastic/dprk-intel-index-template.json"
OBJECTS="$top_srcdir/elastic/dprk-intel-kibana.ndjson"
USER_NAME=dprk_admin
PASSWORD='pa"ss\word with spaces'
SERVER_PIDS=

stop_servers()
{
  local pid
  for pid in $SERVER_PIDS; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  SERVER_PIDS=
}
trap 'status=$?; stop_servers; (exit $status); _cleanup' EXIT

start_server()
{
  local dir=$1 i
  shift
  mkdir -p "$dir"
  python3 "$ECS_DIR/bulk-server.py" --template "$TEMPLATE" --dir "$dir" "$@" 2>"$dir/server.err" &
  SERVER_PIDS="$SERVER_PIDS $!"
  wait_until "$DI_WAIT" test -s "$dir/port" && return 0
  diag "bulk-server.py did not start: $(cat "$dir/server.err")"
  return 1
}

plan 11

sh -n "$INSTALL"
ok $? "the install script is valid sh"

# ---------------------------------------------------------------- HTTP, with a password file
start_server "$T/http" --user "$USER_NAME" --password "$PASSWORD" || bail_out "stand-in did not start"
url="http://127.0.0.1:$(cat "$T/http/port")"
printf '%s\n' "$PASSWORD" >"$T/password"
# a curl that records its arguments, then runs the real one
real_curl=$(command -v curl)
mkdir -p "$T/bin"
printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s"\nexec "%s" "$@"\n' "$T/curl-args.log" "$real_curl" >"$T/bin/curl"
chmod +x "$T/bin/curl"
PATH="$T/bin:$PATH" \
sh "$INSTALL" --es-url "$url" --kibana-url "$url" --user "$USER_NAME" --password-file "$T/password" \
  --space secops >"$T/install.out" 2>&1
ok $? "the install script succeeds over HTTP with user and password file" || diag "$(cat "$T/install.out")"
cmp -s "$T/http/index_template.dprk-intel.json" "$TEMPLATE"
ok $? "PUT /_index_template/dprk-intel received the template unchanged"
cmp -s "$T/http/import.ndjson" "$OBJECTS"
ok $? "the Kibana import received the saved objects unchanged"
is "$(cat "$T/http/import.query" 2>/dev/null)" "/s/secops/api/saved_objects/_import?overwrite=true" \
  "the import goes to the space's _import with overwrite=true"
[ "$(wc -l <"$T/curl-args.log")" -eq 2 ] && ! grep -qF -- "$PASSWORD" "$T/curl-args.log" && ! grep -q -- '--user\|-u ' "$T/curl-args.log"
ok $? "the password is not on curl's command line (it would show in ps)" || diag "$(cat "$T/curl-args.log")"
stop_servers

# ---------------------------------------------------------------- refusals
start_server "$T/refuse" --user "$USER_NAME" --password "$PASSWORD" || bail_out "stand-in did not start"
url="http://127.0.0.1:$(cat "$T/refuse/port")"
DPRK_INTEL_ES_PASSWORD=wrong sh "$INSTALL" --es-url "$url" --kibana-url "$url" --user "$USER_NAME" \
  >"$T/wrong.out" 2>&1
status=$?
[ "$status" -ne 0 ] && grep -q 'HTTP 401' "$T/wrong.out" && [ ! -e "$T/refuse/import.ndjson" ]
ok $? "a wrong password (from DPRK_INTEL_ES_PASSWORD) fails the script with the 401" || diag "$(cat "$T/wrong.out")"
stop_servers
down=$(free_tcp_port)
sh "$INSTALL" --es-url "http://127.0.0.1:$down" --no-kibana >"$T/down.out" 2>&1
[ $? -ne 0 ] && grep -q 'failed' "$T/down.out"
ok $? "Elasticsearch down fails the script" || diag "$(cat "$T/down.out")"

# ---------------------------------------------------------------- HTTPS with --cacert
if ! command -v openssl >/dev/null 2>&1; then
  for i in 1 2 3; do pass "# SKIP openssl not found: no HTTPS test"; done
  done_testing
fi
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=dprk-intel test CA" \
  -keyout "$T/ca.key" -out "$T/ca.pem" >/dev/null 2>&1 &&
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$T/server.key" -out "$T/server.csr" >/dev/null 2>&1 &&
printf 'subjectAltName=IP:127.0.0.1\n' >"$T/san.ext" &&
openssl x509 -req -in "$T/server.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -days 2 \
  -extfile "$T/san.ext" -out "$T/server.pem" >/dev/null 2>&1
ok $? "a test CA and a server certificate for 127.0.0.1"
start_server "$T/tls" --tls "$T/server.pem" "$T/server.key" --user "$USER_NAME" --password "$PASSWORD" ||
  bail_out "stand-in did not start"
url="https://127.0.0.1:$(cat "$T/tls/port")"
DPRK_INTEL_ES_PASSWORD=$PASSWORD sh "$INSTALL" --es-url "$url" --kibana-url "$url" --user "$USER_NAME" \
  --cacert "$T/ca.pem" >"$T/tls.out" 2>&1
[ $? -eq 0 ] && cmp -s "$T/tls/index_template.dprk-intel.json" "$TEMPLATE" && cmp -s "$T/tls/import.ndjson" "$OBJECTS"
ok $? "over HTTPS with --cacert the template and the objects arrive" || diag "$(cat "$T/tls.out")"
rm -f "$T/tls/index_template.dprk-intel.json"
DPRK_INTEL_ES_PASSWORD=$PASSWORD sh "$INSTALL" --es-url "$url" --user "$USER_NAME" --no-kibana >"$T/noca.out" 2>&1
[ $? -ne 0 ] && [ ! -e "$T/tls/index_template.dprk-intel.json" ]
ok $? "over HTTPS without the CA the script refuses the server" || diag "$(cat "$T/noca.out")"
stop_servers

done_testing
