"""Raw text -> tokens with character offsets, split the way CoNLL-2003 is tokenized.

CoNLL's Reuters text splits punctuation off words ("President." -> "President", "."),
splits clitics ("Clinton's" -> "Clinton", "'s"; "don't" -> "do", "n't"), and keeps
abbreviations ("U.S.", "Mr."), numbers ("1,000", "3.5", "1996-08-22") and hyphenated
words ("Anglo-Dutch") whole. Every token carries ``start`` and ``end`` so that
``text[start:end] == token.text`` for any input string.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple


class Token(NamedTuple):
    text: str
    start: int
    end: int


_CLITIC = r"(?:[sSmMdD]|re|RE|Re|ve|VE|ll|LL)"
_TITLES = (
    "Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Inc|Corp|Ltd|Co|Bros|Gen|Sen|Rep|Gov|Lt|Col|Capt|"
    "Sgt|Adm|Mt|Ft|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)

_TOKEN_RE = re.compile(
    rf"""
      (?:https?://|www\.)[^\s<>"']*[^\s<>"'.,;:!?)\]]        # URL
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                             # e-mail address
    | (?:[^\W\d_]\.){{2,}}(?:-\w+)*                            # U.S.  a.m.  U.S.-led
    | (?:{_TITLES})\.(?!\w)                                    # Mr.  Inc.  Sept.
    | [A-Z]\.(?=\s+[A-Z])                                      # initial: John F. Kennedy
    | \d+(?:[.,:/]\d+)+                                        # 1,000  3.5  10:30  1/2
    | \w+(?=n['’]t(?!\w))                                      # do|n't
    | n['’]t(?!\w)                                             # n't
    | ['’]{_CLITIC}(?!\w)                                      # 's 're 'll ...
    | \w+(?:(?:['’](?!{_CLITIC}(?!\w))|-)\w+)*                 # words, O'Brien, Anglo-Dutch
    | \.{{2,}} | -{{2,}} | \*{{2,}} | ={{2,}} | ~{{2,}}          # ... -- ***
    | \S                                                       # any other single character
    """,
    re.VERBOSE,
)

# Sentence-final tokens: a line is tagged one sentence at a time, as the model was trained.
SENTENCE_END = frozenset({".", "!", "?", "...", "…", "。", "！", "？"})
MAX_SENTENCE_TOKENS = 128


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens; ``text[t.start:t.end] == t.text`` always holds."""
    tokens = [Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    if text.isascii():
        return tokens
    return _attach_marks(tokens)


def tokenize_words(text: str) -> list[str]:
    """The token texts of :func:`tokenize`, without offsets (faster for ASCII text)."""
    if text.isascii():
        return _TOKEN_RE.findall(text)
    return [t.text for t in tokenize(text)]


def _attach_marks(tokens: list[Token]) -> list[Token]:
    """Glue combining marks (accents, Indic vowel signs) to the token they follow.

    ``\\w`` in Python's ``re`` does not match combining marks, so "é" written as
    "e" + U+0301 would otherwise come out as two tokens.
    """
    out: list[Token] = []
    for tok in tokens:
        if out and out[-1].end == tok.start and unicodedata.category(tok.text[0])[0] == "M":
            prev = out[-1]
            out[-1] = Token(prev.text + tok.text, prev.start, tok.end)
        elif (
            out
            and out[-1].end == tok.start
            and unicodedata.category(out[-1].text[-1])[0] == "M"
            and tok.text[0].isalnum()
        ):
            # a word that continues after a mark: "हिन्दी" is one token
            prev = out[-1]
            out[-1] = Token(prev.text + tok.text, prev.start, tok.end)
        else:
            out.append(tok)
    return out


def sentence_bounds(words: list[str], max_len: int = MAX_SENTENCE_TOKENS) -> list[tuple[int, int]]:
    """Split a line's tokens into sentences: ``[(start, end), ...]`` token index ranges.

    A sentence ends after ".", "!" or "?" and is cut at ``max_len`` tokens, so a line
    of several megabytes costs linear time and bounded memory per sentence.
    """
    n = len(words)
    if n <= max_len and SENTENCE_END.isdisjoint(words[:-1]):
        return [(0, n)] if n else []  # the usual case: one sentence, checked at C speed
    bounds = []
    start = 0
    for i, w in enumerate(words):
        if (w in SENTENCE_END and i + 1 < n) or i + 1 - start >= max_len:
            bounds.append((start, i + 1))
            start = i + 1
    if start < n:
        bounds.append((start, n))
    return bounds
