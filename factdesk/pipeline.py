"""One build: read and validate, build the model, render, write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .feeds import render_feeds
from .model import Site
from .output import collect_static, write_site
from .problems import Problem
from .rendering import PROJECT_DIR, environment, render_pages
from .validation import load_site


@dataclass
class BuildResult:
    problems: list[Problem] = field(default_factory=list)
    site: Site | None = None
    files: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.site is not None and not any(p.severity == "error" for p in self.problems)


def render_site(site: Site, site_dir: Path) -> dict[str, str]:
    env = environment(site_dir)
    return {**render_pages(site, env), **render_feeds(site, env)}


def static_files(site_dir: Path) -> dict[str, Path]:
    return collect_static([PROJECT_DIR / "static", site_dir / "static"])


def build(
    site_dir: Path,
    out_dir: Path,
    base_url: str | None = None,
    include_drafts: bool = False,
    write: bool = True,
) -> BuildResult:
    """Build the site in `site_dir` into `out_dir`; nothing is written on a problem."""
    started = time.perf_counter()
    loaded = load_site(site_dir, include_drafts=include_drafts, base_url=base_url)
    result = BuildResult(problems=loaded.problems, site=loaded.site)
    if not loaded.ok:
        return result
    try:
        files = render_site(loaded.site, site_dir)
    except jinja2.TemplateError as exc:
        result.problems.append(_template_problem(exc, site_dir))
        result.site = None
        return result
    static = static_files(site_dir)
    if write:
        write_site(files, static, out_dir)
    result.files = len(files) + len(static)
    result.seconds = time.perf_counter() - started
    return result


def _template_problem(exc: jinja2.TemplateError, site_dir: Path) -> Problem:
    """A template's mistake, reported like a content problem: file, line, message."""
    filename = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    path = Path(filename)
    try:
        shown = path.resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        shown = f"templates/{path.name}" if path.suffix else str(filename)
    line = getattr(exc, "lineno", None) or 1
    return Problem(shown, line, 1, f"template error: {exc.message or exc}")
