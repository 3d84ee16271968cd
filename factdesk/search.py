"""Search: a Pagefind index of the claim pages, written beside the site.

Claim pages mark what is indexed (`data-pagefind-body`; the analysis and sources are left out
with `data-pagefind-ignore`), the verdict and topics as filters (`data-pagefind-filter`) and
what a result shows (`data-pagefind-meta`). Once the pages are written, the Pagefind binary
(PyPI: `pagefind[bin]`) indexes every language's claim pages into `pagefind/`: one index per
`<html lang>`, with that language's stemming, which its search page loads. The build skips
indexing when no claim page changed (the previous index is carried over) or there are none.

Same input, same bytes: Pagefind lists a filter's values, and so names its filter files, in
an order that changes from run to run. `canonicalise` sorts the values, renames the filter
files by their content and rewrites the two small files that name them (the language's
`.pf_meta` and `pagefind-entry.json`). The scripts of Pagefind's own interfaces are removed:
the site has its own.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import cbor2

from .urls import SEARCH_FOLDER

GLOB = "{claims,*/claims}/*/index.html"  # the default language's checks and each other language's (ur/claims/)
SIGNATURE = b"pagefind_dcd"
_FILE_NAME = re.compile(r"^[a-z0-9-]{1,32}_[0-9a-f]{4,40}$")  # how Pagefind names its files
UNUSED = re.compile(r"^pagefind-(ui|component-ui|modular-ui|highlight)\.(js|css)$")


class SearchIndexError(Exception):
    pass


def executable() -> Path | None:
    """The Pagefind binary shipped by the `pagefind[bin]` package (or on PATH), if any."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        found = shutil.which("pagefind")
        return Path(found) if found else None
    path = get_executable()
    return path if path and path.is_file() else None


def index_folder(folder: Path) -> list[str]:
    """Run Pagefind on a built site in `folder`; the files it leaves, relative to `folder`."""
    binary = executable()
    if binary is None:
        print("warning: the search index was not built: Pagefind is not installed (pip install 'pagefind[bin]')",
              file=sys.stderr)
        return []
    result = subprocess.run([str(binary), "--site", str(folder), "--glob", GLOB, "--output-subdir", SEARCH_FOLDER, "--silent"],
                            cwd=folder, capture_output=True, text=True)
    bundle = folder / SEARCH_FOLDER
    if result.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        raise SearchIndexError(f"Pagefind failed: {(result.stderr or result.stdout).strip()}")
    for path in bundle.iterdir():
        if path.is_file() and UNUSED.match(path.name):
            path.unlink()
    canonicalise(bundle)
    return sorted(p.relative_to(folder).as_posix() for p in bundle.rglob("*") if p.is_file())


# -- same input, same bytes ------------------------------------------------------------


def canonicalise(bundle: Path) -> None:
    """Sort each filter's values, and name the filter and meta files after their content."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    languages = entry.get("languages", {})
    for language in sorted(languages):
        info = languages[language]
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        renamed: dict[str, str] = {}
        for name in sorted(set(_strings(meta))):
            filter_path = bundle / "filter" / f"{name}.pf_filter"
            if not (_FILE_NAME.match(name) and filter_path.is_file()):
                continue  # a title, a value: not the name of a filter file
            data = _read(filter_path)
            if not (isinstance(data, list) and len(data) == 2 and isinstance(data[1], list)):
                raise SearchIndexError(f"unexpected filter file {filter_path.name}")
            data[1].sort(key=_sort_key)
            content = _pack(data)
            new_name = _renamed(name, content)
            filter_path.unlink()
            (bundle / "filter" / f"{new_name}.pf_filter").write_bytes(content)
            renamed[name] = new_name
        meta = _replace(meta, renamed)
        content = _pack(meta)
        new_hash = _renamed(info["hash"], content)
        meta_path.unlink()
        (bundle / f"pagefind.{new_hash}.pf_meta").write_bytes(content)
        info["hash"] = new_hash
    entry["languages"] = {language: languages[language] for language in sorted(languages)}
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _sort_key(value) -> tuple:
    return (str(value[0]),) if isinstance(value, list) and value else (repr(value),)


def _renamed(name: str, content: bytes) -> str:
    """A name of the same shape (prefix_hex) made from the content."""
    prefix, _, old = name.rpartition("_")
    return f"{prefix}_{hashlib.sha256(content).hexdigest()[: len(old)]}"


def _read(path: Path):
    raw = path.read_bytes()
    data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    if not data.startswith(SIGNATURE):
        raise SearchIndexError(f"{path.name} is not a Pagefind file")
    body = data[len(SIGNATURE) :]
    try:
        value = cbor2.loads(body)
        same = cbor2.dumps(value) == body
    except (cbor2.CBORError, ValueError, TypeError) as exc:
        raise SearchIndexError(f"{path.name} is not CBOR ({exc})") from exc
    if not same:  # a value this reading would change: rewriting the file could break the search
        raise SearchIndexError(f"{path.name} does not read back as written")
    return value


def _pack(value) -> bytes:
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)


def _replace(value, renamed: dict[str, str]):
    """`value` with renamed strings, and lists of [name, renamed file] pairs sorted by name."""
    if isinstance(value, str):
        return renamed.get(value, value)
    if isinstance(value, list):
        items = [_replace(item, renamed) for item in value]
        new_names = set(renamed.values())
        if items and all(isinstance(i, list) and len(i) == 2 and i[1] in new_names for i in items):
            items.sort(key=lambda pair: str(pair[0]))
        return items
    if isinstance(value, dict):
        return {_replace(k, renamed): _replace(v, renamed) for k, v in value.items()}
    return value
