"""Tagged documents -> output records: text, inline, conll, jsonl.

Every writer turns one :class:`~ner_rnn.tagger.Doc` (one input line) into one record
that ends with a newline, so output lines up with input and can be cut and joined:

- ``text``:   the line with each name in brackets: ``[Teddy Roosevelt] was a great President.``
- ``inline``: Stanford-style tags: ``<PERSON>Teddy Roosevelt</PERSON> was a great President.``,
              the text escaped as XML (``&amp;``, ``&lt;``, ``&gt;``)
- ``conll``:  ``token<TAB>tag`` (IOB2) per line and a blank line after each record
              (so an empty input line gives one empty line)
- ``jsonl``:  one JSON object per line: text, entities with offsets and score, tokens
- ``html``:   one self-contained page (:data:`HTML_HEAD` ... :data:`HTML_TAIL`), a
              paragraph per line, names highlighted, their score shown on hover

A long line is tagged in pieces (:mod:`ner_rnn.stream`); :func:`render` gives each piece's
part of the record: the text formats' pieces simply concatenate, a ``jsonl`` piece is a
:class:`JsonlPiece` that the stream's writer assembles into one record.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from enum import Enum
from typing import Iterator, NamedTuple, Optional, Union

from .redact import Pools, Redaction, Replaced, redact
from .tagger import Doc


# The version of the ``jsonl`` record (docs/jsonl.md): fields may be added within a version;
# one removed, renamed or given another meaning makes the next version
JSONL_SCHEMA = 1


class Format(str, Enum):
    text = "text"
    inline = "inline"
    conll = "conll"
    jsonl = "jsonl"
    html = "html"


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


# characters that str.splitlines() and some readers take for the end of a line, which JSON
# may carry as they are: escaped in a JSON line, so that a record is one line to any reader
_LINE_ENDS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def one_line(json_text: str) -> str:
    """``json_text`` with U+2028, U+2029 and U+0085 escaped (what JSON escapes already, the
    other line ends, it leaves alone); ASCII text is returned at once."""
    return json_text if json_text.isascii() else json_text.translate(_LINE_ENDS)


def dumps(obj, **options) -> str:
    """``obj`` as JSON for a line of a JSON-lines file: UTF-8 as it is, line ends escaped
    (:func:`one_line`)."""
    return one_line(json.dumps(obj, ensure_ascii=False, **options))


def to_jsonl(doc: Doc, token_scores: bool = False) -> str:
    return dumps(doc.to_dict(token_scores)) + "\n"


def html_escape(text: str) -> str:
    """``text`` as HTML text or attribute value."""
    return escape(text).replace('"', "&quot;")


def to_html(doc: Doc, end: str = "\n", first: bool = True) -> str:
    """A line as a paragraph (``first``/``end``: a piece of a long line opens or closes it)."""
    label = html_escape(doc.label)
    pieces = []
    pos = 0
    for e in doc.entities:
        pieces.append(html_escape(doc.text[pos : e.start]))
        pieces.append(f'<mark title="{label} {e.score:.2f}" data-score="{e.score}">{html_escape(e.text)}</mark>')
        pos = e.end
    pieces.append(html_escape(doc.text[pos:]))
    return ("<p>" if first else "") + "".join(pieces) + ("</p>\n" if end else "")


# the page around the paragraphs: inline CSS only, no script, nothing fetched from elsewhere
HTML_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ner-rnn">
<title>{title}</title>
<style>
body {{ font: 16px/1.6 system-ui, sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #222; }}
h1 {{ font-size: 1.1em; color: #555; }}
p {{ white-space: pre-wrap; margin: 0 0 .6em; min-height: 1em; }}
mark {{ background: #ffe08a; border-radius: .25em; padding: 0 .15em; }}
mark:hover {{ background: #ffc629; }}
mark.missed {{ background: #b9e6ff; }}
mark.false {{ background: #ffb3b3; text-decoration: line-through; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-top: 1px solid #ddd; padding: .4em; vertical-align: top; text-align: left; }}
td.where {{ color: #777; white-space: nowrap; font-size: .85em; }}
@media (prefers-color-scheme: dark) {{
  body {{ background: #1b1b1b; color: #ddd; }} mark {{ background: #806a1f; color: #fff; }}
}}
</style></head><body>
<h1>{title}</h1>
"""
HTML_TAIL = "</body></html>\n"


def html_head(title: str) -> str:
    return HTML_HEAD.format(title=html_escape(title))


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
    entities, tokens = ([dumps(item) for item in record[key]] for key in ("entities", "tokens"))
    return JsonlPiece(dumps(doc.text)[1:-1], entities, tokens, last)


def render(doc: Doc, fmt: Format, last: bool = True, base: int = 0, token_scores: bool = False) -> Union[str, JsonlPiece]:
    """``doc``'s record in ``fmt``; for a piece of a long line starting at character
    ``base`` of it, that piece's part of the record (``last``: the piece ends the line)."""
    if fmt is Format.jsonl:
        return to_jsonl(doc, token_scores) if last and not base else jsonl_piece(doc, last, base, token_scores)
    end = "\n" if last else ""
    if fmt is Format.html:
        return to_html(doc, end, first=not base)
    return WRITERS[fmt](doc, end)


WRITERS = {Format.text: to_text, Format.inline: to_inline, Format.conll: to_conll, Format.jsonl: to_jsonl, Format.html: to_html}
NEEDS_OFFSETS = {Format.text: True, Format.inline: True, Format.conll: False, Format.jsonl: True, Format.html: True}


@dataclass(frozen=True)
class Output:
    """What each tagged record becomes: a format and its options (one object, so that
    worker processes get all of them at once).

    - ``min_score``: names scored below it are not names (:meth:`Doc.above`);
    - ``token_scores``: ``jsonl`` tokens carry their P(name);
    - ``text_key``: the input lines are JSON objects and this field holds the text; the
      output record is the object with the results added (:func:`json_record`);
    - ``redaction``: write the text with its names replaced (:mod:`ner_rnn.redact`)
      instead of a format.
    """

    format: Format = Format.text
    min_score: float = 0.0
    token_scores: bool = False
    text_key: Optional[str] = None
    redaction: Optional[Redaction] = None

    @property
    def needs_offsets(self) -> bool:
        return NEEDS_OFFSETS[self.format] or self.redaction is not None

    def record(self, doc: Doc, pools: Optional[Pools] = None) -> tuple[str, list[Replaced]]:
        """A whole line's record, and the names replaced in it (redaction only; ``pools``:
        the pseudonyms' names)."""
        if self.min_score > 0:
            doc = doc.above(self.min_score)
        if self.redaction is not None:  # the line's ending is the input's (keep_ends)
            return redact(doc, self.redaction, pools)
        return render(doc, self.format, token_scores=self.token_scores), []

    def piece(self, doc: Doc, last: bool, base: int) -> Union[str, JsonlPiece]:
        """A piece of a long line's record (never with ``text_key`` or ``redaction``,
        which read whole lines)."""
        if self.min_score > 0:
            doc = doc.above(self.min_score)
        return render(doc, self.format, last, base, self.token_scores)

    @property
    def keep_ends(self) -> bool:
        """Lines are read with their endings and written back with them: a redaction of
        text changes nothing but names, byte for byte."""
        return self.redaction is not None and self.text_key is None

    @property
    def whole_lines(self) -> bool:
        """Lines are read whole, never in pieces: JSON is parsed whole, and a redaction
        numbers the people of a whole record."""
        return self.text_key is not None or self.redaction is not None


# ---- JSON objects in ---------------------------------------------------------------------------


class JsonProblem(ValueError):
    """Text that is not JSON, or JSON that could not be written back as it came; the message
    says which in a few words."""


def _no_constant(name: str):
    raise JsonProblem(f"not JSON ({name} is Python's, not a JSON number)")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        shown = text if len(text) <= 24 else text[:21] + "..."
        raise JsonProblem(f"the number {shown} is beyond a double's range, so it could not be written back as it came")
    return value


def read_json(text: str | bytes):
    """Parse JSON, strictly: Python's NaN and Infinity are refused, and so is a number that
    would come back changed (1e999 as Infinity); any failure is a :class:`JsonProblem`."""
    try:
        return json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except JsonProblem:
        raise
    except json.JSONDecodeError as e:
        raise JsonProblem(f"not JSON ({e.msg})") from None
    except UnicodeDecodeError:  # bytes, as a request's body comes
        raise JsonProblem("not JSON (not UTF-8 text)") from None
    except ValueError:  # the only other: an integer longer than Python converts
        digits = sys.get_int_max_str_digits()
        raise JsonProblem(f"an integer of more than {digits:,} digits, longer than Python reads") from None
    except RecursionError:
        raise JsonProblem("not JSON (nested too deeply)") from None


def json_problem(line: str, key: str) -> tuple[Optional[dict], Optional[str]]:
    """The JSON object of an input line and, if it cannot be tagged, why not."""
    try:
        obj = read_json(line)
    except JsonProblem as e:
        return None, str(e)
    if not isinstance(obj, dict):
        return None, f"not a JSON object but {type(obj).__name__ if obj is not None else 'null'}"
    if key not in obj:
        return obj, f'no "{key}" field (choose it with --text-key)'
    if not isinstance(obj[key], str):
        return obj, f'the "{key}" field is {type(obj[key]).__name__ if obj[key] is not None else "null"}, not a string'
    return obj, surrogate_problem(obj[key], f'the "{key}" field')


def surrogate_problem(text: str, what: str) -> Optional[str]:
    """Why ``text`` is not text, if it holds a lone surrogate (JSON's ``"\\ud800"``, which no
    UTF-8 can write), else None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        return f"{what} holds a lone surrogate (U+{ord(text[e.start]):04X} at character {e.start}), which is not text"
    return None


def json_record(obj: dict, key: str, doc: Doc, out: Output, pools: Optional[Pools] = None) -> tuple[str, list[Replaced]]:
    """The input object with the results: ``entities`` and ``tokens`` added (replacing
    fields of those names), or with a redaction the text field redacted."""
    if out.min_score > 0:
        doc = doc.above(out.min_score)
    if out.redaction is not None:
        text, replaced = redact(doc, out.redaction, pools)
        return _json_line({**obj, key: text}), replaced
    result = doc.to_dict(out.token_scores)
    return _json_line({**obj, "entities": result["entities"], "tokens": result["tokens"]}), []


def _json_line(obj) -> str:
    """``obj`` as one line of UTF-8-writable JSON: characters as they are, unless another
    field holds a lone surrogate, which only an escape can carry."""
    line = json.dumps(obj, ensure_ascii=False)
    if surrogate_problem(line, ""):
        line = json.dumps(obj)
    return one_line(line) + "\n"


def json_error(line: str, obj: Optional[dict], problem: str) -> str:
    """The record of a line that could not be tagged, kept with ``--on-bad-line keep``:
    the object with an ``error`` field, or ``{"error": ..., "input": the line}``."""
    record = {**obj, "error": problem} if obj is not None else {"error": problem, "input": line}
    return _json_line(record)


def errors_page(name: str, scores, wrong, label: str) -> str:
    """``evaluate --html``: the sentences with errors, each with its gold names (those
    missed marked) beside the predicted ones (false ones struck through), as one page."""

    def marked_words(words: list[str], spans, bad: set, kind: str) -> str:
        starts = {a: b for a, b in spans}
        out, i = [], 0
        while i < len(words):
            if i in starts:
                b = starts[i]
                css = f' class="{kind}"' if (i, b) in bad else ""
                out.append(f"<mark{css}>{html_escape(' '.join(words[i:b]))}</mark>")
                i = b
            else:
                out.append(html_escape(words[i]))
                i += 1
        return " ".join(out)

    rows = []
    for e in wrong:
        rows.append(
            f'<tr><td class="where">{html_escape(name)}:{e.line}</td>'
            f"<td>{marked_words(e.words, e.gold, set(e.missed), 'missed')}</td>"
            f"<td>{marked_words(e.words, e.pred, set(e.spurious), 'false')}</td></tr>\n"
        )
    summary = (f"<p>{label}: precision {scores.precision:.4f}, recall {scores.recall:.4f}, F1 {scores.f1:.4f}; "
               f"{scores.gold_entities} gold names, {scores.predicted_entities} predicted, {scores.correct} right; "
               f"{len(wrong)} sentences with errors. <mark class=\"missed\">missed</mark> "
               f"<mark class=\"false\">false</mark></p>\n")  # fmt: skip
    return (html_head(f"ner-rnn evaluate: errors in {name}") + summary
            + "<table><tr><th>where</th><th>gold</th><th>predicted</th></tr>\n" + "".join(rows)
            + "</table>\n" + HTML_TAIL)  # fmt: skip
