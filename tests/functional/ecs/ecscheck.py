#!/usr/bin/env python3
"""ecscheck.py: is every field of every document an ECS field of the right type?

  ecscheck.py ECS.json DOCS.ndjson...

ECS.json is what ecs-flat.js prints from the npm package @elastic/ecs (every
ECS field with its type, normalize, allowed_values, expected_values, pattern).
For each document, every field (dotted path) must be:
  - an ECS field, with a value of its type (keyword: a string, long: an
    integer, date: ISO 8601, ip: an address, ...), a JSON array where ECS
    normalizes to an array and a single value where it does not, one of its
    allowed_values, matching its pattern; or
  - one of our own: under dprk_intel.*, under crypto.* (the fields of the
    log parsers that ECS lacks), under threat.enrichments.dprk_intel.*
    (our object inside each enrichment), or a labels.* keyword.
@timestamp and ecs.version (equal to the package's version) are required.
A value outside an ECS field's expected_values (ECS: expected, not enforced)
is printed as a note and does not fail.

Prints one line per problem ("FILE:LINE: field: why") and per note ("note: ..."),
then a summary; exit status 1 when there is a problem.  Standard library only.
"""
import datetime
import ipaddress
import json
import re
import sys

OURS = ("dprk_intel", "threat.enrichments.dprk_intel", "crypto")
STRING_TYPES = ("keyword", "constant_keyword", "wildcard", "match_only_text", "text")

_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def is_ours(path):
    return any(path == p or path.startswith(p + ".") for p in OURS)


def _iso8601(value):
    if not isinstance(value, str) or not _ISO_RE.match(value):
        return False
    text = value.replace("Z", "+00:00")
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    text = re.sub(r"\.(\d{1,6})\d*", lambda m: "." + m.group(1).ljust(6, "0"), text)
    try:
        datetime.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def type_problem(ftype, value):
    """None when value is an ECS value of ftype, else why not."""
    if ftype in STRING_TYPES:
        return None if isinstance(value, str) else "%s wants a string, got %r" % (ftype, value)
    if ftype == "long":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else "long wants an integer, got %r" % (value,)
    if ftype in ("float", "scaled_float", "double", "half_float"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else "%s wants a number, got %r" % (ftype, value)
    if ftype == "boolean":
        return None if isinstance(value, bool) else "boolean wants true/false, got %r" % (value,)
    if ftype == "date":
        return None if _iso8601(value) else "date wants ISO 8601 text, got %r" % (value,)
    if ftype == "ip":
        try:
            ipaddress.ip_address(value if isinstance(value, str) else None)
        except ValueError:
            return "ip wants an IPv4 or IPv6 address, got %r" % (value,)
        return None
    if ftype == "geo_point":
        return None if isinstance(value, (dict, str, list)) else "geo_point got %r" % (value,)
    return "ECS type %s is not known to this checker" % ftype


class EcsChecker:
    def __init__(self, ecs):
        self.version = ecs["version"]
        self.fields = ecs["fields"]
        self.notes = set()
        self.checked = 0

    def check(self, doc):
        problems = []
        if not isinstance(doc, dict):
            return ["document is not a JSON object"]
        self._walk(doc, "", problems)
        for required in ("@timestamp", "ecs.version"):
            if self._get(doc, required) is None:
                problems.append("%s: required by ECS, missing" % required)
        version = self._get(doc, "ecs.version")
        if version is not None and version != self.version:
            problems.append("ecs.version: %r, but the schema checked against is %s" % (version, self.version))
        return problems

    @staticmethod
    def _get(doc, path):
        node = doc
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def _walk(self, obj, prefix, problems):
        for key, value in obj.items():
            if key == "" or key.startswith(".") or key.endswith("."):
                problems.append("%s%r: not a usable field name" % (prefix, key))
                continue
            self._field(prefix + key, value, problems)

    def _field(self, path, value, problems):
        if is_ours(path):
            self.checked += 1
            return
        definition = self.fields.get(path)
        if definition is None:
            parent = self._object_parent(path)
            if parent is not None:                   # labels.KEY
                self._object_member(parent, path, value, problems)
            elif isinstance(value, dict):            # threat, threat.group, ...
                self._walk(value, path + ".", problems)
            else:
                problems.append("%s: not an ECS %s field, and not under dprk_intel.*, crypto.* or labels.*"
                                % (path, self.version))
            return
        self.checked += 1
        ftype = definition["type"]
        is_array = "array" in definition.get("normalize", [])
        if ftype == "nested":
            items = value if isinstance(value, list) else [value]
            if not isinstance(value, list):
                problems.append("%s: ECS nested field, wants an array of objects" % path)
            for item in items:
                if isinstance(item, dict):
                    self._walk(item, path + ".", problems)
                else:
                    problems.append("%s: nested field given %r" % (path, item))
            return
        if ftype == "object":
            items = value if isinstance(value, list) and "object_type" not in definition else [value]
            for item in items:
                if not isinstance(item, dict):
                    problems.append("%s: ECS object field given %r" % (path, item))
                elif "object_type" in definition:     # labels: any key, typed values
                    for key, member in item.items():
                        self._object_member(definition, path + "." + key, member, problems)
                else:                                 # an object of ECS fields
                    self._walk(item, path + ".", problems)
            return
        if ftype == "flattened":
            if not isinstance(value, dict):
                problems.append("%s: flattened field given %r" % (path, value))
            return
        if isinstance(value, dict):
            problems.append("%s: ECS %s field given an object" % (path, ftype))
            return
        if isinstance(value, list) and any(isinstance(v, list) for v in value):
            problems.append("%s: array of arrays" % path)
            return
        if is_array and not isinstance(value, list):
            problems.append("%s: ECS normalizes it to an array, got a single value %r" % (path, value))
        if not is_array and isinstance(value, list):
            problems.append("%s: ECS field holds one value, got an array" % path)
        for item in value if isinstance(value, list) else [value]:
            problem = type_problem(ftype, item)
            if problem:
                problems.append("%s: %s" % (path, problem))
                continue
            allowed = definition.get("allowed_values")
            if allowed and item not in allowed:
                problems.append("%s: %r is not one of ECS's allowed values %s" % (path, item, allowed))
            expected = definition.get("expected_values")
            if expected and item not in expected:
                self.notes.add("%s: %r is outside ECS's expected values (advisory)" % (path, item))
            pattern = definition.get("pattern")
            if pattern and isinstance(item, str) and not re.fullmatch(pattern, item):
                problems.append("%s: %r does not match ECS pattern %s" % (path, item, pattern))

    def _object_parent(self, path):
        """The ECS object field with an object_type (labels, container.labels)
        that path is a member of, or None."""
        parts = path.split(".")
        for i in range(len(parts) - 1, 0, -1):
            definition = self.fields.get(".".join(parts[:i]))
            if definition is not None:
                return definition if "object_type" in definition else None
        return None

    def _object_member(self, definition, path, value, problems):
        self.checked += 1
        object_type = definition.get("object_type", "keyword")
        if isinstance(value, (dict, list)):
            problems.append("%s: members of %s hold one %s each" % (path, definition["flat_name"], object_type))
            return
        problem = type_problem(object_type, value)
        if problem:
            problems.append("%s: %s" % (path, problem))


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: ecscheck.py ECS.json DOCS.ndjson...\n")
        return 2
    with open(argv[1], encoding="utf-8") as f:
        checker = EcsChecker(json.load(f))
    docs = bad = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                docs += 1
                try:
                    problems = checker.check(json.loads(line))
                except ValueError as e:
                    problems = ["not JSON: %s" % e]
                for problem in problems:
                    print("%s:%d: %s" % (path, number, problem))
                bad += bool(problems)
    for note in sorted(checker.notes):
        print("note: " + note)
    print("%d documents, %d fields checked against ECS %s, %d documents with problems"
          % (docs, checker.checked, checker.version, bad))
    return 1 if bad or docs == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
