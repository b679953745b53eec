"""Files and streams, with one error policy: every failure is one line naming the path.

- :func:`atomic_write` writes a regular file through a temporary file beside it, renamed
  into place only when complete; the temporary file is removed on any failure, Ctrl-C or
  SIGTERM included, so a user's file is never half-written.
- :func:`open_output` is where a command's records go: standard output, a new or
  (with ``force``) an existing regular file written atomically, or a special file (a
  named pipe, ``/dev/null``, a terminal) written in place and never replaced.
- :class:`Sink` writes text as UTF-8 whatever the locale, and turns a failed write into
  an :class:`~ner_rnn.errors.OutputError` naming the destination; a closed pipe
  (``BrokenPipeError``) is left for the command line to end quietly.
- :func:`guard_standard_streams` keeps a closed stdin, stdout or stderr from being
  reused by the next file opened, and makes reading or writing it a clear error.
"""

from __future__ import annotations

import os
import stat
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from .errors import InputError, OutputError

STDIN, STDOUT = "<stdin>", "<stdout>"


def describe(e: OSError) -> str:
    """An OSError's reason in words: "No space left on device"."""
    return e.strerror or str(e)


# ---- writing ------------------------------------------------------------------------------


def check_output(path: Path, force: bool) -> None:
    """Raise unless ``path`` can be written: a new file in an existing folder, an existing
    regular file with ``force``, or a special file (pipe, device). Nothing is created."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OutputError(f"cannot write: {describe(e)}", path) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError("is a directory; give a file name", path)
        if stat.S_ISREG(st.st_mode) and not force:
            raise OutputError("already exists; pass --force to overwrite it", path)
        return
    parent = path.parent
    if not parent.is_dir():
        raise OutputError("the folder does not exist", parent)


def is_special(path: Path) -> bool:
    """Is ``path`` an existing file that is not a regular file or folder (a pipe, a device)?"""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextmanager
def atomic_file(path: str | Path, force: bool = False, mode: str = "wb") -> Iterator[BinaryIO]:
    """A temporary file beside ``path`` (its real target, when ``path`` is a symbolic link),
    renamed to it when the block ends without an error, and removed otherwise; a special
    file (a pipe, a device) is written into instead, and never replaced.

    Created at once, so an unwritable folder or a full disk is found before any work. An
    existing file is replaced only with ``force``, and keeps its permissions.
    """
    path = Path(path)
    check_output(path, force)
    if is_special(path):  # a pipe or a device: written into, never replaced
        with writing(str(path)), open(path, mode, buffering=0) as f:
            yield f
        return
    import tempfile  # here: a command that writes no file should not pay for importing it

    target = Path(os.path.realpath(path))
    with writing(str(path)):
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            try:
                old = os.stat(target).st_mode & 0o7777
            except FileNotFoundError:
                old = 0o666 & ~_umask()  # mkstemp makes it private; give it the usual mode
            os.chmod(tmp, old)
            with os.fdopen(fd, mode) as f:
                yield f
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise


def atomic_write(path: str | Path, write: Callable[[BinaryIO], None], force: bool = True) -> None:
    """Call ``write(f)`` on a temporary file beside ``path``, then rename it to ``path``."""
    with atomic_file(path, force) as f:
        write(f)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def writing(name: str) -> Iterator[None]:
    """A failed write in the block is an :class:`OutputError` naming ``name``; a closed pipe
    (``BrokenPipeError``) is left for the command line to end quietly."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as e:
        raise OutputError(f"cannot write: {describe(e)}", name) from None


class Sink:
    """Text out as UTF-8 bytes; a failed write is an :class:`OutputError` naming ``name``."""

    def __init__(self, binary: BinaryIO, name: str):
        self._f = binary
        self.name = name

    def write(self, text: str) -> None:
        with writing(self.name):
            self._f.write(text.encode("utf-8", "replace"))

    def write_bytes(self, data: bytes) -> None:
        with writing(self.name):
            self._f.write(data)

    def flush(self) -> None:
        with writing(self.name):
            self._f.flush()


@contextmanager
def open_output(path: Path | None, force: bool = False) -> Iterator[Sink]:
    """Where records go: stdout (``path`` None), or a file (see :func:`atomic_file`: a
    regular file is written atomically, a special file in place, unbuffered, so that a
    failed write fails once, where it happens)."""
    if path is None:
        check_stdout()
        sys.stdout.flush()
        sink = Sink(sys.stdout.buffer, STDOUT)
        yield sink
        sink.flush()
    else:
        with atomic_file(path, force) as f:
            sink = Sink(f, str(path))
            yield sink
            sink.flush()


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold ``.NAME.lock`` beside ``path`` while a run writes ``path`` (and its checkpoint):
    a second run to the same path is refused at once. Creating it also shows, before any
    work, that the folder is writable. The lock is the kernel's, so it never outlives its
    process; the file is removed when the block ends."""
    import fcntl

    path = Path(path)
    lock = path.parent / f".{path.name}.lock"
    if not path.parent.is_dir():
        raise OutputError("the folder does not exist", path.parent)
    try:
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT, 0o666)
    except OSError as e:
        raise OutputError(f"cannot write in this folder: {describe(e)}", path) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                "another ner-rnn run is writing this model now; wait for it to end, or give another -o", path
            ) from None
        try:
            yield
        finally:
            try:
                os.unlink(lock)
            except OSError:
                pass
    finally:
        os.close(fd)


# ---- reading ------------------------------------------------------------------------------


def check_input(path: Path) -> None:
    """Raise unless ``path`` can be read as a stream: a file, a pipe, ``/dev/stdin``..."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except OSError as e:
        raise InputError(f"cannot read: {describe(e)}", path) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("is a directory, expected a file", path)
    if stat.S_ISREG(st.st_mode) and not os.access(path, os.R_OK):
        raise InputError("cannot read: Permission denied", path)


def check_not_stdout(path: Path | None) -> None:
    """Refuse to read a regular file that standard output appends to (``< a.txt >> a.txt``),
    which would grow without end; ``path`` None is standard input."""
    try:
        out = os.fstat(1)
        st = os.fstat(0) if path is None else os.stat(path)
    except OSError:
        return
    if stat.S_ISREG(out.st_mode) and (out.st_dev, out.st_ino) == (st.st_dev, st.st_ino):
        raise InputError("is also standard output; write to another file", STDIN if path is None else path)


def open_input(path: Path) -> BinaryIO:
    try:
        return open(path, "rb", buffering=0)
    except OSError as e:
        raise InputError(f"cannot read: {describe(e)}", path) from None


def regular_size(path: Path) -> int | None:
    """The size of a regular file; None for a pipe or a device, whose size is unknown."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


# ---- the standard streams -------------------------------------------------------------------

_closed: set[int] = set()


class _ClosedStream:
    """Stands in for a standard stream that was closed when the program started."""

    def __init__(self, fd: int, name: str):
        self._fd = fd
        self.name = name
        self.buffer = self

    def _fail(self, *args, **kwargs):
        raise OSError(9, f"{self.name} is closed")

    read = readline = write = _fail

    def __iter__(self):
        self._fail()

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._fd


def guard_standard_streams() -> None:
    """Put ``/dev/null`` on any of fds 0-2 that is closed, so that no file opened later
    takes its number (and receives the program's output), and make using the stream an error."""
    for fd, name in ((0, "standard input"), (1, "standard output"), (2, "standard error")):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            _closed.add(fd)
            stand_in = _ClosedStream(fd, name)
            if fd == 0:
                sys.stdin = stand_in  # type: ignore[assignment]
            elif fd == 1:
                sys.stdout = stand_in  # type: ignore[assignment]
            else:  # nowhere to report errors: drop them, the exit code still tells
                sys.stderr = open(os.devnull, "w")
    if 1 not in _closed and sys.stdout is not None:
        sys.stdout = _GuardedStdout(sys.stdout)  # type: ignore[assignment]


class _GuardedStdout:
    """sys.stdout, whose failed writes are an :class:`OutputError` naming ``<stdout>``."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        with writing(STDOUT):
            return self._stream.write(text)

    def flush(self) -> None:
        with writing(STDOUT):
            self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def silence_stdout() -> None:
    """After stdout failed or its reader left: what is still buffered goes nowhere, so that
    the interpreter's last flush raises nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass


def check_stdin() -> None:
    if 0 in _closed or sys.stdin is None:
        raise InputError("standard input is closed; give TEXT or --input FILE")


def check_stdout() -> None:
    if 1 in _closed or sys.stdout is None:
        raise OutputError("standard output is closed; give --output FILE")
