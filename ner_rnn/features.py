"""Vocabulary and the one-hot blocks of x<t> -> index arrays.

The input x<t> of the RNN is a long sparse vector made of blocks laid end to end:

    x<t> = [ word | shape | character n-grams | name lexicon | document evidence | word classes ]

- word:    the lower-cased word, digits folded to 0; index 0 is <UNK> (unseen or rare word)
- shape:   the word's case and character classes, e.g. "Xxxx", "XXXX", "X.X.", "dd-dd"
- n-grams: character 2-4-grams of "<word>" (so prefixes and suffixes too); the k known
           n-grams of a word each get the value 1/k, so the block sums to 1
- lexicon: whether the lower-cased word is a known first name, surname, both or neither
- evidence: how likely the word's other mentions in the same document are names, at most
           and at least, and whether one of them is part of a longer name (0 = none or
           not looked at; see :mod:`ner_rnn.context`)
- word classes: the word's Brown-cluster prefixes, how often it is written with a capital,
           how common it is, from a large English corpus (models trained with them only;
           see :mod:`ner_rnn.wordclass`)

The word alone cannot tag a name never seen in training; shape and n-grams can
("Kowalczyk" is Xxxx and ends in "-czyk"). Nothing here builds x<t> as a dense vector:
a word is described by the columns that are non-zero in its x, and their values, so
``Wax · x<t>`` becomes a sum of a few columns of ``Wax`` (see :mod:`ner_rnn.rnn`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from typing import Iterable

import numpy as np

from . import wordclass
from .wordclass import WordClasses

UNK = "<UNK>"
LEXICON_SLOT = 2  # position of the lexicon column in every row of Features.encode
EVIDENCE_SLOT = 3  # position of the evidence column
CLASS_SLOT = 4  # where the word-class columns begin, in a model with them
EVIDENCE_BUCKETS = 33  # the one-hot block filled in by ner_rnn.context
# the sizes of the block in older models, which keep their coding (ner_rnn.context.code):
LEGACY_EVIDENCE_BUCKETS = 5  # the highest other mention only (models without an "evidence_buckets" key)
LOW_HIGH_EVIDENCE_BUCKETS = 17  # the highest and the lowest, but not whether one is in a longer name
KNOWN_EVIDENCE_BUCKETS = (LEGACY_EVIDENCE_BUCKETS, LOW_HIGH_EVIDENCE_BUCKETS, EVIDENCE_BUCKETS)
MAX_NGRAM_CHARS = 20  # a longer word contributes the n-grams of its first and last 10 characters


@dataclass
class FeatureConfig:
    min_word_count: int = 2  # rarer words are <UNK> (and the <UNK> path gets trained)
    ngram_sizes: tuple[int, ...] = (2, 3, 4)  # character n-gram lengths, on "<word>"
    min_ngram_count: int = 3  # keep n-grams seen in at least this many word tokens
    max_ngrams: int = 40000  # and at most this many of the most frequent
    max_words: int = 40000  # cap on the word block


_DIGITS = str.maketrans("123456789", "000000000")
_SHAPE = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "X" * 26 + "x" * 26 + "d" * 10)
_LONG_RUNS = re.compile(r"(.)\1{3,}")


def _three(run: re.Match) -> str:
    return run.group()[:3]


# typography that eng.train writes in ASCII: curly apostrophes and quotes, en and em dashes
# ("John’s", “Hi”, 1990–95, as word processors and web pages write them)
_PLAIN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
                        "\u2013": "-", "\u2014": "--"})  # fmt: skip


def plain(word: str) -> str:
    """The word as the network reads it: its typography as eng.train writes it ("John’s" ->
    "John's"); the text keeps its own characters."""
    return word if word.isascii() else word.translate(_PLAIN)


def normalize(word: str) -> str:
    """The word block's key: lower case, every digit folded to 0."""
    w = word.lower()
    if w.isascii():
        return w if w.isalpha() else w.translate(_DIGITS)
    if any(c.isdigit() for c in w):
        w = "".join("0" if c.isdigit() else c for c in w)
    return w


def word_shape(word: str) -> str:
    """Case and character classes, runs cut at 3: "Teddy" -> "Xxxx", "U.S." -> "X.X."."""
    word = word[:MAX_NGRAM_CHARS]
    if word.isascii():
        return _LONG_RUNS.sub(_three, word.translate(_SHAPE))
    out: list[str] = []
    run = 0
    for c in word:
        if c.isupper():
            s = "X"
        elif c.islower():
            s = "x"
        elif c.isdigit():
            s = "d"
        elif c.isalpha():
            s = "a"  # a letter without case (CJK, Arabic, ...)
        else:
            s = c
        if out and out[-1] == s:
            run += 1
            if run >= 3:
                continue
        else:
            run = 0
        out.append(s)
    return "".join(out)


def char_ngrams(word: str, sizes: Iterable[int]) -> list[str]:
    return _ngrams(normalize(word), sizes)


def _ngrams(w: str, sizes: Iterable[int]) -> list[str]:
    """The n-grams of an already normalized word."""
    if len(w) > MAX_NGRAM_CHARS:
        half = MAX_NGRAM_CHARS // 2
        w = w[:half] + w[-half:]
    w = "<" + w + ">"
    return [w[i : i + n] for n in sizes for i in range(len(w) - n + 1)]


@dataclass
class Features:
    """The vocabulary of every block of x<t>, and where each block starts in x<t>."""

    config: FeatureConfig
    words: list[str]  # words[0] == UNK
    shapes: list[str]  # shapes[0] == UNK
    ngrams: list[str]  # ngrams[0] == UNK (a word with no known n-gram)
    lexicon: dict[str, int] = field(default_factory=dict)  # word -> 1 first name, 2 surname, 3 both
    evidence_buckets: int = EVIDENCE_BUCKETS  # size of the document-evidence block (ner_rnn.context)
    word_classes: WordClasses | None = None  # the word-class blocks (none in models trained without)

    def __post_init__(self) -> None:
        self._word = {w: i for i, w in enumerate(self.words)}
        self._shape = {s: i for i, s in enumerate(self.shapes)}
        self._ngram = {g: i for i, g in enumerate(self.ngrams)}
        self.shape_offset = len(self.words)
        self.ngram_offset = self.shape_offset + len(self.shapes)
        self.lexicon_offset = self.ngram_offset + len(self.ngrams)
        self.evidence_offset = self.lexicon_offset + 4  # lexicon block: none, first, last, both
        self.class_offset = self.n_x = self.evidence_offset + self.evidence_buckets  # word classes, if any
        self.class_slots = 0  # word-class columns per word: a prefix of each length, capitals, frequency
        self._class_columns: list[list[int]] = []  # cluster index -> its prefix columns
        if self.word_classes is not None:
            column: dict[tuple[int, str | None], int] = {}  # (bits, prefix) -> column; None: no cluster
            for path in [None, *self.word_classes.clusters[1:]]:
                self._class_columns.append(
                    [column.setdefault((n, path and path[:n]), self.n_x + len(column)) for n in wordclass.PREFIX_BITS]
                )
            self.capitals_offset = self.n_x + len(column)
            self.frequency_offset = self.capitals_offset + wordclass.CAPITAL_BUCKETS
            self.n_x = self.frequency_offset + wordclass.FREQUENCY_BUCKETS
            self.class_slots = len(wordclass.PREFIX_BITS) + 2

    def columns(self, word: str, evidence: int = 0) -> tuple[list[int], list[float]]:
        """The non-zero entries of x for ``word``: column indices and their values.

        Fixed slots first: word (so word dropout can set it to <UNK>, column 0), shape,
        lexicon, evidence (``EVIDENCE_SLOT``); the word classes, if any; then the word's n-grams.
        """
        idx, val = self.encode([word], [evidence])
        n = int(np.count_nonzero(val[0]))  # every entry has a positive value; the padding none
        return idx[0, :n].tolist(), val[0, :n].tolist()

    def common_words(self, words: list[str]) -> np.ndarray:
        """Which words the word-class table holds and the name lexicon does not: words of
        the language, brands and places ("reuters", "comcast", "google"), not names ("jack",
        "rihanna", which the lexicon lists); and those it holds that are written with a
        capital a fifth of the time or less, names of the lexicon or not ("the", "white",
        "house", "post": some locale's surnames, but words first). All False in a model
        without word classes."""
        if self.word_classes is None:
            return np.zeros(len(words), dtype=bool)
        capitals = self._class_codes(words)[:, 1]  # every word of the table has a capital share
        lower = (capitals > 0) & (capitals <= wordclass.capitals_bucket(0.2))
        return lower | (capitals > 0) & np.array([normalize(w) not in self.lexicon for w in words], dtype=bool)

    def unknown_classes(self) -> tuple[int, ...]:
        """The word-class columns of a word not in the table (none without word classes)."""
        if self.word_classes is None:
            return ()
        return (*self._class_columns[0], self.capitals_offset, self.frequency_offset)

    def _class_codes(self, words: list[str], keys: list[str] | None = None) -> np.ndarray:
        """Each word's (cluster, capitals, frequency) codes; ``keys``: the words normalized, if at hand."""
        if self.word_classes is None:
            return np.zeros((len(words), 0), dtype=np.uint16)
        table = self.word_classes
        codes = table.lookup(keys if keys is not None else [normalize(w) for w in words])
        if table.cased:  # a capitalised word as written first ("Major"), then as its word ("major")
            upper = [i for i, w in enumerate(words) if w[:1].isupper()]
            written = table.lookup([wordclass.as_written(words[i]) for i in upper])
            found = written[:, 2] > 0
            codes[np.array(upper, dtype=np.int64)[found]] = written[found]
        return codes

    def encode(self, words: list[str], evidence: list[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Distinct words -> ``idx, val`` of shape (len(words), K), padded with (0, 0.0): row u
        lists the non-zero entries of x for word u (:meth:`columns`), the fixed slots first,
        then its known n-grams (or the n-gram <UNK>), each 1/k."""
        words = [plain(w) for w in words]
        keys = [normalize(w) for w in words]
        fixed = [
            [self._word.get(k, 0) for k in keys],
            [self.shape_offset + self._shape.get(word_shape(w), 0) for w in words],
            [self.lexicon_offset + self.lexicon.get(k, 0) for k in keys],
            [self.evidence_offset + e for e in evidence] if evidence else [self.evidence_offset] * len(words),
        ]
        cols = np.array(fixed, dtype=np.int32).T  # (len(words), 4)
        if self.word_classes is not None:
            codes = self._class_codes(words, keys)
            classes = np.array(self._class_columns, dtype=np.int32)[codes[:, 0]]
            capitals, frequency = self.capitals_offset + codes[:, 1:2], self.frequency_offset + codes[:, 2:3]
            cols = np.hstack([cols, classes, capitals, frequency])
        get, sizes = self._ngram.get, self.config.ngram_sizes
        grams = [[i for i in map(get, _ngrams(k, sizes)) if i is not None] or [0] for k in keys]
        counts = np.array([len(g) for g in grams], dtype=np.intp)
        f = cols.shape[1]
        idx = np.zeros((len(words), f + int(counts.max(initial=0))), dtype=np.int32)
        val = np.zeros(idx.shape, dtype=np.float32)
        idx[:, :f] = cols
        val[:, :f] = 1.0
        row = np.repeat(np.arange(len(words)), counts)  # each n-gram's word, and its place in the row
        place = f + np.arange(len(row)) - np.repeat(np.cumsum(counts) - counts, counts)
        idx[row, place] = self.ngram_offset + np.fromiter((g for gs in grams for g in gs), np.int32, len(row))
        val[row, place] = np.repeat(1.0 / np.maximum(counts, 1), counts)
        return idx, val

    def with_words(self, words: Iterable[str]) -> tuple["Features", np.ndarray]:
        """These features plus the words of ``words`` they lack (seen at least
        ``config.min_word_count`` times, up to ``config.max_words`` more), for fine-tuning on a
        new corpus; and where each of the old columns of x<t> is in the new one. The new words
        go at the end of the word block, so every later block moves along by their number."""
        counts = Counter(normalize(plain(w)) for w in words)
        new = sorted(
            (w for w, c in counts.items() if c >= self.config.min_word_count and w not in self._word),
            key=lambda w: (-counts[w], w),
        )[: self.config.max_words]
        grown = replace(self, words=self.words + new)
        columns = np.arange(self.n_x)
        columns[self.shape_offset :] += len(new)
        return grown, columns

    def to_json(self) -> dict:
        return {
            "config": asdict(self.config),
            "words": self.words,
            "shapes": self.shapes,
            "ngrams": self.ngrams,
            "lexicon": self.lexicon,
            "evidence_buckets": self.evidence_buckets,
        } | ({"word_classes": self.word_classes.to_json()} if self.word_classes is not None else {})

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays the model file holds beside the JSON (the word-class table)."""
        return self.word_classes.arrays() if self.word_classes is not None else {}

    @classmethod
    def from_json(cls, d: dict, arrays: dict[str, np.ndarray] | None = None) -> "Features":
        cfg = dict(d["config"])
        cfg["ngram_sizes"] = tuple(cfg["ngram_sizes"])
        return cls(
            FeatureConfig(**cfg),
            d["words"],
            d["shapes"],
            d["ngrams"],
            dict(d.get("lexicon", {})),
            d.get("evidence_buckets", LEGACY_EVIDENCE_BUCKETS),
            WordClasses.from_json(d["word_classes"], arrays or {}) if "word_classes" in d else None,
        )


def build_features(
    words: Iterable[str],
    config: FeatureConfig | None = None,
    lexicon: dict[str, int] | None = None,
    word_classes: WordClasses | None = None,
) -> Features:
    """Count the training words and keep the vocabulary of each block."""
    config = config or FeatureConfig()
    counts = Counter(map(plain, words))  # as encode reads them
    word_counts: Counter[str] = Counter()
    shape_counts: Counter[str] = Counter()
    ngram_counts: Counter[str] = Counter()
    for w, c in counts.items():
        word_counts[normalize(w)] += c
        shape_counts[word_shape(w)] += c
        for g in char_ngrams(w, config.ngram_sizes):
            ngram_counts[g] += c

    def keep(counter: Counter[str], min_count: int, cap: int) -> list[str]:
        # most frequent first, ties broken by the string, so the order is reproducible
        kept = sorted((k for k, c in counter.items() if c >= min_count), key=lambda k: (-counter[k], k))
        return [UNK] + kept[:cap]

    return Features(
        config,
        keep(word_counts, config.min_word_count, config.max_words),
        keep(shape_counts, 2, 1000),
        keep(ngram_counts, config.min_ngram_count, config.max_ngrams),
        dict(lexicon or {}),
        word_classes=word_classes,
    )
