#!/usr/bin/env python3
"""dashboard-svg.py: draws the layout of the Kibana dashboard from the saved objects.

  dashboard-svg.py OBJECTS.ndjson > docs/dashboard-layout.svg

A mock-up, not a screenshot: each panel of the dashboard's panelsJSON is drawn
at its gridData position (Kibana's 48-column grid) with its title, a sketch of
its chart type and the fields it uses, all read from the NDJSON.  The output
is deterministic, so test-kibana.sh can check that the picture in docs/ still
matches the saved objects.  Standard library only.
"""
import json
import sys
from xml.sax.saxutils import escape

COL = 20          # px per grid column (48 columns: 960 px)
ROW = 20          # px per grid row
PAD = 4
TOP = 56


def load(path):
    objects = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                obj = json.loads(line)
                if "type" in obj:
                    objects[(obj["type"], obj["id"])] = obj
    return objects


def panel_info(obj):
    """(title, kind, fields, query) of a lens or search object."""
    attrs = obj["attributes"]
    if obj["type"] == "search":
        source = json.loads(attrs["kibanaSavedObjectMeta"]["searchSourceJSON"])
        return attrs["title"], "table", attrs.get("columns", []), source.get("query", {}).get("query", "")
    state = attrs["state"]
    fields = []
    for layer in state["datasourceStates"]["formBased"]["layers"].values():
        for cid in layer["columnOrder"]:
            column = layer["columns"][cid]
            field = column.get("sourceField")
            op = column["operationType"]
            fields.append("count" if field in (None, "___records___") else "%s(%s)" % (op, field))
    kind = {"lnsXY": "bars", "lnsMetric": "metric", "lnsPie": "donut", "lnsDatatable": "table"}.get(
        attrs["visualizationType"], "chart")
    if kind == "bars" and state["visualization"].get("preferredSeriesType") == "bar_horizontal":
        kind = "hbars"
    return attrs["title"], kind, fields, state.get("query", {}).get("query", "")


def sketch(kind, x, y, w, h):
    """A few grey shapes that suggest the chart type, inside the box."""
    out = []
    cx, cy = x + w / 2, y + h / 2
    if kind == "metric":
        out.append('<text x="%d" y="%d" class="big">#</text>' % (cx, cy + 12))
    elif kind == "bars":
        n = max(6, min(24, int(w / 22)))
        bw = (w - 20) / n
        for i in range(n):
            bh = (h - 10) * (0.25 + 0.7 * (((i * 7) % 11) / 11.0))
            out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="s%d"/>'
                       % (x + 10 + i * bw, y + h - bh, bw * 0.7, bh * 0.6, i % 3))
            out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="s%d"/>'
                       % (x + 10 + i * bw, y + h - bh * 0.4, bw * 0.7, bh * 0.4, (i + 1) % 3))
    elif kind == "hbars":
        for i in range(5):
            out.append('<rect x="%d" y="%.1f" width="%.1f" height="%.1f" class="s0"/>'
                       % (x + 10, y + 6 + i * (h - 10) / 5, (w - 20) * (1 - i * 0.17), (h - 10) / 5 * 0.6))
    elif kind == "donut":
        r = min(w, h) / 2 - 6
        out.append('<circle cx="%.1f" cy="%.1f" r="%.1f" class="donut"/>' % (cx, cy, r * 0.75))
        out.append('<circle cx="%.1f" cy="%.1f" r="%.1f" class="donut2"/>' % (cx, cy, r * 0.75))
    elif kind == "table":
        rows = max(2, int(h / 16))
        for i in range(rows):
            out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="grid"/>'
                       % (x + 6, y + 8 + i * 16, x + w - 6, y + 8 + i * 16))
    return out


def render(objects):
    dashboards = [o for (t, _), o in sorted(objects.items()) if t == "dashboard"]
    dashboard = dashboards[0]
    attrs = dashboard["attributes"]
    panels = json.loads(attrs["panelsJSON"])
    refs = {r["name"]: r for r in dashboard["references"]}
    height = max(p["gridData"]["y"] + p["gridData"]["h"] for p in panels) * ROW + TOP + 30
    width = 48 * COL + 2 * PAD
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="Inter, Helvetica, Arial, sans-serif">' % (width, height, width, height),
           '<style>',
           '.panel{fill:#fff;stroke:#d3dae6}.title{font-size:13px;font-weight:600;fill:#343741}',
           '.fields{font-size:10px;fill:#69707d}.query{font-size:10px;fill:#98a2b3;font-style:italic}',
           '.big{font-size:30px;font-weight:700;fill:#343741;text-anchor:middle}',
           '.s0{fill:#54b399}.s1{fill:#6092c0}.s2{fill:#d36086}.grid{stroke:#d3dae6}',
           '.donut{fill:none;stroke:#6092c0;stroke-width:18}',
           '.donut2{fill:none;stroke:#54b399;stroke-width:18;stroke-dasharray:60 400}',
           '.head{font-size:16px;font-weight:700;fill:#1a1c21}.note{font-size:11px;fill:#bd271e}',
           '</style>',
           '<rect width="100%" height="100%" fill="#f7f8fc"/>',
           '<text x="%d" y="22" class="head">%s</text>' % (PAD + 4, escape(attrs["title"])),
           '<text x="%d" y="42" class="note">Layout mock-up drawn from elastic/dprk-intel-kibana.ndjson '
           'by tests/functional/ecs/dashboard-svg.py: not a screenshot; shapes only suggest the chart types.</text>'
           % (PAD + 4)]
    for panel in sorted(panels, key=lambda p: (p["gridData"]["y"], p["gridData"]["x"])):
        grid = panel["gridData"]
        ref = refs["%s:%s" % (panel["panelIndex"], panel["panelRefName"])]
        title, kind, fields, query = panel_info(objects[(ref["type"], ref["id"])])
        x = PAD + grid["x"] * COL + 2
        y = TOP + grid["y"] * ROW + 2
        w = grid["w"] * COL - 4
        h = grid["h"] * ROW - 4
        out.append('<g>')
        out.append('<rect x="%d" y="%d" width="%d" height="%d" rx="4" class="panel"/>' % (x, y, w, h))
        out.append('<text x="%d" y="%d" class="title">%s</text>' % (x + 8, y + 18, escape(title)))
        line_y = y + 32
        text = ", ".join(fields)
        max_chars = max(20, int(w / 5.6))
        while text and line_y < y + 32 + 12 * 2:
            out.append('<text x="%d" y="%d" class="fields">%s</text>' % (x + 8, line_y, escape(text[:max_chars])))
            text = text[max_chars:]
            line_y += 12
        if query:
            out.append('<text x="%d" y="%d" class="query">%s</text>'
                       % (x + 8, line_y, escape(query[:max_chars])))
            line_y += 12
        box_y = line_y + 2
        if y + h - 6 - box_y > 12:
            out += sketch(kind, x + 6, box_y, w - 12, y + h - 6 - box_y)
        out.append('</g>')
    out.append('</svg>')
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: dashboard-svg.py OBJECTS.ndjson\n")
        return 2
    sys.stdout.write(render(load(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
