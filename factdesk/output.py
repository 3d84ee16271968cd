"""Writing the site: into a fresh folder beside the output, then swapped in.

A failed or interrupted build never touches what the output folder held.
Pages that have not changed since the last build are hard-linked from it
instead of being written again. The preview writes in place instead: its
output folder is its own, and only what changed is touched.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path

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


class SiteWriter:
    def __init__(self, out_dir: Path, in_place: bool = False, previous: set[str] | None = None):
        self.out_dir = out_dir.resolve()
        self.in_place = in_place
        self.previous = previous  # what the last in-place build wrote, if known
        self.written: set[str] = set()
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        if in_place:
            self.out_dir.mkdir(exist_ok=True)
            self.target = self.out_dir
        else:
            _remove_stale_temporaries(self.out_dir)
            self.target = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.new-", dir=self.out_dir.parent))

    def previous_signature(self, relative: str) -> tuple[int, int, int] | None:
        """(inode, size, modification time) of a file of the output folder, if it is there."""
        try:
            stat = os.stat(self.out_dir / relative)
        except OSError:
            return None
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns)

    def keep(self, relative: str) -> None:
        """Carry an unchanged file over from the previous build."""
        self.written.add(relative)
        if self.in_place:
            return
        target = self.target / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(self.out_dir / relative, target)
        except OSError:  # a file system without hard links
            shutil.copyfile(self.out_dir / relative, target)

    def write(self, relative: str, content: str | bytes) -> None:
        self.written.add(relative)
        target = self.target / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if self.in_place and target.exists():
            target.unlink()  # never write through a hard link into another build
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)

    def copy(self, relative: str, source: Path) -> None:
        self.written.add(relative)
        target = self.target / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if self.in_place and target.exists():
            target.unlink()
        shutil.copyfile(source, target)

    def finish(self) -> None:
        if self.in_place:
            self._remove_unwritten()
            return
        self.target.chmod(0o755)
        try:
            _swap_in(self.target, self.out_dir)
        finally:
            self.abort()

    def abort(self) -> None:
        if not self.in_place and self.target.exists():
            shutil.rmtree(self.target, ignore_errors=True)

    def _remove_unwritten(self) -> None:
        if self.previous is not None:
            for relative in sorted(self.previous - self.written):
                (self.out_dir / relative).unlink(missing_ok=True)
            return
        for path in sorted(self.out_dir.rglob("*"), reverse=True):
            relative = path.relative_to(self.out_dir).as_posix()
            if path.is_file() and relative not in self.written:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()


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
    for prefix in (f".{out_dir.name}.new-", f".{out_dir.name}.old-"):
        for stale in out_dir.parent.glob(prefix + "*"):
            shutil.rmtree(stale, ignore_errors=True)
