#!/usr/bin/env python3
"""logsrc_docs.py: what the log-source checkers share.

output_docs(PATH) reads what syslog-ng wrote with logsrc_out_template (one
JSON object a message: msg, tags, and the .dprk.log.* fields nested under
"_dprk"."log") into {message text: [documents]}; log_fields(DOC) gives a
document's .dprk.log.* fields as {dotted name without the prefix: value}.
"""
import json


def _flatten(obj, prefix=""):
    out = {}
    for key, value in obj.items():
        if isinstance(value, dict):
            out.update(_flatten(value, prefix + key + "."))
        else:
            out[prefix + key] = value
    return out


def log_fields(doc):
    return _flatten(doc.get("_dprk", {}).get("log", {}))


def output_docs(path):
    docs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            docs.setdefault(doc["msg"], []).append(doc)
    return docs
