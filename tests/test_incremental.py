"""The fast paths give the same bytes as a plain build.

A generated site goes through a scripted sequence of edits, deletions and
renames. After each step, the build an editor runs (the cache in the site
folder, the previous output and its spare beside it, two render processes)
must write exactly the files, byte for byte, that a plain build writes: one
process, no cache, an empty output folder.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import time
from pathlib import Path

import jinja2
import pytest

from factdesk import caching, feeds, pipeline, rendering, validation
from factdesk.pipeline import Builder, build
from factdesk.serving import Watcher, watched_paths

from conftest import PROJECT_DIR

spec = importlib.util.spec_from_file_location("bench_generate", PROJECT_DIR / "bench" / "generate.py")
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)

CHECKS = 40


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def claim_files(site: Path) -> list[Path]:
    return sorted((site / "content" / "claims").glob("*.yaml"))


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_summary(site: Path) -> None:
    replace_in(claim_files(site)[3], "summary: '", "summary: 'Revised. ")


def edit_analysis(site: Path) -> None:
    replace_in(claim_files(site)[5], "analysis: |\n", "analysis: |\n  A new first paragraph, with **bold** words.\n\n")


def retitle_a_check_others_show(site: Path) -> None:
    """A check other checks' pages show among their related checks, by its title."""
    replace_in(claim_files(site)[6], "claim: '", "claim: 'Retitled: ")


def shorten_a_quote(site: Path) -> None:
    """A quote the pages of the article it is from show: still word for word, one word shorter."""
    path = claim_files(site)[8]
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.lstrip().startswith("quote: '"))
    first_word = line.split("quote: '", 1)[1].split(" ", 1)[0]
    path.write_text(text.replace(line, line.replace(f"quote: '{first_word} ", "quote: '", 1), 1), encoding="utf-8")


def change_verdict(site: Path) -> None:
    path = claim_files(site)[7]
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("verdict: "))
    new = "verdict: false" if line != "verdict: false" else "verdict: true"
    path.write_text(text.replace(line, new, 1), encoding="utf-8")


def add_a_tag(site: Path) -> None:
    replace_in(claim_files(site)[9], "tags: [", "tags: [a-brand-new-topic, ")


def delete_a_check(site: Path) -> None:
    claim_files(site)[11].unlink()


def rename_a_check(site: Path) -> None:
    path = claim_files(site)[12]
    path.rename(path.with_name("renamed-" + path.name))


def add_a_check(site: Path) -> None:
    source = claim_files(site)[0]
    text = source.read_text(encoding="utf-8").replace("claim: '", "claim: 'Another ", 1)
    (site / "content" / "claims" / "zz-a-new-check.yaml").write_text(text, encoding="utf-8")


def edit_an_article(site: Path) -> None:
    article = sorted((site / "content" / "articles").glob("*.txt"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nA correction was appended.\n", encoding="utf-8")


def touch_without_change(site: Path) -> None:
    for path in claim_files(site)[:5]:
        os.utime(path, (1_000_000_000, 1_000_000_000))


def change_the_site_title(site: Path) -> None:
    replace_in(site / "site.yaml", "title: Benchmark Desk", "title: Renamed Desk")


def override_a_template(site: Path) -> None:
    partial = site / "templates" / "partials" / "footer.html"
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_text('<footer class="site-footer"><p>Our own footer.</p></footer>\n', encoding="utf-8")


def add_a_page(site: Path) -> None:
    (site / "content" / "pages" / "contact.md").write_text("---\ntitle: Contact\nnav: true\n---\nWrite to us.\n")


def delete_a_page(site: Path) -> None:
    (site / "content" / "pages" / "contact.md").unlink()


def remove_the_template_override(site: Path) -> None:
    shutil.rmtree(site / "templates")


def add_a_static_file(site: Path) -> None:
    (site / "static").mkdir(exist_ok=True)
    (site / "static" / "extra").write_text("a file\n")


def the_static_file_becomes_a_folder(site: Path) -> None:
    (site / "static" / "extra").unlink()
    (site / "static" / "extra").mkdir()
    (site / "static" / "extra" / "inner.css").write_text("body {}\n")


def the_folder_becomes_a_file_again(site: Path) -> None:
    shutil.rmtree(site / "static" / "extra")
    (site / "static" / "extra").write_text("a file again\n")


STEPS = [
    edit_summary,
    edit_analysis,
    retitle_a_check_others_show,
    shorten_a_quote,
    change_verdict,
    add_a_tag,
    delete_a_check,
    rename_a_check,
    add_a_check,
    edit_an_article,
    touch_without_change,
    change_the_site_title,
    override_a_template,
    add_a_page,
    delete_a_page,
    remove_the_template_override,
    # a build updates the site from two builds before (the spare): an edit in between
    # makes the spare hold a file where the folder goes, then a folder where the file goes
    add_a_static_file,
    edit_analysis,
    the_static_file_becomes_a_folder,
    change_verdict,
    the_folder_becomes_a_file_again,
]


@pytest.fixture
def parallel_everywhere(monkeypatch):
    """Two processes even for a small site, so that the parallel paths run."""
    monkeypatch.setattr(pipeline, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(pipeline, "BATCH_PAGES", 7)
    monkeypatch.setattr(validation, "PARALLEL_MINIMUM", 1)


def plain_build(site: Path, out: Path) -> dict[str, bytes]:
    shutil.rmtree(out, ignore_errors=True)
    result = build(site, out, use_cache=False, workers=1)
    assert result.ok, result.problems
    return tree(out)


def test_cached_parallel_builds_equal_plain_builds_through_a_sequence_of_edits(tmp_path, parallel_everywhere, monkeypatch):
    # files are trusted by their signature even when written a moment ago, as at a desk,
    # where they are older than the few seconds a signature needs to settle
    monkeypatch.setattr(validation, "RECENT_NS", 0)
    site, out, plain = tmp_path / "site", tmp_path / "out", tmp_path / "plain"
    generate.generate(CHECKS, site, seed=7)
    first = build(site, out, workers=2)
    assert first.ok, first.problems
    assert tree(out) == plain_build(site, plain)
    rendered = []
    for step in STEPS:
        step(site)
        result = build(site, out, workers=2)
        assert result.ok, (step.__name__, result.problems)
        expected = plain_build(site, plain)
        found = tree(out)
        assert sorted(found) == sorted(expected), f"after {step.__name__}: the files differ"
        differing = [name for name in expected if found[name] != expected[name]]
        assert not differing, f"after {step.__name__}: {differing[:5]} differ from a plain build"
        rendered.append((step.__name__, result.rendered))
    # the fast path was taken: touching files re-rendered nothing, one summary far less than everything
    by_step = dict(rendered)
    assert by_step["touch_without_change"] == 0
    assert 0 < by_step["edit_summary"] < first.rendered / 4
    assert (tmp_path / ".out.spare").is_dir(), "the previous site is kept for the next build to update"


def break_a_quote(site: Path) -> None:
    path = claim_files(site)[2]
    text = path.read_text(encoding="utf-8")
    quote = next(line for line in text.splitlines() if line.lstrip().startswith("quote: "))
    path.write_text(text.replace(quote, quote.replace("quote: '", "quote: 'Words no article has ", 1), 1), encoding="utf-8")


def mend_the_quote(site: Path) -> None:
    replace_in(claim_files(site)[2], "Words no article has ", "")


def save_with_a_swap_file(site: Path) -> None:
    """An editor's save: its swap file comes and goes beside the check."""
    (site / "content" / "claims" / f".{claim_files(site)[4].name}.swp").write_text("swap", encoding="utf-8")
    replace_in(claim_files(site)[4], "summary: '", "summary: 'Saved from an editor. ")


def the_swap_file_goes(site: Path) -> None:
    (site / "content" / "claims" / f".{claim_files(site)[4].name}.swp").unlink()


# what the preview's watcher reports as edits to checks it knows: it reads only those
PREVIEW_STEPS = [edit_summary, break_a_quote, mend_the_quote, save_with_a_swap_file, the_swap_file_goes, *STEPS]
READS_ONLY_WHAT_CHANGED = {"edit_summary", "break_a_quote", "mend_the_quote", "save_with_a_swap_file", "the_swap_file_goes", "edit_analysis", "retitle_a_check_others_show", "shorten_a_quote", "change_verdict", "add_a_tag", "touch_without_change"}


def test_the_preview_told_what_changed_equals_plain_builds_through_a_sequence_of_edits(tmp_path, monkeypatch):
    site, out, plain = tmp_path / "site", tmp_path / "out", tmp_path / "plain"
    generate.generate(CHECKS, site, seed=23)
    full_reads = []
    load_site = pipeline.load_site
    monkeypatch.setattr(pipeline, "load_site", lambda *args, **kwargs: full_reads.append(1) or load_site(*args, **kwargs))
    changes = []
    watcher = Watcher(watched_paths(site), changes.append)
    preview = Builder(site, out, in_place=True)
    assert preview.build().ok
    without_search = lambda files: {name: data for name, data in files.items() if not name.startswith("pagefind/")}  # noqa: E731
    for step in PREVIEW_STEPS:
        full_reads.clear()
        step(site)
        watcher.poll()  # sees the change...
        watcher.poll()  # ...and that it has settled
        result = preview.build(changed=changes.pop())
        assert (full_reads == []) == (step.__name__ in READS_ONLY_WHAT_CHANGED), step.__name__
        if step is break_a_quote:
            errors = [p for p in result.problems if p.severity == "error"]
            assert not result.ok and [p.path for p in errors] == [f"content/claims/{claim_files(site)[2].name}"]
            assert "quote not found" in errors[0].message
            continue
        assert result.ok, (step.__name__, result.problems)
        expected = without_search(plain_build(site, plain))
        found = without_search(tree(out))
        assert sorted(found) == sorted(expected), f"after {step.__name__}: the files differ"
        differing = [name for name in expected if found[name] != expected[name]]
        assert not differing, f"after {step.__name__}: {differing[:5]} differ from a plain build"


def test_a_warm_build_renders_nothing_and_changes_no_file(tmp_path, parallel_everywhere):
    site, out = tmp_path / "site", tmp_path / "out"
    generate.generate(CHECKS, site, seed=3)
    assert build(site, out, workers=2).ok
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    result = build(site, out, workers=2)
    assert result.ok and result.rendered == 0
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    kept = [p for p in before if after.get(p) == before[p]]
    pages = [p for p in before if p.suffix in (".html", ".png")]
    assert set(pages) <= set(kept), "unchanged pages and cards are carried over, not written again"


def test_the_cache_is_rewritten_only_when_a_build_changes_it(tmp_path, parallel_everywhere, monkeypatch):
    # else the files' signatures, settling a few seconds after they were written, would be a change
    monkeypatch.setattr(validation, "RECENT_NS", 0)
    site, out = tmp_path / "site", tmp_path / "out"
    generate.generate(CHECKS, site, seed=5)
    assert build(site, out, workers=2).ok
    cache_file = site / pipeline.CACHE_FOLDER / "build.pickle"

    def written() -> tuple[int, int]:
        return cache_file.stat().st_ino, cache_file.stat().st_mtime_ns

    first = written()
    assert build(site, out, workers=2).rendered == 0
    assert written() == first, "nothing changed: the cache is left as it is"
    edit_summary(site)
    assert build(site, out, workers=2).rendered > 0
    assert written() != first
    assert build(site, out, workers=2).rendered == 0, "the edit was saved in the cache"


def test_an_edit_rewrites_only_the_cache_shard_holding_its_entry(tmp_path, parallel_everywhere, monkeypatch):
    """The checks' and articles' entries are saved in shards: one edit rewrites one of them
    (and the small main file), not the whole cache, which is 100 MB at 10,000 checks."""
    monkeypatch.setattr(validation, "RECENT_NS", 0)
    site, out = tmp_path / "site", tmp_path / "out"
    generate.generate(CHECKS, site, seed=5)
    assert build(site, out, workers=2).ok
    folder = site / pipeline.CACHE_FOLDER

    def shards() -> dict[str, tuple[int, int]]:
        return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("build-*.pickle")}

    before = shards()
    assert len(before) == caching.SHARDS
    edit_summary(site)
    assert build(site, out, workers=2).rendered > 0
    after = shards()
    assert len([name for name in before if after[name] != before[name]]) == 1
    result = build(site, out, workers=2)
    assert result.rendered == 0, "the edit was saved in the cache"
    assert tree(out) == plain_build(site, tmp_path / "plain")


def test_an_untouched_file_is_not_read_again(tmp_path, monkeypatch):
    """A file whose times, size and inode are those the cache saw is taken from the cache unread."""
    monkeypatch.setattr(validation, "RECENT_NS", 0)  # the files were written a moment ago
    site, out = tmp_path / "site", tmp_path / "out"
    generate.generate(12, site, seed=9)
    assert build(site, out, workers=1).ok
    read = []
    read_bytes = validation._Reader.read_bytes
    monkeypatch.setattr(validation._Reader, "read_bytes", lambda self, file, problems: read.append(os.path.basename(file)) or read_bytes(self, file, problems))
    edit_summary(site)
    assert build(site, out, workers=1).ok
    content_read = [name for name in read if name.endswith((".yaml", ".txt")) and name != "site.yaml"]
    assert content_read == [claim_files(site)[3].name]


def test_cached_checks_and_articles_are_unpacked_only_when_their_text_is_read(tmp_path):
    """Taken from the cache, a check's citations and analysis and an article's text stay packed
    until first read; they are then as read from the files, and pack again without unpacking."""
    site = tmp_path / "site"
    generate.generate(3, site, seed=5)
    cache = caching.BuildCache()
    read = validation.load_site(site, cache=cache).site
    cached = validation.load_site(site, cache=caching.BuildCache(stats=cache.stats, entries=cache.entries)).site
    claim, article = cached.claims[0], cached.articles[read.claims[0].cited_articles[0].id]
    assert "citations" not in vars(claim) and "analysis_html" not in vars(claim)
    assert "text" not in vars(article) and "prepared" not in vars(article)
    assert claim.slug == read.claims[0].slug and claim.cited_articles == read.claims[0].cited_articles
    again = caching.BuildCache.unpack(caching.BuildCache.pack(claim))
    assert "citations" not in vars(claim), "packing a packed check does not unpack it"
    assert claim.citations and claim.citations == read.claims[0].citations
    assert claim.analysis_html == read.claims[0].analysis_html
    assert article.text == read.articles[article.id].text and article.prepared == read.articles[article.id].prepared
    assert claim == read.claims[0] and again == claim and cached.articles == read.articles
    with pytest.raises(AttributeError):
        claim.no_such_field


def saved_and_loaded(site: Path, tmp_path: Path) -> tuple[caching.BuildCache, Path]:
    """The site read into a cache saved to disk, and that cache loaded again."""
    path = tmp_path / "cache" / "build.pickle"
    cache = caching.BuildCache()
    validation.load_site(site, cache=cache)
    caching.save_cache(path, cache)
    return caching.load_cache(path), path


def test_packed_fields_taken_from_the_cache_stay_on_disk_until_read(tmp_path):
    """A check or article taken from the cache holds where its entry's packed fields are on
    disk, not their bytes (held in memory, they were most of the memory of a warm build);
    read, they are as read from the files."""
    site = tmp_path / "site"
    generate.generate(3, site, seed=5)
    read = validation.load_site(site).site
    cache, _ = saved_and_loaded(site, tmp_path)
    cached = validation.load_site(site, cache=cache).site
    claim = cached.claims[0]
    assert isinstance(vars(claim)["_packed"], caching.Stored)
    assert vars(claim)["_packed"] is cache.entries[claim.path][-1]
    for article in cached.articles.values():
        assert vars(article)["_packed"] is cache.entries[article.path][-1]
    assert claim.citations == read.claims[0].citations and claim.analysis_html == read.claims[0].analysis_html
    assert cached.articles == read.articles and all(a.text == read.articles[a.id].text for a in cached.articles.values())


def test_a_build_leaves_what_it_read_on_disk_once_the_site_is_read(tmp_path, monkeypatch):
    """A build saves the entries of the checks and articles it read before it renders: their
    packed fields then wait in the cache's pack files, read for a page and dropped after it,
    instead of staying in memory until the build ends (a cold build at 100,000 checks held
    more than a gigabyte of them). The pages are a plain build's."""
    monkeypatch.setattr(validation, "RECENT_NS", 0)  # the files were written a moment ago
    site, out = tmp_path / "site", tmp_path / "out"
    generate.generate(CHECKS, site, seed=5)
    builder = Builder(site, out, cache_dir=tmp_path / "cache", workers=1)
    assert builder.build().ok
    read = builder.loaded.site
    cache = builder.cache
    for made in (*read.claims, *read.articles.values()):
        assert vars(made).get("_packed") is cache.entries[made.path][-1], made.path
        assert not set(made.PACKED) & set(vars(made)), f"{made.path}: its packed fields were dropped after rendering"
    assert tree(out) == plain_build(site, tmp_path / "plain")
    assert [c.citations for c in read.claims] == [c.citations for c in validation.load_site(site).site.claims]


def test_what_a_build_reads_is_written_out_as_it_is_read(tmp_path, monkeypatch):
    """The pickles a build makes of the checks and articles it reads go to a spill file as
    they are made, not into memory until the cache is saved (at 100,000 checks, a gigabyte
    of them at once); the file has no name in the cache folder, and none is left behind."""
    site, out, cache_dir = tmp_path / "site", tmp_path / "out", tmp_path / "cache"
    generate.generate(CHECKS, site, seed=5)
    seen = {}
    save_entries = pipeline.save_entries

    def look_then_save(path, cache):
        seen.update((name, entry[2:]) for name, entry in cache.entries.items() if name.startswith("content/"))
        return save_entries(path, cache)

    monkeypatch.setattr(pipeline, "save_entries", look_then_save)
    builder = Builder(site, out, cache_dir=cache_dir)
    assert builder.build().ok
    assert len(seen) == len(claim_files(site)) + len(list((site / "content" / "articles").iterdir()))
    assert all(isinstance(blob, caching.Stored) and blob.file.temporary for blobs in seen.values() for blob in blobs)
    assert not [p.name for p in cache_dir.iterdir() if p.name.startswith(".")], "no spill file is left"
    assert tree(out) == plain_build(site, tmp_path / "plain")


def test_blobs_are_read_where_there_is_no_pread_too(tmp_path, monkeypatch):
    """Windows has no os.pread: a blob is read after a seek there."""
    site = tmp_path / "site"
    generate.generate(3, site, seed=5)
    read = validation.load_site(site).site
    cache, _ = saved_and_loaded(site, tmp_path)
    monkeypatch.delattr(os, "pread")
    cached = validation.load_site(site, cache=cache).site
    assert all(isinstance(vars(c).get("_packed"), caching.Stored) for c in cached.claims), "taken from the cache"
    assert [c.citations for c in cached.claims] == [c.citations for c in read.claims]


def test_a_pack_file_changed_since_its_build_is_not_used(tmp_path):
    """Packed fields are unpickled, which runs code: a pack file that is not the very file
    written with its signed shard (one flipped byte, even with its old modification time put
    back) leaves that shard's files to be read again."""
    site = tmp_path / "site"
    generate.generate(3, site, seed=5)
    cache, path = saved_and_loaded(site, tmp_path)
    shard = next(n for n in range(caching.SHARDS) if caching._pack_file(path, n).stat().st_size)
    pack = caching._pack_file(path, shard)
    before = pack.stat()
    time.sleep(0.05)  # past the clock's resolution
    with open(pack, "r+b") as file:
        first = file.read(1)
        file.seek(0)
        file.write(bytes([first[0] ^ 0xFF]))
    os.utime(pack, ns=(before.st_atime_ns, before.st_mtime_ns))
    entries = caching.load_cache(path).entries
    in_shard = {name for name in cache.entries if caching._shards(cache.entries)[shard].get(name) is not None}
    assert in_shard and not in_shard & set(entries), "the shard is ignored"
    assert set(entries) == set(cache.entries) - in_shard, "the other shards are used"


def damage_checks_blobs(monkeypatch, blob: int) -> None:
    """Builds load the cache, then its checks' `blob` (2: the light fields, 3: the packed ones)
    changes on disk, in place (the open pack files see the change)."""
    load_cache = caching.load_cache

    def load_then_damage(path):
        cache = load_cache(path)
        for name, entry in cache.entries.items():
            if name.startswith("content/claims/"):
                stored = entry[blob]
                with open(stored.file.path, "r+b") as file:
                    file.seek(stored.offset)
                    first = file.read(1)
                    file.seek(stored.offset)
                    file.write(bytes([first[0] ^ 0xFF]))
        return cache

    monkeypatch.setattr(pipeline, "load_cache", load_then_damage)


def test_packed_fields_changed_on_disk_during_a_build_fail_it_and_the_next_reads_the_files(tmp_path, monkeypatch):
    """Blobs are checked against their digest when read: bytes changed after the cache was
    loaded are never unpickled. A check's packed fields, read while rendering, stop the build
    with a message, and the next one reads that shard's files again."""
    site, out = tmp_path / "site", tmp_path / "out"
    generate.generate(CHECKS, site, seed=5)
    assert build(site, out).ok
    built = tree(out)
    damage_checks_blobs(monkeypatch, 3)
    retitle_a_check_others_show(site)  # their pages are rendered again: their packed fields are read
    result = build(site, out)
    assert not result.ok
    assert [p.message for p in result.problems if "build cache was damaged" in p.message], result.problems
    assert tree(out) == built, "nothing was written"
    monkeypatch.undo()
    result = build(site, out)
    assert result.ok, result.problems
    assert tree(out) == plain_build(site, tmp_path / "plain")


def test_light_fields_changed_on_disk_during_a_build_are_read_again_from_the_files(tmp_path, monkeypatch):
    """A check's light fields are read from the cache as the build reads the site: changed on
    disk, the check is read again from its file, and the build goes on."""
    site, out = tmp_path / "site", tmp_path / "out"
    generate.generate(CHECKS, site, seed=5)
    assert build(site, out).ok
    damage_checks_blobs(monkeypatch, 2)
    edit_summary(site)
    result = build(site, out)
    assert result.ok, result.problems
    assert tree(out) == plain_build(site, tmp_path / "plain")


def test_an_edit_that_keeps_the_size_and_the_modification_time_is_still_seen(tmp_path, monkeypatch):
    """Restoring a file's old mtime (as `touch -r`, rsync or a careless script do) cannot hide an
    edit: the signature holds the ctime too, which every write changes and nothing sets back."""
    monkeypatch.setattr(validation, "RECENT_NS", 0)
    site, out = tmp_path / "site", tmp_path / "out"
    generate.generate(12, site, seed=9)
    assert build(site, out, workers=1).ok
    path = claim_files(site)[3]
    before = path.stat()
    time.sleep(0.05)  # past the clock's resolution
    text = path.read_text(encoding="utf-8")
    at = text.index("summary: '") + len("summary: '")
    path.write_text(text[:at] + ("Q" if text[at] != "Q" else "R") + text[at + 1 :], encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    result = build(site, out, workers=1)
    assert result.ok and result.rendered > 0
    assert tree(out) == plain_build(site, tmp_path / "plain")


def test_a_file_changed_moments_ago_is_read_whatever_its_signature(tmp_path):
    """Two saves within the clock's resolution can leave the same signature, so a file changed
    in the last few seconds is always read (Git's "racily clean" files)."""
    path = tmp_path / "check.yaml"
    path.write_text("title: x\n", encoding="utf-8")
    assert validation.file_signature(path) is None
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))
    assert validation.file_signature(path) is None, "the ctime says it was written just now"


def test_a_spare_holding_a_link_is_not_used(tmp_path, parallel_everywhere):
    """The spare beside the output is taken only when it holds plain files and folders:
    a link planted in it could make the next build write outside the site."""
    site, out, outside = tmp_path / "site", tmp_path / "out", tmp_path / "outside"
    generate.generate(12, site, seed=5)
    outside.mkdir()
    assert build(site, out, workers=2).ok
    assert build(site, out, workers=2).ok
    spare = tmp_path / ".out.spare"
    shutil.rmtree(spare / "claims")
    (spare / "claims").symlink_to(outside, target_is_directory=True)
    edit_summary(site)
    result = build(site, out, workers=2)
    assert result.ok, result.problems
    assert list(outside.iterdir()) == []
    assert tree(out) == plain_build(site, tmp_path / "plain")


def test_a_page_changed_in_the_output_by_hand_is_written_again_and_only_it(tmp_path, parallel_everywhere):
    """The output folder is scanned beside reading: a page changed there since the last
    build is rendered again; every other page is known unchanged and kept."""
    site, out = tmp_path / "site", tmp_path / "out"
    generate.generate(CHECKS, site, seed=13)
    assert build(site, out, workers=2).ok
    assert build(site, out, workers=2).rendered == 0  # the spare holds a site now
    page = next((out / "claims").glob("*/index.html"))
    page.write_text(page.read_text(encoding="utf-8") + "<p>added by hand</p>", encoding="utf-8")
    result = build(site, out, workers=2)
    assert result.ok and result.rendered == 1
    assert tree(out) == plain_build(site, tmp_path / "plain")


def test_a_damaged_cache_is_ignored(tmp_path, parallel_everywhere):
    site, out = tmp_path / "site", tmp_path / "out"
    generate.generate(12, site, seed=11)
    first = build(site, out, workers=2)
    assert first.ok
    cache_file = site / pipeline.CACHE_FOLDER / "build.pickle"
    data = bytearray(cache_file.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte: the signature no longer matches
    cache_file.write_bytes(bytes(data))
    edit_summary(site)
    result = build(site, out, workers=2)
    assert result.ok, result.problems
    assert result.rendered == first.rendered, "nothing was taken from the damaged cache"
    assert tree(out) == plain_build(site, tmp_path / "plain")


def test_a_cache_from_another_version_of_the_generator_is_ignored(tmp_path, parallel_everywhere, monkeypatch):
    site, out = tmp_path / "site", tmp_path / "out"
    generate.generate(12, site, seed=13)
    first = build(site, out, workers=2)
    assert first.ok
    monkeypatch.setattr(caching, "generator_digest", lambda: "another version of the generator")
    result = build(site, out, workers=2)
    assert result.ok, result.problems
    assert result.rendered == first.rendered, "a new generator renders every page again"
    assert tree(out) == plain_build(site, tmp_path / "plain")


class _Planted(caching.BuildCache):
    """Unpickling this writes a file: what a cache planted by a pull request could do."""

    def __init__(self, marker: Path):
        super().__init__()
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "unpickled"))


def test_a_cache_signed_with_another_key_is_never_unpickled(tmp_path, parallel_everywhere, monkeypatch):
    site, out, marker = tmp_path / "site", tmp_path / "out", tmp_path / "unpickled"
    generate.generate(12, site, seed=17)
    monkeypatch.setattr(caching, "_secret_key", lambda: b"the key of whoever planted the cache")
    caching.save_cache(site / pipeline.CACHE_FOLDER / "build.pickle", _Planted(marker))
    monkeypatch.undo()
    result = build(site, out, workers=2)
    assert result.ok, result.problems
    assert not marker.exists()
    assert tree(out) == plain_build(site, tmp_path / "plain")


def test_without_hard_links_files_are_copied_and_still_kept(tmp_path, parallel_everywhere, monkeypatch):
    """Some file systems (network shares, some container mounts) have no hard links:
    unchanged pages are copied instead, and the next build still knows them as unchanged."""

    def no_links(source, target, *args, **kwargs):
        raise OSError("hard links are not supported here")

    monkeypatch.setattr(os, "link", no_links)
    site, out = tmp_path / "site", tmp_path / "out"
    generate.generate(CHECKS, site, seed=19)
    assert build(site, out, workers=2).ok
    for _ in range(3):  # the spare, then the site two builds back: each build copies into it
        result = build(site, out, workers=2)
        assert result.ok and result.rendered == 0
    assert tree(out) == plain_build(site, tmp_path / "plain")


def test_templates_compiled_by_one_build_are_not_compiled_again_by_the_next(tmp_path, monkeypatch):
    """Compiled templates are kept in the cache; an edited template is compiled again."""
    site, out = tmp_path / "site", tmp_path / "out"
    generate.generate(12, site, seed=9)
    compiled = []
    compile_template = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda self, source, name=None, *args, **kwargs: compiled.append(name) or compile_template(self, source, name, *args, **kwargs))
    assert build(site, out, workers=1).ok
    assert "claim.html" in compiled
    compiled.clear()
    edit_summary(site)
    result = build(site, out, workers=1)
    assert result.ok and result.rendered > 0
    assert compiled == []
    (site / "templates").mkdir()
    (site / "templates" / "page.html").write_text((PROJECT_DIR / "templates" / "page.html").read_text(encoding="utf-8") + "\n")
    assert build(site, out, workers=1).ok
    assert compiled == ["page.html"]


def test_a_cached_build_into_another_folder_renders_every_page_as_a_plain_build_does(tmp_path, parallel_everywhere, monkeypatch):
    """Listings the cache says are unchanged are planned from their outlines, their pages'
    contents worked out only when rendered: here every page is, since the folder is new."""
    site = tmp_path / "site"
    generate.generate(CHECKS, site, seed=31)
    first = build(site, tmp_path / "out", workers=2)
    assert first.ok
    contexts = []
    context_of = rendering._context_of
    monkeypatch.setattr(rendering, "_context_of", lambda planned, n: contexts.append(n) or context_of(planned, n))
    again = build(site, tmp_path / "elsewhere", workers=1)
    assert again.ok and again.rendered == first.rendered
    assert contexts, "the listings came from their outlines"
    assert tree(tmp_path / "elsewhere") == plain_build(site, tmp_path / "plain")


def test_the_sitemap_is_made_again_only_when_a_check_moves(tmp_path, monkeypatch):
    """The sitemap and the feed's order depend only on where checks are placed: the cache keeps
    them while no check moves (a summary edited), and they are made again when one does."""
    monkeypatch.setattr(validation, "RECENT_NS", 0)
    site, out = tmp_path / "site", tmp_path / "out"
    generate.generate(12, site, seed=9)
    made = []
    entries = feeds.sitemap_entries
    monkeypatch.setattr(feeds, "sitemap_entries", lambda *args: made.append(1) or entries(*args))
    assert build(site, out, workers=1).ok and made == [1]
    edit_summary(site)
    assert build(site, out, workers=1).ok and made == [1]
    change_verdict(site)
    assert build(site, out, workers=1).ok and made == [1, 1]
    assert tree(out) == plain_build(site, tmp_path / "plain")


def test_the_preview_works_out_listings_filters_again_only_when_a_check_moves(tmp_path, monkeypatch):
    """A listing's filters (ratings and topics with their counts) depend only on where checks
    are placed: after a save that moves no check the preview keeps them; after one that does
    it works them out again."""
    site, out = tmp_path / "site", tmp_path / "out"
    generate.generate(CHECKS, site, seed=23)
    preview = Builder(site, out, in_place=True)
    assert preview.build().ok
    made = []
    listing_filters = rendering.listing_filters
    monkeypatch.setattr(rendering, "listing_filters", lambda *args: made.append(args[2:]) or listing_filters(*args))
    edit_summary(site)
    assert preview.build(changed=[claim_files(site)[3]]).ok and made == []
    change_verdict(site)
    assert preview.build(changed=[claim_files(site)[7]]).ok and made
