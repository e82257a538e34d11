#!/usr/bin/env python3
"""template-ecs-types.py: does the index template map each ECS field with its ECS type?

  template-ecs-types.py ECS.json TEMPLATE.json

Every field the template maps outside dprk_intel.*, crypto.* and
threat.enrichments.dprk_intel.* must be an ECS field (or an ECS multi-field
such as process.name.text) with ECS's type and ignore_above; threat.enrichments
and labels must have ECS's object types (nested, object); and ECS must define
nothing under our own namespaces (a new ECS field there would collide).  One
line per problem, exit 1 if any.  Standard library only.
"""
import json
import os
import sys

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import esmapping  # noqa: E402

OURS = ("dprk_intel.", "threat.enrichments.dprk_intel.", "crypto.")


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: template-ecs-types.py ECS.json TEMPLATE.json\n")
        return 2
    with open(argv[1], encoding="utf-8") as f:
        ecs = json.load(f)["fields"]
    mapping = esmapping.Mapping.from_template_file(argv[2])
    problems = []
    for path, m in sorted(mapping.leaf_fields().items()):
        if path.startswith(OURS):
            continue
        want = ecs.get(path)
        if want is None:
            parent, _, sub = path.rpartition(".")
            multi = {f["name"]: f["type"] for f in (ecs.get(parent) or {}).get("multi_fields", [])}
            if multi.get(sub) != m.get("type"):
                problems.append("%s: mapped as %s, but not an ECS field or multi-field" % (path, m.get("type")))
        elif want["type"] != m.get("type"):
            problems.append("%s: mapped as %s, ECS says %s" % (path, m.get("type"), want["type"]))
        elif want.get("ignore_above") != m.get("ignore_above"):
            problems.append("%s: ignore_above %s, ECS says %s" % (path, m.get("ignore_above"), want.get("ignore_above")))
    for path in sorted(ecs):
        if (path + ".").startswith(OURS):
            problems.append("%s: ECS defines it, but it lies in our own namespace" % path)
    for path in ("threat.enrichments", "labels"):
        m, _ = mapping.lookup(path)
        got = m and m.get("type", "object")
        if got != ecs[path]["type"]:
            problems.append("%s: mapped as %s, ECS says %s" % (path, got, ecs[path]["type"]))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
