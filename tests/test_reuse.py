"""The reuse layer: a cache that cannot run code and cannot lie, output that never deletes what
a build did not write, and one place in the code that knows a cache exists."""

from __future__ import annotations

import ast
import datetime as dt
import multiprocessing
import os
import pickle
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from factdesk import pipeline
from factdesk.model import Article, Catalogue
from factdesk.output import MARKER
from factdesk.pipeline import Options, build_site
from factdesk.reuse import Reuse, decode, encode

from conftest import PROJECT_DIR, make_site, run
from test_oracle import starting_site, tree, write_site


class _RunsCode:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def clean(site: Path, out: Path) -> dict[str, bytes]:
    assert build_site(site, out, Options(), Reuse()).ok
    return tree(out)


@pytest.fixture
def built(tmp_path):
    """A site built once with its cache, and what a clean build of it writes."""
    site, cache = tmp_path / "site", tmp_path / "cache" / "reuse.sqlite"
    write_site(starting_site(), site)
    assert build_site(site, tmp_path / "out", Options(), Reuse(cache)).ok
    return site, cache, clean(site, tmp_path / "clean")


def test_a_result_is_kept_one_build_after_its_last_use_then_dropped(tmp_path):
    """An edit undone at the next build reuses what the build before computed; the cache does not grow."""
    site, cache = tmp_path / "site", tmp_path / "cache" / "reuse.sqlite"
    model = starting_site()

    def build_with(summary: str) -> set[str]:
        model["claims"]["check-0"]["summary"] = summary
        write_site(model, site)
        assert build_site(site, tmp_path / "out", Options(), Reuse(cache)).ok
        with sqlite3.connect(cache) as db:
            return {key for (key,) in db.execute("SELECT key FROM results")}

    first, second, third = build_with("One."), build_with("Two."), build_with("Three.")
    assert first <= second and len(second - first) == 1  # the first summary's reading is kept for an undo
    assert second - first <= third  # ... and the second's, one build on
    assert len(first - third) == 1 and first - third != second - first  # the first's is gone two builds on


def test_a_build_stopped_by_a_mistake_keeps_what_it_read(tmp_path, monkeypatch):
    """Results are stored as they are computed: once the mistake is fixed, only the fixed file is read again."""
    site, cache = tmp_path / "site", tmp_path / "cache" / "reuse.sqlite"
    model = starting_site()
    model["claims"]["check-0"]["verdict"] = "flase"
    write_site(model, site)
    assert not build_site(site, tmp_path / "out", Options(), Reuse(cache)).ok
    model["claims"]["check-0"]["verdict"] = "false"
    write_site(model, site)
    computed = []
    real = pipeline.run_recorded
    monkeypatch.setattr(pipeline, "run_recorded", lambda function, args: computed.append(function.__name__) or real(function, args))
    assert build_site(site, tmp_path / "out", Options(), Reuse(cache)).ok
    assert computed.count("read_claim") == 1 and "read_article" not in computed
    assert tree(tmp_path / "out") == clean(site, tmp_path / "clean")


class _FullDisk:
    """A cache file that reads but cannot be written, as on a full disk."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def execute(self, sql: str, *args):
        if not sql.lstrip().upper().startswith("SELECT"):
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def executemany(self, sql: str, rows):
        raise sqlite3.OperationalError("database or disk is full")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def close(self):
        self.db.close()


def test_a_cache_that_cannot_be_written_costs_time_and_says_so_once(tmp_path, monkeypatch, capsys):
    site = tmp_path / "site"
    write_site(starting_site(), site)
    monkeypatch.setattr("factdesk.reuse.STORE_EVERY", 1)  # a write for every result: each would fail
    reuse = Reuse(tmp_path / "cache" / "reuse.sqlite")
    reuse.db = _FullDisk(reuse.db)
    assert build_site(site, tmp_path / "out", Options(), reuse).ok
    assert tree(tmp_path / "out") == clean(site, tmp_path / "clean")
    assert capsys.readouterr().err.count("warning: the build cache was not saved (database or disk is full)") == 1


PLANTS = {
    "random bytes": lambda cache, pwned: cache.write_bytes(os.urandom(4096)),
    "a pickle that runs code": lambda cache, pwned: cache.write_bytes(pickle.dumps(_RunsCode(pwned))),
    "an empty file": lambda cache, pwned: cache.write_bytes(b""),
    "a truncated copy": lambda cache, pwned: cache.write_bytes(cache.read_bytes()[: len(cache.read_bytes()) // 3]),
}


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_a_planted_cache_file_changes_nothing(built, tmp_path, plant):
    site, cache, expected = built
    pwned = tmp_path / "PWNED"
    for sidecar in cache.parent.glob("reuse.sqlite-*"):
        sidecar.unlink()
    PLANTS[plant](cache, pwned)
    (cache.parent / "build.pickle").write_bytes(pickle.dumps(_RunsCode(pwned)))  # beside it, too
    result = build_site(site, tmp_path / "out", Options(), Reuse(cache))
    assert result.ok, result.problems
    assert tree(tmp_path / "out") == expected
    assert not pwned.exists()


def test_damaged_and_misplaced_entries_are_misses(built, tmp_path):
    """Every value truncated, every value swapped with another's, a pickle in place of one."""
    site, cache, expected = built
    db = sqlite3.connect(cache)
    rows = db.execute("SELECT key, data FROM results").fetchall()
    assert rows
    pwned = tmp_path / "PWNED"
    with db:
        for n, (key, data) in enumerate(rows):
            if n % 3 == 0:
                damaged = data[: len(data) // 2]
            elif n % 3 == 1:
                damaged = rows[(n + 1) % len(rows)][1]  # another entry's, digest and all
            else:
                damaged = pickle.dumps(_RunsCode(pwned)).decode("latin-1")
            db.execute("UPDATE results SET data = ? WHERE key = ?", (damaged, key))
        db.execute("UPDATE outputs SET key = 'planted', signature = '1:1:1:1'")
    db.close()
    result = build_site(site, tmp_path / "out", Options(), Reuse(cache))
    assert result.ok
    assert tree(tmp_path / "out") == expected
    assert not pwned.exists()


def test_after_a_library_upgrade_nothing_is_reused(built, tmp_path, monkeypatch):
    """A new Babel that writes dates another way reaches every page, as a clean build would."""
    from factdesk import i18n, reuse

    site, cache, before = built
    upgraded = [*reuse.installed_libraries(), "Babel==99.0"]
    monkeypatch.setattr(reuse, "installed_libraries", lambda: upgraded)
    monkeypatch.setattr(i18n, "format_date", lambda value, *args, **kwargs: f"day {value.toordinal()}")
    reuse.code_digest.cache_clear()
    i18n._date_in.cache_clear()
    try:
        result = build_site(site, tmp_path / "out", Options(), Reuse(cache))
        assert result.ok
        assert tree(tmp_path / "out") == clean(site, tmp_path / "upgraded") != before
    finally:
        monkeypatch.undo()
        reuse.code_digest.cache_clear()
        i18n._date_in.cache_clear()


def test_a_cache_in_the_site_folder_is_never_read(tmp_path):
    """A pull request can commit any file: the cache lives in the user's cache folder instead."""
    site = make_site(tmp_path)
    pwned = tmp_path / "PWNED"
    planted = site / ".factdesk-cache"
    planted.mkdir()
    (planted / "build.pickle").write_bytes(pickle.dumps(_RunsCode(pwned)))
    (planted / "reuse.sqlite").write_bytes(pickle.dumps(_RunsCode(pwned)))
    assert run("build", "--site", site, "--out", tmp_path / "out").returncode == 0
    assert not pwned.exists()
    assert pipeline.default_cache(site).is_relative_to(Path(os.environ["XDG_CACHE_HOME"]))


def test_stored_values_are_data_and_read_back_equal():
    value = (starting_site()["site"], ("a", 1, None, 2.5), {"k": ("v",)})
    assert decode(encode(value)) == (value[0], value[1], value[2])
    with pytest.raises(Exception):
        decode('{"@": "os:system", "command": "true"}')
    with pytest.raises(Exception):
        decode('{"@": "subprocess:Popen", "args": []}')


def _cited(catalogue):
    """A reader of one check: it looks up the two articles the check cites."""
    return catalogue["a1"], catalogue.get("a2")


def test_a_result_holds_the_very_articles_it_read_and_depends_on_them_only(tmp_path):
    articles = {f"a{n}": Article(f"a{n}", f"content/articles/a{n}.txt", f"Title {n}", "Outlet", dt.date(2025, 1, n), "Text.")
                for n in range(1, 6)}
    cache = tmp_path / "reuse.sqlite"
    first = Reuse(cache)
    [result] = first.map(_cited, [(Catalogue(articles),)])
    first.save()
    first.close()
    again = Reuse(cache)  # from the file: the result's articles are the catalogue's own objects again
    [found] = again.map(_cited, [(Catalogue(articles),)])
    assert found[0] is articles["a1"] and found[1] is articles["a2"] and result[0] is articles["a1"]
    changed = {**articles, "a5": Article("a5", "content/articles/a5.txt", "Other", "Outlet", dt.date(2025, 1, 5), "New.")}
    calls = []
    again.map(_cited, [(Catalogue(changed),)], lambda function, todo: calls.append(todo) or [])
    assert calls == []  # an article the check does not cite changed: the result stands
    changed["a2"] = Article("a2", "content/articles/a2.txt", "Retitled", "Outlet", dt.date(2025, 1, 2), "Text.")
    [recomputed] = again.map(_cited, [(Catalogue(changed),)])
    assert recomputed[1] is changed["a2"]


# -- where a build may write ------------------------------------------------------------------


def refused(site: Path, out: Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    result = run("build", "--site", site, "--out", out, cwd=cwd)
    assert result.returncode == 2, result.stderr
    assert "Nothing was written." not in result.stdout
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_folder_of_the_users_files_is_refused_and_left_alone(tmp_path):
    site = make_site(tmp_path)
    out = tmp_path / "documents"
    (out / "taxes").mkdir(parents=True)
    (out / "taxes" / "2025.pdf").write_bytes(b"%PDF precious")
    before = snapshot(out)
    result = refused(site, out)
    assert str(out) in result.stderr and "no build wrote" in result.stderr
    assert snapshot(out) == before
    # twice: a refused build leaves nothing that makes the next one accept it
    refused(site, out)
    assert snapshot(out) == before


@pytest.mark.parametrize("where", [".", "..", "content", "content/claims/out", "templates", "static/out"])
def test_the_site_folder_and_its_source_folders_are_refused(tmp_path, where):
    site = make_site(tmp_path, files={"templates/.keep": "", "static/site.css": "body{}"})
    before = snapshot(tmp_path)
    result = refused(site, site / where)
    assert "name another folder" in result.stderr
    assert snapshot(tmp_path) == before


def test_a_linked_output_folder_is_never_followed(tmp_path):
    site = make_site(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine")
    (site / "_site").symlink_to(elsewhere, target_is_directory=True)  # as a committed link would be
    result = run("build", "--site", site)
    assert result.returncode == 2 and "is a link" in result.stderr
    assert snapshot(elsewhere) == {"keep.txt": b"mine"}
    assert (site / "_site").is_symlink()


def test_a_previous_builds_output_is_replaced(tmp_path):
    site = make_site(tmp_path)
    out = tmp_path / "out"
    assert run("build", "--site", site, "--out", out).returncode == 0
    assert (out / MARKER).is_file()
    (out / "stray.html").write_text("left by hand")
    assert run("build", "--site", site, "--out", out).returncode == 0
    assert not (out / "stray.html").exists()


def test_a_second_build_into_the_same_output_stops_with_a_clear_message(tmp_path):
    from factdesk.output import OutputLock

    site = make_site(tmp_path)
    held = OutputLock(tmp_path / "out", Path(os.environ["XDG_CACHE_HOME"]) / "factdesk" / "locks")
    try:
        result = run("build", "--site", site, "--out", tmp_path / "out")
    finally:
        held.release()
    assert result.returncode == 1
    assert f"another build is writing {tmp_path / 'out'}; wait for it to finish" in result.stderr
    assert "Traceback" not in result.stderr
    assert run("build", "--site", site, "--out", tmp_path / "out").returncode == 0


# -- processes ------------------------------------------------------------------------------------


def test_a_failed_parallel_build_leaves_no_process_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "PARALLEL_MINIMUM", 1)
    claims = {f"check-{n}": starting_site()["claims"]["check-0"] for n in range(6)}
    model = starting_site()
    model["claims"] = claims
    model["templates"]["claim.html"] = "{{ claim.nope }}"
    write_site(model, tmp_path / "site")
    result = build_site(tmp_path / "site", tmp_path / "out", Options(workers=2), Reuse())
    assert not result.ok and "templates/claim.html:1" in str(result.problems[0])
    assert multiprocessing.active_children() == []


def test_an_interrupted_build_prints_one_line(tmp_path):
    """Ctrl-C: no traceback, exit 130, the previous site intact."""
    site = make_site(tmp_path)
    code = (
        f"import sys; sys.path.insert(0, {str(PROJECT_DIR)!r})\n"
        "import factdesk.pipeline as p\n"
        "def interrupted(*a, **k): raise KeyboardInterrupt\n"
        "p.plan_site = interrupted\n"
        "from factdesk.cli import main\n"
        f"sys.exit(main(['build', '--site', {str(site)!r}, '--out', {str(tmp_path / 'out')!r}]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr and "interrupted" in result.stderr


# -- one place knows a cache exists -------------------------------------------------------------------


def test_only_the_orchestration_imports_the_reuse_layer():
    importers = set()
    for path in sorted((PROJECT_DIR / "factdesk").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith("reuse"):
                importers.add(path.name)
            if isinstance(node, ast.ImportFrom) and node.level and any(a.name == "reuse" for a in node.names):
                importers.add(path.name)
            if isinstance(node, ast.Import) and any(a.name.endswith(".reuse") for a in node.names):
                importers.add(path.name)
    assert importers == {"pipeline.py"}


def test_the_stages_below_the_orchestration_never_import_it():
    stages = {"validation", "model", "pages", "feeds", "rendering", "output", "structured", "cards", "quotes",
              "markup", "loading", "fields", "schema", "independence", "urls", "charts", "search", "problems"}
    for name in stages:
        source = (PROJECT_DIR / "factdesk" / f"{name}.py").read_text(encoding="utf-8")
        tree_ = ast.parse(source)
        imported = {n.module for n in ast.walk(tree_) if isinstance(n, ast.ImportFrom) and n.module}
        assert not imported & {"pipeline", "serving", "cli", "reuse"}, name


def test_a_warm_build_counts_the_same_files_as_the_cold_one(tmp_path):
    site, out, cache = tmp_path / "site", tmp_path / "out", tmp_path / "cache" / "reuse.sqlite"
    write_site(starting_site(), site)
    cold = build_site(site, out, Options(), Reuse(cache))
    warm = build_site(site, out, Options(), Reuse(cache))
    on_disk = sum(1 for p in out.rglob("*") if p.is_file() and p.name != MARKER)
    assert (cold.files, warm.files, warm.rendered) == (on_disk, on_disk, 0)
