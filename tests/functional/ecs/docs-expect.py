#!/usr/bin/env python3
"""docs-expect.py: checks chosen values of $(dprk-intel-ecs) documents.

  docs-expect.py EXPECT.json SECTION DOCS.ndjson

EXPECT.json maps a section name to a list of expectations; each picks exactly
one document -- by "message" (a substring of its message) or by "select"
({dotted path: value}, all must be equal) -- and checks it:
  "equal":    {path: value}   the value at path is exactly this
  "absent":   [path]          nothing at path
  "present":  [path]          something at path
  "contains": {path: value}   the array at path holds this value
  "length":   {path: n}       the array at path has n entries
Paths are dotted; a number picks an array entry (threat.enrichments.0.matched.atomic).
Prints one line per expectation, "ok<TAB>name" or "not ok<TAB>name<TAB>why",
for the calling TAP script.  Standard library only.
"""
import json
import sys

MISSING = object()


def get(doc, path):
    node = doc
    if path in doc:                          # "@timestamp", or a dotted key
        return doc[path]
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return MISSING
    return node


def pick(docs, expectation):
    if "message" in expectation:
        found = [d for d in docs if expectation["message"] in str(d.get("message", ""))]
        what = "message containing %r" % expectation["message"]
    else:
        found = [d for d in docs if all(get(d, p) == v for p, v in expectation["select"].items())]
        what = "document with %s" % json.dumps(expectation["select"], sort_keys=True)
    if len(found) != 1:
        return None, "%d documents with a %s, wanted 1" % (len(found), what)
    return found[0], None


def problems(doc, expectation):
    out = []
    for path, want in expectation.get("equal", {}).items():
        got = get(doc, path)
        if got is MISSING:
            out.append("%s missing, wanted %r" % (path, want))
        elif got != want:
            out.append("%s is %r, wanted %r" % (path, got, want))
    for path in expectation.get("absent", []):
        got = get(doc, path)
        if got is not MISSING:
            out.append("%s is %r, wanted nothing" % (path, got))
    for path in expectation.get("present", []):
        if get(doc, path) is MISSING:
            out.append("%s missing" % path)
    for path, want in expectation.get("contains", {}).items():
        got = get(doc, path)
        if not isinstance(got, list) or want not in got:
            out.append("%s is %r, wanted an array with %r" % (path, None if got is MISSING else got, want))
    for path, want in expectation.get("length", {}).items():
        got = get(doc, path)
        if not isinstance(got, list) or len(got) != want:
            out.append("%s is %r, wanted %d entries" % (path, None if got is MISSING else got, want))
    return out


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: docs-expect.py EXPECT.json SECTION DOCS.ndjson\n")
        return 2
    with open(argv[1], encoding="utf-8") as f:
        expectations = json.load(f)[argv[2]]
    with open(argv[3], encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    failed = 0
    for expectation in expectations:
        doc, why = pick(docs, expectation)
        found = [why] if why else problems(doc, expectation)
        if found:
            failed += 1
            print("not ok\t%s\t%s" % (expectation["name"], "; ".join(found)))
        else:
            print("ok\t%s" % expectation["name"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
