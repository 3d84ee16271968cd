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

from .urls import SEARCH_FOLDER

BUNDLE = SEARCH_FOLDER  # the folder under the output
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
    result = subprocess.run([str(binary), "--site", str(folder), "--glob", GLOB, "--output-subdir", BUNDLE, "--silent"],
                            cwd=folder, capture_output=True, text=True)
    bundle = folder / BUNDLE
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
    value, end = _decode(body, 0)
    if end != len(body) or _encode(value) != body:
        raise SearchIndexError(f"{path.name} does not read back as written")
    return value


def _pack(value) -> bytes:
    return gzip.compress(SIGNATURE + _encode(value), compresslevel=9, mtime=0)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, _Map):
        for k, v in value.items:
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
    if isinstance(value, _Map):
        return _Map([(_replace(k, renamed), _replace(v, renamed)) for k, v in value.items])
    return value


# A little CBOR (RFC 8949), as much as Pagefind's metadata uses; anything else is refused.


class _Map:
    def __init__(self, items):
        self.items = items


class _Raw:
    """A value kept as its bytes (floats, simple values)."""

    def __init__(self, data: bytes):
        self.data = data


def _decode(data: bytes, at: int):
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if major == 7:
        size = {20: 0, 21: 0, 22: 0, 23: 0, 25: 2, 26: 4, 27: 8}.get(info)
        if size is None:
            raise SearchIndexError("unsupported CBOR value")
        return _Raw(data[at - 1 : at + size]), at + size
    if info < 24:
        length = info
    elif info <= 27:
        size = 1 << (info - 24)
        length = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise SearchIndexError("unsupported CBOR length")
    if major == 0:
        return length, at
    if major == 1:
        return -1 - length, at
    if major == 2:
        return data[at : at + length], at + length
    if major == 3:
        return data[at : at + length].decode("utf-8"), at + length
    if major == 4:
        items = []
        for _ in range(length):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = []
        for _ in range(length):
            key, at = _decode(data, at)
            value, at = _decode(data, at)
            pairs.append((key, value))
        return _Map(pairs), at
    raise SearchIndexError("unsupported CBOR type")


def _head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if length < 1 << (8 * size):
            return bytes([major << 5 | info]) + length.to_bytes(size, "big")
    raise SearchIndexError("CBOR length too large")


def _encode(value) -> bytes:
    if isinstance(value, _Raw):
        return value.data
    if isinstance(value, bool):
        raise SearchIndexError("unexpected boolean")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(v) for v in value)
    if isinstance(value, _Map):
        return _head(5, len(value.items)) + b"".join(_encode(k) + _encode(v) for k, v in value.items)
    raise SearchIndexError(f"cannot encode {type(value).__name__}")
