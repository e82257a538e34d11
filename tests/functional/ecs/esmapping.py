#!/usr/bin/env python3
"""esmapping.py: does a JSON document fit an Elasticsearch index template's mapping?

What Elasticsearch 8 would do with a document sent to an index made from the
template, as far as the mapping decides it: a field the mapping does not know
under `dynamic: strict` is rejected (strict_dynamic_mapping_exception), a value
that its field type cannot parse is rejected (mapper_parsing_exception).
syslog-ng 3.38's http() counts a 200 _bulk reply as success whatever its items
say, so such a document would be lost without a trace; this module finds it
before it is sent.  Used by test-ecs-mapping.sh, by the _bulk endpoint of
test-ecs-bulk.sh and by kibana-check.py (which fields are mapped, and where).

  esmapping.py TEMPLATE.json DOCS.ndjson...   one line per problem, exit 1 if any

Python 3 standard library only.
"""
import datetime
import fnmatch
import ipaddress
import json
import re
import sys

LONG_RANGE = (-(2 ** 63), 2 ** 63 - 1)
INT_RANGES = {"long": LONG_RANGE, "integer": (-(2 ** 31), 2 ** 31 - 1),
              "short": (-(2 ** 15), 2 ** 15 - 1), "byte": (-128, 127),
              "unsigned_long": (0, 2 ** 64 - 1)}
FLOAT_TYPES = ("double", "float", "half_float", "scaled_float")
STRING_TYPES = ("keyword", "constant_keyword", "wildcard", "text", "match_only_text")
OBJECT_TYPES = ("object", "nested")

# strict_date_optional_time (the default date format, with epoch_millis):
# yyyy[-MM[-dd['T'HH[:mm[:ss[.SSSSSSSSS]]]][zone]]]
_DATE_RE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2})(?::(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?"
    r"(?P<z>Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$")


def template_mappings(template):
    """The mappings of a composable index template (PUT _index_template body)."""
    return template.get("template", {}).get("mappings", {})


def _date_ok(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True                      # epoch_millis
    if not isinstance(value, str):
        return False
    if re.fullmatch(r"-?\d+", value) and len(value) > 4:
        return True                      # epoch_millis as text
    m = _DATE_RE.match(value)
    if not m:
        return False
    try:
        datetime.datetime(int(m["y"]), int(m["m"] or 1), int(m["d"] or 1),
                          int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0))
    except ValueError:
        return False
    z = m["z"]
    if z and z != "Z":
        hh = int(z[1:3])
        mm = int(z[-2:]) if len(z) > 3 else 0
        if hh > 18 or mm > 59:
            return False
    return True


def _number(value, integral):
    """The number ES would index for value (coerce is on by default), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            number = float(value.strip()) if value.strip() else None
        except ValueError:
            return None
        if number is None or number != number or number in (float("inf"), float("-inf")):
            return None
        return int(number) if integral else number
    return None


def check_leaf(ftype, mapping, value):
    """None when value fits a field of this type, else why not."""
    if ftype in STRING_TYPES:
        if isinstance(value, (dict, list)):
            return "%s field given %s" % (ftype, type(value).__name__)
        if ftype == "constant_keyword" and "value" in mapping and value != mapping["value"]:
            return "constant_keyword is %r, not %r" % (mapping["value"], value)
        return None
    if ftype in INT_RANGES:
        number = _number(value, True)
        if number is None:
            return "%s field given %r" % (ftype, value)
        low, high = INT_RANGES[ftype]
        if not low <= int(number) <= high:
            return "%r out of range for %s" % (value, ftype)
        return None
    if ftype in FLOAT_TYPES:
        if _number(value, False) is None:
            return "%s field given %r" % (ftype, value)
        return None
    if ftype == "boolean":
        if value in (True, False, "true", "false", ""):
            return None
        return "boolean field given %r" % (value,)
    if ftype == "date":
        return None if _date_ok(value) else "date field given %r" % (value,)
    if ftype == "ip":
        if not isinstance(value, str):
            return "ip field given %r" % (value,)
        try:
            ipaddress.ip_address(value)
        except ValueError:
            return "ip field given %r (not an address)" % (value,)
        return None
    if ftype in ("flattened",):
        return None
    return "field type %s is not known to this checker" % ftype


class Mapping:
    """One index template's mappings, to check documents and look fields up."""

    def __init__(self, mappings):
        self.mappings = mappings
        self.dynamic_templates = mappings.get("dynamic_templates", [])

    @classmethod
    def from_template_file(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls(template_mappings(json.load(f)))

    # ------------------------------------------------------------ lookup

    def lookup(self, path):
        """(mapping, nested_parents) of the dotted field path, or (None, ...).

        Multi-fields (process.name.text) are found too; nested_parents lists
        the nested objects on the way (Lens cannot chart below those)."""
        props = self.mappings.get("properties", {})
        parts = path.split(".")
        nested = []
        mapping = None
        i = 0
        while i < len(parts):
            name = parts[i]
            if name not in props:
                return None, nested
            mapping = props[name]
            prefix = ".".join(parts[:i + 1])
            if mapping.get("type") == "nested":
                nested.append(prefix)
            if i + 1 < len(parts):
                if "properties" in mapping:
                    props = mapping["properties"]
                elif "fields" in mapping:
                    props = mapping["fields"]
                else:
                    return None, nested
            i += 1
        return mapping, nested

    def leaf_fields(self):
        """Every mapped leaf field: {dotted path: mapping} (multi-fields too)."""
        out = {}

        def walk(props, prefix):
            for name, mapping in props.items():
                path = prefix + name
                if "properties" in mapping or mapping.get("type") in OBJECT_TYPES:
                    walk(mapping.get("properties", {}), path + ".")
                else:
                    out[path] = mapping
                    for sub, submapping in mapping.get("fields", {}).items():
                        out[path + "." + sub] = submapping
        walk(self.mappings.get("properties", {}), "")
        return out

    # ------------------------------------------------------------ documents

    def _dynamic_mapping(self, path):
        for entry in self.dynamic_templates:
            for _, rule in entry.items():
                if "path_match" in rule and not fnmatch.fnmatchcase(path, rule["path_match"]):
                    continue
                if "match" in rule and not fnmatch.fnmatchcase(path.split(".")[-1], rule["match"]):
                    continue
                if "path_match" in rule or "match" in rule:
                    return rule["mapping"]
        return None

    def check(self, doc):
        """Every reason Elasticsearch would reject doc, as 'field: why' strings."""
        errors = []
        if not isinstance(doc, dict):
            return ["document is %s, not an object" % type(doc).__name__]
        self._check_object(doc, self.mappings.get("properties", {}),
                           self.mappings.get("dynamic", True), "", errors)
        return errors

    def _check_object(self, obj, props, dynamic, prefix, errors):
        for key, value in obj.items():
            if key == "" or key.startswith(".") or key.endswith(".") or ".." in key:
                errors.append("%s%s: field name ES cannot split" % (prefix, key))
                continue
            parts = key.split(".")
            if len(parts) > 1:           # "a.b": ES expands it into objects
                value = {".".join(parts[1:]): value}
                key = parts[0]
            self._check_field(key, value, props, dynamic, prefix, errors)

    def _check_field(self, key, value, props, dynamic, prefix, errors):
        path = prefix + key
        mapping = props.get(key)
        if mapping is None:
            if value is None or value == []:
                return                   # ES maps nothing for null or []
            dyn = str(dynamic).lower()
            if dyn == "strict":
                errors.append("%s: not mapped (dynamic strict: the document is rejected)" % path)
                return
            if dyn == "false":
                return                   # kept in _source, not indexed
            mapping = self._dynamic_mapping(path)
            if mapping is None:
                errors.append("%s: not mapped; dynamic mapping would guess its type" % path)
                return
        ftype = mapping.get("type", "object" if "properties" in mapping else None)
        child_dynamic = mapping.get("dynamic", dynamic)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item is None:
                continue
            if ftype in OBJECT_TYPES:
                if mapping.get("enabled", True) is False:
                    continue
                if not isinstance(item, dict):
                    errors.append("%s: %s field given %r" % (path, ftype, item))
                    continue
                self._check_object(item, mapping.get("properties", {}), child_dynamic,
                                   path + ".", errors)
            elif isinstance(item, list):
                errors.append("%s: array inside an array" % path)
            else:
                problem = check_leaf(ftype, mapping, item)
                if problem:
                    errors.append("%s: %s" % (path, problem))


def read_docs(path):
    """(line number, document or None, parse error) of each line of an NDJSON file."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line), None
            except ValueError as e:
                yield number, None, str(e)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: esmapping.py TEMPLATE.json DOCS.ndjson...\n")
        return 2
    mapping = Mapping.from_template_file(argv[1])
    bad = 0
    docs = 0
    for path in argv[2:]:
        for number, doc, error in read_docs(path):
            docs += 1
            problems = [error] if error else mapping.check(doc)
            for problem in problems:
                print("%s:%d: %s" % (path, number, problem))
            bad += bool(problems)
    if docs == 0:
        print("no documents")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
