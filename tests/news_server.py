"""A news site on 127.0.0.1 for the archive and recheck tests: no test touches the real network.

Each route answers with a `Reply` (or a function of the request that returns one); every
request is recorded, with its headers, body and time, so tests can check what was asked.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).parent / "fixtures" / "news_pages"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@dataclass
class Reply:
    body: str | bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering, for timeouts


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


class NewsServer:
    def __init__(self):
        self.routes: dict[str, object] = {}
        self.requests: list[Request] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.answer(b"")

            def do_POST(self):
                self.answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def answer(self, body: bytes):
                request = Request(self.command, self.path, dict(self.headers), body, time.monotonic())
                server.requests.append(request)
                route = server.routes.get(self.path, Reply("<h1>Not found</h1>", 404))
                reply = route(request) if callable(route) else route
                if reply.delay:
                    time.sleep(reply.delay)
                data = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> NewsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def asked(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]
