"""Writing the site: into a folder beside the output, then swapped in whole.

A failed or interrupted build never touches what the output folder held, and a build
never deletes what it did not write: it refuses an output folder that is not a previous
build's. Files whose bytes a build knows to be unchanged are hard-linked from the previous
output instead of being written again. The preview writes in place instead: its output
folder is its own.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

MARKER = ".factdesk-output"  # in every output folder: what tells a previous build's output
MARKER_TEXT = b"This folder is written by factdesk; each build replaces everything in it.\n"
_RENAME_EXCHANGE = 2  # Linux renameat2 flag: swap two paths in one step
_AT_FDCWD = -100


class OutputBusy(Exception):
    pass


def output_refusal(out_dir: Path, site_dir: Path) -> str | None:
    """Why a build may not write into `out_dir`, or None."""
    shown = str(out_dir)
    if out_dir.is_symlink():
        return f"the output folder {shown} is a link; a build never follows one: name a real folder with --out"
    out, site = out_dir.resolve(), site_dir.resolve()
    if out == site or site.is_relative_to(out):
        return f"the output folder {shown} is the site folder or holds it; name another folder with --out"
    for part in ("content", "templates", "static"):
        inside = (site / part).resolve()
        if out == inside or out.is_relative_to(inside) or inside.is_relative_to(out):
            return f"the output folder {shown} is inside {part}/ or holds it; name another folder with --out"
    if out.exists() and not out.is_dir():
        return f"the output folder {shown} is a file; name a folder with --out"
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        return (f"the output folder {shown} holds files that no build wrote; "
                "a build replaces everything in it, so empty it or name another folder with --out")
    return None


def file_signature(path: str) -> str | None:
    """What tells that a regular file is the very one written: inode, size and times."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return signature(found) if stat.S_ISREG(found.st_mode) else None


def signature(found: os.stat_result) -> str:
    return f"{found.st_ino}:{found.st_size}:{found.st_mtime_ns}:{found.st_ctime_ns}"


class OutputLock:
    """One build at a time into an output folder (the lock file is kept in `locks`, not beside it)."""

    def __init__(self, out_dir: Path, locks: Path):
        out = out_dir.resolve()
        locks.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(str(out).encode("utf-8", "surrogatepass")).hexdigest()[:20]
        self.file = open(locks / f"{name}.lock", "a")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self.file.close()
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise OutputBusy(f"another build is writing {out_dir}; wait for it to finish") from exc
            raise

    def release(self) -> None:
        self.file.close()  # closing drops the lock


class SiteWriter:
    """Files written into a folder beside the output, swapped in by `finish`; or, `in_place`,
    into the output itself. The folder a swap takes out is kept as the spare (`.NAME.spare`)
    and brought up to date by the next build: most of its files and folders are already right."""

    def __init__(self, out_dir: Path, in_place: bool = False, written_before: set[str] | None = None):
        self.out_dir = out_dir.resolve()
        self.in_place = in_place
        self.paths: set[str] = set()
        self.held: dict[str, int] = {}  # files the target already holds (from the spare): inode
        self.folders: set[str] = {""}
        # in place: what the last build wrote, when known (else the folder is walked at the end)
        self.written_before = written_before
        if in_place:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self.target = self.out_dir
            return
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(self.out_dir)
        self.target = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.new-", dir=self.out_dir.parent))
        self._take_spare()

    def _take_spare(self) -> None:
        """Build in the previous site the last swap took out, if it holds only plain files and folders."""
        spare = spare_of(self.out_dir)
        if spare.is_symlink() or not (spare / MARKER).is_file():
            return  # not a spare this generator left: not ours to use or remove
        files, folders = _plain_tree(str(spare))
        if files is None:
            shutil.rmtree(spare)
            return
        os.rmdir(self.target)
        os.rename(spare, self.target)
        self.held, self.folders = files, folders

    def previous(self, relative: str) -> str:
        return os.path.join(self.out_dir, relative)

    def write(self, relative: str, data: bytes) -> None:
        path = self._place(relative)
        if self.in_place:  # readers of the preview see the old file or the new one
            temporary = f"{path}.factdesk-new"
            _write_file(temporary, data)
            os.replace(temporary, path)
            return
        if relative in self.held:  # the spare's file may be the output's too: never write into it
            os.unlink(path)
        _write_file(path, data)

    def keep(self, relative: str) -> bool:
        """Carry the previous build's file over, unchanged; False where it cannot be."""
        if self.in_place:
            self.paths.add(relative)
            return True
        path = self._place(relative)
        previous = self.previous(relative)
        try:
            if relative in self.held:
                if os.lstat(previous).st_ino == self.held[relative]:
                    return True  # the spare holds that very file
                os.unlink(path)
            os.link(previous, path, follow_symlinks=False)
            return True
        except OSError:
            self.paths.discard(relative)
            return False

    def _place(self, relative: str) -> str:
        self.paths.add(relative)
        folder = os.path.dirname(relative)
        if folder not in self.folders:
            os.makedirs(os.path.join(self.target, folder), exist_ok=True)
            self.folders.add(folder)
        path = os.path.join(self.target, relative)
        if self.in_place and os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        return path

    def finish(self) -> None:
        self.write(MARKER, MARKER_TEXT)
        if self.in_place:
            if self.written_before is None:
                self._remove_unwritten()
            else:
                self.held = dict.fromkeys(self.written_before, 0)
                self._remove_unwritten_from_spare()
            return
        self._remove_unwritten_from_spare()
        _swap_in(self.target, self.out_dir)
        spare = spare_of(self.out_dir)
        if (self.target / MARKER).is_file() and not os.path.lexists(spare):
            os.rename(self.target, spare)  # the previous site: the next build's starting point
        else:
            shutil.rmtree(self.target, ignore_errors=True)

    def abort(self) -> None:
        if not self.in_place:
            shutil.rmtree(self.target, ignore_errors=True)

    def clear_for(self, folder: str) -> None:
        """Before a tool reads the target: only this build's files in it, and none under `folder`."""
        if not self.in_place:
            self._remove_unwritten_from_spare()
            self.held = {}
        shutil.rmtree(os.path.join(self.target, folder), ignore_errors=True)
        self.paths = {p for p in self.paths if not p.startswith(folder + "/")}

    def _remove_unwritten_from_spare(self) -> None:
        """The spare's files this build did not write, and the folders they leave empty."""
        emptied = set()
        for relative in self.held.keys() - self.paths:
            try:
                os.unlink(os.path.join(self.target, relative))
            except FileNotFoundError:
                continue
            emptied.add(os.path.dirname(relative))
        for folder in sorted(emptied, key=len, reverse=True):
            while folder and os.path.isdir(os.path.join(self.target, folder)) and not os.listdir(os.path.join(self.target, folder)):
                os.rmdir(os.path.join(self.target, folder))
                folder = os.path.dirname(folder)

    def _remove_unwritten(self) -> None:
        """In place: what the output holds that this build did not write (the last build's)."""
        for folder, subfolders, files in os.walk(self.target, topdown=False):
            relative_folder = os.path.relpath(folder, self.target)
            for name in files + [s for s in subfolders if os.path.islink(os.path.join(folder, s))]:
                relative = name if relative_folder == "." else f"{relative_folder}/{name}"
                if relative not in self.paths:
                    os.unlink(os.path.join(folder, name))
            if relative_folder != "." and not os.listdir(folder):
                os.rmdir(folder)


def spare_of(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}.spare")


def _plain_tree(root: str) -> tuple[dict[str, int], set[str]] | tuple[None, None]:
    """Files (with their inodes) and folders under `root`; (None, None) if anything is not a plain file or folder."""
    files: dict[str, int] = {}
    folders: set[str] = {""}
    for folder, subfolders, names in os.walk(root):
        relative_folder = os.path.relpath(folder, root)
        prefix = "" if relative_folder == "." else relative_folder + "/"
        for name in subfolders:
            if os.path.islink(os.path.join(folder, name)):
                return None, None
            folders.add(prefix + name)
        for name in names:
            found = os.lstat(os.path.join(folder, name))
            if not stat.S_ISREG(found.st_mode):
                return None, None
            files[prefix + name] = found.st_ino
    return files, folders


def _write_file(path: str, data: bytes) -> None:
    with open(path, "wb") as file:
        file.write(data)


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Put `staging` where `out_dir` is; afterwards `staging` holds the old site, if any."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    if _exchange(staging, out_dir):
        return
    old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    os.rename(out_dir, old)
    os.rename(staging, out_dir)
    os.rename(old, staging)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders where the system can (Linux); False otherwise."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)  # the C library's, as loaded
    if renameat2 is None:
        return False
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _remove_stale_temporaries(out_dir: Path) -> None:
    """Folders left by a build that was killed before it could clean up."""
    olds = sorted(out_dir.parent.glob(f".{out_dir.name}.old-*"))
    if olds and not out_dir.exists():
        os.rename(olds[-1], out_dir)  # killed mid-swap: put the previous site back
    for prefix in (f".{out_dir.name}.new-", f".{out_dir.name}.old-"):  # not the spare: a whole earlier site
        for stale in out_dir.parent.glob(prefix + "*"):
            shutil.rmtree(stale, ignore_errors=True)
