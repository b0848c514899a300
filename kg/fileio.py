"""Writing files safely: every output goes to a temporary file in the target folder, then
is renamed over the destination, so a run killed mid-write leaves the previous file whole.

The temporary file is named ``.<name>.<pid>.<random>.tmp``. An exception (or Ctrl-C) removes
it; a run killed outright (SIGKILL, power loss) cannot, so the next write to the same folder
removes temporary files of ``<name>`` whose process is gone. Failures are ``OutputError``s that
name the path.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path

from .errors import OutputError

__all__ = ["atomic_write_bytes", "atomic_write_text", "stale_temp_files"]

_TMP_RE = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def stale_temp_files(folder: str | os.PathLike, name: str | None = None) -> list[Path]:
    """Temporary files kg left in ``folder`` (for ``name`` only, if given) whose writer is gone."""
    out = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return out
    for e in entries:
        m = _TMP_RE.match(e.name)
        if m and (name is None or m["name"] == name) and not _pid_alive(int(m["pid"])):
            out.append(Path(e.path))
    return out


def _describe(e: OSError) -> str:
    if e.errno == errno.ENOSPC:
        return "no space left on the device"
    if e.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if e.errno == errno.EROFS:
        return "read-only file system"
    if e.errno == errno.ENOENT:
        return "folder does not exist"
    if e.errno == errno.ENOTDIR:
        return "a parent is a file, not a folder"
    if e.errno == errno.EISDIR:
        return "is a folder"
    return e.strerror or str(e)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file + ``os.replace``).

    Raises ``OutputError`` naming ``path`` when it cannot be written; the previous file, if
    any, is then left as it was and no temporary file remains."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: cannot write: is a folder")
    for old in stale_temp_files(path.parent, path.name):
        try:
            old.unlink()
        except OSError:
            pass
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise OutputError(f"{path}: cannot write: {_describe(e)}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:  # keep the mode of the file being replaced (mkstemp makes it 0600)
            mode = path.stat().st_mode & 0o7777
        except OSError:
            mode = 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise OutputError(f"{path}: cannot write: {_describe(e)}") from None
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` as UTF-8 (whatever the locale) atomically. Lone surrogates, which UTF-8
    cannot carry, are written as U+FFFD instead of failing the run."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = re.sub("[\ud800-\udfff]", "\ufffd", text).encode("utf-8")
    atomic_write_bytes(path, data)
