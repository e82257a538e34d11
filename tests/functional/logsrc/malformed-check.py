#!/usr/bin/env python3
"""malformed-check.py: do malformed lines pass through unchanged and tagged?

  malformed-check.py NAME LINES EXPECT OUTPUT [SOURCE]

LINES are malformed log lines, EXPECT says per line (tab-separated) the tag
it must get (dprk.unparsed.<source> or dprk.no_amount.<source>), the
indicator it must match (empty: none) and the field of that match.  OUTPUT
is what syslog-ng wrote with logsrc_out_template plus "indicator" and
"field" (one JSON object a message).  With SOURCE, only the lines whose tag
names that source are checked, and indicators are not (a parser alone does
not match).

For each line: it came out with its text unchanged; it carries its tag and
no other dprk.unparsed.*/dprk.no_amount.* tag; a dprk.unparsed line has no
.dprk.log.* field at all, a dprk.no_amount line has no crypto.amount but the
field of its match; the match is the expected one.  Prints "ok<TAB>what" or
"not ok<TAB>what<TAB>why" lines.  Standard library only.
"""
import os
import sys

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from logsrc_docs import log_fields, output_docs  # noqa: E402


def main(argv):
    name, lines_file, expect_file, output = argv[1:5]
    source = argv[5] if len(argv) > 5 else None
    lines = [l.rstrip("\n") for l in open(lines_file, encoding="utf-8")]
    expects = [l.rstrip("\n").split("\t") for l in open(expect_file, encoding="utf-8") if not l.startswith("#")]
    got = output_docs(output)
    for n, (text, (tag, indicator, field)) in enumerate(zip(lines, expects), 1):
        if source and tag.rsplit(".", 1)[1] != source:
            continue
        what = "%s: line %d (%s)" % (name, n, tag)
        docs = got.get(text)
        if not docs:
            print("not ok\t%s\tthe line did not come out, or came out changed" % what)
            continue
        doc = docs.pop(0)
        problems = []
        tags = sorted(t for t in doc["tags"].split(",") if t.startswith(("dprk.unparsed.", "dprk.no_amount.")))
        if tags != [tag]:
            problems.append("tags %s, want [%s]" % (tags, tag))
        fields = log_fields(doc)
        if tag.startswith("dprk.unparsed.") and fields:
            problems.append("parsed fields on an unparsed line: %s" % sorted(fields))
        if tag.startswith("dprk.no_amount."):
            if "crypto.amount" in fields:
                problems.append("crypto.amount=%r on a line without a usable amount" % fields["crypto.amount"])
            if field.startswith(".dprk.log.") and field[len(".dprk.log."):] not in fields:
                problems.append("%s missing" % field)
        if not source:
            if doc.get("indicator", "") != indicator:
                problems.append("matched %r, want %r" % (doc.get("indicator", ""), indicator))
            elif indicator and doc.get("field") != field:
                problems.append("matched in %r, want %r" % (doc.get("field"), field))
        if problems:
            print("not ok\t%s\t%s" % (what, "; ".join(problems)))
        else:
            print("ok\t%s" % what)


if __name__ == "__main__":
    main(sys.argv)
