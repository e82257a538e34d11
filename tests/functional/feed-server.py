#!/usr/bin/env python3
"""feed-server.py: the feed server of the updater's tests, on 127.0.0.1.

Serves the files of --dir over HTTPS (the test's self-signed certificate)
and over plain HTTP, on ports of the kernel's choosing, written to
--ports-file as "HTTPS_PORT HTTP_PORT" once both listen.  Besides files:

  /to-http/PATH     302 to http://127.0.0.1:HTTP_PORT/PATH (a downgrade)
  /to-https/PATH    302 to https://127.0.0.1:HTTPS_PORT/PATH
  /no-length/PATH   PATH without a Content-Length (the body ends at close)

Every request is logged to stderr.  Stops on SIGTERM.
"""
import argparse
import http.server
import os
import shutil
import signal
import ssl
import sys
import threading


class Handler(http.server.SimpleHTTPRequestHandler):
    ports = (0, 0)

    def _redirect(self, scheme, port, rest):
        self.send_response(302)
        self.send_header("Location", "%s://127.0.0.1:%d/%s" % (scheme, port, rest))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        path = self.path.lstrip("/")
        if path.startswith("to-http/"):
            return self._redirect("http", self.ports[1], path[len("to-http/"):])
        if path.startswith("to-https/"):
            return self._redirect("https", self.ports[0], path[len("to-https/"):])
        if path.startswith("no-length/"):
            name = os.path.join(self.directory, os.path.basename(path[len("no-length/"):]))
            if not os.path.isfile(name):
                return self.send_error(404)
            self.protocol_version = "HTTP/1.0"
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            with open(name, "rb") as f:
                shutil.copyfileobj(f, self.wfile)
            self.close_connection = True
            return None
        return super().do_GET()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--ports-file", required=True)
    args = ap.parse_args()

    def handler(*a, **kw):
        return Handler(*a, directory=args.dir, **kw)

    https = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    https.socket = ctx.wrap_socket(https.socket, server_side=True)
    plain = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    Handler.ports = (https.server_address[1], plain.server_address[1])

    for server in (https, plain):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    tmp = args.ports_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d %d\n" % Handler.ports)
    os.rename(tmp, args.ports_file)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.pause()


if __name__ == "__main__":
    main()
