"""Writing the site: into a folder beside the output, then swapped in.

A failed or interrupted build never touches what the output folder held.
Pages that have not changed since the last build are hard-linked from it
instead of being written again. The folder a build writes into is the one
the swap before it took out (kept as `.NAME.spare`), so a build touches
only the files that changed since then, not every file of the site. The
preview writes in place instead: its output folder is its own, and only
what changed is touched.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

_RENAME_EXCHANGE = 2  # Linux renameat2 flag: swap two paths in one step
_AT_FDCWD = -100


def collect_static(folders: list[Path]) -> dict[str, Path]:
    """Static files by their path under static/; a later folder overrides an earlier one."""
    files: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        root = folder.resolve()
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith(".") and path.resolve().is_relative_to(root):
                files[path.relative_to(folder).as_posix()] = path
    return files


def _write_file(path: str, content: bytes) -> None:
    with open(path, "wb") as file:
        file.write(content)


@dataclass
class FolderScan:
    """What a build needs to know of the output folder and of its spare before writing: taken
    beside reading and planning (`scan_folders`, in a forked process), it costs them nothing."""

    signatures: dict[str, tuple[int, int, int]]  # the output's files: (inode, size, modification time)
    spare: tuple[dict[str, int], set[str]] | tuple[None, None]  # `plain_tree` of the spare


def scan_folders(out_dir: Path) -> FolderScan:
    """The output folder's files with their signatures (none if it holds a link: every page is
    then written again), and the spare's `plain_tree`."""
    out, spare = out_dir.resolve(), spare_of(out_dir.resolve())
    signatures = {}
    files, _ = plain_tree(str(out)) if out.is_dir() and not out.is_symlink() else ({}, None)
    for relative in files or ():
        found = os.stat(os.path.join(out, relative))
        signatures[relative] = (found.st_ino, found.st_size, found.st_mtime_ns)
    usable = spare.is_dir() and not spare.is_symlink()
    return FolderScan(signatures, plain_tree(str(spare)) if usable else (None, None))


def spare_of(out_dir: Path) -> Path:
    """The folder the last swap took out, that the next build writes into."""
    return out_dir.with_name(f".{out_dir.name}.spare")


class SiteWriter:
    def __init__(self, out_dir: Path, in_place: bool = False, previous: set[str] | None = None, scan: FolderScan | None = None):
        self.out_dir = out_dir.resolve()
        self.in_place = in_place
        self.previous = previous  # what the last in-place build wrote, if known
        self.scan = scan  # until the swap: the output's files are as it found them
        self.written: set[str] = set()
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self._out = str(self.out_dir)
        self.spare = spare_of(self.out_dir)
        self.held: dict[str, int] = {}  # files the target folder already holds (from the spare): inode
        self.folders: set[str] = {""}  # folders known to exist in the target
        if in_place:
            self.out_dir.mkdir(exist_ok=True)
            self.target = self.out_dir
        else:
            _remove_stale_temporaries(self.out_dir)
            self.target = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.new-", dir=self.out_dir.parent))
            self._take_spare()
        self._target = str(self.target)

    def _take_spare(self) -> None:
        """Build in the site the last swap took out, if it is there and holds nothing but
        plain files and folders; otherwise in the empty folder just made."""
        if not self.spare.is_dir() or self.spare.is_symlink():
            shutil.rmtree(self.spare, ignore_errors=True)
            return
        files, folders = self.scan.spare if self.scan is not None else plain_tree(str(self.spare))
        if files is None:
            shutil.rmtree(self.spare, ignore_errors=True)
            return
        os.rmdir(self.target)
        os.rename(self.spare, self.target)
        self.held, self.folders = files, folders

    def previous_signature(self, relative: str) -> tuple[int, int, int] | None:
        """(inode, size, modification time) of a file of the output folder, if it is there."""
        if self.scan is not None:
            return self.scan.signatures.get(relative)
        try:
            found = os.stat(os.path.join(self._out, relative))
        except OSError:
            return None
        return (found.st_ino, found.st_size, found.st_mtime_ns)

    def keep(self, relative: str, inode: int | None = None) -> bool:
        """Carry an unchanged file over from the previous build (`inode`: the output
        file's, when the caller knows it: a spare holding that very file costs nothing).
        False when it had to be copied: the copy is another file, with a signature of its own."""
        self.written.add(relative)
        if self.in_place or (inode is not None and self.held.get(relative) == inode):
            return True
        source, target = os.path.join(self._out, relative), self._prepare(relative)
        if target is None:
            return True  # the spare holds this very file already
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links
            shutil.copyfile(source, target)
            return False
        return True

    def keep_in_place(self, relatives: Iterable[str]) -> None:
        """Carry unchanged files over in the preview's folder, where they are already."""
        self.written.update(relatives)

    def write(self, relative: str, content: str | bytes) -> None:
        self.written.add(relative)
        target = self._prepare(relative, replace=True)
        _write_file(target, content.encode("utf-8") if isinstance(content, str) else content)

    def copy(self, relative: str, source: Path) -> None:
        self.written.add(relative)
        shutil.copyfile(source, self._prepare(relative, replace=True))

    def _prepare(self, relative: str, replace: bool = False) -> str | None:
        """The target path for `relative`, its folder made and any earlier file there
        unlinked (never written through: it may be a hard link into the live site).
        None when keeping a file the target already holds as the output's own."""
        if self.in_place:
            return self._prepare_in_place(relative)
        target = os.path.join(self._target, relative)
        if relative in self.held:
            if not replace and self.held[relative] == os.stat(os.path.join(self._out, relative)).st_ino:
                return None
            os.unlink(target)
            return target
        if relative in self.folders:  # the spare has a folder where this build has a file
            self._clear(relative)
        folder = os.path.dirname(relative)
        if folder not in self.folders:
            for above in _ancestors(folder):  # and maybe a file where this build has a folder
                if above in self.held:
                    self._clear(above)
            os.makedirs(os.path.join(self._target, folder), exist_ok=True)
            while folder not in self.folders:
                self.folders.add(folder)
                folder = os.path.dirname(folder)
        return target

    def _prepare_in_place(self, relative: str) -> str:
        """The same, in the preview's own folder: what stands in the way goes, a file
        where this build has a folder (a static file that became a folder) or the reverse."""
        target = os.path.join(self._target, relative)
        folder = os.path.dirname(relative)
        if folder not in self.folders:
            for above in _ancestors(folder):
                path = os.path.join(self._target, above)
                if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):
                    os.unlink(path)
            os.makedirs(os.path.join(self._target, folder), exist_ok=True)
            self.folders.update(_ancestors(folder))
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target)
        elif os.path.lexists(target):
            os.unlink(target)
        return target

    def _clear(self, relative: str) -> None:
        """Remove a file or folder of the spare that stands where this build puts something else."""
        path = os.path.join(self._target, relative)
        if relative in self.held:
            os.unlink(path)
            del self.held[relative]
            return
        shutil.rmtree(path)
        inside = relative + "/"
        self.held = {f: inode for f, inode in self.held.items() if not f.startswith(inside)}
        self.folders = {f for f in self.folders if f != relative and not f.startswith(inside)}

    def prune(self) -> None:
        """Delete what the target folder holds from the spare and this build has not written
        (pages of checks removed since, say), so that it holds only this build's files."""
        if self.in_place:
            return
        stale = self.held.keys() - self.written
        folders = set()
        for relative in stale:
            del self.held[relative]
            os.unlink(os.path.join(self._target, relative))
            folders.add(os.path.dirname(relative))
        for folder in sorted(folders, key=len, reverse=True):
            while folder:
                try:
                    os.rmdir(os.path.join(self._target, folder))
                except OSError:  # not empty
                    break
                self.folders.discard(folder)
                folder = os.path.dirname(folder)

    def finish(self) -> None:
        if self.in_place:
            self._remove_unwritten()
            return
        self.prune()
        self.target.chmod(0o755)
        self.scan = None
        try:
            _swap_in(self.target, self.out_dir)
            if self.target.exists():  # it holds the previous site now: the next build starts from it
                os.rename(self.target, self.spare)
        finally:
            self.abort()

    def abort(self) -> None:
        if not self.in_place and self.target.exists():
            shutil.rmtree(self.target, ignore_errors=True)

    def _remove_unwritten(self) -> None:
        if self.previous is not None:
            for relative in sorted(self.previous - self.written):
                path = os.path.join(self._out, relative)
                if os.path.isdir(path):
                    continue  # a file of the last build, a folder of this one
                try:
                    os.unlink(path)
                except (FileNotFoundError, NotADirectoryError):
                    pass  # gone with its folder, which is a file now
            return
        for path in sorted(self.out_dir.rglob("*"), reverse=True):
            relative = path.relative_to(self.out_dir).as_posix()
            if path.is_file() and relative not in self.written:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()


def _ancestors(folder: str) -> list[str]:
    """"a/b/c" -> ["a", "a/b", "a/b/c"]."""
    parts = folder.split("/") if folder else []
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def plain_tree(root: str) -> tuple[dict[str, int], set[str]] | tuple[None, None]:
    """(files with their inodes, folders) under `root`, relative; (None, None) if anything
    is neither a plain file nor a plain folder (a link, say). The folder listing gives
    both without a stat per file."""
    files: dict[str, int] = {}
    folders: set[str] = {""}
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(os.path.join(root, relative)) as entries:
            for entry in entries:
                name = f"{relative}/{entry.name}" if relative else entry.name
                if entry.is_file(follow_symlinks=False):
                    files[name] = entry.inode()
                elif entry.is_dir(follow_symlinks=False):
                    folders.add(name)
                    pending.append(name)
                else:
                    return None, None
    return files, folders


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
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    renameat2 = getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _remove_stale_temporaries(out_dir: Path) -> None:
    """Folders left by a build that was killed before it could clean up."""
    olds = sorted(out_dir.parent.glob(f".{out_dir.name}.old-*"))
    if olds and not out_dir.exists():
        os.rename(olds[-1], out_dir)  # killed mid-swap: put the previous site back
    for prefix in (f".{out_dir.name}.new-", f".{out_dir.name}.old-"):  # not .spare: a whole earlier site
        for stale in out_dir.parent.glob(prefix + "*"):
            shutil.rmtree(stale, ignore_errors=True)
