"""The command line: build, serve, check, new, init, archive and recheck."""

from __future__ import annotations

import argparse
import difflib
import datetime as dt
import os
import re
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

from . import __version__
from .fields import slug_problem, url_problem
from .model import Site
from .pipeline import build
from .problems import Problem, count, format_github, markdown_code, markdown_text, summary_line, visible
from .progress import Progress
from .validation import load_config, load_site

def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python build.py",
        description="Build a fact-check site from site.yaml and content/.",
    )
    commands = main.add_subparsers(dest="command", metavar="COMMAND")

    def site_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--site", type=Path, default=Path("."), metavar="DIR", help="the site folder (default: .)")

    sub = commands.add_parser("build", help="build the site (the default command)")
    site_option(sub)
    sub.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: SITE/_site)")
    sub.add_argument("--base-url", metavar="URL", help="override site.yaml's base_url")
    sub.add_argument("--quiet", action="store_true", help="no progress line, even on a terminal")
    sub.add_argument("--timings", action="store_true", help="print the seconds each phase of the build took")
    sub.add_argument("--cache-dir", type=Path, metavar="DIR", help="where to keep what the next build reuses"
                     " (default: a folder for this site under ~/.cache/factdesk)")
    sub.add_argument("--no-cache", action="store_true", help="reuse nothing; build everything from the files")

    sub = commands.add_parser("serve", help="preview the site with live reload")
    site_option(sub)
    sub.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    sub.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    sub.add_argument("--open", action="store_true", help="open the preview in a browser")

    sub = commands.add_parser("check", help="check the content, write nothing")
    site_option(sub)
    sub.add_argument("--format", choices=("text", "github"), default="text", help="how to print problems")
    sub.add_argument("--strict", action="store_true", help="treat warnings (such as single-source checks) as errors")

    sub = commands.add_parser("init", help="start a new desk in a new folder")
    sub.add_argument("folder", type=Path, metavar="DIR", help="the new desk's folder (absent or empty)")
    sub.add_argument("--title", default="New Desk", help="the desk's name (default: New Desk)")

    sub = commands.add_parser("new", help="start a new fact-check file")
    site_option(sub)
    sub.add_argument("claim", metavar="CLAIM", help="the claim to check, in quotes")
    sub.add_argument("--slug", help="the file's name (default: from the claim)")

    sub = commands.add_parser("archive", help="archive an article from its web address or a saved page")
    site_option(sub)
    sub.add_argument("source", metavar="URL|FILE", help="the article's address, or a page saved from the browser (FILE.html)")
    sub.add_argument("--url", help="the page's address, for a saved FILE (default: the one the page gives)")
    sub.add_argument("--id", help="the article's id, the file's name (default: from the outlet, date and title)")
    sub.add_argument("--archive", action="store_true", help="also ask the Internet Archive to save the page (archive_url)")
    sub.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="give up on the page after this long (default: 30)")

    sub = commands.add_parser("recheck", help="fetch every archived article's live page and look for the quoted passages")
    site_option(sub)
    sub.add_argument("--format", choices=("text", "github"), default="text", help="how to print what changed")
    sub.add_argument("--report", type=Path, metavar="FILE", help="also write the report as Markdown (for an issue)")
    sub.add_argument("--delay", type=float, default=2.0, metavar="SECONDS", help="pause between requests to one host (default: 2)")
    sub.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="give up on a page after this long (default: 30)")
    return main


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--version"]:
        print(f"factdesk {__version__}")
        return 0
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        close = difflib.get_close_matches(argv[0], COMMANDS, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        print(f"error: there is no command '{argv[0]}'; {hint}the commands are: {', '.join(COMMANDS)}", file=sys.stderr)
        return 2
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = parser().parse_args(argv)
    if args.command == "init":
        return run_init(args)
    site_dir = args.site
    if not site_dir.is_dir():
        print(f"error: the site folder {site_dir} does not exist", file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("interrupted; nothing was changed in the output folder", file=sys.stderr)
        return 130
    except OSError as exc:  # disk full, a read-only folder: the previous site is left as it was
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}; nothing was changed in the output folder", file=sys.stderr)
        return 1


def report(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    if any(p.severity == "error" for p in problems):
        print(summary_line(problems), file=sys.stderr)


def base_url_option_problem(value: str) -> str | None:
    """Why --base-url VALUE is refused, as a line for standard error, or None.

    A wrong option is the command line's mistake (exit 2), never a problem of site.yaml.
    """
    value = value.strip()
    why = url_problem(value)
    if why is None:
        return None
    line = f"error: --base-url {visible(why)}"
    if why.endswith("is not an http:// or https:// web address") and not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:(?!\d)", value):
        # no scheme: a bare host (example.org/desk, localhost:8000) or a bare path (/desk/)
        whole = "https://" + (f"example.org{value}" if value.startswith("/") else value)
        line += f"; write the whole address, such as --base-url {visible(whole)}"
    return line


def run_build(args: argparse.Namespace) -> int:
    if args.base_url is not None and (why := base_url_option_problem(args.base_url)):
        print(why, file=sys.stderr)
        return 2
    out_dir = args.out or args.site / "_site"
    base_url = args.base_url.strip() if args.base_url is not None else None
    result = build(args.site, out_dir, base_url=base_url, progress=Progress.for_terminal(quiet=args.quiet),
                   cache=args.cache_dir / "reuse.sqlite" if args.cache_dir else None, use_cache=not args.no_cache)
    report(result.problems)
    if result.refused:
        return 2
    if not result.ok:
        print("Nothing was written.", file=sys.stderr)
        return 1
    if args.timings:
        for phase, seconds in result.timings.items():
            print(f"  {phase:<26} {seconds:8.3f} s")
        # the search index's tool (Pagefind) is another program, whose memory at 100,000 pages is its own matter
        print(f"  {'peak memory':<26} {result.peak_mib:8.0f} MiB")
        print(f"  {'without the search index':<26} {result.peak_mib_without_search:8.0f} MiB")
    print(
        f"Built {len(result.site.claims)} checks ({result.files} files, {result.rendered} pages and cards rendered)"
        f" into {out_dir} in {result.seconds:.2f} s"
    )
    return 0


def run_check(args: argparse.Namespace) -> int:
    loaded = load_site(args.site, include_drafts=True)
    if args.strict:
        loaded.problems = [replace(p, severity="error") for p in loaded.problems]
    if args.format == "github":
        for problem in loaded.problems:
            print(format_github(problem))
        if summary_file := os.environ.get("GITHUB_STEP_SUMMARY"):
            with open(summary_file, "a", encoding="utf-8") as file:
                file.write(step_summary(loaded.site, loaded.problems))
    else:
        report(loaded.problems)
    if not loaded.ok or any(p.severity == "error" for p in loaded.problems):
        return 1
    if args.format == "text":
        site = loaded.site
        counts = ", ".join(count(n, noun) for n, noun in
                           ((len(site.claims), "check"), (len(site.articles), "article"), (len(site.pages), "page")))
        print(f"All good: {counts}.")
    return 0


def step_summary(site: Site | None, problems: list[Problem]) -> str:
    """Markdown for the job summary: annotations show only the first ten errors.

    Every text the editor wrote (verdict labels, file names, the values messages quote) is
    escaped by `markdown_text` or `markdown_code`: none can end its line or make markup.
    """
    lines = ["## Content check", ""]
    if site is not None:
        counts = Counter(c.verdict.id for c in site.claims)
        lines += ["| Verdict | Checks |", "| --- | ---: |"]
        lines += [f"| {markdown_text(v.label)} | {counts.get(v.id, 0)} |" for v in site.config.verdicts]
        lines.append("")
    if problems:
        lines += [f"**{summary_line(problems)}**", ""]
        lines += [
            f"- {p.severity}: {markdown_code(f'{p.path}:{p.line}:{p.col}')} {markdown_text(p.message)}"
            for p in problems
        ]
    else:
        lines.append("No problems found.")
    return "\n".join(lines) + "\n"


def run_init(args: argparse.Namespace) -> int:
    from .starter import init_desk

    try:
        init_desk(args.folder, args.title, dt.date.today())
    except FileExistsError:
        print(f"error: {args.folder} already holds files; name a new or empty folder", file=sys.stderr)
        return 2
    print(f"A new desk is in {args.folder}. Next: python build.py check --site {args.folder}")
    return 0


def run_new(args: argparse.Namespace) -> int:
    from .scaffold import claim_slug, scaffold

    if not args.claim.strip():
        print("error: the claim is empty; write it in quotes: new \"The claim\"", file=sys.stderr)
        return 2
    if args.slug is not None and (why := slug_problem(args.slug)):
        print(f"error: --slug '{args.slug}' {why}", file=sys.stderr)
        return 2
    config = load_config(args.site)
    verdict_ids = [v.id for v in config.verdicts] if config else []
    try:
        path = scaffold(args.site, args.claim, args.slug, verdict_ids, dt.date.today())
    except FileExistsError as exc:
        slug = args.slug or claim_slug(args.claim)
        print(f"error: {exc.filename} already exists; choose another name with --slug (not {slug})", file=sys.stderr)
        return 1
    print(path)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from .serving import serve

    return serve(args.site, host=args.host, port=args.port, open_browser=args.open)


def run_archive(args: argparse.Namespace) -> int:
    from .archiving import ArchiveError, Limits, archive

    config = load_config(args.site)
    try:
        archived = archive(args.site, args.source, page_url=args.url, article=args.id, save=args.archive,
                           limits=Limits(timeout=args.timeout), contact=config.base_url if config else None)
    except ArchiveError as error:
        print(f"error: {visible(str(error))}", file=sys.stderr)
        return 1
    for warning in archived.warnings:
        print(f"warning: {visible(warning)}", file=sys.stderr)
    print(archived.path)
    if archived.problems:
        report(list(archived.problems))
        print("Written; fill in what is missing before a check quotes it.", file=sys.stderr)
        return 1
    return 0


def run_recheck(args: argparse.Namespace) -> int:
    from .rechecking import recheck_command

    return recheck_command(args.site, args.format, args.report, delay=args.delay, timeout=args.timeout)


COMMANDS = {"build": run_build, "serve": run_serve, "check": run_check, "new": run_new, "init": run_init,
            "archive": run_archive, "recheck": run_recheck}  # in the order an unknown command's error lists them
