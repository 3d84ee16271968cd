"""The persistent build cache: an optimisation only, never a source of truth.

Everything in it is keyed by content digests (of entries, articles, site.yaml,
templates and the generator's own code), so a stale entry is never used, and
a cache that cannot be read is ignored: a cold and a warm build give the same
bytes.

The entries' pickles (a check's or an article's fields; the citations, analysis and text
among them are most of the cache's bytes) stay on disk, in a pack file beside each shard,
and are read when needed: the packed fields only for a page rendered (a build after one
edit reads a handful of them), and a build holds none it does not use.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

FORMAT = 15  # bump when the cache's layout changes
_HEADER_SIZE, _SIGNATURE_SIZE = 64, 32  # then the pickled BuildCache
_CHUNK = 1 << 20
SHARDS = 64  # files the entries are saved in, so that one edit rewrites a sixty-fourth of them


def digest(*parts: str | bytes) -> str:
    """A short hash of the parts, each followed by a NUL byte."""
    try:
        # one string, one update: a build hashes tens of thousands of keys
        data = ("\x00".join(parts) + "\x00").encode("utf-8", "surrogatepass") if parts else b""
    except TypeError:  # some parts are bytes
        data = b"".join((p if isinstance(p, bytes) else p.encode("utf-8", "surrogatepass")) + b"\x00" for p in parts)
    return hashlib.blake2b(data, digest_size=16).hexdigest()


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

    stats: dict[str, tuple[tuple | None, str]] = field(default_factory=dict)  # path: (file_signature, digest of its bytes)
    # path: (key, deps, *blobs): for a check or an article, its light fields and its packed ones,
    # pickled; each blob as bytes if made by this build, else `Stored` in a pack file
    entries: dict[str, tuple] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # output file: key of what it holds
    signatures: dict[str, tuple | None] = field(default_factory=dict)  # output file: (inode, size, mtime)
    out_dir: str = ""  # the output folder `pages` describes
    # part of the site (a check's page and card, a listing, claims.json's entry): (digest of what
    # it depends on, an outline of it: its pages' (output, template, key, canonical), say); see `PlanMemo`
    outlines: dict[tuple, tuple] = field(default_factory=dict)
    warnings: dict[str, tuple] = field(default_factory=dict)  # check's path: (what it depends on, single-source warning)
    templates: dict[str, bytes] = field(default_factory=dict)  # compiled templates, by Jinja's key for each
    # unpacked entries, kept only in memory (by the preview) between builds
    objects: dict[str, tuple[str, object]] = field(default_factory=dict, repr=False)
    saved: dict | None = field(default=None, repr=False)  # `state()` as read from the file
    saved_entries: dict | None = field(default=None, repr=False)  # `entries` as the shards hold them
    spill: Spill | None = field(default=None, repr=False)  # where a build writes the blobs it makes

    def __getstate__(self):  # the entries are saved in shards of their own
        return {**self.__dict__, "entries": {}, "objects": {}, "saved": None, "saved_entries": None, "spill": None}

    TABLES = ("stats", "pages", "signatures", "outlines", "warnings", "templates")

    def state(self) -> dict:
        """What the files hold, copied: builds change these tables in place."""
        return {**{name: dict(getattr(self, name)) for name in self.TABLES}, "out_dir": self.out_dir}

    def unchanged(self) -> bool:
        """Whether the tables are as `saved` has them (compared, not copied: at 100,000 checks
        they hold a million entries)."""
        saved = self.saved
        return saved["out_dir"] == self.out_dir and all(saved[name] == getattr(self, name) for name in self.TABLES)

    # entries are not compressed: inflating them all took most of a second at 10,000 checks
    @staticmethod
    def pack(value) -> bytes:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def unpack(blob: bytes | Stored):
        return pickle.loads(packed_bytes(blob))

    def kept(self, *blobs: bytes) -> tuple[bytes | Stored, ...]:
        """`blobs` for an entry: written to the spill file if there is one, so that a build
        reading a whole site need not hold them all until the cache is saved."""
        return blobs if self.spill is None else tuple(self.spill.keep(blob) for blob in blobs)


def load_cache(path: Path | None) -> BuildCache:
    """The cache at `path` (and its shards beside it), or an empty one if it is missing,
    corrupt, stale or not ours.

    The cache holds pickles, and unpickling runs code: a cache is used only
    when it carries the signature of this user's secret key (kept outside
    the site folder), so one planted in a site folder, by a pull request say,
    is never unpickled.
    """
    if path is None or not _safe_location(path):
        return BuildCache()
    cache = _load_signed(path)
    if not isinstance(cache, BuildCache):
        return BuildCache()
    for n in range(SHARDS):
        # a shard that cannot be read only costs reading its files again: entries are
        # keyed by their files' digests, so one from another build is never wrong
        cache.entries.update(_load_shard(path, n))
    cache.saved, cache.saved_entries = cache.state(), dict(cache.entries)
    return cache


def save_cache(path: Path, cache: BuildCache) -> None:
    """Write each file atomically, so an interrupted build never leaves half of one: the
    entries (`save_entries`), then the rest."""
    if not _safe_location(path):
        return
    save_entries(path, cache)
    if cache.saved is not None and cache.unchanged() and path.is_file():
        return  # a build that changed nothing writes nothing
    _save_signed(path, cache)
    cache.saved = cache.state()


def save_entries(path: Path, cache: BuildCache) -> dict[str, tuple]:
    """Write the shards holding an entry changed since they were loaded or saved; the entries
    written, their blobs now read from disk. A build saves them once the site is read, so
    that it need not hold what it packed until it ends."""
    written: dict[str, tuple] = {}
    if not _safe_location(path):
        return written
    path.parent.mkdir(parents=True, exist_ok=True)
    # the same entry objects compare at once: a build that read nothing afresh since the last
    # save (every build's second call) need not sort the entries into shards to find that out
    if cache.entries != cache.saved_entries or not all(_shard_file(path, n).is_file() for n in range(SHARDS)):
        before = _shards(cache.saved_entries or {})
        for n, shard in enumerate(_shards(cache.entries)):
            if shard != before[n] or not _shard_file(path, n).is_file():
                written.update(_save_shard(path, n, shard))
    cache.entries.update(written)
    cache.saved_entries = dict(cache.entries)
    cache.spill = None  # its blobs are in the shards now: it goes once nothing else refers to it
    return written


def _shards(entries: dict[str, tuple]) -> list[dict[str, tuple]]:
    shards: list[dict[str, tuple]] = [{} for _ in range(SHARDS)]
    for path, entry in entries.items():
        shards[zlib.crc32(path.encode("utf-8", "surrogatepass")) % SHARDS][path] = entry
    return shards


def _shard_file(path: Path, n: int) -> Path:
    return path.with_name(f"{path.stem}-{n:02d}{path.suffix}")


def _pack_file(path: Path, n: int) -> Path:
    return path.with_name(f"{path.stem}-{n:02d}.packed")


class CacheDamaged(Exception):
    """A blob read from the cache is not the one it wrote: something changed its files."""


class _PackFile:
    """A shard's pack file (or a spill file), open while an entry or object still refers to
    it: a build that replaces the file leaves this one readable (and forked workers read it too)."""

    def __init__(self, path: Path, fd: int, temporary: bool = False):
        self.path, self.fd, self.temporary = path, fd, temporary

    def __del__(self):
        os.close(self.fd)
        if self.temporary:
            _remove(self.path)  # where an open file cannot be removed (Windows)


class Spill:
    """The blobs one build makes, written out as they are made, `Stored` in a file of the
    cache folder that has no name (or none once closed) and goes with its last reference."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.file: _PackFile | None = None
        self.size = 0

    def keep(self, data: bytes) -> Stored:
        if self.file is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=".spill-", dir=self.folder)
            self.file = _PackFile(Path(name), fd, temporary=True)
            _remove(self.file.path)  # readable while open, and never left behind
        stored = Stored(self.file, self.size, len(data), _pack_digest(data))
        _write_at(self.file.fd, data, self.size)
        self.size += len(data)
        return stored


def spill_beside(path: Path) -> Spill | None:
    """A spill file for the cache at `path`, unless the cache may not be written there."""
    return Spill(path.parent) if _safe_location(path) else None


class Stored:
    """A blob in a pack file, read (and checked against its digest, which the signed shard
    holds) when needed."""

    __slots__ = ("file", "offset", "size", "digest")

    def __init__(self, file: _PackFile, offset: int, size: int, digest: bytes):
        self.file, self.offset, self.size, self.digest = file, offset, size, digest

    def read(self) -> bytes:
        data = _read_at(self.file.fd, self.size, self.offset)
        if _pack_digest(data) != self.digest:
            _remove(self.file.path)  # the next build reads the files this shard stood for
            raise CacheDamaged(f"{self.file.path} was changed since the build that wrote it")
        return data

    def __eq__(self, other) -> bool:
        return isinstance(other, Stored) and (self.size, self.digest) == (other.size, other.digest)

    def __reduce__(self):
        raise TypeError("Stored bytes stand for part of a file this process has open; pickle what read() gives")


def packed_bytes(packed: bytes | Stored) -> bytes:
    return packed if isinstance(packed, bytes) else packed.read()


def _read_at(fd: int, size: int, offset: int) -> bytes:
    if hasattr(os, "pread"):  # forked workers share the file's offset: pread leaves it alone
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # Windows, which has no pread, and no forked workers either
    return os.read(fd, size)


def _write_at(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        if hasattr(os, "pwrite"):
            written = os.pwrite(fd, view, offset)
        else:  # Windows; a read there moves the file's offset, so set it each time
            os.lseek(fd, offset, os.SEEK_SET)
            written = os.write(fd, view)
        view, offset = view[written:], offset + written


def _pack_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _save_shard(path: Path, n: int, shard: dict[str, tuple]) -> dict[str, tuple]:
    """Write shard `n`: its entries' blobs in a pack file, then the rest, signed, with the pack
    file's identity and each blob's size and digest. Its entries, now read from disk."""
    pack, outline = _pack_file(path, n), {}
    fd, temporary = tempfile.mkstemp(prefix=".cache-", dir=path.parent)
    with os.fdopen(fd, "wb") as file:
        for name, (key, deps, *blobs) in shard.items():
            sizes = []
            for blob in blobs:
                data = packed_bytes(blob)  # a `Stored` blob is checked against its digest as read
                file.write(data)
                sizes.append((len(data), blob.digest if isinstance(blob, Stored) else _pack_digest(data)))
            outline[name] = (key, deps, *sizes)
    os.replace(temporary, pack)
    written = _PackFile(pack, _open_to_read(pack))  # read back through the file just written
    _save_signed(_shard_file(path, n), (_identity(os.fstat(written.fd)), outline))
    return _stored(written, outline)


def _load_shard(path: Path, n: int) -> dict[str, tuple]:
    """Shard `n`'s entries, their blobs `Stored`; none if it is missing, damaged, or
    its pack file is not the very one written with it."""
    saved = _load_signed(_shard_file(path, n))
    if not (isinstance(saved, tuple) and len(saved) == 2 and isinstance(saved[1], dict)):
        return {}
    identity, outline = saved
    try:
        file = _PackFile(_pack_file(path, n), _open_to_read(_pack_file(path, n)))
    except OSError:
        return {}
    if _identity(os.fstat(file.fd)) != identity:
        return {}
    return _stored(file, outline)


def _stored(file: _PackFile, outline: dict[str, tuple]) -> dict[str, tuple]:
    """The entries `outline` describes, their blobs `Stored` in `file` one after another."""
    entries, offset = {}, 0
    for name, (key, deps, *sizes) in outline.items():
        blobs = []
        for size, blob_digest in sizes:
            blobs.append(Stored(file, offset, size, blob_digest))
            offset += size
        entries[name] = (key, deps, *blobs)
    return entries


def _open_to_read(path: Path) -> int:
    return os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    """A file's inode, size and times: any write changes the ctime, which nothing sets back."""
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _load_signed(path: Path):
    """What `_save_signed` wrote at `path`, if it carries our signature; else None."""
    try:
        with open(path, "rb") as file:  # read twice, never whole: a big site's cache is hundreds of MB
            header, signature = file.read(_HEADER_SIZE), file.read(_SIGNATURE_SIZE)
            if header.rstrip(b" ") != _header():
                return None
            signer = _signer(header)
            while chunk := file.read(_CHUNK):
                signer.update(chunk)
            if not hmac.compare_digest(signature, signer.digest()):
                return None
            file.seek(_HEADER_SIZE + _SIGNATURE_SIZE)
            return pickle.load(file)
    except Exception:  # a missing or damaged cache is only a slower build  # noqa: BLE001
        return None


def _save_signed(path: Path, value) -> None:
    """Pickle `value` to `path` atomically, as a stream signed as it goes, never held whole in memory."""
    header = _header().ljust(_HEADER_SIZE)
    fd, temporary = tempfile.mkstemp(prefix=".cache-", dir=path.parent)
    with os.fdopen(fd, "wb") as file:
        file.write(header + bytes(_SIGNATURE_SIZE))
        writer = _SigningWriter(file, _signer(header))
        pickle.dump(value, writer, protocol=pickle.HIGHEST_PROTOCOL)
        file.seek(_HEADER_SIZE)
        file.write(writer.signer.digest())
    os.replace(temporary, path)


class _SigningWriter:
    """A file to pickle into that signs what goes through it."""

    def __init__(self, file, signer):
        self.file, self.signer = file, signer

    def write(self, data) -> int:
        self.signer.update(data)
        return self.file.write(data)


def _safe_location(path: Path) -> bool:
    """The cache folder must be a real folder, not a link that writes elsewhere."""
    folder = path.parent
    return not folder.is_symlink() and not path.is_symlink()


def _header() -> bytes:
    return f"factdesk-cache {FORMAT} {generator_digest()}".encode()


def _signer(header: bytes):
    return hmac.new(_secret_key(), header, hashlib.sha256)


@lru_cache(maxsize=1)
def _secret_key() -> bytes:
    """A random key of this user's, made once, outside any site folder."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "factdesk"
    key_file = home / "cache-key"
    try:
        return key_file.read_bytes()
    except OSError:
        pass
    key = secrets.token_bytes(32)
    try:
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(key)
    except FileExistsError:  # another build made it first
        return key_file.read_bytes()
    except OSError:
        pass  # nowhere to keep it: this process's caches are signed with a key that dies with it
    return key
