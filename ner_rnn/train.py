"""Training: the recipe, padded batches with masks, Adam, gradient clipping, early stopping.

:func:`fit` reads nothing and prints nothing: it is a generator of events (a stage begins,
an update, an epoch's report, a better model, a checkpoint, the result), which the caller
shows or acts on; :func:`train` runs it silently. Everything random comes from
``np.random.default_rng`` seeded from ``config.seed``, so a run is repeatable to the bit.
The whole run around it (files, provenance, saving, resuming) is :mod:`ner_rnn.run`.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Generator, Iterator, Sequence, Union

import numpy as np

from . import context, rnn
from .corpus import Sentence, casual_case
from .decode import EPOCH_RULES, RULES, Decoding, Rule
from .errors import ConfigError, TrainingError
from .evaluate import Scores, evaluate, score
from .features import (
    CLASS_SLOT,
    EVIDENCE_BUCKETS,
    EVIDENCE_SLOT,
    LEXICON_SLOT,
    FeatureConfig,
    Features,
    build_features,
)
from .tagger import Tagger
from .tokenize import first_tokens, hyphenated_names, join_split
from .tags import DEFAULT_LABEL, SCHEMES, encode_all, entity_types, labels_for, other_types, spans_from_tags
from .wordclass import SPECS as WORD_CLASS_SPECS
from .wordclass import load_word_classes


AUTO = "auto"


@dataclass
class TrainConfig:
    """Every setting of a training run: the recipe (``ner-rnn train --recipe FILE``, see
    :mod:`ner_rnn.recipe`). The defaults are the shipped model's recipe, with the number of
    epochs and the patience chosen from the size of the data (:func:`resolve`)."""

    hidden: int = 32  # n_a: size of a<t> in each direction (of each member)
    members: int = 2  # networks trained from their own seeds and merged into one (rnn.merge)
    bidirectional: bool = True  # False: exactly the left-to-right equations
    scheme: str = "io"  # the model's tags: io (O/PER) or bio (O/B-PER/I-PER)
    other_types: bool = False  # io only: LOC, ORG, ... of the data are classes of their own too
    epochs: int | str = AUTO  # at most; early stopping on the dev set usually ends sooner
    patience: int | str = AUTO  # stop after this many epochs without a better dev F1
    batch_size: int = 32  # sentences per update
    lr: float = 0.002  # Adam step size
    lr_decay: float = 0.9  # the step size is multiplied by this after every epoch
    clip: float = 5.0  # gradients are rescaled to at most this global L2 norm
    average: float = 0.995  # evaluate and keep an exponential moving average of the weights (0: off)
    dropout: float = 0.5  # of [a→; a←] before the output layer
    input_dropout: float = 0.5  # of Wax · x<t> (as dropout on word embeddings)
    input_lr: float = 1.0  # the step size of Wax relative to lr
    word_dropout: float = 0.1  # a training token's word column is replaced by <UNK>
    case_augment: float = 0.5  # a training sentence is shown all lower-case or ALL CAPS (unless renamed)
    doc_context: bool = True  # learn to use other mentions in the document (ner_rnn.context)
    context_window: int = context.WINDOW  # sentences either side that count as context
    context_share: float = 0.5  # share of training sentences shown with their context evidence
    lexicon: str = "faker"  # the name lexicon: "faker", a file of name<TAB>first|last|both, or "none"
    name_augment: float = 0.5  # a training sentence's person names are replaced by random names (Faker's)
    lexicon_dropout: float = 0.3  # a training token's lexicon column is replaced by "not a name"
    word_class_dropout: float = 0.0  # a training token's word classes are replaced by "not in the table"
    capitalised_class_dropout: float = 0.0  # the same, for a capitalised token in a sentence shown as written
    name_cluster_noise: float = 0.15  # a training name's cluster is replaced by that of another type's name
    full_name_cluster_noise: float = 0.5  # the same, for the words of a name of two words or more
    word_classes: str = "spacy-cased"  # clusters, capitalisation of 200,000 English words (ner_rnn.wordclass); "none"
    seed: int = 0
    entity: str | None = None  # the CoNLL type that counts as a person; None: PER or PERSON
    from_model: str | None = None  # fine-tune this model ("default": the shipped one) instead of starting afresh
    features: FeatureConfig = field(default_factory=FeatureConfig)

    def check(self) -> None:
        """Raise :class:`ConfigError` (a usage error) for out-of-range values."""
        rules = [
            (self.hidden >= 1, f"--hidden must be at least 1, got {self.hidden}"),
            (self.members >= 1, f"--members must be at least 1, got {self.members}"),
            (
                self.hidden * self.members <= rnn.MAX_HIDDEN,
                f"--hidden {self.hidden} x --members {self.members} is more than {rnn.MAX_HIDDEN} units; give fewer",
            ),
            (self.seed >= 0, f"--seed must be at least 0, got {self.seed}"),
            (self.epochs == AUTO or _positive(self.epochs), f"--epochs must be at least 1 or auto, got {self.epochs}"),
            (
                self.patience == AUTO or _positive(self.patience),
                f"--patience must be at least 1 or auto, got {self.patience}",
            ),
            (self.batch_size >= 1, f"--batch-size must be at least 1, got {self.batch_size}"),
            (self.lr > 0 and math.isfinite(self.lr), f"--lr must be a positive number, got {self.lr}"),
            (0 < self.lr_decay <= 1, f"lr_decay must be in (0, 1], got {self.lr_decay}"),
            (self.clip > 0, f"clip must be positive, got {self.clip}"),
            (0 <= self.average < 1, f"average must be in [0, 1), got {self.average}"),
            (0 <= self.dropout < 1, f"--dropout must be in [0, 1), got {self.dropout}"),
            (0 <= self.input_dropout < 1, f"--input-dropout must be in [0, 1), got {self.input_dropout}"),
            (self.input_lr > 0, f"input_lr must be positive, got {self.input_lr}"),
            (0 <= self.case_augment <= 1, f"--case-augment must be in [0, 1], got {self.case_augment}"),
            (0 <= self.name_augment <= 1, f"--name-augment must be in [0, 1], got {self.name_augment}"),
            (self.context_window >= 0, f"--context-window must be at least 0, got {self.context_window}"),
            (0 <= self.context_share <= 1, f"context_share must be in [0, 1], got {self.context_share}"),
            (0 <= self.lexicon_dropout < 1, f"lexicon_dropout must be in [0, 1), got {self.lexicon_dropout}"),
            (
                0 <= self.word_class_dropout < 1,
                f"word_class_dropout must be in [0, 1), got {self.word_class_dropout}",
            ),
            (
                0 <= self.capitalised_class_dropout < 1,
                f"capitalised_class_dropout must be in [0, 1), got {self.capitalised_class_dropout}",
            ),
            (
                0 <= self.name_cluster_noise < 1,
                f"name_cluster_noise must be in [0, 1), got {self.name_cluster_noise}",
            ),
            (
                0 <= self.full_name_cluster_noise < 1,
                f"full_name_cluster_noise must be in [0, 1), got {self.full_name_cluster_noise}",
            ),
            (0 <= self.word_dropout < 1, f"--word-dropout must be in [0, 1), got {self.word_dropout}"),
            (
                self.word_classes in (*WORD_CLASS_SPECS, "none"),
                f"--word-classes must be {', '.join(WORD_CLASS_SPECS)} or none, got {self.word_classes!r}",
            ),
            (self.scheme in SCHEMES, f"scheme must be one of {', '.join(SCHEMES)}, got {self.scheme!r}"),
            (
                self.entity is None or re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,39}", self.entity) is not None,
                f"--entity must be a tag type such as PER (letters, digits, - and _), got {self.entity!r}",
            ),
        ]
        for ok, message in rules:
            if not ok:
                raise ConfigError(message)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict) -> "TrainConfig":
        """The inverse of :meth:`to_json` (keys it does not know are an error)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ConfigError(f"unknown training setting {unknown[0]!r}")
        d = dict(d)
        if "features" in d:
            f = dict(d["features"])
            if "ngram_sizes" in f:
                f["ngram_sizes"] = tuple(f["ngram_sizes"])
            d["features"] = FeatureConfig(**f)
        return cls(**d)


def _positive(n) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and n >= 1


# epochs and patience for "auto": at least this many updates, and a quarter of the epochs
AUTO_UPDATES = 700
AUTO_MIN_EPOCHS, AUTO_MAX_EPOCHS, AUTO_MIN_PATIENCE = 15, 200, 4


def resolve(config: TrainConfig, n_sentences: int) -> TrainConfig:
    """``epochs`` and ``patience`` for "auto", from the data size: CoNLL-2003 (14,041
    sentences, 439 updates an epoch) gets 15 and 4; a corpus of 200 sentences, a few
    updates an epoch, needs many more epochs to learn anything (100 and 25)."""
    updates = max(1, math.ceil(n_sentences / config.batch_size))
    epochs = config.epochs
    if epochs == AUTO:
        epochs = min(AUTO_MAX_EPOCHS, max(AUTO_MIN_EPOCHS, math.ceil(AUTO_UPDATES / updates)))
    patience = config.patience
    if patience == AUTO:
        patience = max(AUTO_MIN_PATIENCE, epochs // 4)
    return replace(config, epochs=epochs, patience=patience)


def label_of(entity: str | None) -> str:
    """The label a model trained for ``entity`` writes on its names: PER by default."""
    return entity.upper() if entity else DEFAULT_LABEL


@dataclass
class EpochReport:
    epoch: int
    loss: float  # mean training loss per sentence
    dev: Scores | None
    seconds: float
    tokens_per_second: float
    best: bool
    last: bool = False  # training (of this member) ends after this epoch: early stopping or the epoch limit
    member: int = 0  # which of the config's members (0, 1, ...) was being trained
    helper: str = ""  # a helper network's name (it makes document evidence and is not kept), or ""


# ---- data -> arrays -------------------------------------------------------------------------


@dataclass
class Encoded:
    """A corpus as arrays: each sentence is a list of word-type ids plus tag ids."""

    idx: np.ndarray  # (n_types, K) columns of x for each distinct word string
    val: np.ndarray  # (n_types, K)
    sentences: list[np.ndarray]  # type ids per sentence
    labels: list[np.ndarray]  # tag ids per sentence
    variants: list[tuple[np.ndarray, np.ndarray]] | None = None  # (lower-case, UPPER-CASE) type ids
    evidence: list[np.ndarray] | None = None  # document-context bucket per token (ner_rnn.context)
    evidence_lower: list[np.ndarray] | None = None  # the same for the lower-cased copies
    renamed: list[np.ndarray] | None = None  # type ids with the person names replaced
    lexicon_none: int = 0  # the lexicon block's "not a known name" column
    classes_none: tuple[int, ...] = ()  # the word-class columns of a word not in the table
    # the words whose clusters name_cluster_noise gives to person names: a type id per token
    # of the other names (places, teams, works), or, in a corpus with no other types, per
    # capitalised token outside names
    cluster_donors: np.ndarray | None = None
    person: np.ndarray | None = None  # (n_classes,) bool: the tag ids of a person name
    capitalised: np.ndarray | None = None  # (n_types,) bool: the word begins with a capital and is not all capitals


def encode_corpus(
    sentences: Sequence[Sentence],
    features: Features,
    classes: Sequence[str],
    types: frozenset[str],
    cased: bool = False,
    renamed: list[list[str]] | None = None,
) -> Encoded:
    """Encode the sentences; with ``cased``, also their lower-case and upper-case copies;
    with ``renamed``, copies of the sentences' words with other person names."""
    type_id: dict[str, int] = {}

    def ids(words):
        return np.array([type_id.setdefault(w, len(type_id)) for w in words], dtype=np.int64)

    encoded = [ids(s.words) for s in sentences]
    variants = None
    if cased:
        variants = [(ids([w.lower() for w in s.words]), ids([w.upper() for w in s.words])) for s in sentences]
    labels = [np.array(encode_all(s.tags, types, classes)) for s in sentences]
    renamed_ids = [ids(words) for words in renamed] if renamed is not None else None
    person = np.array([c != "O" and c.rsplit("-", 1)[-1] in types for c in classes])
    other = [[t != "O" and t[2:].upper() not in types for t in s.tags] for s in sentences]  # LOC, ORG, MISC
    donors = [i for o, e in zip(other, encoded) for is_other, i in zip(o, e) if is_other]
    if not donors:
        donors = [
            i for s, e, y in zip(sentences, encoded, labels) for w, i, t in zip(s.words, e, y)
            if w[:1].isupper() and not person[t]
        ]  # fmt: skip
    words = list(type_id)
    idx, val = features.encode(words)
    capitalised = np.array([w[:1].isupper() and not w.isupper() for w in words], dtype=bool)
    return Encoded(
        idx, val, encoded, labels, variants, renamed=renamed_ids, lexicon_none=features.lexicon_offset,
        classes_none=features.unknown_classes(), cluster_donors=np.array(donors, dtype=np.int64), person=person,
        capitalised=capitalised,
    )  # fmt: skip


def rename(
    sentences: Sequence[Sentence], types: frozenset[str], names: tuple[list[str], list[str]], rng: np.random.Generator
) -> list[list[str]]:
    """Each sentence with its person names replaced by random ones of the same length and
    casing: "Alan Shearer" -> "Dorota Kowalczyk", "SHEARER" -> "OKONKWO". The network
    then learns what a name looks like and where it stands, not which names it has seen."""
    first, last = names
    out = []
    for s in sentences:
        words = list(s.words)
        for a, b in spans_from_tags(s.tags, types):
            n = b - a
            new = [first[rng.integers(len(first))] for _ in range(n - 1)] + [last[rng.integers(len(last))]]
            if n == 1 and rng.random() < 0.3:
                new = [first[rng.integers(len(first))]]
            for i, w in zip(range(a, b), new):
                old = words[i]
                if not old[:1].isalpha():
                    continue  # initials such as "J." stay
                words[i] = w.upper() if old.isupper() and len(old) > 1 else w.lower() if old.islower() else w
        out.append(words)
    return out


def make_batch(
    data: Encoded,
    chosen: Sequence[int],
    word_dropout: float,
    rng: np.random.Generator,
    case_augment: float = 0.0,
    name_augment: float = 0.0,
    lexicon_dropout: float = 0.0,
    context_share: float = 0.5,
    class_dropout: float = 0.0,
    cluster_noise: float = 0.0,
    full_cluster_noise: float | None = None,
    capitalised_class_dropout: float = 0.0,
) -> rnn.Batch:
    """Pad the chosen sentences to the longest and gather the rows of their distinct words."""
    lengths = np.array([len(data.sentences[i]) for i in chosen])
    T, m = int(lengths.max()), len(chosen)
    mask = np.arange(T)[:, None] < lengths[None, :]  # (T, m)
    tok = np.zeros((T, m), dtype=np.int64)
    y = np.zeros((T, m), dtype=np.int64)
    recase = rng.random(m) < case_augment if case_augment else np.zeros(m, dtype=bool)
    upper = rng.random(m) < 0.5
    renamed = rng.random(m) < name_augment if name_augment else np.zeros(m, dtype=bool)
    for j, i in enumerate(chosen):
        if renamed[j]:
            words = data.renamed[i]
        elif recase[j]:
            words = data.variants[i][int(upper[j])]
        else:
            words = data.sentences[i]
        tok[: lengths[j], j] = words
        y[: lengths[j], j] = data.labels[i]
    ev = np.zeros((T, m), dtype=np.int64)
    if data.evidence is not None:
        # a share of the sentences are shown with the evidence of their document, the rest
        # without, so the network works in both passes (see ner_rnn.context)
        # (a lower-cased copy has that of its lower-cased document, where every word is a
        # mention; a renamed sentence drawn for lower case shows its renamed words, without any)
        lowered = recase & ~upper
        for j in np.flatnonzero(rng.random(m) < context_share):
            if not lowered[j]:
                ev[: lengths[j], j] = data.evidence[chosen[j]]
            elif data.evidence_lower is not None and not renamed[j]:
                ev[: lengths[j], j] = data.evidence_lower[chosen[j]]
    # a distinct input row per (word, evidence bucket) pair
    distinct, words = np.unique(tok * EVIDENCE_BUCKETS + ev, return_inverse=True)
    words = words.reshape(T, m)
    idx, val = data.idx[distinct // EVIDENCE_BUCKETS], data.val[distinct // EVIDENCE_BUCKETS]
    idx[:, EVIDENCE_SLOT] += distinct % EVIDENCE_BUCKETS
    # some tokens see <UNK> (column 0) for their word, "not a known name" for the lexicon,
    # or "not in the table" for their word classes; some person-name tokens see the cluster
    # (its prefix columns) of a random token of another name: an extra input row for each
    n_classes, donors = len(data.classes_none), data.cluster_donors
    classes, clusters = slice(CLASS_SLOT, CLASS_SLOT + n_classes), slice(CLASS_SLOT, CLASS_SLOT + n_classes - 2)
    full = cluster_noise if full_cluster_noise is None else full_cluster_noise
    has_donors = bool(n_classes and donors is not None and len(donors) and data.person is not None)
    noisy: float | np.ndarray = cluster_noise if has_donors else 0.0
    names = mask & data.person[y] if has_donors else mask
    if has_donors and full != cluster_noise:  # the words of a longer name at their own rate
        beside = np.zeros_like(names)
        beside[1:] |= names[:-1]
        beside[:-1] |= names[1:]
        noisy = np.where(names & beside, full, cluster_noise)
    for rate, slot, column, where in (
        (word_dropout, 0, 0, mask),
        (lexicon_dropout, LEXICON_SLOT, data.lexicon_none, mask),
        (class_dropout if n_classes else 0.0, classes, data.classes_none, mask),
        (capitalised_class_dropout if n_classes and data.capitalised is not None else 0.0, classes,
         data.classes_none, mask if data.capitalised is None else mask & data.capitalised[tok]),
        (noisy, clusters, None, names),
    ):
        if np.any(rate > 0):
            drop = where & (rng.random((T, m)) < rate)
            rows = words[drop]
            if len(rows):
                extra_idx = idx[rows].copy()
                if column is None:  # a random donor's cluster for each
                    extra_idx[:, slot] = data.idx[donors[rng.integers(len(donors), size=len(rows))]][:, clusters]
                else:
                    extra_idx[:, slot] = column
                words[drop] = len(idx) + np.arange(len(rows))
                idx = np.concatenate([idx, extra_idx])
                val = np.concatenate([val, val[rows]])
    k = max(1, int((val != 0).sum(axis=1).max()))
    return rnn.Batch(idx[:, :k], val[:, :k], words, mask.astype(np.float32), y)


def batches(data: Encoded, batch_size: int, rng: np.random.Generator) -> list[list[int]]:
    """Shuffled batches of sentences of similar length (less padding, same randomness)."""
    order = rng.permutation(len(data.sentences))
    pool = 50 * batch_size  # sort by length inside pools of 50 batches
    out = []
    for p in range(0, len(order), pool):
        chunk = sorted(order[p : p + pool], key=lambda i: len(data.sentences[i]))
        out += [chunk[b : b + batch_size] for b in range(0, len(chunk), batch_size)]
    return [out[i] for i in rng.permutation(len(out))]


# ---- optimiser ------------------------------------------------------------------------------


def adam_init(params: rnn.Params) -> dict:
    """Adam's state, explicit: first and second moments per parameter, and the step count."""
    return {
        "t": 0,
        "m": {k: np.zeros_like(v) for k, v in params.items()},  # zeros_like keeps Wax column-major
        "v": {k: np.zeros_like(v) for k, v in params.items()},
    }


def clip_gradients(grads: dict, max_norm: float) -> float:
    """Rescale all gradients together to a global L2 norm of at most ``max_norm``; return the norm."""
    arrays = [g.values if isinstance(g, rnn.ColumnGrad) else g for g in grads.values()]
    norm = math.sqrt(sum(float(np.vdot(a, a)) for a in arrays))
    if norm > max_norm:
        for a in arrays:
            a *= max_norm / norm
    return norm


def adam_step(
    params: rnn.Params, grads: dict, state: dict, lr: float, input_lr: float = 1.0, b1=0.9, b2=0.999, eps=1e-8
) -> None:
    """One Adam update in place. ``Wax`` is updated only in the columns the batch used
    (lazy Adam): the others had a zero gradient, and touching all n_x columns every step
    would cost more than the rest of the update."""
    state["t"] += 1
    t = state["t"]
    step = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
    for k, g in grads.items():
        m, v, p = state["m"][k], state["v"][k], params[k]
        if isinstance(g, rnn.ColumnGrad):
            # rows of the transposed (row-major) views are the columns of Wax: contiguous
            c, gT = g.cols, g.values.T
            m_c = m.T[c]
            m_c *= b1
            m_c += (1 - b1) * gT
            v_c = v.T[c]
            v_c *= b2
            gg = gT * gT
            gg *= 1 - b2
            v_c += gg
            m.T[c], v.T[c] = m_c, v_c
            d = np.sqrt(v_c)
            d += eps
            np.divide(m_c, d, out=d)
            d *= input_lr * step
            p.T[c] -= d
        else:
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            p -= step * m / (np.sqrt(v) + eps)


AVERAGE_EVERY = 10  # steps between updates of the weight average (it touches every weight)


def update_average(avg: rnn.Params, params: rnn.Params, decay: float) -> None:
    """avg ← avg + (1 - decay) · (params - avg), in place: Polyak-style averaging that
    smooths the step-to-step noise of the last few hundred updates out of the model."""
    for k, p in params.items():
        a = avg[k]
        a += (1.0 - decay) * (p - a)


# ---- the loop -------------------------------------------------------------------------------


@dataclass
class TrainResult:
    tagger: Tagger  # with the parameters of the best epoch on dev (of each member, merged)
    history: list[EpochReport]
    best_epochs: list[int]  # one per member


@dataclass
class TrainState:
    """Everything needed to go on from the end of an epoch exactly as if never stopped."""

    epoch: int  # epochs completed
    params: rnn.Params
    avg: rnn.Params  # the weight average (the parameters themselves when averaging is off)
    adam: dict  # t, m, v
    rng: dict  # the random generator's state
    best_params: rnn.Params
    best_f1: float
    best_epoch: int
    history: list[EpochReport]
    member: int = 0  # the member being trained (TrainConfig.members)
    finished: list[rnn.Params] = field(default_factory=list)  # the best parameters of the members before it


@dataclass
class Stage:
    """A stage of training begins: an epoch of a network (``tokens`` to go through), a helper
    network's epoch (for document evidence), or choosing the decoding (``tokens`` 0)."""

    name: str
    tokens: int = 0


@dataclass
class Step:
    """One update, over ``tokens`` training tokens."""

    tokens: int


@dataclass
class Best:
    """The model so far improved on dev: ``tagger`` is it (of the first network, with members)."""

    tagger: Tagger
    report: EpochReport


@dataclass
class Checkpoint:
    """The end of an epoch: ``state`` and ``features`` go on from here bit for bit."""

    state: TrainState
    features: Features


Event = Union[Stage, Step, EpochReport, Best, Checkpoint, TrainResult]


def train(
    train_sents: Sequence[Sentence],
    dev_sents: Sequence[Sentence] | None,
    config: TrainConfig,
    lexicon: dict[str, int] | None = None,
    names: tuple[list[str], list[str]] | None = None,
    resume: TrainState | None = None,
    start: Tagger | None = None,
    decoding: bool = True,
) -> TrainResult:
    """:func:`fit`, silently: the trained tagger, its history and best epochs."""
    for event in fit(train_sents, dev_sents, config, lexicon, names, resume, start, decoding):
        pass
    return event


def fit(
    train_sents: Sequence[Sentence],
    dev_sents: Sequence[Sentence] | None,
    config: TrainConfig,
    lexicon: dict[str, int] | None = None,
    names: tuple[list[str], list[str]] | None = None,
    resume: TrainState | None = None,
    start: Tagger | None = None,
    decoding: bool = True,
) -> Iterator[Event]:
    """Train a tagger, as a stream of events; the last is the :class:`TrainResult`.

    Each network keeps the parameters of its epoch with the best dev F1; with
    ``config.members`` above 1, several networks are trained from their own seeds and merged
    into one (:func:`rnn.merge`); then (with ``decoding``) the decoding is chosen on dev
    (:func:`choose_decoding`). ``lexicon`` is the name lexicon's block of x<t>, ``names``
    (first names, surnames) the pool for ``config.name_augment``. ``resume`` goes on from a
    :class:`Checkpoint`'s state, giving the same result as a run that never stopped;
    ``start`` fine-tunes a trained tagger instead of starting from random weights (its
    features, with the training words it lacks added, and its tag set).

    Events, in order: a :class:`Stage` at the start of every epoch, a :class:`Step` per
    update, an :class:`EpochReport` per epoch (``helper`` set for the networks that only
    make document evidence), :class:`Best` when the first network improves, a
    :class:`Checkpoint` at the end of every epoch, and the :class:`TrainResult`.
    """
    config.check()
    # the words as the tagger will hand them to the network, with the lexicon it will have
    train_sents = as_read(train_sents, hyphenated_names(start.features.lexicon if start else lexicon or ()))
    if start is not None:
        config = fine_tuning(config, start)
    if isinstance(config.epochs, str) or isinstance(config.patience, str):
        config = resolve(config, len(train_sents))
    if config.name_augment and not names:
        raise ConfigError("name augmentation needs a pool of names (the Faker lexicon)")
    first = resume.member if resume else 0
    finished = list(resume.finished) if resume else []
    history = [r for r in resume.history if r.member < first] if resume else []
    evidence = None
    if config.doc_context:
        evidence = yield from _evidence(train_sents, dev_sents, config, lexicon, names, start)
    members = config.members  # 1 when fine-tuning
    for k in range(first, members):
        own = None
        if resume is not None and k == first:
            own = replace(resume, history=[r for r in resume.history if r.member == k], member=0, finished=[])
            history += own.history  # this network's epochs before the interruption
        seed = config.seed * config.members + k if config.members > 1 else config.seed
        network = _fit_network(
            train_sents, dev_sents, replace(config, seed=seed), lexicon, names, own, start, evidence, k, members
        )
        for event in network:
            if isinstance(event, EpochReport):
                event = replace(event, member=k)
                history.append(event)
            elif isinstance(event, Checkpoint):
                event = Checkpoint(
                    replace(event.state, history=list(history), member=k, finished=list(finished)), event.features
                )
            elif isinstance(event, Best) and k > 0:
                continue  # the first network alone is a working model until the merged one exists
            elif isinstance(event, TrainResult):
                finished.append(event.tagger.params)
                last = event.tagger
                continue
            yield event
    tagger = last
    if members > 1:
        tagger = replace_params(last, rnn.merge(finished))
    if dev_sents and decoding:
        yield Stage("choosing the decoding on dev")
        choose_decoding(tagger, dev_sents, entity_types(config.entity), start.decoding if start else None)
    best = [max((r.epoch for r in history if r.member == k and r.best), default=0) for k in range(members)]
    yield TrainResult(tagger, history, best)


def as_read(sentences: Sequence[Sentence], hyphenated: frozenset[str] = frozenset()) -> list[Sentence]:
    """The training sentences as the network reads them when tagging
    (:func:`ner_rnn.tokenize.join_split`, with the lexicon's ``hyphenated`` names): a corpus
    that writes "Charles E . Brinley" trains on "E." as the tagger will show it, each word
    read with the tag of its first token (CoNLL-2003 has no such sentence)."""
    out = list(sentences)
    for i, s in enumerate(out):
        joined = join_split(s.words, hyphenated)
        if joined is not None:
            words, where = joined
            out[i] = replace(s, words=words, tags=[s.tags[k] for k in first_tokens(where)])
    return out


def fine_tuning(config: TrainConfig, start: Tagger) -> TrainConfig:
    """The recipe as fine-tuning runs it: the network's shape and tags are the start
    model's, and so is its entity label, unless the recipe names another."""
    return replace(
        config,
        hidden=int(start.params["Waa"].shape[0]),
        members=1,
        bidirectional=rnn.is_bidirectional(start.params),
        scheme=start.scheme,
        other_types=len(start.labels) > (2 if start.scheme == "io" else 3),
        doc_context=start.doc_context,
        context_window=start.context_window,
        entity=config.entity if config.entity is not None else (None if start.label == DEFAULT_LABEL else start.label),
        features=start.features.config,
    )


def replace_params(tagger: Tagger, params: rnn.Params) -> Tagger:
    """The same tagger (features, tags, decoding) with other weights."""
    return Tagger(
        params,
        tagger.features,
        tagger.scheme,
        doc_context=tagger.doc_context,
        labels=tagger.labels,
        context_window=tagger.context_window,
        decoding=tagger.decoding,
        label=tagger.label,
    )


def _fit_network(
    train_sents: Sequence[Sentence],
    dev_sents: Sequence[Sentence] | None,
    config: TrainConfig,
    lexicon: dict[str, int] | None,
    names: tuple[list[str], list[str]] | None,
    resume: TrainState | None,
    start: Tagger | None,
    evidence: tuple[list[np.ndarray], list[np.ndarray]] | None,
    member: int = 0,
    members: int = 1,
    helper: str = "",
) -> Iterator[Event]:
    """One network, epoch by epoch (see :func:`fit`); its last event is its TrainResult."""
    types = entity_types(config.entity)
    rng = np.random.default_rng(config.seed)
    words = (w for s in train_sents for w in s.words)
    if start is None:
        features = build_features(words, config.features, lexicon, load_word_classes(config.word_classes))
        others = other_types((s.tags for s in train_sents), types) if config.other_types else []
        classes = labels_for(config.scheme, others)
    else:
        features, columns = start.features.with_words(words)
        classes = list(start.labels)
    renamed = rename(train_sents, types, names, rng) if config.name_augment else None
    data = encode_corpus(train_sents, features, classes, types, config.case_augment > 0, renamed)
    if evidence is not None:
        data.evidence, data.evidence_lower = evidence
    n_tokens = sum(len(s) for s in data.sentences)
    if resume is None:
        if start is None:
            params = rnn.init_params(features.n_x, config.hidden, len(classes), config.bidirectional, rng)
        else:
            params = rnn.widen_inputs(start.params, columns, features.n_x, features.shape_offset)
        avg = {k: v.copy(order="K") for k, v in params.items()} if config.average else params
        st = TrainState(0, params, avg, adam_init(params), {}, params, -1.0, 0, [])
    else:
        st = resume
        rng.bit_generator.state = st.rng
        if not config.average:
            st.avg = st.params

    def tagger_of(params: rnn.Params, rules: Sequence[Rule] = RULES) -> Tagger:
        return Tagger(params, features, config.scheme, doc_context=config.doc_context, labels=classes,
                      context_window=config.context_window, label=label_of(config.entity),
                      decoding=replace(start.decoding) if start else None, rules=rules)  # fmt: skip

    def stage(epoch: int) -> str:
        if helper:
            return f"{helper}, epoch {epoch}"
        return f"network {member + 1}/{members}, epoch {epoch}" if members > 1 else f"epoch {epoch}"

    if start is not None and resume is None and dev_sents:
        # epoch 0 is the start model itself, decoded as it was: training must beat it on dev
        dev = evaluate(tagger_of(st.avg, EPOCH_RULES), dev_sents, types).scores
        report = EpochReport(0, math.nan, dev, 0.0, 0.0, True, stops_after(0, 0, config), helper=helper)
        st.history.append(report)
        st.best_f1, st.best_params = dev.f1, {k: v.copy(order="K") for k, v in st.avg.items()}
        yield report
        if not helper:
            yield Best(tagger_of(st.best_params), report)
    with np.errstate(over="ignore", invalid="ignore"):  # a blow-up is caught as a non-finite loss
        for epoch in range(st.epoch + 1, config.epochs + 1):
            if stops_after(st.epoch, st.best_epoch, config):
                break
            yield Stage(stage(epoch), n_tokens)
            lr = config.lr * config.lr_decay ** (epoch - 1)
            t0 = time.perf_counter()
            total = 0.0
            for chosen in batches(data, config.batch_size, rng):
                batch = make_batch(
                    data,
                    chosen,
                    config.word_dropout,
                    rng,
                    config.case_augment,
                    config.name_augment,
                    config.lexicon_dropout,
                    config.context_share,
                    config.word_class_dropout,
                    config.name_cluster_noise,
                    config.full_name_cluster_noise,
                    config.capitalised_class_dropout,
                )
                y_hat, cache = rnn.forward(st.params, batch, config.dropout, rng, config.input_dropout)
                batch_loss = rnn.loss(y_hat, batch.y, batch.mask)
                if not math.isfinite(batch_loss):
                    if st.best_epoch:
                        kept = f"the best model so far, from epoch {st.best_epoch}, is kept"
                    else:
                        kept = "the start model is kept" if start is not None and dev_sents else "no model written"
                    raise TrainingError(f"the loss became {batch_loss} in epoch {epoch}; try a smaller --lr ({kept})")
                total += batch_loss * len(chosen)
                grads = rnn.backward(st.params, batch, y_hat, cache)
                clip_gradients(grads, config.clip)
                adam_step(st.params, grads, st.adam, lr, config.input_lr)
                if config.average and st.adam["t"] % AVERAGE_EVERY == 0:
                    update_average(st.avg, st.params, config.average**AVERAGE_EVERY)
                yield Step(int(batch.mask.sum()))
            seconds = time.perf_counter() - t0
            # decoded with the rules that choose epochs (EPOCH_RULES: not those added since the shipped build)
            dev = evaluate(tagger_of(st.avg, EPOCH_RULES), dev_sents, types).scores if dev_sents else None
            f1 = dev.f1 if dev else float(epoch)  # no dev set: the last epoch is the best
            best = f1 > st.best_f1
            last = stops_after(epoch, epoch if best else st.best_epoch, config)
            report = EpochReport(
                epoch, total / len(data.sentences), dev, seconds, n_tokens / seconds, best, last, helper=helper
            )
            st.history.append(report)
            st.epoch = epoch
            yield report
            if report.best:
                st.best_f1, st.best_epoch = f1, epoch
                st.best_params = {k: v.copy(order="K") for k, v in st.avg.items()}
                if not helper:
                    yield Best(tagger_of(st.best_params), report)
            if not helper:
                st.rng = rng.bit_generator.state
                yield Checkpoint(st, features)
    yield TrainResult(tagger_of(st.best_params), st.history, [st.best_epoch])


def stops_after(epoch: int, best_epoch: int, config: TrainConfig) -> bool:
    """Does training end after ``epoch``? At the epoch limit, or ``config.patience`` epochs
    after the best one."""
    return epoch >= config.epochs or epoch - best_epoch >= config.patience


EXTEND_GRID = (0.4, 0.3, 0.2, 0.1, 0.07, 0.05, 0.03)
CASELESS_GRID = (0.4, 0.3, 0.2, 0.15, 0.1)
CASELESS_EXTEND_GRID = (0.4, 0.3, 0.2, 0.1)
ALONE_GRID = (0.45, 0.4, 0.35, 0.3)
SURNAME_GRID = (0.1, 0.01, 0.001)


def choose_decoding(
    tagger: Tagger, dev_sents: Sequence[Sentence], types: frozenset[str], incumbent: Decoding | None = None
) -> Decoding:
    """The :class:`~ner_rnn.decode.Decoding` of the best F1: ``join`` on dev, then ``surname``
    on dev, then ``alone``
    on a copy of dev with each sentence a document of its own (as ``ner-rnn tag`` reads a
    line), then ``caseless`` and ``caseless_join`` together on lower- and upper-cased copies
    of dev and a copy in casual case with each sentence alone (as chat comes, a line at a time).
    Returns it and sets it on ``tagger``.

    The network is run once per corpus; every choice decodes its output. On ties the choice
    tried first wins: the ``incumbent``'s (fine-tuning: the start model's, chosen on far
    more data than a small dev set), then None (argmax alone; ``join`` in caseless text
    too) before a threshold.
    """
    tagger.decoding = replace(tagger.decoding, caseless=None, caseless_join=None, alone=None, surname=None)

    def best_of(sents: Sequence[Sentence], grid: list[Decoding]) -> Decoding:
        words = [s.words for s in sents]
        documents = [s.doc for s in sents]
        flat, offsets = tagger.predict_flat_in_context(words, documents)
        gold = [spans_from_tags(s.tags, types) for s in sents]
        lengths = [len(s.words) for s in sents]
        best, best_f1 = grid[0], -1.0
        for choice in grid:
            tagger.decoding = choice
            f1 = score(gold, [spans for spans, _ in tagger.name_spans_of(flat, offsets, words, documents)], lengths).f1
            if f1 > best_f1:
                best, best_f1 = choice, f1
        tagger.decoding = best
        return best

    def first(incumbent_value, values: list) -> list:
        return [incumbent_value] + [v for v in values if v != incumbent_value] if incumbent else values

    joins = first(incumbent and incumbent.join, [None, *EXTEND_GRID])
    chosen = best_of(dev_sents, [replace(tagger.decoding, join=e) for e in joins])
    surnames = first(incumbent and incumbent.surname, [None, *SURNAME_GRID])
    chosen = best_of(dev_sents, [replace(chosen, surname=t) for t in surnames])
    singles = [Sentence(s.words, s.tags, s.line, i) for i, s in enumerate(dev_sents)]
    alones = first(incumbent and incumbent.alone, [None, *ALONE_GRID])
    chosen = best_of(singles, [replace(chosen, alone=a) for a in alones])
    # lower- and upper-cased copies and a casual one as one corpus, each copy its own
    # documents, and each sentence of the casual copy a document of its own
    recased = [
        Sentence([change(w) for w in s.words], s.tags, s.line, 2 * s.doc + k)
        for k, change in enumerate((str.lower, str.upper))
        for s in dev_sents
    ]
    alone = 2 * max((s.doc for s in dev_sents), default=0) + 2
    recased += [Sentence(casual_case(s.words), s.tags, s.line, alone + i) for i, s in enumerate(dev_sents)]
    pairs = [(t, e) for t in (None, *CASELESS_GRID) for e in (None, *CASELESS_EXTEND_GRID)]
    pairs = first(incumbent and (incumbent.caseless, incumbent.caseless_join), pairs)
    grid = [replace(chosen, caseless=t, caseless_join=e) for t, e in pairs]
    return best_of(recased, grid)


JACKKNIFE_BLOCK = 200  # sentences, about ten news stories
HELPER_SEED = 1_000_003  # the helpers' seeds start here


def _folds(documents: list[int]) -> list[int]:
    """Each sentence's half (0 or 1) for the helpers: by document, or, within a document of
    more than ``JACKKNIFE_BLOCK`` sentences (running text, as a file without -DOCSTART-
    lines is, or such a text before another file's documents), by block."""
    sizes = Counter(documents)
    at: Counter[int] = Counter()
    fold = []
    for d in documents:
        fold.append(d % 2 if sizes[d] <= JACKKNIFE_BLOCK else at[d] // JACKKNIFE_BLOCK % 2)
        at[d] += 1
    return fold


def _evidence(
    train_sents: Sequence[Sentence],
    dev_sents: Sequence[Sentence] | None,
    config: TrainConfig,
    lexicon: dict[str, int] | None,
    names: tuple[list[str], list[str]] | None,
    start: Tagger | None,
) -> Generator[Event, None, tuple[list[np.ndarray], list[np.ndarray]]]:
    """Document evidence for the training sentences, as imperfect as it will be at test time;
    and for their lower-cased copies, where every word takes part (see :mod:`ner_rnn.context`).

    Fine-tuning, the starting model tags the training sentences: it has not seen them. From
    scratch, the documents (or blocks of ``JACKKNIFE_BLOCK`` sentences of a longer one, see
    :func:`_folds`) are split in two halves; a helper network trained (without context) on one
    half tags the other, so no sentence's evidence comes from a network that saw its story.
    The helpers' seeds are ``HELPER_SEED + 2 * config.seed + fold``, apart from the members'.
    """
    lowered = [[w.lower() for w in s.words] for s in train_sents]
    p_name = [np.zeros(len(s.words)) for s in train_sents]
    p_lower = [np.zeros(len(s.words)) for s in train_sents]
    if start is not None:
        taggers = [(start, list(range(len(train_sents))))]
    else:
        fold = _folds([s.doc for s in train_sents])
        taggers = []
        for f in (0, 1):
            held = [i for i, x in enumerate(fold) if x == f]
            rest = [s for s, x in zip(train_sents, fold) if x != f]
            if not held or not rest:
                continue
            helper = replace(config, doc_context=False, members=1, seed=HELPER_SEED + 2 * config.seed + f)
            for event in _fit_network(rest, dev_sents, helper, lexicon, names, None, None, None,
                                      helper=f"helper {f + 1}/2 (document evidence)"):  # fmt: skip
                if not isinstance(event, TrainResult):
                    yield event
            taggers.append((event.tagger, held))  # only its probabilities are used
    for tagger, held in taggers:
        for i, p in zip(held, tagger.predict([train_sents[i].words for i in held])):
            p_name[i] = tagger.p_name(p)
        for i, p in zip(held, tagger.predict([lowered[i] for i in held])):
            p_lower[i] = tagger.p_name(p)
    documents = [s.doc for s in train_sents]
    return (
        context.evidence([s.words for s in train_sents], p_name, documents, config.context_window),
        context.evidence(lowered, p_lower, documents, config.context_window),
    )


def jackknife_evidence(
    train_sents: Sequence[Sentence],
    dev_sents: Sequence[Sentence] | None,
    config: TrainConfig,
    lexicon: dict[str, int] | None = None,
    names: tuple[list[str], list[str]] | None = None,
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The document evidence of training from scratch (:func:`_evidence`), silently."""
    config = resolve(config, len(train_sents))
    events = _evidence(train_sents, dev_sents, config, lexicon, names, None)
    while True:
        try:
            next(events)
        except StopIteration as done:
            return done.value
