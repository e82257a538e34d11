#!/usr/bin/env python3
"""kibana-check.py: are the Kibana saved objects importable and do they fit the index template?

  kibana-check.py TEMPLATE.json OBJECTS.ndjson [--index NAME]

Checks, printing one line per problem (exit 1 if any):
  - every line is a JSON object with type, id, attributes and references,
    and no two objects share type and id;
  - every attribute that Kibana stores as a JSON string (panelsJSON,
    optionsJSON, searchSourceJSON, fieldFormatMap, ...) parses;
  - every reference names an object of the file (type and id), every
    reference a dashboard panel, a Lens layer or a saved search's
    indexRefName needs is there, and none is left unused;
  - the data view's title pattern matches NAME (default: an index of today as
    dprk-intel-elasticsearch() names it) and is claimed by the template, and
    its timeFieldName is a date field of the template;
  - every field a panel uses (Lens columns, saved-search columns and sort,
    KQL queries) is mapped by the template outside any nested object (Lens
    cannot chart nested fields), aggregatable where Lens buckets or measures
    it, numeric where it sums, a date where it draws a date histogram;
  - Lens accessors name existing columns, and dashboard panels fit Kibana's
    48-column grid without overlapping.
Prints a summary line of what was checked.  Standard library only.
"""
import fnmatch
import json
import os
import re
import sys
import time

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import esmapping  # noqa: E402

JSON_STRING_ATTRS = ("fieldFormatMap", "sourceFilters", "runtimeFieldMap", "fieldAttrs",
                     "fields", "visState", "uiStateJSON")
NOT_AGGREGATABLE = ("text", "match_only_text")
NUMERIC = ("long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float",
           "unsigned_long")
NUMERIC_OPS = ("sum", "average", "median", "min", "max", "percentile", "standard_deviation",
               "last_value", "percentile_rank")
GRID_COLUMNS = 48
# field names in KQL: `name :`, `name <`, `name >=`, `not name:` ...
KQL_FIELD_RE = re.compile(r"(?:^|[\s(])([A-Za-z_@][A-Za-z0-9_.@]*)\s*(?::|<=|>=|<|>)")


class Checker:
    def __init__(self, mapping, patterns, index):
        self.mapping = mapping
        self.patterns = patterns
        self.index = index
        self.problems = []
        self.fields_checked = set()

    def problem(self, where, text):
        self.problems.append("%s: %s" % (where, text))

    # ---------------------------------------------------------------- fields

    def field(self, where, name, need=None):
        """name must be mapped, not nested; need: 'agg', 'number', 'date' or None."""
        self.fields_checked.add(name)
        mapping, nested = self.mapping.lookup(name)
        if mapping is None:
            self.problem(where, "field %s is not mapped by the index template" % name)
            return
        if nested:
            self.problem(where, "field %s is inside the nested %s: Lens and Discover columns cannot use it"
                         % (name, nested[0]))
            return
        ftype = mapping.get("type", "object")
        if ftype in ("object", "nested"):
            self.problem(where, "field %s is an object, not a field" % name)
        elif need in ("agg", "number", "date") and ftype in NOT_AGGREGATABLE:
            self.problem(where, "field %s is %s: not aggregatable" % (name, ftype))
        elif need == "number" and ftype not in NUMERIC:
            self.problem(where, "field %s is %s, not a number" % (name, ftype))
        elif need == "date" and ftype != "date":
            self.problem(where, "field %s is %s, not a date" % (name, ftype))

    def kql(self, where, query):
        if not isinstance(query, dict):
            self.problem(where, "query is not an object")
            return
        if query.get("language") not in ("kuery", "lucene"):
            self.problem(where, "query language %r" % query.get("language"))
        text = query.get("query", "")
        if not isinstance(text, str):
            self.problem(where, "query text is not a string")
            return
        for name in KQL_FIELD_RE.findall(text):
            if name.lower() in ("and", "or", "not"):
                continue
            self.field(where + " query", name)

    def filters(self, where, filters):
        for f in filters or []:
            key = (f.get("meta") or {}).get("key")
            if key:
                self.field(where + " filter", key)

    # ---------------------------------------------------------------- objects

    def parse_json_strings(self, where, attributes):
        """Parses the JSON-string attributes in place (a copy); returns the copy."""
        parsed = {}
        for key, value in attributes.items():
            if isinstance(value, dict):
                value = self.parse_json_strings(where + "." + key, value)
            elif isinstance(value, str) and (key.endswith("JSON") or key in JSON_STRING_ATTRS):
                try:
                    value = json.loads(value)
                except ValueError as e:
                    self.problem(where, "attribute %s is not valid JSON: %s" % (key, e))
                    value = None
            parsed[key] = value
        return parsed

    def check_file(self, path):
        objects = {}
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for number, line in enumerate(lines, 1):
            where = "line %d" % number
            try:
                obj = json.loads(line)
            except ValueError as e:
                self.problem(where, "not JSON: %s" % e)
                continue
            if isinstance(obj, dict) and "exportedCount" in obj:
                continue                 # the summary line of a Kibana export
            if not isinstance(obj, dict):
                self.problem(where, "not a saved object")
                continue
            missing = [k for k in ("type", "id", "attributes", "references") if k not in obj]
            if missing:
                self.problem(where, "saved object without %s" % ", ".join(missing))
                continue
            key = (obj["type"], obj["id"])
            if key in objects:
                self.problem(where, "%s %s defined twice" % key)
            obj["_where"] = "%s (%s %s)" % (where, obj["type"], obj["id"])
            obj["_attrs"] = self.parse_json_strings(obj["_where"], obj["attributes"])
            objects[key] = obj
        if not objects:
            self.problem(path, "no saved objects")
        for obj in objects.values():
            self.check_references(obj, objects)
            check = getattr(self, "check_" + obj["type"].replace("-", "_"), None)
            if check is None:
                self.problem(obj["_where"], "object type %s is not checked by this script" % obj["type"])
            else:
                check(obj, objects)
        kinds = {}
        for t, _ in objects:
            kinds[t] = kinds.get(t, 0) + 1
        return kinds

    def check_references(self, obj, objects):
        names = set()
        for ref in obj["references"]:
            if not all(k in ref for k in ("type", "id", "name")):
                self.problem(obj["_where"], "reference without type, id or name: %r" % ref)
                continue
            if (ref["type"], ref["id"]) not in objects:
                self.problem(obj["_where"], "reference %s -> %s %s does not resolve in the file"
                             % (ref["name"], ref["type"], ref["id"]))
            if ref["name"] in names:
                self.problem(obj["_where"], "reference name %s used twice" % ref["name"])
            names.add(ref["name"])

    def _ref_names(self, obj):
        return {r.get("name"): r for r in obj["references"]}

    def _require_refs(self, obj, needed, wanted_types):
        refs = self._ref_names(obj)
        for name in needed:
            if name not in refs:
                self.problem(obj["_where"], "needs a reference named %s" % name)
            elif refs[name]["type"] not in wanted_types:
                self.problem(obj["_where"], "reference %s is a %s, wanted %s"
                             % (name, refs[name]["type"], "/".join(wanted_types)))
        for name in refs:
            if name not in needed:
                self.problem(obj["_where"], "reference %s is used by nothing" % name)

    # ---------------------------------------------------------------- types

    def check_index_pattern(self, obj, objects):
        attrs = obj["_attrs"]
        title = attrs.get("title", "")
        if not fnmatch.fnmatchcase(self.index, title):
            self.problem(obj["_where"], "data view %r does not match the index %s" % (title, self.index))
        if not any(fnmatch.fnmatchcase(self.index, p) for p in self.patterns):
            self.problem(obj["_where"], "the index %s is not claimed by the template %s" % (self.index, self.patterns))
        time_field = attrs.get("timeFieldName")
        if not time_field:
            self.problem(obj["_where"], "no timeFieldName")
        else:
            self.field(obj["_where"] + " timeFieldName", time_field, "date")
        for name in (attrs.get("fieldFormatMap") or {}):
            self.field(obj["_where"] + " fieldFormatMap", name)
        self._require_refs(obj, [], ())

    def check_search(self, obj, objects):
        attrs = obj["_attrs"]
        where = obj["_where"]
        source = (attrs.get("kibanaSavedObjectMeta") or {}).get("searchSourceJSON") or {}
        index_ref = source.get("indexRefName")
        if not index_ref:
            self.problem(where, "searchSourceJSON has no indexRefName")
        self._require_refs(obj, [index_ref] if index_ref else [], ("index-pattern",))
        self.kql(where, source.get("query", {"language": "kuery", "query": ""}))
        self.filters(where, source.get("filter"))
        columns = attrs.get("columns") or []
        if not columns:
            self.problem(where, "no columns")
        for name in columns:
            self.field(where + " column", name)
        for sort in attrs.get("sort") or []:
            self.field(where + " sort", sort[0], "agg")

    def check_lens(self, obj, objects):
        attrs = obj["_attrs"]
        where = obj["_where"]
        state = attrs.get("state") or {}
        layers = ((state.get("datasourceStates") or {}).get("formBased") or {}).get("layers") or {}
        if not layers:
            self.problem(where, "Lens without formBased layers")
        self._require_refs(obj, ["indexpattern-datasource-layer-" + lid for lid in layers], ("index-pattern",))
        self.kql(where, state.get("query", {}))
        self.filters(where, state.get("filters"))
        column_ids = set()
        for lid, layer in layers.items():
            columns = layer.get("columns") or {}
            if set(layer.get("columnOrder") or []) != set(columns):
                self.problem(where, "layer %s: columnOrder and columns differ" % lid)
            for cid, column in columns.items():
                column_ids.add(cid)
                op = column.get("operationType")
                field = column.get("sourceField")
                if op == "count" and field in (None, "___records___"):
                    continue
                if not field:
                    self.problem(where, "column %s (%s) has no sourceField" % (cid, op))
                    continue
                need = "agg"
                if op == "date_histogram":
                    need = "date"
                elif op in NUMERIC_OPS:
                    need = "number"
                self.field("%s column %s (%s)" % (where, cid, op), field, need)
                order = (column.get("params") or {}).get("orderBy") or {}
                if order.get("type") == "column" and order.get("columnId") not in columns:
                    self.problem(where, "column %s orders by a column that is not there" % cid)
        visualization = state.get("visualization") or {}
        for accessor in _accessors(visualization):
            if accessor not in column_ids:
                self.problem(where, "the visualization uses column %s, which no layer has" % accessor)
        if attrs.get("visualizationType") not in ("lnsXY", "lnsMetric", "lnsPie", "lnsDatatable",
                                                 "lnsLegacyMetric", "lnsGauge", "lnsHeatmap", "lnsTagcloud"):
            self.problem(where, "unknown visualizationType %r" % attrs.get("visualizationType"))

    def check_dashboard(self, obj, objects):
        attrs = obj["_attrs"]
        where = obj["_where"]
        panels = attrs.get("panelsJSON")
        if not isinstance(panels, list) or not panels:
            self.problem(where, "panelsJSON is not a list of panels")
            return
        needed = []
        cells = {}
        for panel in panels:
            pid = panel.get("panelIndex")
            ref = panel.get("panelRefName")
            if not pid or not ref:
                self.problem(where, "panel without panelIndex or panelRefName: %r" % panel)
                continue
            needed.append("%s:%s" % (pid, ref))
            grid = panel.get("gridData") or {}
            x, y, w, h = (grid.get(k) for k in ("x", "y", "w", "h"))
            if not all(isinstance(v, int) for v in (x, y, w, h)) or w <= 0 or h <= 0 or x < 0 or y < 0 \
                    or x + w > GRID_COLUMNS:
                self.problem(where, "panel %s: gridData %r does not fit the %d-column grid" % (pid, grid, GRID_COLUMNS))
                continue
            if grid.get("i") != pid:
                self.problem(where, "panel %s: gridData.i is %r" % (pid, grid.get("i")))
            for cx in range(x, x + w):
                for cy in range(y, y + h):
                    if (cx, cy) in cells:
                        self.problem(where, "panels %s and %s overlap" % (cells[(cx, cy)], pid))
                        break
                    cells[(cx, cy)] = pid
                else:
                    continue
                break
        refs = self._ref_names(obj)
        self._require_refs(obj, needed, ("lens", "search", "visualization"))
        for panel in panels:
            ref = refs.get("%s:%s" % (panel.get("panelIndex"), panel.get("panelRefName")))
            if ref and panel.get("type") and panel["type"] != ref["type"]:
                self.problem(where, "panel %s is a %s but its reference is a %s"
                             % (panel["panelIndex"], panel["type"], ref["type"]))
        source = (attrs.get("kibanaSavedObjectMeta") or {}).get("searchSourceJSON") or {}
        if source.get("query"):
            self.kql(where, source["query"])
        self.filters(where, source.get("filter"))
        if attrs.get("timeRestore") and not (attrs.get("timeFrom") and attrs.get("timeTo")):
            self.problem(where, "timeRestore without timeFrom/timeTo")


def _accessors(visualization):
    """Every column id a Lens visualization state refers to."""
    out = []
    layers = visualization.get("layers")
    if isinstance(layers, list):
        for layer in layers:
            out += layer.get("accessors") or []
            out += [layer[k] for k in ("xAccessor", "splitAccessor") if layer.get(k)]
            out += layer.get("primaryGroups") or []
            out += layer.get("secondaryGroups") or []
            out += layer.get("metrics") or []
    else:
        out += [visualization[k] for k in ("metricAccessor", "secondaryMetricAccessor", "breakdownByAccessor")
                if visualization.get(k)]
        out += [c.get("columnId") for c in visualization.get("columns") or []]
    return out


def main(argv):
    args = argv[1:]
    index = time.strftime("dprk-intel-%Y.%m.%d")
    if "--index" in args:
        i = args.index("--index")
        index = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        sys.stderr.write("usage: kibana-check.py TEMPLATE.json OBJECTS.ndjson [--index NAME]\n")
        return 2
    with open(args[0], encoding="utf-8") as f:
        template = json.load(f)
    checker = Checker(esmapping.Mapping(esmapping.template_mappings(template)),
                      template.get("index_patterns", []), index)
    kinds = checker.check_file(args[1])
    for problem in checker.problems:
        print(problem)
    print("checked %s; fields used: %s" % (", ".join("%d %s" % (n, t) for t, n in sorted(kinds.items())),
                                           " ".join(sorted(checker.fields_checked))))
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
