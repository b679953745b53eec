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
from typing import Iterator, NamedTuple

from .conventions import is_initial


class Token(NamedTuple):
    text: str
    start: int
    end: int


_CLITIC = r"(?:[sSmMdD]|re|RE|Re|ve|VE|ll|LL)"
_TITLES = (
    "Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Inc|Corp|Ltd|Co|Bros|Gen|Sen|Rep|Gov|Lt|Col|Capt|"
    "Sgt|Adm|Maj|Brig|Cmdr|Cpl|Pvt|Spc|Rev|Hon|Fr|Supt|Insp|Det|Amb|Pres|Messrs|Mme|Mlle|"
    "Mt|Ft|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)

_TOKEN_RE = re.compile(
    rf"""
      [A-Za-z]+(?![\w.'’@:/-])                                # the usual case, decided at once
    | (?:https?://|www\.)[^\s<>"']*[^\s<>"'.,;:!?)\]]        # URL
    | (?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)+                # e-mail address, tried where its run starts
    | (?<![\w@])@(?=\w{{0,49}}[^\W\d_])\w{{1,50}}(?:\.\w{{1,50}})*(?![\w@])  # @handle with a letter: @elonmusk @ravi.kumar
    | (?:[^\W\d_]\.){{2,}}(?:-\w+)*                            # U.S.  a.m.  U.S.-led
    | (?:{_TITLES})\.(?!\w)                                    # Mr.  Inc.  Sept.
    | [A-Z]\.(?!\S)                                            # initial: John F. Kennedy
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

# the characters that end a line for str.splitlines(): no sentence, so no name, runs across one
_LINE_END = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
LINE_BREAK = re.compile(f"[{_LINE_END}]")

# an initial's dot that ends a line or the text ends the sentence: "Queen Elizabeth I.",
# "vitamin C.", "plan B." (and "[Elizabeth I]." is the name, without the sentence's dot)
_FINAL_INITIAL = re.compile(rf"(?<![\w.])[A-Z]\.(?=[^\S{_LINE_END}]*(?:[{_LINE_END}]|\Z))")

# Time is linear in the text whatever it holds: no token spans whitespace and no rule looks
# past it, so each match looks at most at one run of characters without whitespace, and a
# run longer than this is cut into windows of this size (a token is never longer)
MAX_PIECE = 1000
_RUN = re.compile(r"\S+")

# Sentence-final tokens: a line is tagged one sentence at a time, as the model was trained.
SENTENCE_END = frozenset({".", "!", "?", "...", "…", "。", "！", "？"})
MAX_SENTENCE_TOKENS = 128


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens; ``text[t.start:t.end] == t.text`` always holds."""
    return [Token(text[a:b], a, b) for a, b in token_spans(text)]


def token_spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of every token of :func:`tokenize` (cheaper than Token objects)."""
    if len(text) <= MAX_PIECE or max(map(len, text.split()), default=0) <= MAX_PIECE:
        spans = [m.span() for m in _TOKEN_RE.finditer(text)]
    else:
        spans = _spans_in_windows(text)
    if _may_end_in_an_initial(text):
        spans = _split_final_initials(text, spans)
    return spans if text.isascii() else _attach_marks(text, spans)


def _may_end_in_an_initial(text: str) -> bool:
    """Whether a line of ``text`` may end in an initial and its dot: the text does, or has a
    line break (most texts are one line that ends otherwise: one look at its end, and a
    search for line breaks in C)."""
    end = text.rstrip()
    return (end[-1:] == "." and end[-2:-1].isupper()) or LINE_BREAK.search(text) is not None


def _split_final_initials(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans with each initial that ends a line or the text ("I." in "Queen Elizabeth
    I.") split from its dot, which ends the sentence. Found at C speed; rare."""
    ends = {m.start() for m in _FINAL_INITIAL.finditer(text)}
    if not ends:
        return spans
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if a in ends and b == a + 2:
            out += [(a, a + 1), (a + 1, b)]
        else:
            out.append((a, b))
    return out


def _spans_in_windows(text: str) -> list[tuple[int, int]]:
    """:func:`token_spans` of a text with runs of more than ``MAX_PIECE`` characters without
    whitespace: each such run is cut into windows of ``MAX_PIECE`` characters, so that no
    match of the regular expression ever looks further than that."""
    finditer = _TOKEN_RE.finditer
    spans: list[tuple[int, int]] = []
    done = 0
    for run in _RUN.finditer(text):
        a, b = run.span()
        if b - a > MAX_PIECE:
            spans += [m.span() for m in finditer(text, done, a)]
            for w, end in _windows(text, a, b):
                spans += [m.span() for m in finditer(text, w, end)]
            done = b
    spans += [m.span() for m in finditer(text, done)]
    return spans


def tokenize_words(text: str) -> list[str]:
    """The token texts of :func:`tokenize`, without offsets (faster for ASCII text).

    No token spans whitespace and no rule looks past it, so an ASCII text is cut at
    whitespace first and only the pieces that are not plain words go through the
    regular expression.
    """
    if not text.isascii() or (_may_end_in_an_initial(text) and _FINAL_INITIAL.search(text)):
        return [text[a:b] for a, b in token_spans(text)]
    findall = _TOKEN_RE.findall
    out: list[str] = []
    for piece in text.split():
        if piece.isalpha():
            out.append(piece)
        elif len(piece) <= MAX_PIECE:
            out += findall(piece)
        else:  # as _spans_in_windows does
            for w, end in _windows(piece, 0, len(piece)):
                out += findall(piece, w, end)
    return out


def _windows(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """``text[a:b]``, a run without whitespace, in windows of at most ``MAX_PIECE``
    characters, each ending after a character that is not a letter or digit where one of
    the last 50 is (so that words are rarely cut)."""
    out = []
    while a < b:
        end = min(b, a + MAX_PIECE)
        if end < b:
            for k in range(end, end - 50, -1):
                if not text[k - 1].isalnum():
                    end = k
                    break
        out.append((a, end))
        a = end
    return out


def _attach_marks(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Glue combining marks (accents, Indic vowel signs) to the token they follow.

    ``\\w`` in Python's ``re`` does not match combining marks, so "é" written as
    "e" + U+0301 would otherwise come out as two tokens.
    """
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and out[-1][1] == a:
            mark_after = unicodedata.category(text[a])[0] == "M"
            # a word that goes on after a mark: "हिन्दी" is one token
            word_after_mark = unicodedata.category(text[a - 1])[0] == "M" and text[a].isalnum()
            if mark_after or word_after_mark:
                out[-1] = (out[-1][0], b)
                continue
        out.append((a, b))
    return out


def _initial_dot(words: list[str], i: int) -> bool:
    return words[i] == "." and is_initial(words[i - 1]) and words[i + 1][:1].isupper()


LIST_NUMBER_DIGITS = 3  # "1. Alex Zanardi", "12. Bryan Herta": a list's number, not a year ("1996.")


def _list_number_dot(words: list[str], i: int) -> bool:
    return i == 1 and words[1] == "." and words[0].isdigit() and len(words[0]) <= LIST_NUMBER_DIGITS


def sentence_bounds(words: list[str], max_len: int = MAX_SENTENCE_TOKENS) -> list[tuple[int, int]]:
    """Split a line's tokens into sentences: ``[(start, end), ...]`` token index ranges.

    A sentence ends after ".", "!" or "?" (after the last of a run: "Go Messi!!!") and is
    cut at ``max_len`` tokens, so a line
    of several megabytes costs linear time and bounded memory per sentence. A "." after a
    single capital letter and before a capitalised word is an initial's, as tokenized text
    writes "Charles E . Brinley", and ends no sentence; nor does the "." of a list's number
    that opens the line ("1. Alex Zanardi (Italy), Reynard Honda, 53.980").
    """
    n = len(words)
    if n <= max_len and SENTENCE_END.isdisjoint(words[:-1]):
        return [(0, n)] if n else []  # the usual case: one sentence, checked at C speed
    bounds = []
    start = 0
    for i, w in enumerate(words):
        if w in SENTENCE_END and 0 < i < n - 1 and (_initial_dot(words, i) or _list_number_dot(words, i)):
            continue
        # a run of them ends one sentence, at its last ("Go Messi!!!", "Really?!")
        if (w in SENTENCE_END and i + 1 < n and words[i + 1] not in SENTENCE_END) or i + 1 - start >= max_len:
            bounds.append((start, i + 1))
            start = i + 1
    if start < n:
        bounds.append((start, n))
    return bounds


def join_split(words: list[str], hyphenated: frozenset[str] = frozenset()) -> tuple[list[str], list[int]] | None:
    """The words as the network reads them where tokenized text splits in two what the
    training text writes as one token:

    - an initial and its dot ("Charles E . Brinley", as signature blocks of pre-tokenized
      contracts write it; eng.train writes "John F. Kennedy"): "E" and "." are read as one
      word, "E.", and a run of initials as one too ("J . P . Morgan" as "J.P. Morgan");
    - a hyphenated name split at its hyphen ("Jean - Pierre Raffarin"), when the name, in
      lower case, is one of ``hyphenated`` (the name lexicon's, :func:`hyphenated_names`):
      read as "Jean-Pierre". A dash between two words stays ("Romania - Cosmin Contra").

    Returns the words read and, for each word given, the position of the word it is read as
    (both "E" and "." at that of "E."); None when nothing is joined. Only the dots and
    hyphens are looked at, each found at C speed."""
    n = len(words)
    dots = "." in words and words.index(".") < n - 1  # a dot that is not the sentence's last token
    hyphens = bool(hyphenated) and "-" in words
    if not (dots or hyphens):
        return None  # the usual case, decided at C speed
    spots: list[tuple[int, int]] = []  # (first token, tokens) of each word to join
    for k in _positions(words, ".") if dots else ():
        if 0 < k < n - 1 and _initial_dot(words, k):
            if spots and sum(spots[-1]) == k - 1:  # a run of them is one word too, as "J.P." is
                spots[-1] = (spots[-1][0], spots[-1][1] + 2)
            else:
                spots.append((k - 1, 2))
    if hyphens:
        taken = {k for a, m in spots for k in range(a, a + m)}
        for k in _positions(words, "-"):
            if 0 < k < n - 1 and taken.isdisjoint((k - 1, k + 1)):
                if f"{words[k - 1]}-{words[k + 1]}".lower() in hyphenated:
                    spots.append((k - 1, 3))
                    taken.update((k - 1, k + 1))
    if not spots:
        return None
    spots.sort()
    read: list[str] = []
    where: list[int] = []
    i = 0
    for a, m in spots:
        where += range(len(read), len(read) + a - i)
        read += words[i:a]
        where += [len(read)] * m
        read.append("".join(words[a : a + m]))
        i = a + m
    where += range(len(read), len(read) + n - i)
    read += words[i:]
    return read, where


def first_tokens(where: list[int]) -> list[int]:
    """For each word read (:func:`join_split`), the position of its first token given."""
    return [k for k in range(len(where)) if k == 0 or where[k] != where[k - 1]]


def _positions(words: list[str], token: str) -> Iterator[int]:
    """Where ``token`` stands in ``words``, found by ``list.index`` (at C speed)."""
    k = -1
    while True:
        try:
            k = words.index(token, k + 1)
        except ValueError:
            return
        yield k


def hyphenated_names(names) -> frozenset[str]:
    """The hyphenated names among ``names`` (lower case, the keys of a name lexicon), each
    part a word of letters: "jean-pierre", "anne-marie" (what :func:`join_split` joins)."""
    return frozenset(k for k in names if "-" in k and all(p.isalpha() for p in k.split("-")))
