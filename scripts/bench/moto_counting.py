#!/usr/bin/env python3
"""The patched emulator (testdata/moto/launch.py), plus one line per HTTP request in a call log.

Usage: BENCH_CALL_LOG=FILE python3 scripts/bench/moto_counting.py [launch.py args]

moto's own request log (werkzeug, on stderr) has one line per request but does not say which
service or operation was called: most AWS protocols POST to `/`. This wrapper writes
`<service> <operation>` for every request to BENCH_CALL_LOG before moto handles it, so
scripts/bench.sh can break each tool's calls down per service and operation. The service comes
from the SigV4 credential scope, the operation from `Action=` (query protocols: EC2, STS, RDS),
`X-Amz-Target` (JSON protocols: KMS) or the method and sub-resource (S3, REST).

Nothing about moto's behaviour changes: the body is read once and handed back unchanged.
"""

import importlib.util
import io
import os
import re
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parents[2]
SCOPE = re.compile(r"Credential=[^/]*/[^/]*/[^/]*/([^/]+)/")


def load_launcher():
    spec = importlib.util.spec_from_file_location("plumb_moto_launch", ROOT / "testdata/moto/launch.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def describe(environ):
    """(service, operation) of one request; reads and restores a form-encoded body."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    m = SCOPE.search(auth)
    service = m.group(1) if m else "unsigned"
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return service, target.split(".")[-1]
    query = environ.get("QUERY_STRING", "")
    action = parse_qs(query).get("Action")
    if action:
        return service, action[0]
    method = environ.get("REQUEST_METHOD", "?")
    ctype = environ.get("CONTENT_TYPE", "")
    if method == "POST" and ctype.startswith("application/x-www-form-urlencoded"):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(body)
        action = parse_qs(body.decode("utf-8", "replace")).get("Action")
        if action:
            return service, action[0]
    # REST (S3): method, plus the sub-resource when there is one (?versioning, ?encryption...).
    sub = query.split("&")[0].split("=")[0] if query else ""
    path = environ.get("PATH_INFO", "/")
    kind = "service" if path in ("", "/") else ("bucket" if path.strip("/").count("/") == 0 else "object")
    return service, f"{method}:{kind}" + (f"?{sub}" if sub else "")


def install(log_path):
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    out = open(log_path, "a", buffering=1, encoding="utf-8")
    lock = threading.Lock()
    original = DomainDispatcherApplication.__call__

    def __call__(self, environ, start_response):
        try:
            service, op = describe(environ)
        except Exception as e:  # never let the counter break a request
            service, op = "unknown", type(e).__name__
        with lock:
            out.write(f"{service} {op}\n")
        return original(self, environ, start_response)

    DomainDispatcherApplication.__call__ = __call__


def main(argv):
    launcher = load_launcher()
    log_path = os.environ.get("BENCH_CALL_LOG")
    if log_path:
        install(log_path)
    launcher.main(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
