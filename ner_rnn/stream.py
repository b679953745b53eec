"""Batch tagging of line streams: bytes in, output records out, in bounded memory.

Input is read one line at a time and tagged in chunks of lines, so memory does not grow
with the input; each output record depends only on its own input line, so the output
of a file cut into pieces and tagged piece by piece is the same as tagging it whole.
With ``paragraphs``, document context reaches across the lines of a paragraph (up to a
blank line), and chunks end only at blank lines (or inside a paragraph too long to hold),
so the same holds for files cut at blank lines.
"""

from __future__ import annotations

from typing import BinaryIO, Iterable, Iterator

from .errors import InputError
from .formats import NEEDS_OFFSETS, WRITERS, Format
from .tagger import Doc, Tagger

CHUNK_LINES = 2000  # lines tagged together ...
CHUNK_CHARS = 1 << 19  # ... or fewer, once they hold this many characters
# a paragraph longer than this is cut anyway (and loses context at the cut), so memory
# stays bounded
PARAGRAPH_LINES, PARAGRAPH_CHARS = 4 * CHUNK_LINES, 4 * CHUNK_CHARS


def read_lines(
    stream: BinaryIO, name: str, replace_invalid: bool = False, consumed: list[int] | None = None
) -> Iterator[str]:
    """Decode a byte stream line by line; a line that is not UTF-8 is an error naming it.

    The line ending (``\\n`` or ``\\r\\n``) is dropped. With ``replace_invalid`` bad bytes
    become U+FFFD instead. ``consumed[0]`` counts the bytes read, for progress bars.
    """
    errors = "replace" if replace_invalid else "strict"
    consumed = consumed if consumed is not None else [0]
    for number, raw in enumerate(stream, start=1):
        consumed[0] += len(raw)
        if raw.endswith(b"\n"):
            raw = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
        try:
            yield raw.decode("utf-8", errors)
        except UnicodeDecodeError as e:
            raise InputError(
                f"byte {e.start + 1} is not valid UTF-8 (pass --replace-invalid to tag it anyway)", name, number
            ) from None


def chunks(lines: Iterable[str], paragraphs: bool = False) -> Iterator[list[str]]:
    """Lines in lists of about ``CHUNK_LINES`` lines or ``CHUNK_CHARS`` characters; with
    ``paragraphs``, each list ends after a blank line (or at ``PARAGRAPH_LINES`` lines or
    ``PARAGRAPH_CHARS`` characters)."""
    chunk: list[str] = []
    size = 0
    lines_since_blank = 0
    for line in lines:
        chunk.append(line)
        size += len(line)
        lines_since_blank = 0 if not line.strip() else lines_since_blank + 1
        if len(chunk) >= CHUNK_LINES or size >= CHUNK_CHARS:
            if (
                not paragraphs
                or lines_since_blank == 0
                or lines_since_blank >= PARAGRAPH_LINES
                or size >= PARAGRAPH_CHARS
            ):
                yield chunk
                chunk, size, lines_since_blank = [], 0, 0
    if chunk:
        yield chunk


def paragraph_records(lines: list[str]) -> list[int]:
    """The record of each line when a record is a paragraph: a blank line ends one."""
    out, record = [], 0
    for line in lines:
        if not line.strip():
            record += 1
        out.append(record)
    return out


def tag_docs(tagger: Tagger, chunk: list[str], with_offsets: bool, paragraphs: bool) -> list[Doc]:
    """One chunk of lines -> one :class:`Doc` per line; a record for
    document context is a line, or with ``paragraphs`` a paragraph."""
    return tagger.tag_texts(chunk, with_offsets, paragraph_records(chunk) if paragraphs else None)


def tag_chunk(tagger: Tagger, chunk: list[str], fmt: Format, paragraphs: bool = False) -> tuple[str, int]:
    """One chunk of lines -> (its output records, its token count)."""
    docs = tag_docs(tagger, chunk, NEEDS_OFFSETS[fmt], paragraphs)
    return "".join(map(WRITERS[fmt], docs)), sum(len(d.words) for d in docs)


def tag_lines(tagger: Tagger, lines: Iterable[str], fmt: Format, paragraphs: bool = False) -> Iterator[tuple[str, int]]:
    """Tag lines chunk by chunk; yield (the chunk's output records, its token count)."""
    for chunk in chunks(lines, paragraphs):
        yield tag_chunk(tagger, chunk, fmt, paragraphs)


# ---- several worker processes ---------------------------------------------------------------

_worker: dict = {}
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _init_worker(model_path, fmt: Format, paragraphs: bool) -> None:
    from .modelfile import load_model

    _worker["tagger"] = load_model(model_path)
    _worker["fmt"] = fmt
    _worker["paragraphs"] = paragraphs


def _tag_chunk(chunk: list[str]) -> tuple[str, int]:
    return tag_chunk(_worker["tagger"], chunk, _worker["fmt"], _worker["paragraphs"])


def tag_lines_parallel(
    tagger: Tagger, model_path, lines: Iterable[str], fmt: Format, workers: int, paragraphs: bool = False
) -> Iterator[tuple[str, int]]:
    """:func:`tag_lines` on ``workers`` processes, output in input order.

    The first chunk is tagged here; the worker processes start only if more input
    follows, so a short input never pays for starting them. At most two chunks per worker
    are in flight, so memory stays bounded however long the input is (``Pool.imap``
    would read all of it ahead).
    """
    import itertools

    batches = chunks(lines, paragraphs)
    first = next(batches, None)
    if first is None:
        return
    yield tag_chunk(tagger, first, fmt, paragraphs)
    second = next(batches, None)
    if second is None:
        return
    batches = itertools.chain([second], batches)
    if workers <= 1:
        yield from (tag_chunk(tagger, chunk, fmt, paragraphs) for chunk in batches)
        return
    import multiprocessing
    import os
    from collections import deque

    # one BLAS thread per worker: the workers already fill the cores, and BLAS threads that
    # spin waiting for a busy core slow everything down many times over
    saved = {k: os.environ.get(k) for k in BLAS_THREADS}
    os.environ.update({k: "1" for k in BLAS_THREADS})
    try:
        pool = multiprocessing.get_context("spawn").Pool(workers, _init_worker, (model_path, fmt, paragraphs))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    with pool:
        pending: deque = deque()
        for chunk in batches:
            pending.append(pool.apply_async(_tag_chunk, (chunk,)))
            if len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
