#!/bin/bash
# test-kibana.sh: the Kibana saved objects (elastic/dprk-intel-kibana.ndjson)
# against the index template, with ecs/kibana-check.py: each line parses, the
# JSON-string attributes parse, every reference resolves inside the file, and
# every panel uses fields the template maps outside the nested
# threat.enrichments (Lens cannot chart nested fields).  Broken copies of the
# file must fail the same check.  docs/dashboard-layout.svg must be the
# picture ecs/dashboard-svg.py draws from the file.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
ECS_DIR="$top_srcdir/tests/functional/ecs"
TEMPLATE="$top_srcdir/elastic/dprk-intel-index-template.json"
OBJECTS="$top_srcdir/elastic/dprk-intel-kibana.ndjson"

check()
{
  python3 "$ECS_DIR/kibana-check.py" "$TEMPLATE" "$1" >"$T/check.out" 2>&1
}

# broken NAME PYTHON-EXPR: a copy of the objects with one change, made by a
# python statement on `objs` (a list of the parsed lines) -> $T/NAME.ndjson
broken()
{
  python3 - "$OBJECTS" "$T/$1.ndjson" "$2" <<'PY'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by_id = {o["id"]: o for o in objs}
def lens_layer(obj):
    return next(iter(obj["attributes"]["state"]["datasourceStates"]["formBased"]["layers"].values()))
exec(sys.argv[3])
with open(sys.argv[2], "w") as f:
    for o in objs:
        if o is not None:
            f.write((o if isinstance(o, str) else json.dumps(o)) + "\n")
PY
}

plan 11

check "$OBJECTS"
ok $? "the saved objects pass: JSON, JSON strings, references, fields of the template outside nested" ||
  diag "$(cat "$T/check.out")"
diag "$(tail -n 1 "$T/check.out")"

types=$(python3 -c '
import json, sys
print(" ".join(sorted({json.loads(l)["type"] for l in open(sys.argv[1]) if l.strip()})))' "$OBJECTS")
is "$types" "dashboard index-pattern lens search" "a data view, Lens panels, a saved search and a dashboard"

timefield=$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o["type"] == "index-pattern": print(o["attributes"]["title"], o["attributes"]["timeFieldName"])' "$OBJECTS")
is "$timefield" "dprk-intel-* @timestamp" "the data view covers dprk-intel-* on @timestamp"

# the panels the issue asks for, by title
titles=$(python3 -c '
import json, sys
objs = {json.loads(l)["id"]: json.loads(l) for l in open(sys.argv[1]) if l.strip()}
dash = next(o for o in objs.values() if o["type"] == "dashboard")
print("|".join(objs[r["id"]]["attributes"]["title"] for r in dash["references"]))' "$OBJECTS")
missing=
for want in "Matches over time by actor" "Top matched indicators" "Matches by indicator type" \
            "Wallet matches by chain" "Incidents" "Total matched amount" \
            "Top accounts by matches" "Top accounts by incidents" "Matched amount by asset"; do
  case "|$titles|" in *"|$want|"*) ;; *) missing="$missing [$want]" ;; esac
done
is "$missing" "" "the dashboard has the panels of the issues (over time by actor, top indicators, type and chain, incidents, amount; per account: matches, incidents, amount by asset)"

# ---------------------------------------------------------------- broken copies fail
broken nested 'lens_layer(by_id["dprk-intel-lens-over-time"])["columns"]["a"]["sourceField"] = "threat.enrichments.dprk_intel.actor"'
check "$T/nested.ndjson"
[ $? -ne 0 ] && grep -q 'inside the nested threat.enrichments' "$T/check.out"
ok $? "a panel on a nested field fails" || diag "$(cat "$T/check.out")"

broken dangling 'objs[[o["type"] for o in objs].index("search")] = None'
check "$T/dangling.ndjson"
[ $? -ne 0 ] && grep -q 'does not resolve in the file' "$T/check.out"
ok $? "a reference to an object not in the file fails" || diag "$(cat "$T/check.out")"

broken badjson 'd = by_id["dprk-intel-dashboard"]; d["attributes"]["panelsJSON"] = d["attributes"]["panelsJSON"][:-2]'
check "$T/badjson.ndjson"
[ $? -ne 0 ] && grep -q 'panelsJSON is not valid JSON' "$T/check.out"
ok $? "a panelsJSON that does not parse fails" || diag "$(cat "$T/check.out")"

broken unmapped 'lens_layer(by_id["dprk-intel-lens-by-chain"])["columns"]["c"]["sourceField"] = "dprk_intel.wallet.chain"'
check "$T/unmapped.ndjson"
[ $? -ne 0 ] && grep -q 'dprk_intel.wallet.chain is not mapped' "$T/check.out"
ok $? "a panel on a field the template does not map fails" || diag "$(cat "$T/check.out")"

broken text 'lens_layer(by_id["dprk-intel-lens-top-indicators"])["columns"]["i"]["sourceField"] = "message"'
check "$T/text.ndjson"
[ $? -ne 0 ] && grep -q 'field message is match_only_text: not aggregatable' "$T/check.out"
ok $? "a Lens terms column on a text field fails" || diag "$(cat "$T/check.out")"

broken line 'objs.append("{not json")'
check "$T/line.ndjson"
[ $? -ne 0 ] && grep -q 'not JSON' "$T/check.out"
ok $? "a line that does not parse fails" || diag "$(cat "$T/check.out")"

# ---------------------------------------------------------------- the picture
python3 "$ECS_DIR/dashboard-svg.py" "$OBJECTS" >"$T/layout.svg" 2>"$T/svg.err"
cmp -s "$T/layout.svg" "$top_srcdir/docs/dashboard-layout.svg"
ok $? "docs/dashboard-layout.svg is what dashboard-svg.py draws from the saved objects" ||
  diag "regenerate: python3 tests/functional/ecs/dashboard-svg.py elastic/dprk-intel-kibana.ndjson > docs/dashboard-layout.svg" \
       "$(cat "$T/svg.err")"

done_testing
