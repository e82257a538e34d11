# tests/functional/ecs/ecs-docs.sh: makes $(dprk-intel-ecs) documents with the
# real syslog-ng, for test-ecs.sh and test-ecs-mapping.sh.  Sourced after
# tests/functional/lib.sh (bash).
#
#   ecs_module_built                 the module of this build tree exists
#   ecs_config_head                  @version, options, scl.conf and our SCL
#   ecs_incident_options             prints incident options the built parser
#                                    takes (empty when it has none yet)
#   ecs_docs_real OUT                the real parser over ecs/sample.syslog with
#                                    the feed ecs/feed.csv; sets ECS_REAL_LINES
#                                    (sample lines) and ECS_SUMMARIES (incident
#                                    summaries expected, 0 without incidents)
#   ecs_docs_simulated OUT           ecs/simulated.ndjson: .dprk.* values set
#                                    by json-parser() as INTERFACE §1 describes
#                                    them, tags by rewrite; no parser
#   ecs_docs_logsrc OUT              the sample logs of every log source
#                                    (samples/), the malformed lines and the
#                                    withdrawals of tests/functional/logsrc/
#                                    through dprk-intel-enrich(), with the
#                                    incident summaries; sets ECS_LOGSRC_LINES
# Each writes one document a line to OUT and returns non-zero (with a diag)
# when syslog-ng fails or the documents do not all come out.

ECS_DIR="$top_srcdir/tests/functional/ecs"
ECS_SCL="$top_srcdir/scl/dprk-intel/dprk-intel.conf"
ECS_MODULE="$top_builddir/modules/dprk-intel/.libs/libdprk-intel.so"
# lines of sample.syslog with a DPRK-linked match (alerts), and hosts with
# one (one incident each, key ${HOST}); seq=12 matches a row of an actor the
# alias table does not know, in a feed not declared DPRK: an other match,
# neither an alert nor an incident
ECS_SAMPLE_MATCHED=12
ECS_SAMPLE_INCIDENTS=7

ecs_module_built()
{
  [ -f "$ECS_MODULE" ]
}

ecs_config_head()
{
  config_header
  cat <<EOF
@include "scl.conf"
@include "$ECS_SCL"
EOF
}

# incident-timeout(3): the sample is sent in one burst; a busy machine must
# not split a host's incident in two by pausing between its lines
ecs_incident_options()
{
  local opts='incident-key("${HOST}") incident-timeout(3) incident-amount("${kv.amount}")'
  cat >"$T/incident-probe.conf" <<EOF
$(config_header)
parser p { dprk-intel(database("$ECS_DIR/feed.csv") $opts); };
EOF
  syntax_check "$T/incident-probe.conf" && printf '%s' "$opts"
}

ecs_docs_real()
{
  local out=$1 port incidents want
  port=$(free_tcp_port)
  incidents=$(ecs_incident_options)
  ECS_REAL_LINES=$(grep -c . "$ECS_DIR/sample.syslog")
  ECS_SUMMARIES=0
  [ -n "$incidents" ] && ECS_SUMMARIES=$ECS_SAMPLE_INCIDENTS
  cat >"$T/real.conf" <<EOF
$(ecs_config_head)
source s_in { network(ip(127.0.0.1) port($port) transport(tcp)); };
parser p_kv { kv-parser(prefix("kv.")); };
parser p_dprk { dprk-intel(database("$ECS_DIR/feed.csv") $incidents); };
destination d_ecs { file("$out" template("\$(dprk-intel-ecs)\n")); };
log { source(s_in); parser(p_kv); parser(p_dprk); destination(d_ecs); };
EOF
  start_syslog_ng "$T/real.conf" || { diag "syslog-ng did not start:" "$(cat "$SNG_LOG")"; return 1; }
  send_file "$port" "$ECS_DIR/sample.syslog"
  want=$((ECS_REAL_LINES + ECS_SUMMARIES))
  wait_for_lines "$out" "$want" || { stop_syslog_ng; return 1; }
  stop_syslog_ng
}

ecs_docs_simulated()
{
  local out=$1 port want
  port=$(free_tcp_port)
  want=$(grep -c . "$ECS_DIR/simulated.ndjson")
  cat >"$T/simulated.conf" <<EOF
$(ecs_config_head)
source s_in { network(ip(127.0.0.1) port($port) transport(tcp) flags(no-parse)); };
parser p_json { json-parser(prefix(".")); };
destination d_ecs { file("$out" template("\$(dprk-intel-ecs)\n")); };
log {
  source(s_in);
  parser(p_json);
  rewrite { set("\${.test.host}", value("HOST") condition("\${.test.host}" ne "")); };
  rewrite { set("\${.test.message}", value("MESSAGE")); };
  if (match("." value(".dprk.type"))) { rewrite { set-tag("dprk.match"); }; };
  if (match("." value(".dprk.incident.key"))) { rewrite { set-tag("dprk.incident"); }; };
  destination(d_ecs);
};
EOF
  start_syslog_ng "$T/simulated.conf" || { diag "syslog-ng did not start:" "$(cat "$SNG_LOG")"; return 1; }
  send_file "$port" "$ECS_DIR/simulated.ndjson"
  wait_for_lines "$out" "$want" || { stop_syslog_ng; return 1; }
  stop_syslog_ng
}

ecs_docs_logsrc()
{
  local out=$1 port summaries source parser samples f
  . "$top_srcdir/tests/functional/logsrc/logsrc.sh"
  port=$(free_tcp_port)
  : >"$T/logsrc.in"
  while read -r source parser samples; do
    for f in $samples; do cat "$LOGSRC_SAMPLES/$f" >>"$T/logsrc.in"; done
  done <<<"$LOGSRC_SOURCES"
  cat "$LOGSRC_DIR/malformed.log" "$LOGSRC_DIR/withdrawals.log" >>"$T/logsrc.in"
  ECS_LOGSRC_LINES=$(grep -c '' "$T/logsrc.in")
  {
    logsrc_config_head
    cat <<EOF
source s_in { network(ip(127.0.0.1) port($port) transport(tcp) flags(no-parse)); };
parser p_enrich { dprk-intel-enrich(database("$LOGSRC_FEED") incident-timeout(1)); };
destination d_ecs { file("$out" template("\$(dprk-intel-ecs)\n")); };
log { source(s_in); parser(p_enrich); destination(d_ecs); };
EOF
  } >"$T/logsrc.conf"
  start_syslog_ng "$T/logsrc.conf" || { diag "syslog-ng did not start:" "$(cat "$SNG_LOG")"; return 1; }
  send_file "$port" "$T/logsrc.in"
  wait_for_lines "$out" "$ECS_LOGSRC_LINES" 20 || { stop_syslog_ng; return 1; }
  # one summary per incident the matches opened, an incident-timeout later
  summaries=$(python3 -c 'import json,sys; print(len({d["dprk_intel"]["incident"]["id"] for d in map(json.loads, open(sys.argv[1])) if d["event"]["kind"] == "alert"}))' "$out")
  wait_for_lines "$out" $((ECS_LOGSRC_LINES + summaries)) 20 || { stop_syslog_ng; return 1; }
  stop_syslog_ng
}
