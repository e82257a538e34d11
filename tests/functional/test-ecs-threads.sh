#!/bin/bash
# test-ecs-threads.sh: $(dprk-intel-ecs) rendered by several destinations at
# once, each in a thread of its own, from the same messages -- as the central
# node of docs/deployment/central.conf does (Elasticsearch and a file).
#
# syslog-ng 3.38 renders one message in several threads at once and expects a
# template to only read it.  match("RE" value(NAME)) does not: it takes a
# reference on the message's payload, and that count is not atomic
# (lib/logmatcher.c log_matcher_match_value(), lib/logmsg/nvtable.c), so two
# threads lose updates and the payload is freed while still in use: "free():
# corrupted unsorted chunks", double free, segfault (seen on the central node
# of the relay tests).  The SCL must therefore never hand a value() to
# match().  Checked two ways:
#  - the SCL's text: no match() with value();
#  - the daemon: three http() destinations (a thread each) and a file
#    destination render $(dprk-intel-ecs) of every one of many messages; it
#    must stay up and deliver every document to each of them, whole, with
#    the fields its conditions chose.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

command -v loggen >/dev/null 2>&1 || skip_all "loggen is not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
has_http=
for dir in ${DI_MODULE_PATH//:/ }; do
  [ -f "$dir/libhttp.so" ] && has_http=1
done
[ -n "$has_http" ] || skip_all "syslog-ng's http module (syslog-ng-mod-http) is not installed"

SCL_FILE="$top_srcdir/scl/dprk-intel/dprk-intel.conf"
N=20000
PORT=$(free_tcp_port)

plan 4

is "$(grep -v '^ *#' "$SCL_FILE" | grep -o 'match("[^"]*" value("[^"]*"))' | head -n 3)" "" \
  "the SCL never gives match() a value() (it would write to a message other threads read)"

# a sink for http(): each body's lines appended to $T/out-PATH.ndjson
cat >"$T/sink.py" <<'EOF'
import http.server, os, sys
out = sys.argv[1]
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(os.path.join(out, "out-%s.ndjson" % self.path.strip("/")), "ab") as f:
            f.write(body if body.endswith(b"\n") else body + b"\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
with open(os.path.join(out, "sink.port.tmp"), "w") as f:
    f.write(str(server.server_port))
os.rename(os.path.join(out, "sink.port.tmp"), os.path.join(out, "sink.port"))
server.serve_forever()
EOF
python3 "$T/sink.py" "$T" 2>"$T/sink.err" &
SINK_PID=$!
trap 'status=$?; kill $SINK_PID 2>/dev/null; wait $SINK_PID 2>/dev/null; (exit $status); _cleanup' EXIT
wait_until "$DI_WAIT" test -s "$T/sink.port" || bail_out "the http sink did not start: $(cat "$T/sink.err")"
SINK="http://127.0.0.1:$(cat "$T/sink.port")"

{
  config_header
  cat <<EOF
@include "scl.conf"
@include "$SCL_FILE"
source s_in { network(ip(127.0.0.1) port($PORT) transport(tcp) log-iw-size(100000)); };
# values that take the documents through their conditions
rewrite r_ours { set("edge-1" value(".dprk.relay")); set("ipv4" value(".dprk.type")); set("75" value(".dprk.confidence")); };
EOF
  for i in 1 2 3; do
    echo "destination d_$i { http(url(\"$SINK/$i\") method(\"POST\") batch-lines(50) body(\"\$(dprk-intel-ecs)\")); };"
  done
  echo "destination d_4 { file(\"$T/out-4.ndjson\" template(\"\$(dprk-intel-ecs)\\n\")); };"
  echo 'log { source(s_in); rewrite(r_ours); destination(d_1); destination(d_2); destination(d_3); destination(d_4); flags(flow-control); };'
} >"$T/test.conf"

start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start: $(tail -n 20 "$SNG_LOG")"

loggen -i -S -n "$N" -r 1000000 -s 200 127.0.0.1 "$PORT" >"$T/loggen.log" 2>&1
sent=$(loggen_sent "$T/loggen.log")
for i in 1 2 3 4; do
  is_running || break
  wait_for_lines "$T/out-$i.ndjson" "$sent" || break
done
is_running
ok $? "syslog-ng survived $sent messages rendered at once by three http() threads and a file" ||
  diag "$(tail -n 30 "$SNG_LOG")"
is "$(cat "$T"/out-[1-4].ndjson 2>/dev/null | wc -l)" "$((4 * sent))" "every destination got every document ($sent each)"
python3 - "$T"/out-[1-4].ndjson <<'EOF' >"$T/bad"
import json, sys
for path in sys.argv[1:]:
    with open(path) as f:
        for n, line in enumerate(f, 1):
            try:
                doc = json.loads(line)
                assert doc["dprk_intel"]["relay"] == "edge-1", "no dprk_intel.relay"
                assert doc["threat"]["indicator"]["type"] == "ipv4-addr", "no threat.indicator.type"
                assert doc["threat"]["indicator"]["confidence"] == "High", "no threat.indicator.confidence"
            except Exception as e:
                print(f"{path}:{n}: {e!r}: {line[:200]}")
EOF
is "$(head -n 5 "$T/bad")" "" "each one whole, with the fields its conditions chose"
stop_syslog_ng

done_testing
