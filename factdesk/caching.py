"""The persistent build cache: an optimisation only, never a source of truth.

Everything in it is keyed by content digests (of entries, articles, site.yaml,
templates and the generator's own code), so a stale entry is never used, and
a cache that cannot be read is ignored: a cold and a warm build give the same
bytes.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

FORMAT = 1  # bump when the cache's layout changes


def digest(*parts: str | bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


@lru_cache(maxsize=1)
def generator_digest() -> str:
    """The generator's own code: a new version invalidates everything cached."""
    package = Path(__file__).resolve().parent
    return digest(*(p.read_bytes() for p in sorted(package.glob("*.py"))))


def folder_digest(folders: list[Path]) -> str:
    """Names and bytes of every file under `folders` (templates, say)."""
    parts: list[str | bytes] = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
        parts.append("|")
    return digest(*parts)


@dataclass
class BuildCache:
    """What one build leaves for the next."""

    stats: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # path: (mtime_ns, size, digest)
    entries: dict[str, tuple[str, tuple, bytes]] = field(default_factory=dict)  # path: (key, deps, blob)
    pages: dict[str, str] = field(default_factory=dict)  # output file: key of what it holds
    out_dir: str = ""  # the output folder `pages` describes
    # unpacked entries, kept only in memory (by the preview) between builds
    objects: dict[str, tuple[str, object]] = field(default_factory=dict, repr=False)

    def __getstate__(self):
        return {**self.__dict__, "objects": {}}

    @staticmethod
    def pack(value) -> bytes:
        return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)

    @staticmethod
    def unpack(blob: bytes):
        return pickle.loads(zlib.decompress(blob))


def load_cache(path: Path | None) -> BuildCache:
    """The cache at `path`, or an empty one if it is missing, corrupt or stale."""
    if path is None or not path.is_file():
        return BuildCache()
    try:
        with open(path, "rb") as file:
            header = file.read(64)
            if header.rstrip(b" ") != _header():
                return BuildCache()
            cache = pickle.loads(zlib.decompress(file.read()))
        return cache if isinstance(cache, BuildCache) else BuildCache()
    except Exception:  # a damaged cache is only a slower build  # noqa: BLE001
        return BuildCache()


def save_cache(path: Path, cache: BuildCache) -> None:
    """Write atomically, so an interrupted build never leaves half a cache."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = zlib.compress(pickle.dumps(cache, protocol=pickle.HIGHEST_PROTOCOL), 1)
    fd, temporary = tempfile.mkstemp(prefix=".cache-", dir=path.parent)
    with os.fdopen(fd, "wb") as file:
        file.write(_header().ljust(64))
        file.write(data)
    os.replace(temporary, path)


def _header() -> bytes:
    return f"factdesk-cache {FORMAT} {generator_digest()}".encode()
