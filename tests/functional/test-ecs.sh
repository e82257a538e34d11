#!/bin/bash
# test-ecs.sh: $(dprk-intel-ecs) of the SCL, rendered by the real syslog-ng,
# against ECS 9.4 as the npm package @elastic/ecs 9.4.0 defines it.
#
# The package is installed with npm into $top_builddir/.npm-ecs on first use
# (DI_ECS_DIR names another directory that holds node_modules/@elastic/ecs).
# Documents: the real dprk-intel() parser over tests/functional/ecs/sample.syslog
# (with incidents when the parser has them), and simulated .dprk.* values
# (tests/functional/ecs/simulated.ndjson) that reach the template's other
# branches.  Every field of every document must be an ECS field of the right
# type or one of ours (dprk_intel.*, threat.enrichments.dprk_intel.*,
# labels.*); chosen values (MITRE ids per actor, ...) are in ecs/expected.json.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"
. "$top_srcdir/tests/functional/ecs/ecs-docs.sh"

ECS_VERSION=9.4.0
ecs_dir=${DI_ECS_DIR:-$top_builddir/.npm-ecs}
ecs_pkg="$ecs_dir/node_modules/@elastic/ecs/package.json"

command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
command -v node >/dev/null 2>&1 || skip_all "node not found: cannot read @elastic/ecs"

installed_version()
{
  [ -f "$ecs_pkg" ] && node -e 'process.stdout.write(require(process.argv[1]).version)' "$ecs_pkg" 2>/dev/null
}

if [ "$(installed_version)" != "$ECS_VERSION" ]; then
  command -v npm >/dev/null 2>&1 ||
    skip_all "npm not found: cannot install @elastic/ecs@$ECS_VERSION (or set DI_ECS_DIR)"
  mkdir -p "$ecs_dir"
  if ! npm install --prefix "$ecs_dir" --no-save --no-package-lock --no-audit --no-fund \
       --ignore-scripts --loglevel=error "@elastic/ecs@$ECS_VERSION" >"$T/npm.log" 2>&1; then
    bail_out "npm could not install @elastic/ecs@$ECS_VERSION into $ecs_dir: $(tail -n 5 "$T/npm.log")"
  fi
fi

expect_section()
{
  local section=$1 docs=$2 status name why
  python3 "$ECS_DIR/docs-expect.py" "$ECS_DIR/expected.json" "$section" "$docs" >"$T/expect.out"
  while IFS=$'\t' read -r status name why; do
    if [ "$status" = ok ]; then
      pass "$section: $name"
    else
      fail "$section: $name"
      diag "$why"
    fi
  done <"$T/expect.out"
}

ecs_check()
{
  local docs=$1 desc=$2
  python3 "$ECS_DIR/ecscheck.py" "$T/ecs.json" "$docs" >"$T/ecscheck.out" 2>&1
  ok $? "$desc" || diag "$(head -n 40 "$T/ecscheck.out")"
  diag "$(grep -v '^note:' "$T/ecscheck.out" | tail -n 1)"
  grep -q '^note:' "$T/ecscheck.out" && diag "$(grep '^note:' "$T/ecscheck.out")"
}

# ---------------------------------------------------------------- the schema
is "$(installed_version)" "$ECS_VERSION" "@elastic/ecs $ECS_VERSION is installed in $ecs_dir"
node "$ECS_DIR/ecs-flat.js" "$ecs_dir" >"$T/ecs.json" 2>"$T/ecs-flat.err"
ok $? "ecs-flat.js reads the ECS field definitions" || bail_out "$(cat "$T/ecs-flat.err")"
fields=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["fields"]) if d["version"] == sys.argv[2] and "threat.enrichments" in d["fields"] else 0)' "$T/ecs.json" "$ECS_VERSION")
[ "${fields:-0}" -gt 1000 ]
ok $? "the schema has $fields ECS $ECS_VERSION fields, threat.enrichments among them"

# ---------------------------------------------------------------- the checker can fail
cat >"$T/bad.ndjson" <<'EOF'
{"@timestamp":"2026-11-25T10:00:01+00:00","ecs":{"version":"9.4.0"},"threat":{"group":{"mitre":"G0032"}}}
{"@timestamp":"2026-11-25T10:00:01+00:00","ecs":{"version":"9.4.0"},"dprk_intel":{"confidence":90},"related":{"ip":"203.0.113.77"}}
{"@timestamp":"2026-11-25T10:00:01+00:00","ecs":{"version":"9.4.0"},"event":{"kind":"incident"}}
{"@timestamp":"yesterday","ecs":{"version":"9.4.0"},"threat":{"enrichments":[{"indicator":{"ip":"198.51.100.0/24"}}]}}
EOF
python3 "$ECS_DIR/ecscheck.py" "$T/ecs.json" "$T/bad.ndjson" >"$T/bad.out" 2>&1
bad=$(grep -c '^.*bad.ndjson:[0-9]*:' "$T/bad.out")
[ "$bad" -ge 5 ] && grep -q 'threat.group.mitre: not an ECS' "$T/bad.out" &&
  grep -q 'related.ip: ECS normalizes it to an array' "$T/bad.out" &&
  grep -q "event.kind: 'incident' is not one of" "$T/bad.out" &&
  grep -q '@timestamp: date wants' "$T/bad.out" && grep -q 'enrichments.indicator.ip: ip wants' "$T/bad.out"
ok $? "the ECS check fails on a non-ECS field, a single value for an array, a value ECS does not allow, a bad date and a CIDR as ip" ||
  diag "$(cat "$T/bad.out")"

# ---------------------------------------------------------------- the template's ECS fields
python3 "$ECS_DIR/template-ecs-types.py" "$T/ecs.json" "$top_srcdir/elastic/dprk-intel-index-template.json" >"$T/types.out" 2>&1
ok $? "every ECS field of the index template is mapped with its ECS type" || diag "$(cat "$T/types.out")"

# ---------------------------------------------------------------- simulated values
if ecs_docs_simulated "$T/simulated.ndjson"; then
  pass "syslog-ng renders the simulated messages with \$(dprk-intel-ecs)"
else
  fail "syslog-ng renders the simulated messages with \$(dprk-intel-ecs)"
  diag "$(tail -n 20 "$SNG_LOG")"
fi
ecs_check "$T/simulated.ndjson" "simulated values: every field of every document is ECS $ECS_VERSION or ours"
expect_section simulated "$T/simulated.ndjson"

# ---------------------------------------------------------------- the real parser
if ! ecs_module_built; then
  diag "$ECS_MODULE is not built: the real parser's documents are not checked"
  fail "the dprk-intel module is built"
  done_testing
fi
if ecs_docs_real "$T/real.ndjson"; then
  pass "the real dprk-intel() parser and \$(dprk-intel-ecs): $ECS_REAL_LINES messages, $ECS_SUMMARIES incident summaries"
else
  fail "the real dprk-intel() parser and \$(dprk-intel-ecs): $ECS_REAL_LINES messages, $ECS_SUMMARIES incident summaries"
  diag "$(tail -n 20 "$SNG_LOG")"
fi
ecs_check "$T/real.ndjson" "real parser: every field of every document is ECS $ECS_VERSION or ours"
expect_section real "$T/real.ndjson"
if [ "$ECS_SUMMARIES" -gt 0 ]; then
  expect_section real-incidents "$T/real.ndjson"
else
  diag "the built parser takes no incident options yet: incident fields are checked with simulated values only"
fi

# ---------------------------------------------------------------- the log parsers (dprk-intel-enrich())
if ecs_docs_logsrc "$T/logsrc.ndjson"; then
  pass "dprk-intel-enrich() and \$(dprk-intel-ecs): $ECS_LOGSRC_LINES lines of every log source, and the incident summaries"
else
  fail "dprk-intel-enrich() and \$(dprk-intel-ecs): $ECS_LOGSRC_LINES lines of every log source, and the incident summaries"
  diag "$(tail -n 20 "$SNG_LOG")"
fi
ecs_check "$T/logsrc.ndjson" "log parsers: every field of every document is ECS $ECS_VERSION or ours"
expect_section logsrc "$T/logsrc.ndjson"

done_testing
