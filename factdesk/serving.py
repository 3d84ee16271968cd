"""`serve`: a local preview that rebuilds on change and reloads the browser.

livereload (Tornado), kept behind this one module, serves, injects its script and tells
browsers to reload. Watching is our own: livereload's watcher drops changes within 3 s of a
reload and runs a task per changed path, so a burst of saves would rebuild several times.
Here a poll waits until the files are quiet, rebuilds once, and only then reloads.

The site is built into a temporary folder outside everything watched (a build into a watched
folder would reload forever) and served under base_url's path, so links behave as on GitHub
Pages. A content error never stops the server: the last good build stays served, with the
errors shown on every page.

The preview shows drafts, so it answers only requests addressed to it: a Host not among its
own names is DNS rebinding (another site's page reading the preview under that site's name),
and an Origin not its own is another site's page. Both are refused before any handler,
livereload's included, runs.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import html
import mimetypes
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
import traceback
from pathlib import Path
from urllib.parse import unquote

from livereload import Server
from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptContainer
from tornado import web

from .pipeline import Builder
from .problems import Problem, summary_line
from .rendering import PROJECT_DIR

POLL_SECONDS = 0.1  # how often the watched folders are looked at, at least...
POLL_LOAD = 0.2  # ...and at most this share of the time goes to looking (big sites poll slower)

# The inline script injected before </head> (livereload 2.7.x's own, no liveport) to load livereload.js.
_LIVERELOAD_SCRIPT = (
    '(function(){var s=document.createElement("script");'
    "var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
    's.src="//"+window.location.hostname+":"+port+ "/livereload.js?port=" + port;'
    "document.head.appendChild(s);})();"
)
SCRIPT_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(_LIVERELOAD_SCRIPT.encode()).digest()).decode() + "'"
# injected from the same text the policy hash is made of, so the two cannot drift apart
_LIVERELOAD_TAG = f'<script type="text/javascript">{_LIVERELOAD_SCRIPT}</script>'.encode()

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


class Preview:
    """The last good build, the problems of the latest one, and the WSGI app serving them."""

    def __init__(self, site_dir: Path, work_dir: Path):
        self.site_dir = site_dir
        self.out_dir = work_dir / "site"
        # no share cards: social networks never see the preview, and cards are most of a first build's time
        self.builder = Builder(site_dir, self.out_dir, include_drafts=True, in_place=True, draw_cards=False)
        self.problems: list[Problem] = []
        self.base_path = "/"
        self.has_site = False

    def rebuild(self) -> None:
        """Build again, exactly as `build` would, reusing what the last build made."""
        started = time.perf_counter()
        try:
            result = self.builder.build()
        except Exception as exc:  # a bug must not take the preview down  # noqa: BLE001
            traceback.print_exc()
            self.problems = [Problem("(generator)", 1, 1, f"internal error: {type(exc).__name__}: {exc}")]
            return
        self.problems = result.problems
        if result.ok:
            self.has_site = True
            self.base_path = result.site.config.base_path
            print(f"Rebuilt {result.rendered} pages in {time.perf_counter() - started:.2f} s", file=sys.stderr)
        else:
            for problem in result.problems:
                print(problem, file=sys.stderr)
            print(summary_line(result.problems) + "; still serving the last good build", file=sys.stderr)

    # -- the WSGI application ----------------------------------------------------

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "/")
        if not self.has_site:
            return self._send_html(start_response, "500 Internal Server Error", _ERROR_PAGE)
        if not path.startswith(self.base_path):
            if path in ("/", ""):
                return _redirect(start_response, self.base_path)
            return self._not_found(start_response)
        file = self.resolve(path[len(self.base_path) :])
        if file is None:
            return self._not_found(start_response)
        if file.is_dir():
            return _redirect(start_response, path + "/")
        return self._send(start_response, "200 OK", file)

    def resolve(self, relative: str) -> Path | None:
        """The output file for a URL path, never anything outside the output folder."""
        relative = unquote(relative)
        parts = [p for p in relative.split("/") if p]
        if any(p in ("..", ".") or "\\" in p or "\x00" in p for p in parts):
            return None
        root = self.out_dir.resolve()
        candidate = root.joinpath(*parts)
        if relative.endswith("/") or not parts:
            candidate = candidate / "index.html"
        try:  # an over-long name raises ENAMETOOLONG, which is a 404, not a 500
            resolved = candidate.resolve()
            found = resolved.is_relative_to(root) and resolved.exists()
        except OSError:
            return None
        return resolved if found else None

    def _not_found(self, start_response):
        page = self.out_dir / "404.html"
        if page.is_file():
            return self._send(start_response, "404 Not Found", page)
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"Not found"]

    def _send(self, start_response, status: str, file: Path):
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            return self._send_html(start_response, status, file.read_text(encoding="utf-8"))
        start_response(status, [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [file.read_bytes()]

    def _send_html(self, start_response, status: str, page: str):
        start_response(status, [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")])
        return [self.decorate(page).encode("utf-8")]

    def decorate(self, page: str) -> str:
        """Allow the reload script in the page's policy, and show the latest errors."""
        page = page.replace("script-src 'self'", f"script-src 'self' {SCRIPT_HASH}", 1)
        errors = [p for p in self.problems if p.severity == "error"]
        if errors:
            page = page.replace("<body>", "<body>\n" + error_panel(errors, self.has_site), 1)
        return page


_ERROR_PAGE = (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'\">\n"
    "<title>The site has errors</title>\n</head>\n<body>\n</body>\n</html>\n"
)


def error_panel(errors: list[Problem], has_site: bool) -> str:
    """The errors as the command line words them, one per line."""
    items = "".join(
        f"<li><code>{html.escape(p.path)}:{p.line}:{p.col}</code>: {html.escape(p.message)}</li>" for p in errors
    )
    shown = "This is the last good build. " if has_site else "There is no good build to show yet. "
    return (
        '<section class="preview-errors" role="alert">'
        f"<h2>The site has errors: {html.escape(summary_line(errors))}</h2>"
        f"<p>{shown}Fix these and save; the page reloads.</p><ol>{items}</ol></section>"
    )


def _redirect(start_response, location: str):
    start_response("302 Found", [("Location", location), ("Content-Type", "text/plain")])
    return [b""]


# -- who may ask ----------------------------------------------------------------


def allowed_hosts(host: str, port: int) -> tuple[str, ...]:
    """The Host values that name this preview, the address it was started for first."""
    served = _bracketed(host.lower())
    names = [served] + [name for name in LOOPBACK_NAMES if name != served]
    hosts = [f"{name}:{port}" for name in names]
    if port == 80:  # browsers leave the default port out of Host and Origin
        hosts += names
    return tuple(hosts)


def _bracketed(host: str) -> str:
    """An IPv6 address as it appears in Host and Origin."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def allowed_request(host_header: str | None, origin_header: str | None, allowed: tuple[str, ...]) -> str | None:
    """Why a request must be refused (a short plain-text explanation), or None to answer it."""
    address = f"http://{allowed[0]}/"
    if host_header is None or host_header.lower() not in allowed:
        return f"This preview answers only {address}; open that address."
    # no Origin is a navigation or a non-browser client; any other value must be ours ("null" never is)
    if origin_header is not None and origin_header.lower() not in {f"http://{host}" for host in allowed}:
        return f"This preview answers only its own pages, at {address}; other sites' pages are refused."
    return None


class _Guarded(web.RequestHandler):
    """Refuses, before the handler does anything, a request not addressed to this preview."""

    def initialize(self, allowed: tuple[str, ...], **kwargs) -> None:
        self.allowed = allowed
        super().initialize(**kwargs)

    def prepare(self):
        refusal = allowed_request(self.request.headers.get("Host"), self.request.headers.get("Origin"), self.allowed)
        if refusal is None:
            return super().prepare()
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(refusal + "\n")  # a finished prepare() keeps get() and the handshake from running
        return None


class _GuardedLiveReload(_Guarded, LiveReloadHandler):
    def check_origin(self, origin: str) -> bool:
        # tornado's own hook for the handshake; prepare() has already checked, this keeps it so if that changes
        return allowed_request(self.request.headers.get("Host"), origin, self.allowed) is None


class _GuardedForceReload(_Guarded, ForceReloadHandler):
    pass


class _GuardedLiveReloadJS(_Guarded, LiveReloadJSHandler):
    pass


class _GuardedPages(_Guarded, web.FallbackHandler):
    pass


class _GuardedServer(Server):
    """livereload's server with each of its routes behind the Host and Origin check."""

    def __init__(self, app: Preview, allowed: tuple[str, ...]):
        super().__init__(app=app)
        self.allowed = allowed

    def application(self, port, host, liveport=None, debug=None, live_css=True) -> None:
        # livereload 2.7 builds these routes from its own handler classes; ours are the same, guarded
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        guard = {"allowed": self.allowed}
        pages = LiveScriptContainer(self.app, _LIVERELOAD_TAG)
        routes = [
            (r"/livereload", _GuardedLiveReload, guard),
            (r"/forcereload", _GuardedForceReload, guard),
            (r"/livereload.js", _GuardedLiveReloadJS, guard),
            (r".*", _GuardedPages, {**guard, "fallback": pages}),
        ]
        web.Application(routes, debug=False).listen(port, address=host)


def watched_paths(site_dir: Path) -> list[Path]:
    paths = [site_dir / "site.yaml", site_dir / "content"]
    for folder in ("templates", "static"):
        paths += [site_dir / folder, PROJECT_DIR / folder]
    return sorted({p.resolve() for p in paths})


def snapshot(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """(modification time, size) of every file under `paths`."""
    seen: dict[str, tuple[int, int]] = {}
    stack = [str(p) for p in paths]
    while stack:
        path = stack.pop()
        try:
            if os.path.isdir(path):
                with os.scandir(path) as entries:
                    for entry in entries:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                        else:
                            stat = entry.stat()
                            seen[entry.path] = (stat.st_mtime_ns, stat.st_size)
            else:
                stat = os.stat(path)
                seen[path] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            continue  # a file that vanished mid-scan shows up in the next poll
    return seen


class Watcher:
    """Calls `on_change()` once per burst of changes, after the burst has settled."""

    def __init__(self, paths: list[Path], on_change):
        self.paths = paths
        self.on_change = on_change
        self.seen = snapshot(paths)
        self.changed = False  # since on_change was last called
        self.scan_seconds = 0.0

    def poll(self) -> None:
        started = time.perf_counter()
        now = snapshot(self.paths)
        self.scan_seconds = time.perf_counter() - started
        if now != self.seen:
            self.seen, self.changed = now, True  # still changing: look again next poll
        elif self.changed:
            self.changed = False
            self.on_change()


def port_taken(host: str, port: int) -> bool:
    """Whether another program listens on the address: asked before building, so that nothing
    says "Serving" for a preview that cannot start."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port left in TIME_WAIT is free
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False


def _port_in_use(port: int) -> int:
    print(f"error: port {port} is already in use; try --port {port + 1}", file=sys.stderr)
    return 2


def serve(site_dir: Path, host: str, port: int, open_browser: bool = False) -> int:
    from tornado import ioloop

    if port_taken(host, port):
        return _port_in_use(port)
    work_dir = Path(tempfile.mkdtemp(prefix="factdesk-preview-"))
    preview = Preview(site_dir.resolve(), work_dir)

    def rebuild_and_reload() -> None:
        preview.rebuild()
        LiveReloadHandler.reload_waiters(path="*")  # only now that the new pages are written

    # the files as they were before the first build: a save during it is seen afterwards
    watcher = Watcher(watched_paths(site_dir), rebuild_and_reload)
    preview.rebuild()
    server = _GuardedServer(preview, allowed_hosts(host, port))
    # livereload watches the current folder unless told otherwise; give it one quiet file
    quiet = work_dir / "livereload-idle"
    quiet.touch()
    server.watch(str(quiet))
    loop = ioloop.IOLoop.current()

    def poll() -> None:
        watcher.poll()
        loop.call_later(max(POLL_SECONDS, watcher.scan_seconds / POLL_LOAD), poll)

    loop.call_later(POLL_SECONDS, poll)

    def stop(signum, frame) -> None:  # Ctrl-C or a terminate: finish the loop, then tidy up
        loop.asyncio_loop.call_soon_threadsafe(loop.stop)

    # even where Ctrl-C was ignored on the way in (a background job, say)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    address = f"http://{host}:{port}{preview.base_path}"
    print(f"Serving the preview at {address} (drafts shown). Press Ctrl-C to stop.", file=sys.stderr, flush=True)
    try:
        server.serve(host=host, port=port, debug=False, open_url_delay=1.0 if open_browser else None)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return _port_in_use(port)
        raise
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    print("Stopped.", file=sys.stderr)
    return 0
