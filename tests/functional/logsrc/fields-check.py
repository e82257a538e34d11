#!/usr/bin/env python3
"""fields-check.py: do the log parsers extract exactly the expected fields?

  fields-check.py NAME SAMPLE... -- EXPECTED... -- OUTPUT

SAMPLE files are the lines sent to syslog-ng, EXPECTED files hold one JSON
object per sample line ({"fields": {dotted name: value}, "tags": [...]}):
every .dprk.log.* field the line must get (named without the prefix) and
its dprk.unparsed.* / dprk.no_amount.* tags.  OUTPUT is what syslog-ng wrote
with logsrc_out_template (one JSON object a message: msg, tags and the
fields under _dprk.log).  Output messages are found by their text.

Prints TAP-ready lines: "ok<TAB>NAME: SAMPLE:N" or "not ok<TAB>...<TAB>why"
(one per sample line, plus one for the message count).  Standard library
only.
"""
import json
import os
import sys

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from logsrc_docs import log_fields, output_docs  # noqa: E402


def counted_tags(tags):
    return sorted(t for t in tags.split(",") if t.startswith(("dprk.unparsed.", "dprk.no_amount.")))


def main(argv):
    name = argv[1]
    first, second = argv.index("--"), len(argv) - 1 - argv[::-1].index("--")
    samples, expected, output = argv[2:first], argv[first + 1:second], argv[second + 1]
    if len(samples) != len(expected):
        print("not ok\t%s: arguments\t%d samples but %d expectation files" % (name, len(samples), len(expected)))
        return
    got = output_docs(output)
    n_out = sum(len(docs) for docs in got.values())
    n_lines = 0
    for sample, exp_file in zip(samples, expected):
        lines = [l.rstrip("\n") for l in open(sample, encoding="utf-8")]
        exps = [json.loads(l) for l in open(exp_file, encoding="utf-8") if l.strip()]
        base = sample.rsplit("/", 1)[-1]
        if len(lines) != len(exps):
            print("not ok\t%s: %s\t%d lines but %d expectations" % (name, base, len(lines), len(exps)))
            continue
        for n, (text, exp) in enumerate(zip(lines, exps), 1):
            n_lines += 1
            docs = got.get(text, [])
            if not docs:
                print("not ok\t%s: %s:%d\tthe message did not come out (or came out changed)" % (name, base, n))
                continue
            doc = docs.pop(0)
            fields = log_fields(doc)
            problems = []
            for key in sorted(set(fields) | set(exp["fields"])):
                if key not in fields:
                    problems.append("%s missing (want %r)" % (key, exp["fields"][key]))
                elif key not in exp["fields"]:
                    problems.append("%s=%r not expected" % (key, fields[key]))
                elif fields[key] != exp["fields"][key]:
                    problems.append("%s=%r, want %r" % (key, fields[key], exp["fields"][key]))
            tags = counted_tags(doc.get("tags", ""))
            if tags != sorted(exp.get("tags", [])):
                problems.append("tags %s, want %s" % (tags, sorted(exp.get("tags", []))))
            if problems:
                print("not ok\t%s: %s:%d\t%s" % (name, base, n, "; ".join(problems)))
            else:
                print("ok\t%s: %s:%d (%d fields)" % (name, base, n, len(fields)))
    if n_out == n_lines:
        print("ok\t%s: %d messages in, %d out" % (name, n_lines, n_out))
    else:
        print("not ok\t%s: messages\t%d in, %d out" % (name, n_lines, n_out))


if __name__ == "__main__":
    main(sys.argv)
