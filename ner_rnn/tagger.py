"""Text -> person-name spans with character offsets and scores.

A :class:`Tagger` is a trained network plus its feature vocabulary. It tags lists of
words in length-sorted batches, writing every sentence's probabilities into one flat
array, and decodes the tags of all sentences at once. ``Wax · x`` of every word it has
seen recently is kept in a bounded cache, since x depends only on the word.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from . import context, rnn
from .conventions import is_lower_word, is_regnal, is_title
from .features import Features
from .tags import Span, decode, labels_for, spans_from_tags
from .tokenize import LINE_BREAK, Token, sentence_bounds, token_spans, tokenize_words

BATCH_SIZE = 512  # at most this many sentences per forward pass when tagging ...
BATCH_SLOTS = 16_384  # ... and at most this many padded steps (T · m), so memory stays bounded
CACHE_WORDS = 30_000  # distinct words whose Wax · x is kept; the cache is emptied when full
NEW_WORDS = 1024  # new words are looked up this many at a time (bounds the gather's memory)
IOB2 = np.array(["O", "B-PER", "I-PER"], dtype=object)


@dataclass
class Entity:
    start: int  # character offsets into the text: text[start:end] is the name
    end: int
    text: str
    score: float  # the model's mean probability that the span's tokens are a person name
    label: str = "PER"


class Doc:
    """One tagged text. Words and IOB2 tags always; offsets and entities when asked for."""

    def __init__(self, text: str, words: list[str], tags: list[str], p_name: np.ndarray, spans: list | None = None):
        self.text = text
        self.words = words
        self.tags = tags  # IOB2: B-PER, I-PER, O
        self.p_name = p_name  # per token: probability of being part of a name
        if spans is not None:
            self.spans = spans

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        """(start, end) of every word in the text."""
        return token_spans(self.text)  # the same tokens as self.words

    @property
    def tokens(self) -> list[Token]:
        return [Token(w, a, b) for w, (a, b) in zip(self.words, self.spans)]

    @cached_property
    def entities(self) -> list[Entity]:
        out = []
        for s, e in spans_from_tags(self.tags):
            a, b = self.spans[s][0], self.spans[e - 1][1]
            out.append(Entity(a, b, self.text[a:b], round(float(self.p_name[s:e].mean()), 4)))
        return out


def _has_capitals(words: list[str]) -> bool:
    return any(w[:1].isupper() for w in words)


def _shows_case(words: list[str]) -> bool:
    """Written in mixed case: some word is capitalised and some letter is lower case
    (not all lower case, not ALL CAPS)."""
    return _has_capitals(words) and any(not w.isupper() and w.lower() != w.upper() for w in words)


def _sentence_of(candidates: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """The sentence of each flat token index."""
    return np.searchsorted(offsets, candidates, side="right") - 1


def _of_sentence(test, which: np.ndarray, sentences: list[list[str]]) -> np.ndarray:
    """``test(words)`` of each of the sentences ``which`` (with repeats); each is looked at once."""
    seen: dict[int, bool] = {}
    out = np.empty(len(which), dtype=bool)
    for n, s in enumerate(which.tolist()):
        if s not in seen:
            seen[s] = test(sentences[s])
        out[n] = seen[s]
    return out


def _in_caseless(decision: np.ndarray, other: np.ndarray, offsets: np.ndarray, sentences: list[list[str]]) -> None:
    """Replace ``decision`` (a boolean per flat token) by ``other`` in the sentences that show no case."""
    differ = np.flatnonzero(other != decision)  # only where the two differ is the sentence looked at
    if len(differ):
        caseless = differ[~_of_sentence(_shows_case, _sentence_of(differ, offsets), sentences)]
        decision[caseless] = other[caseless]


def _may_join(candidates: np.ndarray, sentences: list[list[str]], offsets: np.ndarray, n: int) -> np.ndarray:
    """Which tokens may join a neighbouring name on weak evidence (see :meth:`Tagger.iob2`):
    a capitalised word, or any word of a sentence without capitals.

    Only the ``candidates`` (flat token indices) are looked at; every other token may.
    """
    ok = np.ones(n, dtype=bool)
    which = _sentence_of(candidates, offsets)
    lower = np.array(
        [not sentences[s][i - offsets[s]][:1].isupper() for i, s in zip(candidates.tolist(), which.tolist())],
        dtype=bool,
    )
    if lower.any():
        ok[candidates[lower]] = ~_of_sentence(_has_capitals, which[lower], sentences)
    return ok


def _sentence_starts(n: int, offsets: np.ndarray) -> np.ndarray:
    """True at each flat token index that starts a sentence: no name runs across one."""
    first = np.zeros(n, dtype=bool)
    first[offsets[:-1][offsets[:-1] < n]] = True
    return first


def _neighbours(name: np.ndarray, first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per token: is the token before it in a name, and the token after it (in its sentence)?"""
    before = np.zeros_like(name)
    before[1:] = name[:-1] & ~first[1:]
    after = np.zeros_like(name)
    after[:-1] = name[1:] & ~first[1:]
    return before, after


def _words_at(tokens: np.ndarray, offsets: np.ndarray, sentences: list[list[str]]) -> tuple[list[str], np.ndarray]:
    """The word at each flat token index, and its sentence."""
    which = _sentence_of(tokens, offsets)
    return [sentences[s][i - offsets[s]] for i, s in zip(tokens.tolist(), which.tolist())], which


_LETTER = re.compile(r"[^\W\d_]")


def _conventions(name: np.ndarray, first: np.ndarray, offsets: np.ndarray, sentences: list[list[str]]) -> np.ndarray:
    """Apply :mod:`ner_rnn.conventions` to the name tokens ``name`` (a boolean per flat token):
    a regnal number right after a name joins it, in a sentence that shows case ("Elizabeth I");
    then titles leave the start of a name of two or more words ("Judge Olga Lavrentyeva");
    then, in a sentence that shows case, lower-case words other than particles leave a name:
    at its ends ("bowler Martin McCague"), or inside it, which splits it in two ("Aidan Quinn
    portrays Harry Boland"); and last, tokens without a letter leave its ends
    (:func:`_trim_letterless`). ``first`` marks the sentence starts."""
    after = np.flatnonzero(_neighbours(name, first)[0] & ~name)  # the token right after a name
    if len(after):
        words, which = _words_at(after, offsets, sentences)
        hit = np.array([is_regnal(w) for w in words], dtype=bool)
        if hit.any():
            hit[hit] = _of_sentence(_shows_case, which[hit], sentences)
            name[after[hit]] = True
    while True:  # again, for titles of more than one word ("Prime Minister", "Vice President")
        before, has_next = _neighbours(name, first)
        starts = np.flatnonzero(name & ~before & has_next)
        if not len(starts):
            break
        hit = np.array([is_title(w) for w in _words_at(starts, offsets, sentences)[0]], dtype=bool)
        if not hit.any():
            break
        name[starts[hit]] = False
    # lower-case words other than particles leave a name, at its ends or inside it (which
    # splits it in two), in a sentence that shows case
    tokens = np.flatnonzero(name)
    words, which = _words_at(tokens, offsets, sentences)
    hit = np.array([is_lower_word(w) for w in words], dtype=bool)
    if hit.any():
        hit[hit] = _of_sentence(_shows_case, which[hit], sentences)
        name[tokens[hit]] = False
    # last, tokens without a letter leave the ends of a name (the words are known by now)
    return _trim_letterless(name, first, tokens[[not w.isalpha() and _LETTER.search(w) is None for w in words]])


def _trim_letterless(name: np.ndarray, first: np.ndarray, letterless: np.ndarray) -> np.ndarray:
    """Tokens without a letter (emoji, "@@", digits, control characters; flat indices
    ``letterless``) leave the ends of a name, so a name that has no letter at all is no
    name. Inside a name they stay, as in the annotation's "( Tom ) Seaver"."""
    letterless = letterless[name[letterless]]
    while len(letterless):
        before, after = _neighbours(name, first)
        ends = letterless[~before[letterless] | ~after[letterless]]
        if not len(ends):
            break
        name[ends] = False
        letterless = letterless[name[letterless]]
    return name


def _not_companies(
    name: np.ndarray, first: np.ndarray, offsets: np.ndarray, sentences: list[list[str]], groups: list[int], window: int
) -> np.ndarray:
    """A name of one word that is part of a company's name nearby in its record is no name
    there ("Pirelli said" near "Pirelli SpA"; see :func:`ner_rnn.context.companies_nearby`);
    nor are the words of a name up to a company designator in it ("Salomon Bros").
    ``first`` marks the sentence starts."""
    tokens = np.flatnonzero(name)
    words, which = _words_at(tokens, offsets, sentences)
    designators = tokens[[w in context.DESIGNATORS for w in words]]
    for j in designators.tolist():  # the company's name ends there; what follows may be a person's
        a = j
        while a > 0 and name[a - 1] and not first[a]:
            a -= 1
        name[a : j + 1] = False
    before, after = _neighbours(name, first)
    alone = np.flatnonzero((name & ~before & ~after)[tokens])  # positions in tokens, whose words are known
    if not len(alone):
        return name
    near = context.companies_nearby(sentences, groups, sorted(set(which[alone].tolist())), window)
    if near:
        drop = [tokens[k] for k in alone.tolist() if which[k] in near and words[k].lower() in near[which[k]]]
        name[drop] = False
    return name


class Tagger:
    def __init__(
        self,
        params: rnn.Params,
        features: Features,
        scheme: str = "io",
        meta: dict | None = None,
        doc_context: bool = False,
        labels: list[str] | None = None,
        context_window: int = context.WINDOW,
        extend: float | None = None,
        caseless_threshold: float | None = None,
        caseless_extend: float | None = None,
    ):
        self.params = params
        self.features = features
        self.scheme = scheme
        # the output classes: O, the person tags, then (io) other entity types, which are
        # learned only to tell names from places and organisations and never output
        self.labels = list(labels or labels_for(scheme))
        self._person = [1] if scheme == "io" else [1, 2]
        self.meta = meta or {}
        self.doc_context = doc_context  # tag twice, with evidence from other mentions (ner_rnn.context)
        self.context_window = context_window  # sentences either side that count as context
        # a token next to a name joins it when its probability of being in a name is at least
        # this (chosen on dev after training; None: each token's argmax alone)
        self.extend = extend
        # in a sentence that does not show case (all lower case or ALL CAPS), a token is in a
        # name when its probability of being in one is at least this, not when that is its most
        # likely tag: there a name looks like any other word, and the network is less sure of it
        # (chosen on lower- and upper-cased copies of dev; None: argmax there too)
        self.caseless_threshold = caseless_threshold
        # in such a sentence, a neighbour of a name joins it at this probability instead of
        # ``extend``: any word may join there, where in cased text only a capitalised one may,
        # so it needs more evidence (chosen with caseless_threshold; None: ``extend`` there too)
        self.caseless_extend = caseless_extend
        self._bi = rnn.is_bidirectional(params)
        self._n_a = params["Waa"].shape[0]
        self._n_y = params["Wya"].shape[0]
        self._cache: dict = {}
        self._proj = np.empty((0, self._n_a * (2 if self._bi else 1)), dtype=params["Waa"].dtype)

    # -- Wax · x per distinct word, cached ------------------------------------------------

    def _rows(self, words: list[str], evidence: list[int] | None = None) -> np.ndarray:
        """Row of ``self._proj`` holding [Wax · x; Wax_b · x] for each word (and evidence bucket)."""
        cache = self._cache
        get = cache.get
        keys: list = words if evidence is None else [w if e == 0 else (w, e) for w, e in zip(words, evidence)]
        rows = [get(k, -1) for k in keys]
        if -1 not in rows:
            return np.array(rows, dtype=np.intp)
        missing = list(dict.fromkeys(k for k, r in zip(keys, rows) if r == -1))
        if len(cache) + len(missing) > max(CACHE_WORDS, len(missing)):
            cache.clear()
            missing = list(dict.fromkeys(keys))
        start = len(cache)
        new = np.concatenate([self._project(missing[b : b + NEW_WORDS]) for b in range(0, len(missing), NEW_WORDS)])
        if start + len(new) > len(self._proj):
            grown = np.empty((max(2 * len(self._proj), start + len(new), 1024), new.shape[1]), self._proj.dtype)
            grown[:start] = self._proj[:start]
            self._proj = grown
        self._proj[start : start + len(new)] = new
        for i, k in enumerate(missing):
            cache[k] = start + i
        return np.array([get(k) for k in keys], dtype=np.intp)

    def _project(self, keys: list) -> np.ndarray:
        """[Wax · x; Wax_b · x] of new words (or (word, evidence) pairs): (len(keys), n_h)."""
        idx, val = self.features.encode(
            [k if isinstance(k, str) else k[0] for k in keys], [0 if isinstance(k, str) else k[1] for k in keys]
        )
        parts = [rnn.input_projection(self.params["Wax"], idx, val)]
        if self._bi:
            parts.append(rnn.input_projection(self.params["Wax_b"], idx, val))
        return np.concatenate(parts).T

    # -- the network over batches of sentences ---------------------------------------------

    def _forward(self, batch: list[list[str]], evidence: list[np.ndarray] | None = None) -> np.ndarray:
        """ŷ for one batch of word lists: (T, n_y, m)."""
        lengths = np.array([len(s) for s in batch])
        T, m = int(lengths.max()), len(batch)
        flat = [w for s in batch for w in s]
        rows = self._rows(flat, None if evidence is None else np.concatenate(evidence).tolist())
        steps = np.arange(T)[:, None] < lengths[None, :]  # (T, m): real tokens
        pos = np.zeros((T, m), dtype=np.intp)
        pos.T[steps.T] = rows  # the words of sentence j fill column j
        xw = self._proj[pos].transpose(0, 2, 1)  # (T, n_h, m): Wax · x<t> for every step
        mask = steps.astype(self._proj.dtype)
        p = self.params
        n_a = self._n_a
        h = rnn.rnn_forward(p["Waa"], p["ba"], np.ascontiguousarray(xw[:, :n_a]), mask)
        if self._bi:
            a_b = rnn.rnn_forward(p["Waa_b"], p["ba_b"], np.ascontiguousarray(xw[:, n_a:]), mask, reverse=True)
            h = np.concatenate([h, a_b], axis=1)
        return rnn.softmax(p["Wya"] @ h + p["by"], axis=1)

    def predict_flat(
        self, sentences: list[list[str]], evidence: list[np.ndarray] | None = None, batch_size: int = BATCH_SIZE
    ) -> tuple[np.ndarray, np.ndarray]:
        """One pass over all sentences: ŷ of every token, (N, n_y), sentence i at
        rows ``offsets[i]:offsets[i + 1]``; and the offsets."""
        lengths = np.array([len(s) for s in sentences], dtype=np.intp)
        offsets = np.zeros(len(sentences) + 1, dtype=np.intp)
        np.cumsum(lengths, out=offsets[1:])
        flat = np.empty((int(offsets[-1]), self._n_y), dtype=self._proj.dtype)
        order = np.argsort(lengths, kind="stable")
        order = order[lengths[order] > 0]
        b = 0
        while b < len(order):
            # sorted by length, so the batch is as long as its last sentence
            m = min(batch_size, len(order) - b)
            while m > 1 and lengths[order[b + m - 1]] * m > BATCH_SLOTS:
                m = max(1, min(m // 2, BATCH_SLOTS // int(lengths[order[b + m - 1]])))
            ids = order[b : b + m]
            b += m
            y_hat = self._forward([sentences[i] for i in ids], None if evidence is None else [evidence[i] for i in ids])
            T = y_hat.shape[0]
            steps = np.arange(T)[:, None] < lengths[ids][None, :]
            dest = offsets[ids][None, :] + np.arange(T)[:, None]  # (T, m) rows of flat
            flat[dest[steps]] = y_hat.transpose(0, 2, 1)[steps]
        return flat, offsets

    def predict_flat_in_context(
        self, sentences: list[list[str]], groups: list[int] | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`predict_flat`, then with document context the second pass where it applies.

        ``groups[i]`` is the record (input line, document) of sentence i.
        """
        flat, offsets = self.predict_flat(sentences)
        if not self.doc_context or groups is None or len(set(groups)) == len(groups):
            return flat, offsets  # (every record a single sentence: no context to use)
        p_name = self.p_name(flat)
        per_sentence = [p_name[a:b] for a, b in zip(offsets[:-1], offsets[1:])]
        ev = context.sparse_evidence(
            sentences, per_sentence, groups, self.context_window, self.features.evidence_buckets
        )
        again = sorted(ev)
        if again:
            second, _ = self.predict_flat([sentences[i] for i in again], [ev[i] for i in again])
            dest = np.concatenate([np.arange(offsets[i], offsets[i + 1]) for i in again])
            flat[dest] = second
        return flat, offsets

    def predict(self, sentences: list[list[str]], evidence: list[np.ndarray] | None = None) -> list[np.ndarray]:
        """Tag probabilities per sentence, one pass: a (len, n_y) array each, in input order."""
        flat, offsets = self.predict_flat(sentences, evidence)
        return [flat[a:b] for a, b in zip(offsets[:-1], offsets[1:])]

    def p_name(self, flat: np.ndarray) -> np.ndarray:
        """Each token's probability of being part of a person name."""
        return flat[:, 1] if len(self._person) == 1 else flat[:, 1] + flat[:, 2]

    def decoding(self) -> str:
        """How :meth:`iob2` turns probabilities into names, in words (for ``ner-rnn info``)."""
        rule = "argmax per token"
        if self.caseless_threshold is not None:
            rule += f" (in a sentence all in lower case or in capitals: P(name) >= {self.caseless_threshold})"
        if self.extend is not None:
            caseless = ""
            if self.caseless_extend is not None and self.caseless_extend != self.extend:
                caseless = f"; in a sentence all in lower case or in capitals, at P(name) >= {self.caseless_extend}"
            rule += (
                f", then a neighbour of a name joins it at P(name) >= {self.extend}"
                f" (in text with capitals, only a capitalised one{caseless})"
            )
        return rule + (
            "; titles leave the start of a name, and in cased text lower-case words other than particles"
            " leave it, regnal numbers join it (ner_rnn.conventions);"
            " a one-word name that is part of a company's name nearby is dropped, and a name"
            " loses its words up to a company designator (ner_rnn.context)"
        )

    def iob2(
        self,
        flat: np.ndarray,
        offsets: np.ndarray,
        sentences: list[list[str]] | None = None,
        groups: list[int] | None = None,
    ) -> np.ndarray:
        """Decode every token at once: 0 = O, 1 = B-PER, 2 = I-PER.

        A token is in a name if that is its most likely tag (given the ``sentences``, in a
        sentence all in lower case or ALL CAPS, if its probability of being in a name is at
        least ``self.caseless_threshold``), or if it touches a name and its
        probability of being in one is at least ``self.extend`` (a name seen with
        confidence pulls in a less certain neighbour: "Niall Quinn", not just "Quinn").
        Given the ``sentences``, a neighbour joins that way only if it begins with a capital
        letter or its sentence has none ("bowler Martin McCague" and "Gonzalez smacked" stay
        out; in text written all in lower case, any word may join). A name token continues
        the name before it unless it starts a sentence, or the ``bio`` model says B; a stray
        I starts a name, as in conlleval. Given the ``sentences``, last, the annotation's
        conventions (:func:`_conventions`): titles leave the start of a name and, in cased
        text, lower-case words other than particles leave it, regnal numbers join it; and
        given their records (``groups``), a one-word name that is part of a company's name
        nearby is dropped, and a name loses its words up to a company designator
        (:func:`_not_companies`).
        """
        ids = flat.argmax(axis=1)
        name = (ids == 1) | (ids == 2) if self.scheme == "bio" else ids == 1
        p = self.p_name(flat)
        first = _sentence_starts(len(name), offsets)  # no name runs across a sentence start
        if self.caseless_threshold is not None and sentences is not None:
            _in_caseless(name, p >= self.caseless_threshold, offsets, sentences)
        if self.extend is not None and name.any():
            near = p >= self.extend
            if sentences is not None:
                if self.caseless_extend is not None and self.caseless_extend != self.extend:
                    _in_caseless(near, p >= self.caseless_extend, offsets, sentences)
                near &= _may_join(np.flatnonzero(near & ~name), sentences, offsets, len(name))
            while True:
                grown = name | (near & np.logical_or(*_neighbours(name, first)))
                if (grown == name).all():
                    break
                name = grown
        if sentences is not None and name.any():
            name = _conventions(name, first, offsets, sentences)
            if groups is not None:
                name = _not_companies(name, first, offsets, sentences, groups, self.context_window)
        prev, _ = _neighbours(name, first)
        begins = ~prev if self.scheme == "io" else ~prev | (ids == 1)
        return np.where(name, np.where(begins, 1, 2), 0)

    def spans(self, sentences: list[list[str]], groups: list[int] | None = None) -> list[tuple[list[Span], np.ndarray]]:
        """Person spans per sentence and each token's probability of being in a name."""
        return self.spans_of(*self.predict_flat_in_context(sentences, groups), sentences, groups)

    def spans_of(
        self,
        flat: np.ndarray,
        offsets: np.ndarray,
        sentences: list[list[str]] | None = None,
        groups: list[int] | None = None,
    ) -> list[tuple[list[Span], np.ndarray]]:
        """:meth:`spans` from the output of :meth:`predict_flat_in_context` (on ``sentences``)."""
        codes = self.iob2(flat, offsets, sentences, groups)
        p_name = self.p_name(flat)
        return [(decode(codes[a:b].tolist(), "bio"), p_name[a:b]) for a, b in zip(offsets[:-1], offsets[1:])]

    # -- raw text ---------------------------------------------------------------------------

    def tag_texts(self, texts: list[str], with_offsets: bool = True, records: list[int] | None = None) -> list[Doc]:
        """Tokenize, split into sentences, tag, and return one :class:`Doc` per text.

        A sentence ends at ".", "!" or "?", at a line break, and after 128 tokens, so no
        name runs across a line break. Each text is one record for document context,
        unless ``records[n]`` says which record text n belongs to (consecutive texts, e.g.
        the lines of a paragraph). ``with_offsets=False`` skips the character offsets where
        only words and tags are wanted (the conll format)."""
        if isinstance(texts, (str, bytes)) or not hasattr(texts, "__iter__"):
            raise TypeError(f"tag_texts() takes a list of str, not {type(texts).__name__}; to tag one text use tag()")
        texts = list(texts)
        for n, t in enumerate(texts):
            if not isinstance(t, str):
                raise TypeError(f"tag_texts(): item {n} is {type(t).__name__}, not str")
        spans_per_text = [token_spans(t) for t in texts] if with_offsets else None
        if spans_per_text is None:
            words_per_text = [tokenize_words(t) for t in texts]
        else:
            words_per_text = [[t[a:b] for a, b in spans] for t, spans in zip(texts, spans_per_text)]
        broken = LINE_BREAK.search("".join(texts)) is not None  # any line break at all, at C speed
        pieces: list[list[str]] = []
        groups: list[int] = []
        for n, words in enumerate(words_per_text):
            if broken and LINE_BREAK.search(texts[n]):
                spans = spans_per_text[n] if spans_per_text is not None else token_spans(texts[n])
                bounds = _bounds_within_lines(texts[n], spans)
            else:
                bounds = sentence_bounds(words)
            for start, end in bounds:
                pieces.append(words if end - start == len(words) else words[start:end])
                groups.append(n if records is None else records[n])
        flat, offsets = self.predict_flat_in_context(pieces, groups)
        tags = IOB2[self.iob2(flat, offsets, pieces, groups)].tolist()
        p_name = self.p_name(flat)
        docs, a = [], 0
        for n, (text, words) in enumerate(zip(texts, words_per_text)):  # a text's pieces are consecutive
            b = a + len(words)
            docs.append(Doc(text, words, tags[a:b], p_name[a:b], spans_per_text[n] if spans_per_text else None))
            a = b
        return docs

    def tag(self, text: str) -> Doc:
        """Tag one text: a :class:`Doc` with its words, tags and person names."""
        if not isinstance(text, str):
            raise TypeError(f"tag() takes a str, not {type(text).__name__}")
        return self.tag_texts([text])[0]


def _bounds_within_lines(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """:func:`sentence_bounds` of a text's tokens, each line of the text on its own."""
    breaks = [m.start() for m in LINE_BREAK.finditer(text)]
    words = [text[a:b] for a, b in spans]
    bounds: list[tuple[int, int]] = []
    start = 0
    while start < len(spans):
        line = bisect_right(breaks, spans[start][0])
        end = start + 1
        while end < len(spans) and bisect_right(breaks, spans[end][0]) == line:
            end += 1
        bounds += [(start + a, start + b) for a, b in sentence_bounds(words[start:end])]
        start = end
    return bounds
