"""Batch tagging of line streams: bytes in, output records out, in bounded memory.

Input is read in blocks and tagged in chunks of lines, so memory does not grow with the
input; each output record depends only on its own input line, so the output of a file
cut into pieces and tagged piece by piece is the same as tagging it whole. With
``paragraphs``, document context reaches across the lines of a paragraph (up to a blank
line), and chunks end only at blank lines (or inside a paragraph too long to hold), so
the same holds for files cut at blank lines.

Two things keep this bounded and responsive whatever the input:

- a line longer than ``PIECE_BYTES`` is read and tagged in pieces (:class:`Piece`), cut
  after a sentence end where there is one, else at a space; its output is still one
  record, assembled piece by piece (:class:`RecordWriter`), and document context does not
  reach across the cuts;
- when the input has no more data ready (a pipe or a terminal that is waiting), the
  lines read so far are tagged and their records written and flushed at once
  (:data:`IDLE`), while a file or a busy pipe is still tagged in large chunks.
"""

from __future__ import annotations

import itertools
import os
import select
import signal
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, NamedTuple, Union

from . import BLAS_THREADS
from .errors import InputError, NerRnnError
from .files import describe
from .formats import JsonlPiece, Output, json_error, json_problem, json_record
from .redact import Replaced, pools_of
from .tagger import Doc, Tagger

CHUNK_LINES = 2000  # lines tagged together ...
CHUNK_CHARS = 1 << 19  # ... or fewer, once they hold this many characters
# a paragraph longer than this is cut anyway (and loses context at the cut), so memory
# stays bounded
PARAGRAPH_LINES, PARAGRAPH_CHARS = 4 * CHUNK_LINES, 4 * CHUNK_CHARS
BLOCK = 1 << 16  # bytes read at a time
BOM = b"\xef\xbb\xbf"  # UTF-8's byte order mark, dropped at the start of a stream
PIECE_BYTES = 1 << 18  # a longer line is tagged in pieces of about this size
SENTENCE_CUT = 1 << 14  # where a piece is cut: the last sentence end in its last 16 KiB ...
SPACE_CUT = 1 << 12  # ... else the last space or tab in its last 4 KiB, else anywhere


class Piece(NamedTuple):
    """Part of a long line: its text, where it starts in the line (characters), and
    whether it ends the line. A whole line is a plain ``str``."""

    text: str
    base: int
    last: bool


class _Idle:
    def __repr__(self) -> str:
        return "IDLE"


IDLE = _Idle()  # the input has no more data ready: tag and write what has been read
Item = Union[str, Piece]


def _text(item: Item) -> str:
    return item if isinstance(item, str) else item.text


def ends_line(item: Item) -> bool:
    return isinstance(item, str) or item.last


# ---- reading ---------------------------------------------------------------------------------


def read_lines(
    stream: BinaryIO,
    name: str,
    replace_invalid: bool = False,
    consumed: list[int] | None = None,
    idle: bool = False,
    whole: bool = False,
    keep_ends: bool = False,
) -> Iterator[Union[Item, _Idle]]:
    """Decode a byte stream line by line; a line that is not UTF-8 is an error naming it.

    Yields each line without its ending (``\\n`` or ``\\r\\n``) as a ``str``, or a line
    longer than ``PIECE_BYTES`` as :class:`Piece` objects. With ``idle``, yields
    :data:`IDLE` before waiting for input that has no data ready. With ``whole``, every
    line comes whole, however long (memory grows with the longest line); with
    ``keep_ends`` too, with its line ending and a byte order mark kept, so that the lines
    joined are the input exactly. With
    ``replace_invalid`` bad bytes become U+FFFD. ``consumed[0]`` counts the bytes read,
    for progress bars. A failed read is an :class:`InputError` naming ``name``.
    """
    errors = "replace" if replace_invalid else "strict"
    consumed = consumed if consumed is not None else [0]
    fd = _fileno(stream)
    pending: list[bytes] = []  # the start of the current line
    size = 0  # its length in bytes
    number = 1  # its line number
    byte_base = char_base = 0  # where the pending bytes start in the line, for pieces and errors

    def decode(raw: bytes) -> str:
        try:
            return raw.decode("utf-8", errors)
        except UnicodeDecodeError as e:
            raise InputError(
                f"byte {byte_base + e.start + 1} is not valid UTF-8 (pass --replace-invalid to tag it anyway)",
                name,
                number,
            ) from None

    def last_of_line(raw: bytes) -> Item:
        """The end of a line (all of it, unless it came in pieces), without its ``\\r``."""
        text = decode(raw[:-1] if raw.endswith(b"\r") and not keep_ends else raw)
        return text if not char_base else Piece(text, char_base, True)

    first = True
    while True:
        if idle and fd is not None and not _ready(fd):
            yield IDLE
        block = _read(stream, fd, name)
        if not block:
            break
        consumed[0] += len(block)
        if first and not keep_ends:  # a byte order mark, as Windows editors write, is not text
            first = False
            while len(block) < len(BOM) and BOM.startswith(block):  # the mark may come in pieces
                more = _read(stream, fd, name)
                if not more:
                    break
                consumed[0] += len(more)
                block += more
            if block.startswith(BOM):
                block = block[len(BOM) :]
        lines = block.split(b"\n")
        for raw in lines[:-1]:
            if pending:
                pending.append(raw)
                raw = b"".join(pending)
                pending, size = [], 0
            yield last_of_line(raw + b"\n" if keep_ends else raw)
            number += 1
            byte_base = char_base = 0
        rest = lines[-1]
        if rest:
            pending.append(rest)
            size += len(rest)
            while size >= PIECE_BYTES and not whole:
                raw = b"".join(pending)
                cut = _cut(raw)
                text = decode(raw[:cut])
                yield Piece(text, char_base, False)
                byte_base += cut
                char_base += len(text)
                pending = [raw[cut:]]
                size = len(pending[0])
    if pending:  # a last line without a line ending
        yield last_of_line(b"".join(pending))


def json_lines(lines: Iterable[Union[Item, _Idle]], name: str, key: str, keep=None) -> Iterator[Union[Item, _Idle]]:
    """Lines of JSON objects, checked: one that is not an object with a string field
    ``key`` is an :class:`InputError` naming its line, or with ``keep`` (a function given
    the message) passed on, to be written back with an error field."""
    number = 0
    for line in lines:
        if line is IDLE:
            yield line
            continue
        number += 1
        if line.strip():
            problem = json_problem(line, key)[1]
            if problem is not None:
                if keep is None:
                    raise InputError(f"{problem} (pass --on-bad-line keep to write it back with an error field)", name, number)
                keep(f"{name}:{number}: {problem}; written back with an error field")
        yield line


def _fileno(stream) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError):  # a BytesIO, say
        return None


def _ready(fd: int) -> bool:
    """Has ``fd`` data (or an end) ready, so that a read will not wait?"""
    try:
        return bool(select.select([fd], [], [], 0)[0])
    except (OSError, ValueError):
        return True


def _read(stream, fd: int | None, name: str) -> bytes:
    try:
        if fd is not None:
            return os.read(fd, BLOCK)
        return stream.read(BLOCK)
    except OSError as e:
        raise InputError(f"cannot read: {describe(e)}", name) from None


def _cut(raw: bytes) -> int:
    """Where to end a piece of a long line ``raw``: after the last sentence end followed by
    a space in its last ``SENTENCE_CUT`` bytes, else after its last space or tab in the last
    ``SPACE_CUT`` bytes, else at the last character boundary."""
    n = len(raw)
    k = max(raw.rfind(end, max(0, n - SENTENCE_CUT)) for end in (b". ", b"! ", b"? "))
    if k >= 0:
        return k + 2
    k = max(raw.rfind(b" ", max(0, n - SPACE_CUT)), raw.rfind(b"\t", max(0, n - SPACE_CUT)))
    if k >= 0:
        return k + 1
    for j in range(n - 1, max(0, n - 4), -1):  # never inside a character of several bytes
        if raw[j] & 0xC0 != 0x80:
            return j
    return n


# ---- chunks of lines -------------------------------------------------------------------------


class Chunk(list):
    """Lines (and pieces of lines) tagged together; ``flush``: the input paused after them,
    so their records should be written out at once; ``pieces``: some are pieces of a line."""

    flush = False
    pieces = False


def chunks(lines: Iterable[Union[Item, _Idle]], paragraphs: bool = False) -> Iterator[Chunk]:
    """Lines in lists of about ``CHUNK_LINES`` lines or ``CHUNK_CHARS`` characters; with
    ``paragraphs``, each list ends after a blank line (or at ``PARAGRAPH_LINES`` lines or
    ``PARAGRAPH_CHARS`` characters). At :data:`IDLE`, the lines so far are a chunk (with
    ``paragraphs``, if they end a paragraph)."""
    chunk = Chunk()
    size = 0
    lines_since_blank = 0
    for line in lines:
        if line.__class__ is str:  # a whole line: the usual case, kept short
            chunk.append(line)
            size += len(line)
            lines_since_blank = lines_since_blank + 1 if line.strip() else 0
        elif line is IDLE:
            if chunk and (not paragraphs or lines_since_blank == 0):
                chunk.flush = True
                yield chunk
                chunk, size, lines_since_blank = Chunk(), 0, 0
            continue
        else:  # a piece of a long line
            chunk.append(line)
            chunk.pieces = True
            size += len(line.text)
            if line.last:
                lines_since_blank = lines_since_blank + 1 if line.text.strip() else 0
        if len(chunk) >= CHUNK_LINES or size >= CHUNK_CHARS:
            if (
                not paragraphs
                or lines_since_blank == 0
                or lines_since_blank >= PARAGRAPH_LINES
                or size >= PARAGRAPH_CHARS
            ):
                yield chunk
                chunk, size, lines_since_blank = Chunk(), 0, 0
    if chunk:
        yield chunk


def documents_of(chunk: list[Item], paragraphs: bool) -> list[int]:
    """The document-context document of each item: its line (the pieces of a long line are
    one document), or with ``paragraphs`` its paragraph (a blank line ends one)."""
    out, document = [], 0
    for item in chunk:
        if paragraphs and isinstance(item, str) and not item.strip():
            document += 1
        out.append(document)
        if not paragraphs and ends_line(item):
            document += 1
    return out


def paragraph_documents(lines: list[str]) -> list[int]:
    """The document of each line when a document is a paragraph: a blank line ends one."""
    return documents_of(lines, True)


def tag_docs(tagger: Tagger, chunk: list[Item], with_offsets: bool, paragraphs: bool) -> list[Doc]:
    """One chunk of lines -> one :class:`Doc` per line (or piece of a line); a document for
    document context is a line, or with ``paragraphs`` a paragraph."""
    if not paragraphs and not getattr(chunk, "pieces", True):  # every line its own document
        return tagger.tag_texts(chunk, with_offsets)
    return tagger.tag_texts([_text(item) for item in chunk], with_offsets, documents_of(chunk, paragraphs))


Part = Union[str, JsonlPiece]


def tag_chunk(tagger: Tagger, chunk: list[Item], out: Output, paragraphs: bool = False) -> tuple[list[Part], int, list]:
    """One chunk of lines -> (its output, its token count, the names replaced in each
    record when redacting). The output is one string of records, with a
    :class:`~ner_rnn.formats.JsonlPiece` for each piece of a long line in ``jsonl`` (see
    :class:`RecordWriter`)."""
    if out.text_key is not None:
        return _tag_json_chunk(tagger, chunk, out)
    if out.keep_ends:
        return _redact_chunk(tagger, chunk, out, paragraphs)
    docs = tag_docs(tagger, chunk, out.needs_offsets, paragraphs)
    n = sum(len(d.words) for d in docs)
    if not getattr(chunk, "pieces", True):
        pools = pools_of(tagger) if out.redaction is not None else None
        records = [out.record(doc, pools) for doc in docs]
        return ["".join(r for r, _ in records)], n, [replaced for _, replaced in records]
    parts: list[Part] = []
    run: list[str] = []  # strings in a row, joined once
    for doc, item in zip(docs, chunk):
        part = out.record(doc)[0] if isinstance(item, str) else out.piece(doc, item.last, item.base)
        if isinstance(part, str):
            run.append(part)
        else:
            if run:
                parts.append("".join(run))
                run = []
            parts.append(part)
    if run:
        parts.append("".join(run))
    return parts, n, []


def _redact_chunk(tagger: Tagger, lines: list[str], out: Output, paragraphs: bool) -> tuple[list[Part], int, list]:
    """Whole lines with their endings: each redacted, its ending written back as it was."""
    bodies = Chunk(line.rstrip("\r\n") for line in lines)
    docs = tag_docs(tagger, bodies, True, paragraphs)
    pools = pools_of(tagger)
    records = [out.record(doc, pools) for doc in docs]
    text = "".join(record + line[len(body) :] for (record, _), line, body in zip(records, lines, bodies))
    return [text], sum(len(d.words) for d in docs), [replaced for _, replaced in records]


def _tag_json_chunk(tagger: Tagger, lines: list[str], out: Output) -> tuple[list[Part], int, list]:
    """Lines that are JSON objects: each object's text field is tagged as one document;
    a blank line stays blank; a line that cannot be tagged gets its error record (the
    reader has already stopped at it, unless bad lines are kept)."""
    key = out.text_key
    parsed = [json_problem(line, key) if line.strip() else (None, None) for line in lines]
    good = [i for i, (obj, problem) in enumerate(parsed) if obj is not None and problem is None]
    docs = dict(zip(good, tagger.tag_texts([parsed[i][0][key] for i in good], out.needs_offsets)))
    pools = pools_of(tagger) if out.redaction is not None else None
    records: list[str] = []
    replaced: list[list[Replaced]] = []
    for i, (line, (obj, problem)) in enumerate(zip(lines, parsed)):
        if i in docs:
            record, names = json_record(obj, key, docs[i], out, pools)
        else:
            record, names = (json_error(line, obj, problem) if problem else "\n"), []
        records.append(record)
        replaced.append(names)
    return ["".join(records)], sum(len(d.words) for d in docs.values()), replaced


class Tagged(NamedTuple):
    parts: list[Part]
    tokens: int
    replaced: list  # with a redaction, the names replaced in each record
    flush: bool  # the input paused after these lines: write them out now


def tag_lines(tagger: Tagger, lines: Iterable[Union[Item, _Idle]], out: Output, paragraphs: bool = False) -> Iterator[Tagged]:
    """Tag lines chunk by chunk; yield each chunk's output."""
    for chunk in chunks(lines, paragraphs):
        yield Tagged(*tag_chunk(tagger, chunk, out, paragraphs), chunk.flush)


class RecordWriter:
    """Writes the output of :func:`tag_lines` to a sink: strings as they are, and the pieces
    of a long line's ``jsonl`` record as one record, in memory bounded by a piece: its text
    is written as it comes, its entities and tokens kept in temporary files (already
    unlinked, so never left behind) until the text is complete."""

    def __init__(self, sink):
        self.sink = sink
        self._spools = None

    def write(self, parts: list[Part]) -> None:
        for part in parts:
            if isinstance(part, str):
                self.sink.write(part)
            else:
                self._piece(part)

    def _piece(self, piece: JsonlPiece) -> None:
        if self._spools is None:
            import tempfile

            self.sink.write('{"text": "')
            self._spools = [tempfile.TemporaryFile(), tempfile.TemporaryFile()]
        self.sink.write(piece.text)
        for spool, items in zip(self._spools, (piece.entities, piece.tokens)):
            if items:  # after the items so far, if any, a comma
                spool.write(((", " if spool.tell() else "") + ", ".join(items)).encode("utf-8"))
        if piece.last:
            self.sink.write('"')
            for key, spool in zip(("entities", "tokens"), self._spools):
                self.sink.write(f', "{key}": [')
                spool.seek(0)
                while block := spool.read(1 << 20):
                    self.sink.write_bytes(block)
                spool.close()
                self.sink.write("]")
            self.sink.write("}\n")
            self._spools = None

    def close(self) -> None:
        for spool in self._spools or []:
            spool.close()
        self._spools = None


# ---- several worker processes ---------------------------------------------------------------

_worker: dict = {}
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


def _init_worker(model_path, out: Output, paragraphs: bool, handles: bool = True) -> None:
    from .modelfile import load_model

    # Ctrl-C, a hang-up or a SIGTERM to the job reach its whole process group; a worker
    # has a group of its own, so they reach the main process alone, which shuts the
    # executor down in order (a worker dying of them could leave its queues in an unknown
    # state); the executor's own SIGTERM, for a broken pool, still ends a worker
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    _worker["tagger"] = load_model(model_path)
    _worker["tagger"].handles = handles
    _worker["out"] = out
    _worker["paragraphs"] = paragraphs


def _tag_chunk(chunk: list[Item]) -> tuple[list[Part], int, list]:
    return tag_chunk(_worker["tagger"], chunk, _worker["out"], _worker["paragraphs"])


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def tag_lines_parallel(
    tagger: Tagger,
    model_path,
    lines: Iterable[Union[Item, _Idle]],
    out: Output,
    workers: int,
    paragraphs: bool = False,
) -> Iterator[Tagged]:
    """:func:`tag_lines` on up to ``workers`` processes, output in input order.

    Chunks are tagged here until a full one comes and another after it: only then do worker
    processes start (as many as there are chunks ready after the full one, at most
    ``workers``), so a short input, or one that arrives a line at a time, never pays for
    starting them. The full chunk is tagged here while they start and tag the chunks after
    it. At most two chunks per worker are in flight, so memory stays bounded however long
    the input is (``Executor.map`` would read all of it ahead). When the input pauses, every
    chunk in flight is finished and written before more is read.
    """
    batches = chunks(lines, paragraphs)
    for full in batches:
        if not full.flush and workers > 1:
            break  # a full chunk, with more to come perhaps
        yield Tagged(*tag_chunk(tagger, full, out, paragraphs), full.flush)
    else:
        return
    ready: list[Chunk] = []
    for chunk in batches:
        ready.append(chunk)
        if chunk.flush or len(ready) >= workers:
            break
    if not ready:
        yield Tagged(*tag_chunk(tagger, full, out, paragraphs), full.flush)
        return
    with _pool(min(workers, len(ready)), model_path, out, paragraphs, tagger.handles) as submit:

        def here_or_there(chunk: Chunk):
            if chunk is full:  # tagged here when its result is wanted, after the chunks ready are submitted
                return _Later(lambda: tag_chunk(tagger, full, out, paragraphs))
            return submit(_tag_chunk, chunk)

        yield from _in_order(itertools.chain([full], ready, batches), here_or_there, len(ready))


class _Later:
    """A result computed here when it is asked for, in the place of a worker's future."""

    def __init__(self, compute):
        self._compute = compute

    def result(self):
        return self._compute()


def pipe_parallel(tagger: Tagger, batches: Iterable[list[str]], workers: int) -> Iterator[Doc]:
    """:meth:`Tagger.pipe` on ``workers`` processes: each reads ``tagger`` from a temporary
    model file (removed at the end); at most two batches per worker in flight."""
    import tempfile

    from .modelfile import save_model

    with tempfile.TemporaryDirectory(prefix="ner-rnn-") as folder:
        path = save_model(Path(folder) / "model.npz", tagger)
        with _pool(workers, path, Output(), False, tagger.handles) as submit:
            work = (Chunk(batch) for batch in batches)
            for tagged in _in_order(work, lambda chunk: submit(_tag_texts, chunk), workers):
                yield from tagged.parts


def _tag_texts(texts: list[str]) -> tuple[list[Doc], int, list]:
    docs = _worker["tagger"].tag_texts(texts)
    return docs, sum(len(d.words) for d in docs), []


@contextmanager
def _pool(n: int, model_path, out: Output, paragraphs: bool, handles: bool = True) -> Iterator:
    """``n`` worker processes that have read the model at ``model_path``; yields
    ``submit(function, chunk)``, which gives a future."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # one BLAS thread per worker: the workers already fill the cores, and BLAS threads that
    # spin waiting for a busy core slow everything down many times over (read by NumPy when
    # a worker starts, so set while they may start)
    saved = {k: os.environ.get(k) for k in BLAS_THREADS}
    os.environ.update({k: "1" for k in BLAS_THREADS})
    _start_resource_tracker()
    pool = ProcessPoolExecutor(n, multiprocessing.get_context("spawn"), _init_worker,
                               (model_path, out, paragraphs, handles))

    def submit(function, chunk: Chunk):
        # Ctrl-C, SIGHUP and SIGTERM blocked while a worker may start, and so in it (the mask
        # is inherited) until it has a process group of its own; here, one that came
        # meanwhile arrives after
        with _blocked(STOP_SIGNALS):
            return pool.submit(function, chunk)

    try:
        yield submit
    except BrokenProcessPool:
        raise NerRnnError("a worker process died (killed, or out of memory?); run again, or with -w 1") from None
    finally:
        # chunks not started are dropped; those running end with their chunk
        pool.shutdown(wait=True, cancel_futures=True)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextmanager
def _blocked(signals: set) -> Iterator[None]:
    """Hold back ``signals`` in the block; one that came meanwhile is delivered after it."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker ignoring SIGHUP: it ignores Ctrl-C and SIGTERM
    itself, but a hang-up of the terminal would kill it, and it would print tracebacks."""
    from multiprocessing import resource_tracker

    with _blocked({signal.SIGHUP}):
        handler = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # inherited by the tracker
        try:
            resource_tracker.ensure_running()
        finally:
            signal.signal(signal.SIGHUP, handler)


def _in_order(batches: Iterable[Chunk], submit, n: int) -> Iterator[Tagged]:
    """Submit chunks (``submit(chunk)`` gives a future) and yield their results in input
    order, at most ``2 n`` in flight; when a chunk ends a pause of the input, every result
    so far is yielded first."""
    pending: deque = deque()
    for chunk in batches:
        pending.append(submit(chunk))
        if chunk.flush:
            while pending:
                result = pending.popleft().result()
                yield Tagged(*result, not pending)
        elif len(pending) >= 2 * n:
            yield Tagged(*pending.popleft().result(), False)
    while pending:
        yield Tagged(*pending.popleft().result(), False)
