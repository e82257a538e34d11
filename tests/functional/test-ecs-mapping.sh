#!/bin/bash
# test-ecs-mapping.sh: every $(dprk-intel-ecs) document fits the index template.
#
# syslog-ng 3.38's http() counts a 200 _bulk reply as success even when
# Elasticsearch rejected documents inside it, so a document with a field the
# template does not map (it is `dynamic: strict`) or a value its type cannot
# take would be lost silently.  The documents of the real parser over
# ecs/sample.syslog and of the simulated values are checked here against the
# template with ecs/esmapping.py, which rejects what Elasticsearch 8 would.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"
. "$top_srcdir/tests/functional/ecs/ecs-docs.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
TEMPLATE="$top_srcdir/elastic/dprk-intel-index-template.json"

mapping_check()
{
  local docs=$1 desc=$2
  python3 "$ECS_DIR/esmapping.py" "$TEMPLATE" "$docs" >"$T/mapping.out" 2>&1
  ok $? "$desc" || diag "$(head -n 40 "$T/mapping.out")"
}

# ---------------------------------------------------------------- the template itself
python3 - "$TEMPLATE" "$ECS_SCL" >"$T/template.out" 2>&1 <<'PY'
import fnmatch, json, re, sys, time
t = json.load(open(sys.argv[1]))
scl = open(sys.argv[2]).read()
problems = []
m = t.get("template", {}).get("mappings", {})
if m.get("dynamic") != "strict":
    problems.append("mappings.dynamic is %r, not strict" % m.get("dynamic"))
if "data_stream" in t:
    problems.append("a data_stream template: elasticsearch-http() sends `index` actions, which data streams refuse")
# Elastic's built-in templates (logs-*-*, metrics-*-*, ...) have priority 100-200
if not isinstance(t.get("priority"), int) or t["priority"] <= 200:
    problems.append("priority %r is not above Elastic's built-in templates (<= 200)" % t.get("priority"))
enr = m.get("properties", {}).get("threat", {}).get("properties", {}).get("enrichments", {})
if enr.get("type") != "nested":
    problems.append("threat.enrichments is not nested")
default = re.search(r'block destination dprk-intel-elasticsearch\(.*?index\("([^"]*)"\)', scl, re.S)
if not default:
    problems.append("no default index() in the SCL's dprk-intel-elasticsearch()")
else:
    today = time.localtime()
    index = (default.group(1).replace("${R_YEAR}", time.strftime("%Y", today))
             .replace("${R_MONTH}", time.strftime("%m", today)).replace("${R_DAY}", time.strftime("%d", today)))
    if not any(fnmatch.fnmatchcase(index, p) for p in t.get("index_patterns", [])):
        problems.append("the default index %s is not claimed by index_patterns %s" % (index, t.get("index_patterns")))
    for builtin in ("logs-*-*", "metrics-*-*", "traces-*-*", "synthetics-*-*", "profiling-*"):
        if fnmatch.fnmatchcase(index, builtin):
            problems.append("the default index %s falls under Elastic's %s data streams" % (index, builtin))
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
ok $? "the template: dynamic strict, no data stream, priority above 200, threat.enrichments nested, the SCL's default index claimed" ||
  diag "$(cat "$T/template.out")"

# ---------------------------------------------------------------- the checker can fail
cat >"$T/bad.ndjson" <<'EOF'
{"@timestamp":"2026-11-25T10:00:01+00:00","threat":{"group":{"mitre":"G0032"}}}
{"@timestamp":"2026-11-25T10:00:01+00:00","related":{"ip":["198.51.100.0/24"]}}
{"@timestamp":"2026-11-25T10:00:01+00:00","dprk_intel":{"incident":{"count":"three"}}}
{"@timestamp":"2026-11-25T10:00:01+00:00","threat":{"enrichments":[{"dprk_intel":{"confidence":90,"wallet":"x"}}]}}
{"@timestamp":"25/11/2026"}
EOF
python3 "$ECS_DIR/esmapping.py" "$TEMPLATE" "$T/bad.ndjson" >"$T/bad.out" 2>&1
[ "$(grep -c 'bad.ndjson:[0-9]*:' "$T/bad.out")" -eq 5 ]
ok $? "the mapping check rejects an unmapped field, a CIDR as ip, text as a count, an unmapped field inside a nested enrichment, a non-ISO date" ||
  diag "$(cat "$T/bad.out")"

# ---------------------------------------------------------------- documents
if ecs_docs_simulated "$T/simulated.ndjson"; then
  pass "syslog-ng renders the simulated messages with \$(dprk-intel-ecs)"
else
  fail "syslog-ng renders the simulated messages with \$(dprk-intel-ecs)"
  diag "$(tail -n 20 "$SNG_LOG")"
fi
mapping_check "$T/simulated.ndjson" "simulated values: every document fits the index template"

if ecs_module_built; then
  if ecs_docs_real "$T/real.ndjson"; then
    pass "the real dprk-intel() parser and \$(dprk-intel-ecs): $ECS_REAL_LINES messages, $ECS_SUMMARIES incident summaries"
  else
    fail "the real dprk-intel() parser and \$(dprk-intel-ecs): $ECS_REAL_LINES messages, $ECS_SUMMARIES incident summaries"
    diag "$(tail -n 20 "$SNG_LOG")"
  fi
  mapping_check "$T/real.ndjson" "real parser: every document fits the index template"
  if ecs_docs_logsrc "$T/logsrc.ndjson"; then
    pass "dprk-intel-enrich() and \$(dprk-intel-ecs): $ECS_LOGSRC_LINES lines of every log source, and the incident summaries"
  else
    fail "dprk-intel-enrich() and \$(dprk-intel-ecs): $ECS_LOGSRC_LINES lines of every log source, and the incident summaries"
    diag "$(tail -n 20 "$SNG_LOG")"
  fi
  mapping_check "$T/logsrc.ndjson" "log parsers: every document fits the index template"
else
  diag "$ECS_MODULE is not built"
  fail "the dprk-intel module is built"
fi

# which mapped fields no document used: not an error (a field may be rare), shown for review
python3 - "$TEMPLATE" "$ECS_DIR" "$T"/*.ndjson >"$T/unused.out" 2>&1 <<'PY'
import json, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[2])
import esmapping
mapping = esmapping.Mapping.from_template_file(sys.argv[1])
seen = set()
def walk(obj, prefix):
    for k, v in obj.items():
        for item in (v if isinstance(v, list) else [v]):
            if isinstance(item, dict):
                walk(item, prefix + k + ".")
            else:
                seen.add(prefix + k)
for path in sys.argv[3:]:
    if path.endswith("bad.ndjson"):
        continue
    for line in open(path):
        walk(json.loads(line), "")
unused = [f for f in sorted(mapping.leaf_fields()) if f not in seen and not f.endswith(".text")]
print("mapped but not in any document here: " + (" ".join(unused) or "none"))
PY
diag "$(cat "$T/unused.out")"

done_testing
