"""One build: read and validate, build the model, render, write.

A `Builder` remembers what it built, so the next build renders and writes
only what changed: across runs through the cache folder, and within the
preview in memory.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import Future, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import jinja2

from .caching import (
    BuildCache,
    CacheDamaged,
    digest,
    folder_digest,
    generator_digest,
    load_cache,
    save_cache,
    save_entries,
    spill_beside,
)
from .collector import build_done, forked_pool, model_building
from .feeds import render_feeds
from .memo import PlanMemo
from .model import Packed, Site, forget_unpacked
from .output import SiteWriter, collect_static, scan_folders, spare_of
from .problems import Problem
from .progress import Progress
from .search import BUNDLE, CACHE_ENTRY as SEARCH_ENTRY, write_search_index
from .rendering import (
    CARD_TEMPLATE,
    PROJECT_DIR,
    CompiledTemplates,
    PageJob,
    environment,
    plan_pages,
    prepare_environment,
    render_job,
    template_problem,
)
from .validation import Loaded, load_site, reload_claims

CACHE_FOLDER = ".factdesk-cache"
SEARCH_ENTRY_FILE = f"{BUNDLE}/pagefind-entry.json"  # stands for the whole search index
SEARCH_PHASE = "search index"  # Pagefind's: timed, and its memory told, apart
PARALLEL_PAGES = 400  # pages to render before a second process pays for itself
BATCH_PAGES = 250  # pages a worker renders between reports of progress


@dataclass
class BuildResult:
    problems: list[Problem] = field(default_factory=list)
    site: Site | None = None
    files: int = 0
    rendered: int = 0  # pages rendered this time; the rest were unchanged
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # phase -> seconds
    peak_mib: float = 0.0  # the largest resident set of the build's processes
    peak_mib_without_search: float = 0.0  # of those but the search indexer

    @property
    def ok(self) -> bool:
        return self.site is not None and not any(p.severity == "error" for p in self.problems)


def default_workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8))


class Builder:
    def __init__(
        self,
        site_dir: Path,
        out_dir: Path,
        base_url: str | None = None,
        include_drafts: bool = False,
        cache_dir: Path | None = None,
        workers: int | None = None,
        in_place: bool = False,
        draw_cards: bool = True,
    ):
        self.site_dir = site_dir
        self.out_dir = out_dir
        self.base_url = base_url
        self.include_drafts = include_drafts
        self.cache_path = cache_dir / "build.pickle" if cache_dir else None
        self.workers = workers or default_workers()
        self.in_place = in_place
        self.draw_cards = draw_cards  # share cards are for social networks, which never see a preview
        self.cache: BuildCache | None = None  # kept in memory between builds of one Builder
        self.written: set[str] | None = None
        # (digest of the template files, their environment, its compiled templates)
        self.templates: tuple[str, jinja2.Environment, CompiledTemplates] | None = None
        self.compiled_all = False  # whether every template of that environment compiled
        self.loaded: Loaded | None = None  # the last site read without errors, for `reload_claims`
        self.unread: set[Path] = set()  # files changed since then
        # planning's work: kept in memory for the preview's next build; outlined in the cache
        self.plans = PlanMemo(keep=in_place)

    def build(self, write: bool = True, progress: Progress | None = None, changed: Iterable[Path] | None = None) -> BuildResult:
        """Build the site; on any problem, nothing is written. `changed`: the files changed
        since the last build, when known (the preview's watcher knows), so that only they are read."""
        progress = progress or Progress()
        try:
            result = self._build(write, progress, changed)
        except BrokenProcessPool:
            problem = Problem("(build)", 1, 1, "a worker process was killed (out of memory?); nothing was written")
            result = BuildResult(problems=[problem])
        except CacheDamaged as damaged:
            self.cache = None  # the damaged part is removed: the next build reads those files again
            problem = Problem("(build)", 1, 1, f"the build cache was damaged ({damaged}); nothing was written; build again")
            result = BuildResult(problems=[problem])
        finally:
            build_done()
            progress.finish()
        result.timings = progress.timings
        result.peak_mib, result.peak_mib_without_search = progress.peak_mib(), progress.peak_mib(leaving_out=SEARCH_PHASE)
        return result

    def _build(self, write: bool, progress: Progress, changed: Iterable[Path] | None) -> BuildResult:
        started = time.perf_counter()
        progress.phase("reading content")
        with model_building():
            scan = self._scan_beside() if write else None  # forked first, while this process is small
            cache = self.cache if self.cache is not None else load_cache(self.cache_path)
            cache.spill = spill_beside(self.cache_path) if self.cache_path else None
            loaded = None
            if changed is not None and self.loaded is not None:
                self.unread.update(changed)
                loaded = reload_claims(self.loaded, self.site_dir, self._in_site(self.unread), self.include_drafts, cache)
            if loaded is None:
                loaded = load_site(
                    self.site_dir,
                    self.include_drafts,
                    self.base_url,
                    cache=cache,
                    workers=self.workers,
                )
            if loaded.ok:
                self.loaded, self.unread = loaded, set()
            elif changed is None:
                self.loaded = None  # unknown changes since the last good read: read everything next time
            result = BuildResult(problems=loaded.problems, site=loaded.site)
            if not loaded.ok or not write:
                return result
            site = loaded.site
            if self.cache_path:
                self._keep_read_on_disk(cache)
            progress.phase("planning pages")
            env, site_key, jobs = self._plan(site, cache)
        try:
            rendered, written = self._write(site, env, site_key, jobs, cache, progress, scan)
        except TemplateFailed as failed:
            result.problems.append(failed.problem)
            result.site = None
            return result
        self.cache, self.written = cache, written
        self.plans.build_done()
        if self.cache_path:
            progress.phase("saving the cache")
            save_cache(self.cache_path, cache)
        result.files, result.rendered = len(written), rendered
        result.seconds = time.perf_counter() - started
        return result

    def _keep_read_on_disk(self, cache: BuildCache) -> None:
        """Save the entries of what was read now, and leave the packed fields of the checks
        and articles read on disk until a page needs them: a cold build held them all to its
        end (at 100,000 checks, more than a gigabyte)."""
        for path, entry in save_entries(self.cache_path, cache).items():
            known = cache.objects.get(path)  # made from its entry, or its entry from it: the same fields
            if known is not None and isinstance(known[1], Packed):
                known[1].keep_packed_in(entry[-1])

    def _plan(self, site: Site, cache: BuildCache) -> tuple[jinja2.Environment, str, list[PageJob]]:
        """The environment, the key of what every page depends on, and the jobs."""
        templates_key = folder_digest([self.site_dir / "templates", PROJECT_DIR / "templates"])
        if self.templates is None or self.templates[0] != templates_key:
            # compiled templates are kept between the preview's builds until a template changes
            compiled = CompiledTemplates(cache.templates)
            self.templates = (templates_key, environment(self.site_dir, compiled), compiled)
            self.compiled_all = False
        env = self.templates[1]
        prepare_environment(env, site)
        site_key = digest(
            site.config.digest,
            templates_key,
            generator_digest(),
            *(f"{p.slug}:{p.title}:{p.nav}" for p in site.pages),
        )
        static = [PROJECT_DIR / "static", self.site_dir / "static"]
        self.plans.start(cache.outlines)
        jobs = plan_pages(site, site_key, static, self.plans)
        if not self.draw_cards:
            jobs = [job for job in jobs if job.template != CARD_TEMPLATE]
        return env, site_key, jobs

    def _write(
        self,
        site: Site,
        env: jinja2.Environment,
        site_key: str,
        jobs: list[PageJob],
        cache: BuildCache,
        progress: Progress,
        scan: Future | None,
    ) -> tuple[int, set[str]]:
        same_output = cache.out_dir == str(self.out_dir.resolve())
        self._compile_templates(env, cache)
        scanned = scan.result() if scan is not None else None
        writer = SiteWriter(self.out_dir, self.in_place, self.written if self.in_place else None, scanned)
        try:
            progress.phase("keeping unchanged pages")
            changed, kept = self._keep_unchanged(writer, cache, jobs, same_output)
            pages = [job for job in changed if job.template != CARD_TEMPLATE]
            cards = [job for job in changed if job.template == CARD_TEMPLATE]
            progress.phase("rendering pages", len(pages))
            _render_all(env, site, pages, writer, self.workers, self.site_dir, progress)
            # share cards are work Hugo and Pelican do not do: a phase of their own, timed apart
            progress.phase("drawing share cards", len(cards))
            _render_all(env, site, cards, writer, self.workers, self.site_dir, progress)
            progress.phase("feeds and static files")
            try:
                feeds = render_feeds(site, env, site_key, self.plans)
            except CacheDamaged:
                raise
            except Exception as exc:  # noqa: BLE001 - a template's mistake, reported at its line
                raise TemplateFailed(template_problem(exc, self.site_dir)) from exc
            for relative, content in feeds.items():
                writer.write(relative, content)
            for relative, source in collect_static([PROJECT_DIR / "static", self.site_dir / "static"]).items():
                writer.copy(f"static/{relative}", source)
            # the search index of the claim pages just written (or the last one, if none changed)
            if self.in_place and self.written is not None:
                # the preview after its first build: indexing takes seconds on a big site, so
                # its search keeps the first build's index (pages themselves are always current)
                search_key = cache.pages.get(SEARCH_ENTRY, "")
                writer.keep_in_place(relative for relative in self.written if relative.startswith(f"{BUNDLE}/"))
            else:
                progress.phase(SEARCH_PHASE)
                index_intact = same_output and (self.in_place or self._unchanged_file(writer, cache, SEARCH_ENTRY_FILE) is not None)
                previous = cache.pages.get(SEARCH_ENTRY) if index_intact else None
                search_key = write_search_index(writer, jobs, previous)
            progress.phase("removing what is gone" if self.in_place else "swapping in the new site")
            writer.finish()
        except BaseException:
            writer.abort()
            raise
        cache.pages = {job.output: job.key for job in jobs}
        cache.outlines = self.plans.new_outlines
        # what each page's file is now: a file changed since (by hand, by another site's
        # build, by a build killed before it saved this) is never taken as unchanged
        if not self.in_place:  # the preview's output folder is its own: nobody else writes there
            outputs = [job.output for job in jobs] + [SEARCH_ENTRY_FILE]
            cache.signatures = {
                output: kept[output] if output in kept else writer.previous_signature(output) for output in outputs
            }
        cache.pages[SEARCH_ENTRY] = search_key
        cache.out_dir = str(self.out_dir.resolve())
        return len(changed), writer.written

    def _keep_unchanged(
        self, writer: SiteWriter, cache: BuildCache, jobs: list[PageJob], same_output: bool
    ) -> tuple[list[PageJob], dict[str, tuple]]:
        """Carry over the files of the pages whose keys are the last build's; the jobs left to
        render, and the signatures of the files kept (which linking them does not change)."""
        pages = cache.pages if same_output else {}
        if self.in_place:  # the preview's folder is its own: nobody else writes there
            writer.keep_in_place(job.output for job in jobs)
            return [job for job in jobs if pages.get(job.output) != job.key], {}
        changed, kept = [], {}
        for job in jobs:
            if pages.get(job.output) != job.key:
                changed.append(job)
            elif (signature := self._unchanged_file(writer, cache, job.output)) is not None:
                if writer.keep(job.output, inode=signature[0]):
                    kept[job.output] = signature
            else:
                changed.append(job)
        return changed, kept

    def _scan_beside(self) -> Future | None:
        """The output folder and its spare, scanned in a forked process beside reading and
        planning (at 10,000 checks, half a second of a one-change build); only once there is a
        spare: the first two builds write every file anyway."""
        if self.in_place or self.workers < 2 or not spare_of(self.out_dir).is_dir():
            return None
        pool = forked_pool(1)
        if pool is None:
            return None
        scan = pool.submit(scan_folders, self.out_dir)
        # its one job still runs; the executor's thread only waits for it, holding no lock
        # that a process forked meanwhile (to read or render) would need
        pool.shutdown(wait=False)
        return scan

    def _compile_templates(self, env: jinja2.Environment, cache: BuildCache) -> None:
        """Every template, compiled once per environment: forked render workers inherit them,
        and a mistake in any is reported before anything is written. Kept in the cache for the
        next build."""
        if not self.compiled_all:
            for name in env.list_templates(extensions=("html", "xml")):
                try:
                    env.get_template(name)
                except Exception as exc:  # noqa: BLE001 - a template's mistake, reported at its line
                    raise TemplateFailed(template_problem(exc, self.site_dir)) from exc
            self.compiled_all = True
        cache.templates = self.templates[2].kept

    def _in_site(self, changed: set[Path]) -> set[str]:
        """The changed files' paths in the site folder, as problems name them ('..' for those outside)."""
        site = self.site_dir.resolve()
        return {Path(os.path.relpath(Path(path).resolve(), site)).as_posix() for path in changed}

    @staticmethod
    def _unchanged_file(writer: SiteWriter, cache: BuildCache, relative: str) -> tuple | None:
        """The file's signature, if the output still holds the very file this site's last build left there."""
        signature = writer.previous_signature(relative)
        return signature if signature is not None and cache.signatures.get(relative) == signature else None


def build(
    site_dir: Path,
    out_dir: Path,
    base_url: str | None = None,
    include_drafts: bool = False,
    write: bool = True,
    use_cache: bool = True,
    progress: Progress | None = None,
    workers: int | None = None,
) -> BuildResult:
    """One build from the command line, with the site's cache folder."""
    cache_dir = site_dir / CACHE_FOLDER if use_cache and write else None
    builder = Builder(site_dir, out_dir, base_url, include_drafts, cache_dir=cache_dir, workers=workers)
    return builder.build(write, progress)


class TemplateFailed(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


# Rendering in forked processes: they inherit the environment, the model and the
# jobs, so a worker is sent only which jobs to render (pickling pages' contexts
# would cost more than rendering them).
_RENDER: dict = {}


def _render_chunk(start: int, stop: int) -> tuple[list[str], Problem | None]:
    """Render and write jobs[start:stop]; stop at the first template failure and describe it."""
    env, site, writer, jobs = _RENDER["env"], _RENDER["site"], _RENDER["writer"], _RENDER["jobs"]
    for job in jobs[start:stop]:
        try:
            writer.write(job.output, render_job(env, site, job))
        except CacheDamaged:
            raise
        except Exception as exc:  # noqa: BLE001 - a template's mistake, reported at its line
            return [], template_problem(exc, _RENDER["site_dir"])
    forget_unpacked()
    return [job.output for job in jobs[start:stop]], None


def _render_all(
    env: jinja2.Environment,
    site: Site,
    jobs: list[PageJob],
    writer: SiteWriter,
    workers: int,
    site_dir: Path,
    progress: Progress,
) -> None:
    _RENDER.update(env=env, site=site, writer=writer, site_dir=site_dir, jobs=jobs)
    batches = [(start, min(start + BATCH_PAGES, len(jobs))) for start in range(0, len(jobs), BATCH_PAGES)]
    results = []
    try:
        pool = None
        if workers > 1 and len(jobs) >= PARALLEL_PAGES:
            pool = forked_pool(workers)  # the workers inherit the compiled templates
        if pool is None:
            for batch in batches:
                results.append(_render_chunk(*batch))
                if results[-1][1] is not None:
                    break
                progress.advance(len(results[-1][0]))
        else:
            with pool:  # a dead worker raises, never hangs
                pending = {pool.submit(_render_chunk, *batch): batch for batch in batches}
                finished = {}
                for done in as_completed(pending):
                    finished[pending[done]] = done.result()
                    progress.advance(len(finished[pending[done]][0]))
                results = [finished[batch] for batch in batches]  # the first failure in page order is reported
    finally:
        _RENDER.clear()
    for outputs, problem in results:
        if problem is not None:
            raise TemplateFailed(problem)
        writer.written.update(outputs)
