"""`serve`: a local preview that rebuilds on change and reloads the browser.

livereload (Tornado) is kept behind this one module. The site is built into
a temporary folder outside everything watched (a build that writes into a
watched folder would reload forever) and served under the base path of
base_url, so links behave as they will on GitHub Pages. A content error
never stops the server: the last good build stays served, with the errors
shown on every page.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import html
import mimetypes
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

from .pipeline import Builder
from .problems import Problem, summary_line
from .rendering import PROJECT_DIR

QUIET_SECONDS = 0.3  # a burst of saves (or a git checkout) settles before one rebuild

# The inline script livereload injects before </head> (livereload 2.7.x, no liveport).
_LIVERELOAD_SCRIPT = (
    '(function(){var s=document.createElement("script");'
    "var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
    's.src="//"+window.location.hostname+":"+port+ "/livereload.js?port=" + port;'
    "document.head.appendChild(s);})();"
)
_SCRIPT_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(_LIVERELOAD_SCRIPT.encode()).digest()).decode() + "'"


class Preview:
    """The last good build and the problems of the latest one."""

    def __init__(self, site_dir: Path, work_dir: Path):
        self.site_dir = site_dir
        self.out_dir = work_dir / "site"
        self.builder = Builder(site_dir, self.out_dir, include_drafts=True, in_place=True)
        self.problems: list[Problem] = []
        self.base_path = "/"
        self.has_site = False

    def rebuild(self) -> None:
        started = time.perf_counter()
        result = self.builder.build()
        self.problems = result.problems
        if result.ok:
            self.has_site = True
            self.base_path = result.site.config.base_path
            print(f"Rebuilt in {time.perf_counter() - started:.2f} s", file=sys.stderr)
        else:
            for problem in result.problems:
                print(problem, file=sys.stderr)
            print(summary_line(result.problems) + "; still serving the last good build", file=sys.stderr)

    # -- the WSGI application ----------------------------------------------------

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "/")
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
        try:
            resolved = candidate.resolve()
        except OSError:
            return None
        if not resolved.is_relative_to(root) or not resolved.exists():
            return None
        return resolved

    def _not_found(self, start_response):
        page = self.out_dir / "404.html"
        if page.is_file():
            return self._send(start_response, "404 Not Found", page)
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"Not found"]

    def _send(self, start_response, status: str, file: Path):
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        body = file.read_bytes()
        if kind == "text/html":
            body = self.decorate(body.decode("utf-8")).encode("utf-8")
            kind += "; charset=utf-8"
        start_response(status, [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [body]

    def decorate(self, page: str) -> str:
        """Allow the reload script in the policy, and show the latest errors."""
        page = page.replace("script-src 'self'", f"script-src 'self' {_SCRIPT_HASH}", 1)
        errors = [p for p in self.problems if p.severity == "error"]
        if errors or not self.has_site:
            page = page.replace("<body>", "<body>\n" + self.error_panel(errors), 1)
        return page

    def error_panel(self, errors: list[Problem]) -> str:
        items = "".join(
            f"<li><code>{html.escape(p.path)}:{p.line}:{p.col}</code> {html.escape(p.message)}</li>" for p in errors
        )
        return (
            '<section class="preview-errors" role="alert"><h2>The site has errors: '
            f"{html.escape(summary_line(errors))}</h2><p>This is the last good build. "
            f"Fix these and save; the page reloads.</p><ol>{items}</ol></section>"
        )


def _redirect(start_response, location: str):
    start_response("302 Found", [("Location", location), ("Content-Type", "text/plain")])
    return [b""]


def watched_paths(site_dir: Path) -> list[Path]:
    paths = [site_dir / "site.yaml", site_dir / "content"]
    for folder in ("templates", "static"):
        paths += [site_dir / folder, PROJECT_DIR / folder]
    return sorted({p.resolve() for p in paths if p.exists()})


def serve(site_dir: Path, host: str, port: int, open_browser: bool = False) -> int:
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    work_dir = Path(tempfile.mkdtemp(prefix="factdesk-preview-"))
    preview = Preview(site_dir.resolve(), work_dir)
    preview.rebuild()
    if not preview.has_site:
        (work_dir / "site").mkdir(exist_ok=True)
        (work_dir / "site" / "index.html").write_text(
            "<!doctype html><html><head><title>Errors</title>"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self'\"></head><body></body></html>",
            encoding="utf-8",
        )

    def rebuild_when_quiet() -> None:
        time.sleep(QUIET_SECONDS)  # let the rest of a burst of saves land first
        preview.rebuild()

    # livereload drops reloads within 3 s of the previous one; reload as soon as a build is done
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    server = Server(app=preview)
    for path in watched_paths(site_dir):
        server.watch(str(path), rebuild_when_quiet)
    address = f"http://{host}:{port}{preview.base_path}"
    print(f"Serving the preview at {address} (drafts shown). Press Ctrl-C to stop.", file=sys.stderr)
    try:
        server.serve(host=host, port=port, debug=False, open_url_delay=1.0 if open_browser else None)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"error: port {port} is already in use; try --port {port + 1}", file=sys.stderr)
            return 2
        raise
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    return 0
