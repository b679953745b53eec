"""Tagged documents -> output records: text, inline, conll, jsonl.

Every writer turns one :class:`~ner_rnn.tagger.Doc` (one input line) into one record
that ends with a newline, so output lines up with input and can be cut and joined:

- ``text``:   the line with each name in brackets: ``[Teddy Roosevelt] was a great President.``
- ``inline``: Stanford-style tags: ``<PERSON>Teddy Roosevelt</PERSON> was a great President.``,
              the text escaped as XML (``&amp;``, ``&lt;``, ``&gt;``)
- ``conll``:  ``token<TAB>tag`` (IOB2) per line and a blank line after each record
              (so an empty input line gives one empty line)
- ``jsonl``:  one JSON object per line: text, entities with offsets and score, tokens

A long line is tagged in pieces (:mod:`ner_rnn.stream`); :func:`render` gives each piece's
part of the record: the text formats' pieces simply concatenate, a ``jsonl`` piece is a
:class:`JsonlPiece` that the stream's writer assembles into one record.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Iterator, NamedTuple, Union

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


def escape(text: str) -> str:
    """``text`` as XML character data (html.escape would import a table of 2,000 entities)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_text(doc: Doc, end: str = "\n") -> str:
    return mark(doc, "[", "]") + end


def inline_tag(label: str) -> str:
    """The XML element of a name: ``PERSON`` (Stanford's) for person names, else the label."""
    return "PERSON" if label in ("PER", "PERSON") else label


def to_inline(doc: Doc, end: str = "\n") -> str:
    tag = inline_tag(doc.label)
    return (
        "".join(f"<{tag}>{escape(piece)}</{tag}>" if is_name else escape(piece) for piece, is_name in marked(doc, "", ""))
        + end
    )


def to_conll(doc: Doc, end: str = "\n") -> str:
    return "".join([f"{w}\t{tag}\n" for w, tag in zip(doc.words, doc.tags)]) + end


def to_jsonl(doc: Doc, token_scores: bool = False) -> str:
    return json.dumps(doc.to_dict(token_scores), ensure_ascii=False) + "\n"


class JsonlPiece(NamedTuple):
    """A piece of a long line's ``jsonl`` record: its text as JSON string content, its
    entities and tokens as JSON objects (offsets in the whole line), and whether it is the last."""

    text: str
    entities: list[str]
    tokens: list[str]
    last: bool


def jsonl_piece(doc: Doc, last: bool, base: int, token_scores: bool = False) -> JsonlPiece:
    record = doc.to_dict(token_scores)
    for item in record["entities"] + record["tokens"]:
        item["start"] += base
        item["end"] += base
    entities, tokens = ([json.dumps(item, ensure_ascii=False) for item in record[key]] for key in ("entities", "tokens"))
    return JsonlPiece(json.dumps(doc.text, ensure_ascii=False)[1:-1], entities, tokens, last)


def render(doc: Doc, fmt: Format, last: bool = True, base: int = 0) -> Union[str, JsonlPiece]:
    """``doc``'s record in ``fmt``; for a piece of a long line starting at character
    ``base`` of it, that piece's part of the record (``last``: the piece ends the line)."""
    if last and not base:
        return WRITERS[fmt](doc)
    if fmt is Format.jsonl:
        return jsonl_piece(doc, last, base)
    end = "\n" if last else ""
    return {Format.text: to_text, Format.inline: to_inline, Format.conll: to_conll}[fmt](doc, end)


WRITERS = {Format.text: to_text, Format.inline: to_inline, Format.conll: to_conll, Format.jsonl: to_jsonl}
NEEDS_OFFSETS = {Format.text: True, Format.inline: True, Format.conll: False, Format.jsonl: True}
