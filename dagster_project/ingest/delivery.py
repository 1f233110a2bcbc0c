"""What lies in a source folder, and a private copy of each new file.

Others write into the landing directory while a run reads it. The loader
never follows a symbolic link, leaves alone a file that is still being
written, and copies each new file once into the warehouse while hashing it:
the hash, the load and the quarantine copy are all of the same bytes.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CHUNK_BYTES = 1 << 20
HEAD_BYTES = 4096


@dataclass(frozen=True)
class Entry:
    """One entry of a source folder, as found (links are not followed)."""

    path: Path
    kind: str  # file | link | folder | special
    modified: float  # seconds since the epoch
    target: str | None = None  # where a link points

    @property
    def name(self) -> str:
        return self.path.name


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else "special"


def landing_entries(folder: Path) -> list[Entry]:
    """Every entry of a source folder in name order, except hidden entries and Office lock files
    (`~$...`). Nothing else is left out: a link or a subfolder is an entry too."""
    entries = []
    with os.scandir(folder) as scan:
        for item in scan:
            if item.name.startswith((".", "~$")):
                continue
            try:
                info = item.stat(follow_symlinks=False)
                kind = _kind(info.st_mode)
                target = os.readlink(item.path) if kind == "link" else None
            except FileNotFoundError:  # removed while the folder was read
                continue
            entries.append(Entry(Path(item.path), kind, info.st_mtime, target))
    return sorted(entries, key=lambda e: e.name)


class ChangedWhileReading(Exception):
    """The file changed, was replaced or was removed while it was being read."""


class Unreadable(Exception):
    """The delivered file cannot be read (no permission, an I/O error)."""


def _open(path: Path) -> int:
    """Open a regular file for reading without following a link and without blocking on a pipe."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError as error:
        raise ChangedWhileReading(f"{path.name} was removed") from error
    except OSError as error:  # a link put in its place (ELOOP) is no longer the file that was listed
        raise (ChangedWhileReading if error.errno == errno.ELOOP else Unreadable)(error.strerror) from error
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ChangedWhileReading(f"{path.name} is no longer a regular file")
    return fd


def _version(fd: int) -> tuple[int, int, int]:
    info = os.fstat(fd)
    return info.st_ino, info.st_size, info.st_mtime_ns


def _chunks(fd: int) -> Iterator[bytes]:
    while True:
        try:
            chunk = os.read(fd, CHUNK_BYTES)
        except OSError as error:
            raise Unreadable(error.strerror) from error
        if not chunk:
            return
        yield chunk


def content_digest(path: Path) -> str:
    """SHA-256 of the file's content, read in chunks."""
    fd = _open(path)
    try:
        digest = hashlib.sha256()
        for chunk in _chunks(fd):
            digest.update(chunk)
        return digest.hexdigest()
    finally:
        os.close(fd)


# Bytes and characters that make a file unusual, found while it is copied (cheap, per chunk):
# control characters other than tab, line feed and carriage return; and whitespace other than
# the space and the line ends, which trimming must handle with Unicode's rules.
C0_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 13)) + b"\x7f"
ASCII_ODD_WHITESPACE = b"\t\x0b\x0c\x1c\x1d\x1e\x1f"
NON_ASCII_ODD_WHITESPACE = ("\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
                            + "\u2028\u2029\u202f\u205f\u3000")
C1_CONTROLS = "".join(map(chr, range(0x80, 0xA0)))


class TextScan:
    """Feeds chunks through a strict UTF-8 decoder. `error` is the offset of the first byte that
    is not UTF-8 (a character split over two chunks is not an error); until then it notes whether
    the text holds control characters or whitespace other than spaces and line ends."""

    def __init__(self) -> None:
        self.error: int | None = None
        self.control = False
        self.odd_whitespace = False
        self._offset = self._carriage_returns = self._line_feeds = 0
        self._pending = b""

    def feed(self, chunk: bytes, final: bool = False) -> None:
        if self.error is not None:
            return
        data = self._pending + chunk
        try:
            text, used = codecs.utf_8_decode(data, "strict", final)
        except UnicodeDecodeError as error:
            self.error = self._offset + error.start
            return
        self._offset += used
        self._pending = data[used:]
        self._note(data[:used], text)

    def _note(self, data: bytes, text: str) -> None:
        self._carriage_returns += data.count(b"\r")
        self._line_feeds += data.count(b"\n")
        # Line ends are LF or CR LF throughout; a lone CR is odd.
        self.odd_whitespace = self.odd_whitespace or self._carriage_returns not in (0, self._line_feeds)
        self.control = self.control or any(bytes([b]) in data for b in C0_CONTROLS)
        self.odd_whitespace = self.odd_whitespace or any(bytes([b]) in data for b in ASCII_ODD_WHITESPACE)
        if not data.isascii():
            self.control = self.control or any(c in text for c in C1_CONTROLS)
            self.odd_whitespace = self.odd_whitespace or any(c in text for c in NON_ASCII_ODD_WHITESPACE)


@dataclass(frozen=True)
class Snapshot:
    """A private copy of a delivered file, and what was learnt while copying it."""

    path: Path
    digest: str
    size: int
    head: bytes  # the first bytes, to tell the format
    newlines: int  # number of b"\n" bytes
    ends_with_newline: bool
    text: TextScan  # UTF-8 or not, control characters, odd whitespace


def _copy(fd: int, target: Path) -> Snapshot:
    digest, text = hashlib.sha256(), TextScan()
    head, size, newlines, last = b"", 0, 0, b""
    with target.open("wb") as out:
        for chunk in _chunks(fd):
            digest.update(chunk)
            text.feed(chunk)
            out.write(chunk)
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
            size += len(chunk)
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    text.feed(b"", final=True)
    return Snapshot(target, digest.hexdigest(), size, head, newlines, last == b"\n", text)


def scratch_file(folder: Path, suffix: str) -> Path:
    """A new file name in `folder` that records this process, so that a killed run's
    leftovers can be told apart (see `remove_leftovers`)."""
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{os.getpid()}-{uuid.uuid4().hex}{suffix}"


@contextmanager
def snapshot(path: Path, folder: Path, expected_digest: str) -> Iterator[Snapshot]:
    """Copy a delivered file into `folder` while hashing it; the copy is removed afterwards
    unless it was moved away (into quarantine). Raises ChangedWhileReading when the file
    changed since it was hashed or while it was copied."""
    target = scratch_file(folder, ".part")
    try:
        fd = _open(path)
        try:
            before = _version(fd)
            copy = _copy(fd, target)
            after = _version(fd)
            replaced = os.stat(path, follow_symlinks=False).st_ino != after[0]
        finally:
            os.close(fd)
        if before != after or replaced or copy.digest != expected_digest:
            raise ChangedWhileReading(f"{path.name} changed while it was read")
        yield copy
    finally:
        target.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(folder: Path) -> None:
    """Remove scratch files of processes that no longer run (a killed run leaves them)."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        pid = path.name.split("-", 1)[0]
        if not pid.isdigit() or not _process_alive(int(pid)):
            path.unlink(missing_ok=True)
