"""Reuse: the results of pure functions, kept by a digest of everything they receive.

The one rule: a result is reused only under a key made from the function's code and all
of its arguments, so a reused result is the one the function would return now. Nothing
is stored as code: values are JSON (frozen dataclasses of this package, dates, tuples),
each entry carries its own digest, and an entry that fails to read is a miss. Only the
orchestration (`pipeline`, the preview) uses this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.metadata
import json
import os
import sqlite3
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Callable, Iterable

import jinja2
import jinja2.bccache

from .model import Catalogue

PACKAGE_DIR = Path(__file__).resolve().parent
FORMAT = "factdesk-reuse-1"
STORE_EVERY = 1000  # new results written to the file together; a big desk's all at once would fill memory
ROWS_AT_ONCE = 500  # stored results read together, for the same reason (and SQLite's limit on parameters)


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@functools.lru_cache(maxsize=None)
def code_digest() -> str:
    """Of the code that makes the output: the package's own, Python's and every installed library's
    version (Babel's dates, Markdown, Jinja, Pillow). After any upgrade nothing is reused."""
    files = sorted(PACKAGE_DIR.glob("*.py"))
    return digest(FORMAT, sys.version, *installed_libraries(), *(f.name for f in files), *(f.read_bytes() for f in files))


def installed_libraries() -> list[str]:
    return sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())


# -- fingerprints: a digest of a value, computed once per object -----------------------


@functools.lru_cache(maxsize=None)
def field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


@functools.lru_cache(maxsize=None)
def _field_set(cls: type) -> frozenset[str]:
    return frozenset(field_names(cls))


_PLAIN = frozenset({str, bytes, int, float, bool, type(None)})


class _FrozenClasses(dict):
    """Whether a class is a frozen dataclass, looked up once per class."""

    def __missing__(self, cls: type) -> bool:
        params = getattr(cls, "__dataclass_params__", None)
        self[cls] = frozen = params is not None and params.frozen
        return frozen


_FROZEN_CLASSES = _FrozenClasses()


class Fingerprints:
    """Digests of values. Frozen objects are digested once (by identity, held alive meanwhile);
    a value a pure function returned is known by the key of that call."""

    def __init__(self) -> None:
        self.known: dict[int, tuple[Any, str]] = {}

    def register(self, value: Any, key: str) -> None:
        self.known[id(value)] = (value, key)
        if type(value) is tuple:  # a function's several results: each is known by the call too
            for n, item in enumerate(value):
                if item is not None and not isinstance(item, (str, int, float, bool)) and id(item) not in self.known:
                    self.known[id(item)] = (item, digest(key, str(n)))

    def of(self, value: Any) -> str:
        known = self.known.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        h = hashlib.sha256()
        self._feed(h, value)
        result = h.hexdigest()
        if type(value) not in _PLAIN:
            self.known[id(value)] = (value, result)
        return result

    def of_call(self, name: str, args: tuple) -> str:
        """Of a call: `name` and its arguments, a catalogue standing for the items read of it."""
        h = hashlib.sha256(name.encode() + b"(")
        for arg in args:
            if isinstance(arg, Catalogue):
                h.update(b"catalogue;")
            else:
                self._child(h, arg)
        return h.hexdigest()

    def _feed(self, h, value: Any) -> None:
        kind = type(value)
        if kind is str:
            data = value.encode("utf-8", "surrogatepass")
            h.update(b"s%d:" % len(data) + data)
        elif kind is tuple or kind is list:
            h.update(b"[%d" % len(value))
            for item in value:
                self._child(h, item)
        elif kind is dict:  # in its order: order shows on a page
            h.update(b"{%d" % len(value))
            for k, item in value.items():
                self._child(h, k)
                self._child(h, item)
        elif dataclasses.is_dataclass(value):
            h.update(_class_tag(kind))
            for name in field_names(kind):
                self._child(h, getattr(value, name))
        else:
            self._feed_other(h, value)

    def _feed_other(self, h, value: Any) -> None:
        if isinstance(value, str):  # Markup and the like: the type changes how it renders
            data = value.encode("utf-8", "surrogatepass")
            h.update(f"{type(value).__name__}:{len(data)}:".encode() + data)
        elif isinstance(value, bytes):
            h.update(b"b%d:" % len(value) + value)
        elif value is None or isinstance(value, (bool, int, float)):
            h.update(f"{type(value).__name__}:{value!r};".encode())
        elif isinstance(value, (dt.date, dt.datetime)):
            h.update(f"{type(value).__name__}:{value.isoformat()};".encode())
        elif isinstance(value, tuple):  # a named tuple
            h.update(f"{type(value).__qualname__}[{len(value)}".encode())
            for item in value:
                self._child(h, item)
        elif isinstance(value, Mapping):
            h.update(f"{{{len(value)}".encode())
            for k, item in value.items():
                self._child(h, k)
                self._child(h, item)
        elif isinstance(value, (set, frozenset)):
            h.update(f"<{len(value)}".encode())
            for item in sorted(self.of(item) for item in value):
                h.update(item.encode())
        elif isinstance(value, functools.partial):
            h.update(b"partial")
            self._child(h, value.func)
            self._child(h, value.args)
            self._child(h, value.keywords)
        elif callable(value) and hasattr(value, "__qualname__"):  # code: the code digest covers it
            h.update(f"fn:{value.__module__}.{value.__qualname__};".encode())
        else:
            raise TypeError(f"cannot fingerprint a {type(value).__name__}: give templates plain data")

    def _child(self, h, value: Any) -> None:
        kind = type(value)
        if kind is str:
            data = value.encode("utf-8", "surrogatepass")
            h.update(b"s%d:" % len(data) + data)
        elif value is None or kind is int or kind is bool or kind is float or kind is dt.date:
            self._feed_other(h, value)
        else:
            known = self.known.get(id(value))  # met again in many pages: digested once
            if known is not None and known[0] is value:
                h.update(b"#" + known[1].encode())
            elif kind is tuple or _FROZEN_CLASSES[kind]:
                h.update(b"#" + self.of(value).encode())
            else:
                self._feed(h, value)


@functools.lru_cache(maxsize=None)
def _class_tag(cls: type) -> bytes:
    return f"@{cls.__module__}.{cls.__qualname__}".encode()


# -- values as JSON ---------------------------------------------------------------------


def encode(value: Any, refs: dict[int, list] | None = None) -> str:
    """JSON for a result: dataclasses of this package by name, dates, tuples; an object found
    in `refs` (by identity) is written as a reference to where it came from."""
    refs = refs or {}

    def data(v: Any) -> Any:
        if isinstance(v, (str, int, float, bool, type(None))):
            return v
        if id(v) in refs:
            return {"@ref": refs[id(v)]}
        if isinstance(v, (tuple, list)):
            return [data(item) for item in v]
        if isinstance(v, dt.date):
            return {"@date": v.isoformat()}
        if isinstance(v, bytes):
            return {"@bytes": v.hex()}
        if isinstance(v, dict):
            return {"@map": [[data(k), data(item)] for k, item in v.items()]}
        if dataclasses.is_dataclass(v) and type(v).__module__.startswith("factdesk."):
            fields = {name: data(getattr(v, name)) for name in field_names(type(v))}
            return {"@": f"{type(v).__module__}:{type(v).__qualname__}", **fields}
        raise TypeError(f"cannot store a {type(v).__name__}")

    return json.dumps(data(value), ensure_ascii=False, separators=(",", ":"))


@functools.lru_cache(maxsize=64)
def _class_named(name: str) -> type:
    """A dataclass of this package already imported: a name in the cache imports nothing."""
    module_name, _, qualname = name.partition(":")
    module = sys.modules.get(module_name) if module_name.startswith("factdesk.") else None
    cls = getattr(module, qualname, None) if module is not None else None
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise Unreadable(f"no such class {name}")
    return cls


class Unreadable(Exception):
    """A stored value that is not what this version writes: it is computed again."""


def decode(text: str, resolve: Callable[[list], Any] | None = None) -> Any:
    def hook(v: dict) -> Any:
        if "@" in v:
            name = v.pop("@")
            for k, item in v.items():
                if type(item) is list:
                    v[k] = _tuples(item)
            return _instance(name, v)
        if "@ref" in v:
            if resolve is None:
                raise Unreadable("a reference with nothing to resolve it")
            return resolve(v["@ref"])
        if "@date" in v:
            return dt.date.fromisoformat(v["@date"])
        if "@bytes" in v:
            return bytes.fromhex(v["@bytes"])
        if "@map" in v:
            return {_tuples(k): _tuples(item) for k, item in v["@map"]}
        return v

    try:
        return _tuples(json.loads(text, object_hook=hook))
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever is wrong with it, it is not used
        raise Unreadable(str(exc)) from exc


def _tuples(value: Any) -> Any:
    """JSON's lists as the model's tuples."""
    if type(value) is not list:
        return value
    return tuple([_tuples(item) if type(item) is list else item for item in value])


def _instance(name: str, fields: dict[str, Any]) -> Any:
    """A dataclass of this package, made without running any of its code."""
    cls = _class_named(name)
    if fields.keys() != _field_set(cls):
        raise Unreadable(f"{name} has other fields now")
    made = object.__new__(cls)
    made.__dict__.update(fields)
    return made


# -- the store ----------------------------------------------------------------------------


class Reuse:
    """Results kept by key: in memory for the preview, and in an SQLite file when given one."""

    def __init__(self, path: Path | None = None):
        self.memory: dict[str, tuple[Any, Any]] = {}  # key -> (value, dependencies)
        self.fingerprints = Fingerprints()
        self.new_rows: dict[str, str] = {}  # computed and not yet written to the file
        self.stored = False  # whether this build wrote any new result
        self.used: set[str] = set()
        self.db = _open(path) if path is not None else None
        self.outputs_read: dict[str, dict] = {}  # what `outputs` found: saving writes only what differs
        self.compiled_templates = CompiledTemplates()

    def start(self) -> None:
        """A new build: objects seen by the last one may be garbage now."""
        self.fingerprints = Fingerprints()
        self.used = set()
        self.stored = False

    def fingerprint(self, value: Any) -> str:
        return self.fingerprints.of(value)

    def map(self, function: Callable, calls: Iterable[tuple], compute: Callable | None = None) -> list:
        """`function(*args)` for each of `calls`, reused where the same call was made before;
        `compute(function, calls)` computes the rest (in worker processes, say), giving
        `run_recorded` results in order."""
        calls = list(calls)
        results: list = [None] * len(calls)
        missing: list[int] = []
        keys = [self._key(function, args) for args in calls]
        for start in range(0, len(calls), ROWS_AT_ONCE):
            numbers = range(start, min(start + ROWS_AT_ONCE, len(calls)))
            rows = self._rows([keys[n] for n in numbers if keys[n] not in self.memory])
            for n in numbers:
                found = self._find(keys[n], calls[n], rows.get(keys[n]))
                if found is _MISSING:
                    missing.append(n)
                else:
                    results[n] = found
        if missing:
            todo = [calls[n] for n in missing]
            done = compute(function, todo) if compute else (run_recorded(function, args) for args in todo)
            for n, (text, read) in zip(missing, done):
                value = decode(text, functools.partial(_resolve, calls[n]))
                self._keep(keys[n], value, self._dependencies(read, calls[n]), text)
                results[n] = value
                if len(self.new_rows) >= STORE_EVERY:
                    self._store_new()
            self._store_new()
        return results

    def call(self, function: Callable, *args) -> Any:
        return self.map(function, [args])[0]

    def _key(self, function: Callable, args: tuple) -> str:
        return self.fingerprints.of_call(f"{code_digest()}:{function.__module__}.{function.__qualname__}", args)

    def _find(self, key: str, args: tuple, stored: str | None) -> Any:
        """The result under `key`: in memory, or `stored` (the file's row) if it reads back."""
        if key in self.memory:
            value, dependencies = self.memory[key]
            if self._still(dependencies, args):
                self._remember(key, value, dependencies)
                return value
        row = _parse_row(key, stored)
        if row is None:
            return _MISSING
        try:
            dependencies, text = row
            if not self._still(dependencies, args):
                return _MISSING
            value = decode(text, functools.partial(_resolve, args))
        except (Unreadable, KeyError, IndexError, TypeError, ValueError):
            return _MISSING
        self._remember(key, value, dependencies)
        return value

    def _dependencies(self, read: list, args: tuple) -> list[tuple]:
        """(argument's position, name read or None for the list of names, its fingerprint now)."""
        return [(position, name, self._item_fingerprint(args[position], name)) for position, name in read]

    def _item_fingerprint(self, catalogue: Catalogue, name: str | None) -> str:
        items = catalogue.items_by_name
        if name is None:
            return self.fingerprint(tuple(sorted(items)))
        return self.fingerprint(items[name]) if name in items else ""

    def _still(self, dependencies, args: tuple) -> bool:
        """Whether the catalogue items the call read are what they were."""
        return all(self._item_fingerprint(args[position], name) == known for position, name, known in dependencies)

    def _remember(self, key: str, value: Any, dependencies) -> None:
        """`value` is this build's result under `key`, known by that key from now on."""
        self.memory[key] = (value, dependencies)
        self.used.add(key)
        self.fingerprints.register(value, _known_by(key, dependencies))

    def _keep(self, key: str, value: Any, dependencies, text: str) -> None:
        self._remember(key, value, dependencies)
        if self.db is not None:
            # the dependencies' JSON, a line break (which compact JSON never holds), the value's
            self.new_rows[key] = json.dumps(dependencies, ensure_ascii=False, separators=(",", ":")) + "\n" + text

    def _store_new(self) -> None:
        """Write the results computed since the last call. A result depends only on its call,
        so even a build that fails later has saved the next one this work. Each is written with
        its age, so that one no build uses again is dropped like any other."""
        if not self.new_rows:
            return
        rows = [(key, digest(key, data) + data) for key, data in self.new_rows.items()]
        self.new_rows = {}
        self.stored = True
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO results (key, data) VALUES (?, ?)", rows)
                self.db.executemany("INSERT OR REPLACE INTO ages (key, age) VALUES (?, 0)", [(key,) for key, _ in rows])
        except sqlite3.Error as exc:
            self._give_up_writing(exc)

    def _give_up_writing(self, exc: sqlite3.Error) -> None:
        """A cache that cannot be written costs time, nothing else: said once, and left alone for the rest of the build."""
        print(f"warning: the build cache was not saved ({exc})", file=sys.stderr)
        self.close()

    def _rows(self, keys: list[str]) -> dict[str, str]:
        """The file's rows under `keys`: only those, so a build holds no other build's results."""
        if self.db is None or not keys:
            return {}
        try:
            return dict(self.db.execute(f"SELECT key, data FROM results WHERE key IN ({','.join('?' * len(keys))})", keys))
        except sqlite3.Error:
            return {}

    def forget_unused(self) -> None:
        """The preview keeps in memory only what its last build used."""
        self.memory = {key: entry for key, entry in self.memory.items() if key in self.used}

    # -- what the output folder holds -------------------------------------------------

    def outputs(self, out_dir: Path) -> dict[str, tuple[str, str]]:
        """path -> (page key, signature of the file) as the last build into `out_dir` left them."""
        if self.db is None:
            return dict(self.memory.get(f"outputs:{out_dir}", ({}, ()))[0])
        try:
            rows = self.db.execute("SELECT path, key, signature FROM outputs WHERE out_dir = ?", (str(out_dir),))
            found = {path: (key, signature) for path, key, signature in rows}
        except sqlite3.Error:
            found = {}
        self.outputs_read[str(out_dir)] = dict(found)
        return found

    def save(self, out_dir: Path | None = None, outputs: dict[str, tuple[str, str]] | None = None) -> None:
        """Age the results (keeping this build's and the last one's, for an edit undone) and keep
        what the build wrote."""
        if self.db is None:
            if out_dir is not None and outputs is not None:
                self.memory[f"outputs:{out_dir}"] = (outputs, ())
                self.used.add(f"outputs:{out_dir}")
            return
        try:
            with self.db:
                if self.stored:  # results only change when something new was computed
                    # ages live in a table of their own: counting them never rewrites a result's text
                    self.db.execute("UPDATE ages SET age = age + 1")
                    self.db.executemany("INSERT OR REPLACE INTO ages (key, age) VALUES (?, 0)", [(key,) for key in self.used])
                    self.db.execute("DELETE FROM results WHERE key IN (SELECT key FROM ages WHERE age > 1)")
                    self.db.execute("DELETE FROM ages WHERE age > 1")
                if out_dir is not None and outputs is not None:
                    before = self.outputs_read.get(str(out_dir))
                    if before is None:  # not read this build: start the folder's entries afresh
                        self.db.execute("DELETE FROM outputs WHERE out_dir = ?", (str(out_dir),))
                        before = {}
                    gone = [(str(out_dir), path) for path in before.keys() - outputs.keys()]
                    self.db.executemany("DELETE FROM outputs WHERE out_dir = ? AND path = ?", gone)
                    self.db.executemany(
                        "INSERT OR REPLACE INTO outputs (out_dir, path, key, signature) VALUES (?, ?, ?, ?)",
                        [(str(out_dir), path, *entry) for path, entry in outputs.items() if before.get(path) != entry],
                    )
                    self.outputs_read[str(out_dir)] = dict(outputs)
        except sqlite3.Error as exc:
            self._give_up_writing(exc)
        self.stored = False

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


_MISSING = object()


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process: Jinja gives each bucket its source's checksum, so a
    changed template is compiled again. Held in memory only: compiled code is never stored."""

    def __init__(self) -> None:
        self.code: dict[tuple, Any] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        bucket.code = self.code.get(self._key(bucket))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[self._key(bucket)] = bucket.code

    @staticmethod
    def _key(bucket: jinja2.bccache.Bucket) -> tuple:
        return bucket.key, bucket.checksum, bucket.environment.newstyle_gettext


def _known_by(key: str, dependencies) -> str:
    """A result's fingerprint: its call's key and what the call read of its catalogues."""
    return digest(key, *(f"{position}:{name}:{known}" for position, name, known in dependencies)) if dependencies else key


def _parse_row(key: str, found: Any) -> tuple[list[tuple], str] | None:
    """(dependencies, value's JSON) of a row that is whole and is `key`'s; None for anything else."""
    if not isinstance(found, str) or len(found) < 64:
        return None
    check, data = found[:64], found[64:]
    if digest(key, data) != check:  # damaged, truncated, or another key's
        return None
    dependencies, _, text = data.partition("\n")
    try:
        return [tuple(d) for d in json.loads(dependencies)], text
    except (ValueError, TypeError):
        return None


def _open(path: Path) -> sqlite3.Connection | None:
    """The cache file, made anew if it is not one this version can read."""
    for attempt in range(2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=30, isolation_level="DEFERRED")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, data TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS ages (key TEXT PRIMARY KEY, age INTEGER)")  # builds since last used
            db.execute(
                "CREATE TABLE IF NOT EXISTS outputs (out_dir TEXT, path TEXT, key TEXT, signature TEXT,"
                " PRIMARY KEY (out_dir, path))"
            )
            columns = [row[1] for row in db.execute("PRAGMA table_info(results)")]
            if columns != ["key", "data"]:
                raise sqlite3.DatabaseError("not this version's cache")
            db.execute("SELECT count(*) FROM results").fetchone()
            return db
        except (sqlite3.Error, OSError):
            if attempt == 0:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    try:
                        os.unlink(f"{path}{suffix}")
                    except OSError:
                        pass
    return None


# -- calls that record what they read of a catalogue ----------------------------------------


class _Recording(Catalogue):
    """A catalogue that notes the name of each item read, and whether its names were listed."""

    def __init__(self, inner: Catalogue, position: int):
        super().__init__(inner.items_by_name)
        self.position = position
        self.read: set[str | None] = set()

    def __getitem__(self, name):
        self.read.add(name)
        return self.items_by_name[name]

    def __contains__(self, name) -> bool:
        self.read.add(name)
        return name in self.items_by_name

    def get(self, name, default=None):
        self.read.add(name)
        return self.items_by_name.get(name, default)

    def __iter__(self):
        self.read.add(None)
        return iter(self.items_by_name)

    def __len__(self) -> int:
        self.read.add(None)
        return len(self.items_by_name)


def run_recorded(function: Callable, args: tuple) -> tuple[str, list]:
    """`function(*args)` as stored: its result encoded (objects from a catalogue as references
    to their names), and which names of each catalogue argument it read. Runs in worker
    processes too: the caller, which holds the catalogues, digests what was read."""
    recorded = [_Recording(arg, n) if isinstance(arg, Catalogue) else arg for n, arg in enumerate(args)]
    value = function(*recorded)
    refs = {}
    read = []
    for arg in recorded:
        if isinstance(arg, _Recording):
            # only an item the call read can be in its result; walking the whole catalogue
            # (every article) for each call would make reading quadratic
            for name in arg.read:
                value_of = arg.items_by_name.get(name) if name is not None else None
                if value_of is not None:
                    refs[id(value_of)] = [arg.position, name]
            read += [(arg.position, name) for name in sorted(arg.read, key=lambda n: (n is not None, n or ""))]
    return encode(value, refs), read


def _resolve(args: tuple, ref: list) -> Any:
    position, name = ref
    catalogue = args[position]
    if not isinstance(catalogue, Catalogue) or name not in catalogue.items_by_name:
        raise Unreadable("a reference to what is not there")
    return catalogue.items_by_name[name]
