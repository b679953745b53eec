"""Word classes: what a large English corpus says about a word, as one-hot blocks of x<t>.

Training data of a few hundred thousand words cannot say much about a word it never saw.
A table built from a far larger corpus can, for 200,000 English words:

- **cluster**: the word's Brown cluster, a leaf of a binary tree that groups words found in
  similar contexts ("Angela" and "Teddy" share one, "Merkel" and "Zola" another). Its path
  from the root is a string of bits; prefixes of ``PREFIX_BITS`` lengths are classes from
  coarse to fine, the classic NER feature for unseen words (Ratinov and Roth, "Design
  Challenges and Misconceptions in Named Entity Recognition", CoNLL 2009).
- **capitals**: how often the word is written with a capital, in tenths: "angela" 0.96,
  "lender" 0.19, "will" 0.03. It is the same whatever the case of the text, so it says
  "usually a name" in lower-case chat too, and "not a name" of a contract's "Lender".
- **frequency**: how common the word is, in bands of its log-probability; given only for
  a word with a cluster. The counts hold words that the clusters lack, and the common ones
  among them are mostly newer than the clusters' text: people ("putin", "obama", "musk",
  "assange"), brands, web slang. In 1996 news the only common words without a cluster are
  "EU" and "Hamas", so a network shown their frequency learns that a common word without a
  cluster is an organisation, and missed "Putin said on Tuesday ..." (P 0.02). A word
  without a cluster gets the "unknown" frequency column, and its capital share alone.

A word is looked up lower-cased with digits folded (:func:`ner_rnn.features.normalize`);
its cluster is that of its most frequent written form. A table built ``cased`` (``--word-classes
spacy-cased``) also holds the capitalised forms whose own cluster is another ("Major", the
surname's, beside "major"), and a capitalised word is looked up as written first. Words not in the table get the
"unknown" column of each block.

The table comes from spaCy's lookup tables, ``en_lexeme_cluster`` and ``en_lexeme_prob``
of the package spacy-lookups-data (MIT licence, Explosion), needed only to train
(``pip install 'ner-rnn[train]'``). A model stores the table it was trained with, so
tagging needs nothing beyond the model file.

The table is two arrays of the model file: the words, sorted, as UTF-8 bytes of at most
``WIDTH`` (longer words are left out), and their codes. A model loads them as they are,
and a batch of words is looked up at once with ``np.searchsorted``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .errors import NerRnnError

WIDTH = 20  # bytes of UTF-8 a word of the table may have
PREFIX_BITS = (4, 6, 10, 20)  # cluster path prefixes, coarse to fine
CAPITAL_BUCKETS = 12  # 0 unknown, 1-11: share of capitalised uses in tenths, rounded
FREQUENCY_BANDS = (-8.0, -10.0, -12.0, -14.0, -16.0)  # log-probability thresholds
FREQUENCY_BUCKETS = len(FREQUENCY_BANDS) + 2  # 0 unknown (or no cluster), 1 commonest ... last rarest
MIN_LOGPROB = -18.0  # rarer words (all forms together) are left out, unless they have a cluster
MIN_CASED_LOGPROB = -16.0  # a cased table's capitalised forms are at least this common
SPECS = ("spacy", "spacy-cased")
SOURCE = "spacy-lookups-data {version} (MIT licence, Explosion): en_lexeme_cluster, en_lexeme_prob"


@dataclass
class WordClasses:
    """The table: ``clusters[i]`` is cluster i's bit path (index 0: no cluster); ``words`` the
    sorted words (dtype ``S{WIDTH}``) and ``codes[i]`` the (cluster index, capitals bucket,
    frequency bucket) of ``words[i]``."""

    clusters: list[str]
    words: np.ndarray
    codes: np.ndarray
    source: str = ""
    cased: bool = False  # holds capitalised forms too, looked up as written first

    def __len__(self) -> int:
        return len(self.words)

    def lookup(self, keys: list[str]) -> np.ndarray:
        """(len(keys), 3) codes of normalized words; zeros for a word not in the table."""
        raw = [k.encode("utf-8", "replace") for k in keys]
        probe = np.array(raw, dtype=self.words.dtype)  # (a longer word is cut, and never matches)
        if not len(self.words) or not len(probe):
            return np.zeros((len(probe), 3), dtype=self.codes.dtype)
        i = np.minimum(np.searchsorted(self.words, probe), len(self.words) - 1)
        hit = (self.words[i] == probe) & (np.array([len(r) for r in raw]) <= self.words.dtype.itemsize)
        return np.where(hit[:, None], self.codes[i], 0)

    def check(self) -> None:
        """Raise ValueError unless the arrays agree and every code indexes its block."""
        if self.words.ndim != 1 or self.codes.shape != (len(self.words), 3):
            raise ValueError("word classes: the codes do not match the words")
        if (
            len(self.codes)
            and (self.codes.max(axis=0) >= (len(self.clusters), CAPITAL_BUCKETS, FREQUENCY_BUCKETS)).any()
        ):
            raise ValueError("word classes: a code outside its block")

    def to_json(self) -> dict:
        return {
            "clusters": self.clusters,
            "size": len(self.words),
            "width": self.words.dtype.itemsize,
            "source": self.source,
        } | ({"cased": True} if self.cased else {})

    def arrays(self) -> dict[str, np.ndarray]:
        return {"word_classes.words": self.words, "word_classes.codes": self.codes}

    @staticmethod
    def array_specs(d: dict) -> dict[str, tuple[tuple[int, ...], np.dtype]]:
        """The arrays a model's metadata ``d`` promises: name -> (shape, dtype)."""
        n, width = d["size"], d["width"]
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (n, width)) or not width:
            raise ValueError("word classes: size and width must be counts")
        return {
            "word_classes.words": ((n,), np.dtype(f"S{width}")),
            "word_classes.codes": ((n, 3), np.dtype(np.uint16)),
        }

    @classmethod
    def from_json(cls, d: dict, arrays: dict[str, np.ndarray]) -> "WordClasses":
        clusters = d["clusters"]
        if not isinstance(clusters, list) or not all(isinstance(c, str) and set(c) <= {"0", "1"} for c in clusters):
            raise ValueError("word classes: clusters must be bit strings")
        table = cls(
            clusters, arrays["word_classes.words"], arrays["word_classes.codes"], str(d.get("source", "")),
            d.get("cased") is True,
        )  # fmt: skip
        table.check()
        return table


def capitals_bucket(share: float) -> int:
    return 1 + round(10 * share)


def frequency_bucket(logprob: float) -> int:
    return 1 + sum(logprob < band for band in FREQUENCY_BANDS)


def build(forms: dict[str, float], clusters: dict[str, int], source: str = "", cased: bool = False) -> WordClasses:
    """The table from written forms' log-probabilities and their Brown clusters (spaCy's
    integers: the bit path with a leading 1; 0 for none); ``cased``: with the capitalised
    forms (more common than ``MIN_CASED_LOGPROB``) whose cluster is not their word's."""
    from .features import normalize

    total: dict[str, float] = {}
    capital: dict[str, float] = {}
    best: dict[str, tuple[float, int]] = {}
    candidates: list[tuple[str, str, int]] = []  # (form, its word, cluster): capitalised and common enough
    for form, logprob in forms.items():
        key = normalize(form)
        if not key or any(c.isspace() or not c.isprintable() for c in key):
            continue
        p = math.exp(logprob)
        total[key] = total.get(key, 0.0) + p
        if form[:1].isupper():
            capital[key] = capital.get(key, 0.0) + p
        c = clusters.get(form, 0)
        if c > 1 and logprob > best.get(key, (-math.inf, 0))[0]:
            best[key] = (logprob, c)
        if cased and c > 1 and form[:1].isupper() and logprob > MIN_CASED_LOGPROB:
            candidates.append((form, key, c))
    own: dict[str, int] = {}  # capitalised form -> its cluster, where it is not its word's
    for form, key, c in candidates:
        written = as_written(form)
        if best[key][1] != c and len(written.encode()) <= WIDTH and written.isprintable():
            own[written] = c
    paths = sorted({bin(c)[3:] for _, c in best.values()} | {bin(c)[3:] for c in own.values()})
    index = {p: i + 1 for i, p in enumerate(paths)}
    rows = []
    for written, c in own.items():  # the word's capital share and frequency, the form's cluster
        key = normalize(written)
        share, logprob = capital.get(key, 0.0) / total[key], math.log(total[key])
        rows.append((written.encode(), index[bin(c)[3:]], capitals_bucket(share), frequency_bucket(logprob)))
    for key in sorted(total, key=lambda k: k.encode()):
        logprob = math.log(total[key])
        if (logprob < MIN_LOGPROB and key not in best) or len(key.encode()) > WIDTH:
            continue
        c = index[bin(best[key][1])[3:]] if key in best else 0
        frequency = frequency_bucket(logprob) if c else 0  # see the module's docstring
        rows.append((key.encode(), c, capitals_bucket(capital.get(key, 0.0) / total[key]), frequency))
    rows.sort(key=lambda r: r[0])
    words = np.array([r[0] for r in rows], dtype=f"S{WIDTH}")
    codes = np.array([r[1:] for r in rows], dtype=np.uint16).reshape(len(rows), 3)
    return WordClasses([""] + paths, words, codes, source, cased)


def as_written(word: str) -> str:
    """A word as a cased table holds it: its case kept, digits folded to 0."""
    return word if word.isalpha() else "".join("0" if c.isdigit() else c for c in word)


@lru_cache(maxsize=2)
def load_word_classes(spec: str) -> WordClasses | None:
    """``--word-classes``: "spacy" (spaCy's lookup tables, needs ner-rnn[train]), "spacy-cased"
    (the same with capitalised forms of their own), or "none"."""
    if spec == "none":
        return None
    if spec not in SPECS:
        raise NerRnnError(f"--word-classes must be {', '.join(SPECS)} or none, got {spec!r}")
    import gzip
    import json
    from importlib import resources
    from importlib.metadata import version

    try:
        data = resources.files("spacy_lookups_data") / "data"
    except ModuleNotFoundError:
        raise NerRnnError(
            "word classes need spacy-lookups-data, which is not installed: pip install 'ner-rnn[train]'"
        ) from None
    with gzip.open(data / "en_lexeme_prob.json.gz") as f:
        forms = json.load(f)
    with gzip.open(data / "en_lexeme_cluster.json.gz") as f:
        clusters = json.load(f)
    return build(forms, clusters, SOURCE.format(version=version("spacy-lookups-data")), cased=spec == "spacy-cased")


def installed() -> bool:
    from importlib.util import find_spec

    return find_spec("spacy_lookups_data") is not None
