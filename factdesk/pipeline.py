"""One build, top to bottom: read and validate, plan, render, write.

This module and the preview are the only ones that know results can be reused: the
stages below are plain functions, called here through `Reuse` (which keys each call by
everything it receives) and a pool of forked workers.
"""

from __future__ import annotations

import collections
import ctypes
import gc
import hashlib
import multiprocessing
import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from .feeds import plan_feeds
from .model import Site
from .output import MARKER, OutputBusy, OutputLock, SiteWriter, file_signature, output_refusal, signature
from .pages import Output, plan_site, plan_static
from .problems import Problem
from .progress import Progress
from .rendering import (CARD_TEMPLATE, PROJECT_DIR, environment, names_used, render, template_globals, template_problem,
                        template_sources)
from .reuse import Reuse, code_digest, digest, run_recorded
from .search import index_folder
from .urls import SEARCH_FOLDER
from .validation import Loaded, Runner, load_site

PARALLEL_MINIMUM = 200  # calls or pages; fewer are done faster in one process
BATCH = 100  # calls or pages a worker takes at a time
SEARCH_PHASE = "search index"  # Pagefind's: timed, and its memory told, apart
SEARCH_KEY = "(search index)"  # its entry among the outputs' keys
SITE_ENTRY = "(site)"  # the key of the whole output, among them


@dataclass
class BuildResult:
    problems: list[Problem] = field(default_factory=list)
    site: Site | None = None
    files: int = 0
    rendered: int = 0  # files rendered this time; the rest were unchanged
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # phase -> seconds
    peak_mib: float = 0.0  # the largest resident set of the build's processes
    peak_mib_without_search: float = 0.0  # of those but the search indexer
    refused: bool = False  # the output folder was refused: a command-line mistake

    @property
    def ok(self) -> bool:
        return self.site is not None and not any(p.severity == "error" for p in self.problems)


@dataclass(frozen=True)
class Options:
    include_drafts: bool = False
    base_url: str | None = None
    workers: int = 1
    draw_cards: bool = True
    in_place: bool = False  # the preview: its output folder is its own


class TemplateFailed(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def default_workers() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, 8))


def cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "factdesk"


def default_cache(site_dir: Path) -> Path:
    """The cache of a site: in the user's cache folder, never in the site (where a pull request could plant one)."""
    name = hashlib.sha256(str(site_dir.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return cache_root() / name / "reuse.sqlite"


def build(
    site_dir: Path,
    out_dir: Path,
    base_url: str | None = None,
    include_drafts: bool = False,
    use_cache: bool = True,
    progress: Progress | None = None,
    workers: int | None = None,
    cache: Path | None = None,
) -> BuildResult:
    """One build from the command line, reusing what the site's last builds computed."""
    reuse = Reuse(cache or default_cache(site_dir)) if use_cache else Reuse()
    options = Options(include_drafts, base_url, workers or default_workers())
    try:
        return build_site(site_dir, out_dir, options, reuse, progress)
    finally:
        reuse.close()


class Builder:
    """Builds of one site into one folder, each reusing what the last made: the preview keeps one."""

    def __init__(self, site_dir: Path, out_dir: Path, include_drafts: bool = False, in_place: bool = False,
                 draw_cards: bool = True, workers: int | None = None, cache: Path | None = None):
        self.site_dir, self.out_dir = site_dir, out_dir
        self.options = Options(include_drafts, None, workers or default_workers(), draw_cards, in_place)
        self.reuse = Reuse(cache)

    def build(self) -> BuildResult:
        """Every file is read again, and reuse finds what is unchanged: no list of changed files is needed."""
        return build_site(self.site_dir, self.out_dir, self.options, self.reuse)


def build_site(site_dir: Path, out_dir: Path, options: Options, reuse: Reuse,
               progress: Progress | None = None) -> BuildResult:
    progress = progress or Progress()
    started = time.perf_counter()
    reuse.start()
    collecting = gc.isenabled()
    gc.disable()  # reading and planning make hundreds of thousands of lasting objects and almost no cycles
    try:
        result = _build(site_dir, out_dir, options, reuse, progress)
    except BrokenProcessPool:
        result = BuildResult(problems=[Problem("(build)", 1, 1, "a worker process was killed (out of memory?); nothing was written")])
    except OutputBusy as busy:
        result = BuildResult(problems=[Problem("(build)", 1, 1, str(busy))])
    finally:
        gc.unfreeze()
        if collecting:
            gc.enable()
        progress.finish()
    result.seconds = time.perf_counter() - started
    result.timings = progress.timings
    result.peak_mib, result.peak_mib_without_search = progress.peak_mib(), progress.peak_mib(leaving_out=SEARCH_PHASE)
    return result


def _build(site_dir: Path, out_dir: Path, options: Options, reuse: Reuse, progress: Progress) -> BuildResult:
    if not options.in_place and (refusal := output_refusal(out_dir, site_dir)):
        return BuildResult(problems=[Problem(str(out_dir), 1, 1, refusal)], refused=True)

    progress.phase("reading content")
    runner = _ReuseRunner(reuse, options.workers)
    loaded: Loaded = load_site(site_dir, options.include_drafts, options.base_url, runner)
    result = BuildResult(problems=loaded.problems, site=loaded.site)
    if not loaded.ok:
        return result
    site = loaded.site
    gc.freeze()  # the model lives to the end: no collection need walk it (the collector stays off while planning)

    progress.phase("planning pages")
    env = environment(site_dir)
    env.bytecode_cache = reuse.compiled_templates
    static_folders = [PROJECT_DIR / "static", site_dir / "static"]
    static = plan_static(static_folders)
    try:
        templates = template_sources(env)
        # of the templates' names and sources: where a template's file is changes no page
        templates_digest = reuse.fingerprint(tuple((name, source) for name, _, source in templates))
        whole = _site_key(templates_digest, site, static, options, reuse)
        previous = reuse.outputs(out_dir.resolve())
        if _output_holds(out_dir, previous, whole):
            reuse.save(out_dir.resolve(), previous)  # the same build as last time: every file is in place
            reuse.forget_unused()
            result.files = len(previous) - 1
            return result
        outputs = plan_site(site, static_folders, draw_cards=options.draw_cards) + plan_feeds(site) + static
        keys = _output_keys(env, templates, templates_digest, site, outputs, reuse, options.workers)
    except jinja2.TemplateError as exc:
        result.problems.append(template_problem(exc, site_dir))
        result.site = None
        return result

    gc.freeze()  # the plan lives to the end too
    gc.enable()
    lock = OutputLock(out_dir, cache_root() / "locks")
    try:
        result.rendered, result.files = _write(env, site_dir, outputs, keys, out_dir, previous, reuse, options, progress, whole)
    except TemplateFailed as failed:
        result.problems.append(failed.problem)
        result.site = None
        return result
    finally:
        lock.release()
    return result


def _site_key(templates_digest: str, site: Site, static: list[Output], options: Options, reuse: Reuse) -> str:
    """What the whole output is made from: the model, the templates, the static files, the options."""
    return digest(SITE_ENTRY, code_digest(), reuse.fingerprint(site), templates_digest,
                  reuse.fingerprint(tuple(out.context for out in static)),
                  repr((options.draw_cards, options.in_place)))


def _output_holds(out_dir: Path, previous: dict, whole: str) -> bool:
    """Whether the output folder holds exactly the files the last build made from the same `whole`."""
    if previous.get(SITE_ENTRY, ("",))[0] != whole:
        return False
    expected = {path: entry[1] for path, entry in previous.items() if path != SITE_ENTRY}
    found = 0
    folders = [("", str(out_dir))]
    while folders:
        prefix, folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return False
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                folders.append((relative + "/", entry.path))
            elif relative != MARKER:
                if not entry.is_file(follow_symlinks=False) or expected.get(relative) != signature(entry.stat(follow_symlinks=False)):
                    return False
                found += 1
    return found == len(expected)


def _output_keys(env: jinja2.Environment, templates: tuple, templates_digest: str, site: Site, outputs: list[Output],
                 reuse: Reuse, workers: int) -> list[str]:
    """Each output's key: its template's name and its whole context, with the templates in
    force and the globals any of them reads. Same key, same bytes. Worked out in `workers`
    processes, each knowing the fingerprints this one has."""
    used = reuse.call(names_used, templates)
    env.globals.update(template_globals(env, site))
    globals_used = {name: env.globals[name] for name in used if name in env.globals}
    shared = digest(code_digest(), templates_digest, reuse.fingerprint(globals_used))
    keys: list[str] = []
    with _Pool(workers, len(outputs), (reuse.fingerprints, outputs, shared)) as pool:
        for done in pool.each(_key_batch, _batches(range(len(outputs)))):
            keys += done
    return keys


def _key_batch(work, numbers: range) -> list[str]:
    fingerprints, outputs, shared = work
    return [digest(shared, outputs[n].path, outputs[n].template, fingerprints.of(outputs[n].context)) for n in numbers]


def _write(env, site_dir: Path, outputs: list[Output], keys: list[str], out_dir: Path, previous: dict, reuse: Reuse,
           options: Options, progress: Progress, whole: str) -> tuple[int, int]:
    """Write the outputs, rendering only those whose key the previous output does not hold;
    how many were rendered, and how many files the output holds."""
    writer = SiteWriter(out_dir, in_place=options.in_place, written_before=set(previous) | {MARKER} if previous else None)
    try:
        progress.phase("keeping unchanged pages")
        to_render = []
        for n, (out, key) in enumerate(zip(outputs, keys)):
            known = previous.get(out.path)
            intact = known is not None and known[0] == key and file_signature(writer.previous(out.path)) == known[1]
            if not (intact and writer.keep(out.path)):
                to_render.append(n)
        for phase, cards in (("rendering pages", False), ("drawing share cards", True)):
            numbers = [n for n in to_render if (outputs[n].template == CARD_TEMPLATE) == cards]
            progress.phase(phase, len(numbers))
            _render_all(env, outputs, numbers, writer, options.workers, progress, site_dir)
        search_key = _search(writer, outputs, keys, previous, options, progress)
        progress.phase("swapping in the new site" if not options.in_place else "removing what is gone")
        writer.finish()
    except BaseException:
        writer.abort()
        raise
    made = {out.path: key for out, key in zip(outputs, keys)}
    made.update((path, search_key) for path in writer.paths if path.startswith(f"{SEARCH_FOLDER}/"))
    kept = {path: (key, file_signature(os.path.join(writer.out_dir, path)) or "") for path, key in made.items()}
    kept[SITE_ENTRY] = (whole, "")
    reuse.save(writer.out_dir, kept)
    reuse.forget_unused()
    return len(to_render), len(writer.paths - {MARKER})  # the marker is not the site's


def _search(writer: SiteWriter, outputs: list[Output], keys: list[str], previous: dict, options: Options,
            progress: Progress) -> str:
    """The Pagefind index of the claim pages: carried over while none of them changed."""
    claim_keys = sorted(f"{out.path}:{key}" for out, key in zip(outputs, keys) if out.template == "claim.html")
    if not claim_keys:
        return ""
    key = digest(SEARCH_KEY, *claim_keys)  # each page's key holds the code digest, Pagefind's version with it
    bundle = [path for path in previous if path.startswith(f"{SEARCH_FOLDER}/")]
    if options.in_place and bundle:  # the preview's search keeps its first index: indexing a big site takes seconds
        key = previous[bundle[0]][0]
    if bundle and all(previous[p][0] == key and file_signature(writer.previous(p)) == previous[p][1] for p in bundle):
        if all(writer.keep(p) for p in bundle):
            return key
    progress.phase(SEARCH_PHASE)
    writer.clear_for(SEARCH_FOLDER)  # Pagefind reads every claim page in the folder: only this build's
    writer.paths.update(index_folder(writer.target))
    return key


def _render_all(env, outputs: list[Output], numbers: list[int], writer: SiteWriter, workers: int, progress: Progress,
                site_dir: Path) -> None:
    """Render and write outputs[n] for each of `numbers`."""
    with _Pool(workers, len(numbers), (env, outputs, writer, site_dir)) as pool:
        for done, problem in pool.each(_render_batch, _batches(numbers)):
            if problem is not None:
                raise TemplateFailed(problem)
            writer.paths.update(done)  # a worker's writer is not this one
            progress.advance(len(done))


def _render_batch(work, numbers: list[int]) -> tuple[list[str], Problem | None]:
    env, outputs, writer, site_dir = work
    done = []
    for n in numbers:
        out = outputs[n]
        try:
            data = render(env, out.template, out.context)
        except Exception as exc:  # noqa: BLE001 - a template's mistake, reported at its line
            return done, template_problem(exc, site_dir)
        writer.write(out.path, data)
        done.append(out.path)
    return done, None


class _ReuseRunner(Runner):
    """The readers' calls, reused where made before and the rest shared among worker processes."""

    def __init__(self, reuse: Reuse, workers: int):
        self.reuse = reuse
        self.workers = workers

    def map(self, function: Callable, calls: list[tuple]) -> list:
        return self.reuse.map(function, calls, self._compute)

    def _compute(self, function: Callable, calls: list[tuple]):
        """The results in the calls' order, each as soon as it is there: reuse stores them as they come."""
        with _Pool(self.workers, len(calls), (function, calls)) as pool:
            for done in pool.each(_compute_batch, _batches(range(len(calls)))):
                yield from done


def _compute_batch(work, numbers: range) -> list[tuple]:
    function, calls = work
    return [run_recorded(function, calls[n]) for n in numbers]


# -- worker processes ----------------------------------------------------------------------

_WORK = None  # in a worker process: what its pool's initializer gave it


def _batches(numbers):
    """`numbers` (a list or a range) in slices of BATCH, a worker's job each."""
    return [numbers[start : start + BATCH] for start in range(0, len(numbers), BATCH)]


class _Pool:
    """`function(work, job)` for each job, in forked worker processes that inherit `work` (so it is
    never pickled), or in this process when there are fewer than PARALLEL_MINIMUM items to do.
    A failed build leaves no worker behind."""

    def __init__(self, workers: int, items: int, work):
        self.work = work
        self.executor = None
        if workers > 1 and items >= PARALLEL_MINIMUM and "fork" in multiprocessing.get_all_start_methods():
            self.executor = ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker, initargs=(work,)
            )

    def __enter__(self) -> "_Pool":
        return self

    def each(self, function, jobs: list):
        """The results in the jobs' order."""
        if self.executor is None:
            for job in jobs:
                yield function(self.work, job)
            return
        futures = collections.deque(self.executor.submit(_in_worker, function, job) for job in jobs)
        while futures:  # a result is let go once taken
            yield futures.popleft().result()

    def __exit__(self, kind, error, trace) -> None:
        if self.executor is None:
            return
        if error is not None:
            for process in list(getattr(self.executor, "_processes", {}).values()):
                process.terminate()
        self.executor.shutdown(wait=True, cancel_futures=True)


def _start_worker(work) -> None:
    global _WORK
    _WORK = work
    gc.freeze()  # what the worker inherited is never its garbage; what it makes may be
    gc.enable()
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _in_worker(function, job):
    return function(_WORK, job)


def _die_with_parent() -> None:
    """A worker whose build is killed ends too, instead of holding its caller's pipes."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
