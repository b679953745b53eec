"""CoNLL files -> sentences of (words, tags), with file:line errors.

One token per line, the word in the first column and the tag in the last, separated
by spaces or tabs; a blank line ends a sentence; ``-DOCSTART-`` lines start a new
document and are skipped, and so are comments, as CoNLL-U writes them ("# sent_id = 12",
"# text = ..."): a line that begins with "#" and does not end in a tag, or whose third
field is "=" (a token "#" with its tag, "# O" or "# # O", is a token). Windows line
endings and a missing final blank line are fine.
Tags are ``O`` or ``B-``/``I-``/``E-``/``S-`` plus a type, so IOB1, IOB2 (BIO), IOBES
and plain IO files all read, and BILOU files too (``U-`` and ``L-`` are read as ``S-`` and
``E-``); :mod:`ner_rnn.tags` turns them into spans.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import CorpusError

_TAG_RE = re.compile(r"O|[BIESUL]-\S+")
_BILOU = {"U": "S", "L": "E"}  # BILOU (spaCy's BILUO) is IOBES with other letters: read as IOBES


@dataclass
class Sentence:
    words: list[str]
    tags: list[str]
    line: int  # line number of the sentence's first token, for error messages
    doc: int = 0  # index of the -DOCSTART- document the sentence belongs to


def iter_conll(path: str | Path) -> Iterator[Sentence]:
    """Yield the sentences of a CoNLL file; raise :class:`CorpusError` naming file:line."""
    path = Path(path)
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        raise CorpusError("no such file", path) from None
    except IsADirectoryError:
        raise CorpusError("is a directory, expected a CoNLL file", path) from None
    except OSError as e:
        raise CorpusError(f"cannot read: {e.strerror}", path) from None
    words: list[str] = []
    tags: list[str] = []
    first = 0
    doc = 0
    with f:
        for lineno, raw_bytes in enumerate(f, start=1):
            if lineno == 1 and raw_bytes.startswith(b"\xef\xbb\xbf"):  # a byte order mark is not text
                raw_bytes = raw_bytes[3:]
            try:
                raw = raw_bytes.decode("utf-8")
            except UnicodeDecodeError as e:
                raise CorpusError(f"not valid UTF-8 (byte {e.start + 1} of the line)", path, lineno) from None
            cols = raw.split()
            if not cols:
                if words:
                    yield Sentence(words, tags, first, doc)
                    words, tags = [], []
                continue
            if cols[0] == "-DOCSTART-":
                if words:
                    yield Sentence(words, tags, first, doc)
                    words, tags = [], []
                doc += 1
                continue
            if cols[0].startswith("#") and (
                not _TAG_RE.fullmatch(cols[-1]) or len(cols) < 2 or (len(cols) > 2 and cols[2] == "=")
            ):
                continue  # a comment
            if len(cols) < 2:
                raise CorpusError(
                    f"expected a word and a tag separated by whitespace, got {raw.strip()!r}", path, lineno
                )
            tag = cols[-1]
            if not _TAG_RE.fullmatch(tag):
                expected = "expected O or B-/I-/E-/S- (or U-/L-) plus a type"
                raise CorpusError(f"malformed tag {tag!r}: {expected}", path, lineno)
            if tag[0] in _BILOU:
                tag = _BILOU[tag[0]] + tag[1:]
            if not words:
                first = lineno
            words.append(cols[0])
            tags.append(tag)
    if words:
        yield Sentence(words, tags, first, doc)


def read_conll(path: str | Path) -> list[Sentence]:
    """Read a whole CoNLL file; an empty file is an error.

    Sentences carry the index of their ``-DOCSTART-`` document; a file without such lines
    is one running text (document 0), where a sentence's context is its neighbours.
    """
    sentences = list(iter_conll(path))
    if not sentences:
        raise CorpusError("holds no sentences", path)
    return sentences


def casual_case(words: list[str]) -> list[str]:
    """The words as chat, e-mail and tweets are often typed: all lower case but the first
    word capitalised ("Yesterday i met john smith")."""
    lower = [w.lower() for w in words]
    return [lower[0][:1].upper() + lower[0][1:], *lower[1:]] if lower else lower


def check_scheme(sentences: list[Sentence], scheme: str, path: str | Path) -> None:
    """Raise :class:`CorpusError` at the first tag that breaks the declared ``scheme``."""
    from .tags import scheme_violation

    for s in sentences:
        bad = scheme_violation(s.tags, scheme)
        if bad is not None:
            i, why = bad
            raise CorpusError(why, path, s.line + i)  # a sentence's tokens are on consecutive lines


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
