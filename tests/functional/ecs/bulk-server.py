#!/usr/bin/env python3
"""bulk-server.py: a stand-in for Elasticsearch 8's _bulk API (and the two
requests of dprk-intel-es-install) on 127.0.0.1.

  bulk-server.py --template T.json --dir DIR [--fail CODE]... [--user U --password P]
                 [--tls CERT KEY]

Listens on a free port of 127.0.0.1 and writes it to DIR/port.  A POST to a
path ending in /_bulk is answered as Elasticsearch 8 would, as far as
test-ecs-bulk.sh needs:
  - the body is NDJSON, action line + document line, and must end in "\\n"
    (else 400 illegal_argument_exception, nothing indexed);
  - Content-Type must be application/json or application/x-ndjson (else 406);
  - an action is `index` or `create` with an `_index` the template's
    index_patterns claim; `_type` is refused (Elasticsearch 8 removed it);
  - each document is checked against the template's mapping (esmapping.py):
    200 with per-item 201, or a per-item 400 mapper_parsing_exception /
    strict_dynamic_mapping_exception and "errors": true -- which syslog-ng
    3.38's http() cannot see, so the test reads DIR/rejected.ndjson;
  - with --user/--password, a request without that Basic auth gets 401.
Each --fail CODE answers one request (in order) with that status and indexes
nothing, e.g. --fail 429 --fail 503 for a rate limit and an unavailable node.

For test-kibana-install.sh it also answers, with the same auth rule:
  - PUT /_index_template/NAME: the body must be JSON; saved as
    DIR/index_template.NAME.json; {"acknowledged": true};
  - POST [/s/SPACE]/api/saved_objects/_import: needs a kbn-xsrf header and a
    multipart form with a `file` part of NDJSON saved objects; saved as
    DIR/import.ndjson (DIR/import.query has the query string and space);
    {"success": true, "successCount": N}.
--tls CERT KEY serves HTTPS with that certificate.

Files in DIR: accepted.ndjson ({"_index", "_id", "doc"} per indexed document),
rejected.ndjson ({"_index", "doc", "error"}), requests.log (one line per
request: number, status, documents, Authorization header present).
Runs until killed.  Standard library only.
"""
import argparse
import base64
import email.parser
import email.policy
import fnmatch
import json
import os
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import esmapping  # noqa: E402


class State:
    def __init__(self, args):
        with open(args.template, encoding="utf-8") as f:
            template = json.load(f)
        self.patterns = template["index_patterns"]
        self.mapping = esmapping.Mapping(esmapping.template_mappings(template))
        self.dir = args.dir
        self.fail = list(args.fail)
        self.auth = None
        if args.user is not None:
            token = base64.b64encode(("%s:%s" % (args.user, args.password or "")).encode()).decode()
            self.auth = "Basic " + token
        self.lock = threading.Lock()
        self.requests = 0
        self.next_id = 0

    def append(self, name, record):
        with open(os.path.join(self.dir, name), "a", encoding="utf-8") as f:
            f.write(json.dumps(record, sort_keys=True) + "\n")


def _error(kind, reason):
    return {"type": kind, "reason": reason}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bulk-server"

    def log_message(self, fmt, *args):   # quiet: requests.log has what matters
        pass

    def _reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._reply(200, {"name": "bulk-server", "version": {"number": "8.17.0"},
                          "tagline": "You Know, for Search"})

    def do_PUT(self):
        self.do_POST()

    def do_POST(self):
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        body = raw.decode("utf-8", "replace")
        path = self.path.split("?")[0]
        with state.lock:
            state.requests += 1
            number = state.requests
            if self.command == "PUT" and path.startswith("/_index_template/"):
                status, reply, docs = self._put_template(state, path, body)
            elif self.command == "POST" and path.endswith("/api/saved_objects/_import"):
                status, reply, docs = self._import(state, raw)
            elif self.command == "POST":
                status, reply, docs = self._bulk(state, body)
            else:
                status, reply, docs = 405, {"error": "method not allowed"}, 0
            with open(os.path.join(state.dir, "requests.log"), "a", encoding="utf-8") as f:
                f.write("%d %d %d auth=%s\n" % (number, status, docs,
                                                "yes" if self.headers.get("Authorization") else "no"))
        self._reply(status, reply)

    def _unauthorized(self, state):
        return state.auth and self.headers.get("Authorization") != state.auth

    def _put_template(self, state, path, body):
        if self._unauthorized(state):
            return 401, {"error": _error("security_exception", "missing or wrong authentication")}, 0
        if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
            return 406, {"error": "Content-Type header is not supported", "status": 406}, 0
        try:
            json.loads(body)
        except ValueError as e:
            return 400, {"error": _error("x_content_parse_exception", str(e))}, 0
        name = path.rsplit("/", 1)[1]
        with open(os.path.join(state.dir, "index_template.%s.json" % name), "w", encoding="utf-8") as f:
            f.write(body)
        return 200, {"acknowledged": True}, 0

    def _import(self, state, raw):
        if self._unauthorized(state):
            return 401, {"statusCode": 401, "error": "Unauthorized"}, 0
        if not self.headers.get("kbn-xsrf"):
            return 400, {"statusCode": 400, "error": "Bad Request",
                         "message": "Request must contain a kbn-xsrf header."}, 0
        head = "Content-Type: %s\r\n\r\n" % self.headers.get("Content-Type", "")
        form = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head.encode() + raw)
        files = [p for p in form.iter_parts() if p.get_param("name", header="content-disposition") == "file"] \
            if form.is_multipart() else []
        if len(files) != 1:
            return 415, {"statusCode": 415, "error": "Unsupported Media Type",
                         "message": "expected a multipart form with one `file` part"}, 0
        data = files[0].get_payload(decode=True).decode("utf-8")
        count = 0
        for line in data.splitlines():
            if line.strip():
                try:
                    obj = json.loads(line)
                except ValueError as e:
                    return 400, {"statusCode": 400, "error": "Bad Request", "message": str(e)}, 0
                count += "exportedCount" not in obj
        with open(os.path.join(state.dir, "import.ndjson"), "w", encoding="utf-8") as f:
            f.write(data)
        with open(os.path.join(state.dir, "import.query"), "w", encoding="utf-8") as f:
            f.write(self.path + "\n")
        return 200, {"success": True, "successCount": count, "errors": []}, count

    def _bulk(self, state, body):
        if not self.path.split("?")[0].endswith("/_bulk"):
            return 404, {"error": _error("no_handler_found_exception", "no handler for " + self.path)}, 0
        if self._unauthorized(state):
            return 401, {"error": _error("security_exception", "missing or wrong authentication")}, 0
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if ctype not in ("application/json", "application/x-ndjson"):
            return 406, {"error": "Content-Type header [%s] is not supported" % ctype, "status": 406}, 0
        if state.fail:
            code = state.fail.pop(0)
            kind = "es_rejected_execution_exception" if code == 429 else "unavailable_shards_exception"
            return code, {"error": _error(kind, "injected by the test"), "status": code}, 0
        if not body.endswith("\n"):
            return 400, {"error": _error("illegal_argument_exception",
                                         "The bulk request must be terminated by a newline [\\n]")}, 0
        lines = body.split("\n")[:-1]
        if len(lines) % 2:
            return 400, {"error": _error("illegal_argument_exception",
                                         "action line without a document line")}, 0
        items = []
        errors = False
        for i in range(0, len(lines), 2):
            item, ok = self._item(state, lines[i], lines[i + 1])
            if item is None:
                return 400, {"error": _error("illegal_argument_exception",
                                             "Malformed action/metadata line [%d]: %s" % (i + 1, ok))}, 0
            items.append(item)
            errors = errors or not ok
        return 200, {"took": 1, "errors": errors, "items": items}, len(items)

    def _item(self, state, action_line, doc_line):
        try:
            action = json.loads(action_line)
        except ValueError as e:
            return None, "not JSON: %s" % e
        if not isinstance(action, dict) or len(action) != 1:
            return None, "expected one action"
        (op, meta), = action.items()
        if op not in ("index", "create"):
            return None, "action [%s] is not index or create" % op
        if "_type" in meta:
            return None, "contains an unknown parameter [_type]"
        index = meta.get("_index")
        try:
            doc = json.loads(doc_line)
        except ValueError as e:
            doc, problems = doc_line, ["document is not JSON: %s" % e]
        else:
            problems = state.mapping.check(doc)
        if not index:
            problems = ["no _index in the action and none in the URL"] + problems
        elif not any(fnmatch.fnmatchcase(index, p) for p in state.patterns):
            problems = ["index %s is not claimed by the template %s" % (index, state.patterns)] + problems
        if problems:
            kind = ("strict_dynamic_mapping_exception" if any("dynamic strict" in p for p in problems)
                    else "mapper_parsing_exception")
            result = {"_index": index, "status": 400, "error": _error(kind, "; ".join(problems))}
            state.append("rejected.ndjson", {"_index": index, "doc": doc, "error": problems})
            return {op: result}, False
        state.next_id += 1
        doc_id = meta.get("_id") or "gen-%d" % state.next_id
        result = {"_index": index, "_id": doc_id, "status": 201, "result": "created"}
        state.append("accepted.ndjson", {"_index": index, "_id": doc_id, "doc": doc})
        return {op: result}, True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--template", required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--fail", type=int, action="append", default=[])
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*args.tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    server.state = State(args)
    tmp = os.path.join(args.dir, "port.tmp")
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, os.path.join(args.dir, "port"))
    server.serve_forever()


if __name__ == "__main__":
    main()
