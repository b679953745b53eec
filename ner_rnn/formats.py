"""Tagged documents -> output records: text, inline, conll, jsonl.

Every writer turns one :class:`~ner_rnn.tagger.Doc` (one input line) into one record
that ends with a newline, so output lines up with input and can be cut and joined:

- ``text``:   the line with each name in brackets: ``[Teddy Roosevelt] was a great President.``
- ``inline``: Stanford-style tags: ``<PERSON>Teddy Roosevelt</PERSON> was a great President.``
- ``conll``:  ``token<TAB>tag`` (IOB2) per line and a blank line after each record
              (so an empty input line gives one empty line)
- ``jsonl``:  one JSON object per line: text, entities with offsets and score, tokens
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Iterator

from .tagger import Doc


class Format(str, Enum):
    text = "text"
    inline = "inline"
    conll = "conll"
    jsonl = "jsonl"


def marked(doc: Doc, before: str, after: str) -> Iterator[tuple[str, bool]]:
    """The text in pieces, each name with ``before``/``after`` around it: (piece, is it a name)."""
    pos = 0
    for e in doc.entities:
        yield doc.text[pos : e.start], False
        yield before + doc.text[e.start : e.end] + after, True
        pos = e.end
    yield doc.text[pos:], False


def mark(doc: Doc, before: str, after: str) -> str:
    """The text with ``before``/``after`` around every name."""
    return "".join(piece for piece, _ in marked(doc, before, after))


def to_text(doc: Doc) -> str:
    return mark(doc, "[", "]") + "\n"


def to_inline(doc: Doc) -> str:
    return mark(doc, "<PERSON>", "</PERSON>") + "\n"


def to_conll(doc: Doc) -> str:
    return "".join([f"{w}\t{tag}\n" for w, tag in zip(doc.words, doc.tags)]) + "\n"


def to_jsonl(doc: Doc) -> str:
    record = {
        "text": doc.text,
        "entities": [
            {"start": e.start, "end": e.end, "text": e.text, "label": e.label, "score": e.score} for e in doc.entities
        ],
        "tokens": [
            {"text": w, "start": a, "end": b, "tag": tag} for w, (a, b), tag in zip(doc.words, doc.spans, doc.tags)
        ],
    }
    return json.dumps(record, ensure_ascii=False) + "\n"


WRITERS = {Format.text: to_text, Format.inline: to_inline, Format.conll: to_conll, Format.jsonl: to_jsonl}
NEEDS_OFFSETS = {Format.text: True, Format.inline: True, Format.conll: False, Format.jsonl: True}
