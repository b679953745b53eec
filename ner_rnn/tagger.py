"""Text -> person-name spans with character offsets and scores.

A :class:`Tagger` is a trained network plus its feature vocabulary. It tags lists of
words in length-sorted batches, writing every sentence's probabilities into one flat
array, and decodes the tags of all sentences at once with its
:class:`~ner_rnn.decode.Decoding` (:mod:`ner_rnn.decode`). ``Wax · x`` of every word it has
seen recently is kept in a bounded cache, since x depends only on the word.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from typing import Iterable, Iterator, Sequence

import numpy as np

from . import context, rnn
from .decode import Batch as Decodable
from .decode import RULES, Decoding, Rule
from .decode import decode as decode_tokens
from .decode import p_name as p_name_of
from .features import Features
from .tags import DEFAULT_LABEL, Span, decode, labels_for, spans_from_tags
from .tokenize import LINE_BREAK, Token, first_tokens, hyphenated_names, join_split, sentence_bounds, token_spans, tokenize_words

BATCH_SIZE = 512  # at most this many sentences per forward pass when tagging ...
BATCH_SLOTS = 16_384  # ... and at most this many padded steps (T · m), so memory stays bounded
CACHE_WORDS = 30_000  # distinct words whose Wax · x is kept; the cache is emptied when full
NEW_WORDS = 1024  # new words are looked up this many at a time (bounds the gather's memory)
PROJECT_BLOCK = 128  # ... and their Wax · x summed in blocks of about this many, by their number of entries
PIPE_BATCH = 1000  # texts tagged together by Tagger.pipe


@dataclass
class Entity:
    """A name found in a text: ``text[start:end]`` is the name; ``score`` is the model's mean
    probability that its tokens are part of a person name (how to read it: the README)."""

    start: int  # character offsets into the text
    end: int
    text: str
    score: float
    label: str = DEFAULT_LABEL

    def to_dict(self) -> dict:
        """As in a ``jsonl`` record: start, end, text, label, score."""
        return {"start": self.start, "end": self.end, "text": self.text, "label": self.label, "score": self.score}


class Doc:
    """One tagged text: its ``words`` and their IOB2 ``tags``, each word's probability of
    being part of a name (``p_name``), its ``tokens`` with character offsets, and its
    ``entities``. ``to_dict()`` is its ``jsonl`` record."""

    def __init__(
        self,
        text: str,
        words: list[str],
        tags: list[str],
        p_name: np.ndarray,
        offsets: list | None = None,
        label: str = DEFAULT_LABEL,
    ):
        self.text = text
        self.words = words
        self.tags = tags  # IOB2: B-PER, I-PER, O (with the model's label)
        self.label = label
        self.p_name = p_name  # per token: probability of being part of a name
        if offsets is not None:
            self.offsets = offsets

    @cached_property
    def offsets(self) -> list[tuple[int, int]]:
        """(start, end) of every word in the text."""
        return token_spans(self.text)  # the same tokens as self.words

    @property
    def tokens(self) -> list[Token]:
        """Each word with its character offsets: ``Token(text, start, end)``."""
        return [Token(w, a, b) for w, (a, b) in zip(self.words, self.offsets)]

    @cached_property
    def entities(self) -> list[Entity]:
        out = []
        for s, e in spans_from_tags(self.tags, frozenset({self.label})):
            a, b = self.offsets[s][0], self.offsets[e - 1][1]
            out.append(Entity(a, b, self.text[a:b], round(float(self.p_name[s:e].mean()), 4), self.label))
        return out

    def above(self, min_score: float) -> "Doc":
        """The same text with only the names whose score is at least ``min_score`` (the
        tags of the others become O)."""
        weak = [e for e in self.entities if e.score < min_score]
        if not weak:
            return self
        tags = list(self.tags)
        starts = [a for a, _ in self.offsets]
        for e in weak:
            for i in range(bisect_right(starts, e.start) - 1, bisect_right(starts, e.end - 1)):
                tags[i] = "O"
        return Doc(self.text, self.words, tags, self.p_name, self.offsets, self.label)

    def to_dict(self, token_scores: bool = False) -> dict:
        """The ``jsonl`` record of this text (docs/jsonl.md): text, entities, tokens (each
        with its ``score``, P(name), when ``token_scores``)."""
        tokens = [{"text": w, "start": a, "end": b, "tag": t} for w, (a, b), t in zip(self.words, self.offsets, self.tags)]
        if token_scores:
            for token, p in zip(tokens, self.p_name.tolist()):
                token["score"] = round(p, 4)
        return {"text": self.text, "entities": [e.to_dict() for e in self.entities], "tokens": tokens}

    def __len__(self) -> int:
        return len(self.words)

    def __repr__(self) -> str:
        text = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        names = ", ".join(f"{e.text!r} {e.score:.2f}" for e in self.entities[:5])
        more = f", ... ({len(self.entities)} names)" if len(self.entities) > 5 else ""
        return f"<Doc {text!r}: {len(self.words)} tokens, names [{names}{more}]>"


class Tagger:
    """A trained network and its vocabulary: :meth:`tag` one text, :meth:`pipe` many.

    Made by :func:`ner_rnn.load` (a model file) or by training (:mod:`ner_rnn.train`).
    ``decoding`` says how probabilities become names; ``label`` is the entity type written
    on them (PER unless trained with another); ``meta`` is how the model was made.
    """

    def __init__(
        self,
        params: rnn.Params,
        features: Features,
        scheme: str = "io",
        meta: dict | None = None,
        doc_context: bool = False,
        labels: list[str] | None = None,
        context_window: int = context.WINDOW,
        decoding: Decoding | None = None,
        label: str = DEFAULT_LABEL,
        handles: bool = True,
        rules: Sequence[Rule] = RULES,
    ):
        self.params = params
        self.features = features
        self.scheme = scheme
        # the output classes: O, the person tags, then (io) other entity types, which are
        # learned only to tell names from places and organisations and never output
        self.labels = list(labels or labels_for(scheme))
        self.meta = meta or {}
        self.doc_context = doc_context  # tag twice, with evidence from other mentions (ner_rnn.context)
        self.context_window = context_window  # sentences either side that count as context
        # how probabilities become names: thresholds chosen on dev after training
        self.decoding = decoding or Decoding()
        self.label = label  # the entity type the model was trained for, written on its names
        self.handles = handles  # an @-handle that may be a person's is a name (ner_rnn.conventions)
        self.rules = rules  # the decoding's rules, in order (ner_rnn.decode.RULES)
        self._iob2 = np.array(["O", f"B-{label}", f"I-{label}"], dtype=object)
        self._bi = rnn.is_bidirectional(params)
        self._n_a = params["Waa"].shape[0]
        self._n_y = params["Wya"].shape[0]
        self._cache: dict = {}
        self._proj = np.empty((0, self._n_a * (2 if self._bi else 1)), dtype=params["Waa"].dtype)

    def __repr__(self) -> str:
        kind = "bidirectional" if self._bi else "left-to-right"
        dev = self.meta.get("dev", {}).get("f1")
        scored = f", dev F1 {dev:.4f}" if isinstance(dev, float) else ""
        return f"<Tagger {self.label}: {kind} RNN, {self._n_a} hidden, {len(self.features.words):,} words, n_x {self.features.n_x:,}{scored}>"

    @cached_property
    def hyphenated(self) -> frozenset[str]:
        """The hyphenated names of the lexicon, which tokenized text may split at the hyphen
        and the network reads whole (:func:`ner_rnn.tokenize.join_split`)."""
        return hyphenated_names(self.features.lexicon)

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
        # in blocks of words with about as many entries, so that a block's gather is as wide as
        # its widest word, not as the widest of all (up to 70 entries; 30 on average in news)
        counts = np.count_nonzero(val, axis=1)
        order = np.argsort(counts, kind="stable")
        out = np.empty((len(keys), self._proj.shape[1]), dtype=self._proj.dtype)
        for block in np.array_split(order, max(1, len(order) // PROJECT_BLOCK)):
            k = int(counts[block[-1]])
            i, v = idx[block, :k], val[block, :k]
            parts = [rnn.input_projection(self.params["Wax"], i, v)]
            if self._bi:
                parts.append(rnn.input_projection(self.params["Wax_b"], i, v))
            out[block] = np.concatenate(parts).T
        return out

    # -- the network over batches of sentences ---------------------------------------------

    def _forward(self, batch: list[list[str]], evidence: list[np.ndarray] | None = None) -> np.ndarray:
        """ŷ for one batch of word lists, a row per sentence: (T, m, n_y)."""
        lengths = np.array([len(s) for s in batch])
        if (np.diff(lengths) > 0).any():  # the recurrence wants the longest first (as _predict_read gives them)
            order = np.argsort(-lengths, kind="stable")
            y_hat = self._forward([batch[j] for j in order], None if evidence is None else [evidence[j] for j in order])
            return y_hat[:, np.argsort(order)]
        T, m = int(lengths[0]), len(batch)
        flat = [w for s in batch for w in s]
        rows = self._rows(flat, None if evidence is None else np.concatenate(evidence).tolist())
        real = np.arange(T)[:, None] < lengths[None, :]  # (T, m): real tokens
        pos = np.zeros((T, m), dtype=np.intp)
        pos.T[real.T] = rows  # the words of sentence j fill column j
        # [Wax · x<t>; Wax_b · x<t>]ᵀ of the real tokens, step by step (the running sentences of
        # step t are the first k<t> of the batch, rows steps[t]:steps[t + 1])
        xw = self._proj[pos[real]]
        steps = np.concatenate([[0], np.cumsum(real.sum(axis=1))])
        p = self.params
        n_a = self._n_a
        h = rnn.rnn_forward_packed(p["Waa"], p["ba"], xw[:, :n_a], steps)
        if self._bi:
            a_b = rnn.rnn_forward_packed(p["Waa_b"], p["ba_b"], xw[:, n_a:], steps, reverse=True)
            h = np.concatenate([h, a_b], axis=1)
        y_hat = np.zeros((T, m, self._n_y), dtype=xw.dtype)
        y_hat[real] = rnn.softmax(h @ p["Wya"].T + p["by"].T, axis=1)
        return y_hat

    def predict_flat(
        self, sentences: list[list[str]], evidence: list[np.ndarray] | None = None, batch_size: int = BATCH_SIZE
    ) -> tuple[np.ndarray, np.ndarray]:
        """One pass over all sentences: ŷ of every token, (N, n_y), sentence i at
        rows ``offsets[i]:offsets[i + 1]``; and the offsets. An initial split from its dot
        or a name of the lexicon split at its hyphen, is read as one word
        (:func:`ner_rnn.tokenize.join_split`), and both its tokens
        get that word's ŷ."""
        read, joined = _read(sentences, self.hyphenated)
        if joined and evidence is not None:  # each word read takes the evidence of its first token
            evidence = list(evidence)
            for i, where in joined.items():
                evidence[i] = evidence[i][first_tokens(where)]
        return _as_given(*self._predict_read(read, evidence, batch_size), sentences, joined)

    def _predict_read(
        self, sentences: list[list[str]], evidence: list[np.ndarray] | None, batch_size: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`predict_flat` of the words as given."""
        lengths, offsets = _offsets(sentences)
        flat = np.empty((int(offsets[-1]), self._n_y), dtype=self._proj.dtype)
        order = np.argsort(lengths, kind="stable")
        order = order[lengths[order] > 0]
        b = 0
        while b < len(order):
            # sorted by length, so the batch is as long as its last sentence
            m = min(batch_size, len(order) - b)
            while m > 1 and lengths[order[b + m - 1]] * m > BATCH_SLOTS:
                m = max(1, min(m // 2, BATCH_SLOTS // int(lengths[order[b + m - 1]])))
            ids = order[b : b + m][::-1]  # longest first, as the recurrence wants them
            b += m
            y_hat = self._forward([sentences[i] for i in ids], None if evidence is None else [evidence[i] for i in ids])
            T = y_hat.shape[0]
            steps = np.arange(T)[:, None] < lengths[ids][None, :]
            dest = offsets[ids][None, :] + np.arange(T)[:, None]  # (T, m) rows of flat
            flat[dest[steps]] = y_hat[steps]
        return flat, offsets

    def predict_flat_in_context(
        self, sentences: list[list[str]], documents: list[int] | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`predict_flat`, then with document context the second pass where it applies.

        ``documents[i]`` is the document (an input line, a paragraph) of sentence i.
        """
        given = sentences
        sentences, joined = _read(given, self.hyphenated)  # the words as the network reads them, both passes
        flat, offsets = self._predict_read(sentences, None, BATCH_SIZE)
        if self.doc_context and documents is not None and len(set(documents)) < len(documents):
            p_name = self.p_name(flat)  # (with every document a single sentence there is no context)
            per_sentence = [p_name[a:b] for a, b in zip(offsets[:-1], offsets[1:])]
            ev = context.sparse_evidence(
                sentences, per_sentence, documents, self.context_window, self.features.evidence_buckets
            )
            again = sorted(ev)
            if again:
                second, _ = self._predict_read([sentences[i] for i in again], [ev[i] for i in again], BATCH_SIZE)
                dest = np.concatenate([np.arange(offsets[i], offsets[i + 1]) for i in again])
                flat[dest] = second
        return _as_given(flat, offsets, given, joined)

    def predict(self, sentences: list[list[str]], evidence: list[np.ndarray] | None = None) -> list[np.ndarray]:
        """Tag probabilities per sentence, one pass: a (len, n_y) array each, in input order."""
        flat, offsets = self.predict_flat(sentences, evidence)
        return [flat[a:b] for a, b in zip(offsets[:-1], offsets[1:])]

    def p_name(self, flat: np.ndarray) -> np.ndarray:
        """Each token's probability of being part of a person name (:func:`ner_rnn.decode.p_name`)."""
        return p_name_of(flat, self.scheme)

    def iob2(
        self,
        flat: np.ndarray,
        offsets: np.ndarray,
        sentences: list[list[str]] | None = None,
        documents: list[int] | None = None,
    ) -> np.ndarray:
        """Decode every token at once with this model's :class:`~ner_rnn.decode.Decoding`:
        0 = O, 1 = B-PER, 2 = I-PER (see :func:`ner_rnn.decode.decode`)."""
        batch = Decodable(flat, offsets, self.scheme, sentences, documents, self.context_window, self.handles,
                          common_words=self.features.common_words)  # fmt: skip
        return decode_tokens(batch, self.decoding, self.rules)

    def name_spans(self, sentences: list[list[str]], documents: list[int] | None = None) -> list[tuple[list[Span], np.ndarray]]:
        """Person spans per sentence and each token's probability of being in a name."""
        return self.name_spans_of(*self.predict_flat_in_context(sentences, documents), sentences, documents)

    def name_spans_of(
        self,
        flat: np.ndarray,
        offsets: np.ndarray,
        sentences: list[list[str]] | None = None,
        documents: list[int] | None = None,
    ) -> list[tuple[list[Span], np.ndarray]]:
        """:meth:`spans` from the output of :meth:`predict_flat_in_context` (on ``sentences``)."""
        codes = self.iob2(flat, offsets, sentences, documents)
        p_name = self.p_name(flat)
        return [(decode(codes[a:b].tolist(), "bio"), p_name[a:b]) for a, b in zip(offsets[:-1], offsets[1:])]

    # -- raw text ---------------------------------------------------------------------------

    def tag_texts(self, texts: list[str], with_offsets: bool = True, documents: list[int] | None = None) -> list[Doc]:
        """Tokenize, split into sentences, tag, and return one :class:`Doc` per text.

        A sentence ends at ".", "!" or "?", at a line break, and after 128 tokens, so no
        name runs across a line break. Each text is one document for document context,
        unless ``documents[n]`` says which document text n belongs to (consecutive texts, e.g.
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
        piece_documents: list[int] = []
        for n, words in enumerate(words_per_text):
            if broken and LINE_BREAK.search(texts[n]):
                spans = spans_per_text[n] if spans_per_text is not None else token_spans(texts[n])
                bounds = _bounds_within_lines(texts[n], spans)
            else:
                bounds = sentence_bounds(words)
            for start, end in bounds:
                pieces.append(words if end - start == len(words) else words[start:end])
                piece_documents.append(n if documents is None else documents[n])
        flat, offsets = self.predict_flat_in_context(pieces, piece_documents)
        tags = self._iob2[self.iob2(flat, offsets, pieces, piece_documents)].tolist()
        p_name = self.p_name(flat)
        docs, a = [], 0
        for n, (text, words) in enumerate(zip(texts, words_per_text)):  # a text's pieces are consecutive
            b = a + len(words)
            offsets_n = spans_per_text[n] if spans_per_text else None
            docs.append(Doc(text, words, tags[a:b], p_name[a:b], offsets_n, self.label))
            a = b
        return docs

    def tag(self, text: str) -> Doc:
        """Tag one text: a :class:`Doc` with its words, tags and person names.

        A name never runs across a line break; a text's sentences help each other find a
        name's other mentions (document context), so tag a whole document at once."""
        if not isinstance(text, str):
            raise TypeError(f"tag() takes a str, not {type(text).__name__}")
        return self.tag_texts([text])[0]

    def pipe(self, texts: Iterable[str], batch_size: int = PIPE_BATCH, workers: int = 1) -> Iterator[Doc]:
        """Tag a stream of texts, each its own document: one :class:`Doc` per text, in order.

        ``texts`` may be any iterable (a generator over a huge file, say): ``batch_size``
        texts are read and tagged together, so memory is bounded by a batch (two per worker
        with ``workers`` above 1). ``workers`` processes tag batches in parallel with this
        tagger (written once to a temporary model file that they read, removed at the end);
        that pays for long texts (about 1.5 times faster on 2 cores for texts of a few
        hundred words), not for short ones. Worker processes are spawned, so a script that
        uses them must guard its main code with ``if __name__ == "__main__":``."""
        if isinstance(texts, (str, bytes)):
            raise TypeError("pipe() takes an iterable of str; to tag one text use tag()")
        if batch_size < 1 or workers < 1:
            raise ValueError(f"pipe(): batch_size and workers must be at least 1 (got {batch_size}, {workers})")
        batches = _batches(iter(texts), batch_size)
        if workers == 1:
            return (doc for batch in batches for doc in self.tag_texts(batch))
        from .stream import pipe_parallel

        return pipe_parallel(self, batches, workers)


def _read(sentences: list[list[str]], hyphenated: frozenset[str]) -> tuple[list[list[str]], dict[int, list[int]]]:
    """The sentences as the network reads them (:func:`ner_rnn.tokenize.join_split`), and
    for each sentence that changed, where each of its tokens is read."""
    read, joined = sentences, {}
    for i, s in enumerate(sentences):
        j = join_split(s, hyphenated)
        if j is not None:
            if read is sentences:
                read = list(sentences)
            read[i], joined[i] = j
    return read, joined


def _as_given(
    flat: np.ndarray, read_offsets: np.ndarray, sentences: list[list[str]], joined: dict[int, list[int]]
) -> tuple[np.ndarray, np.ndarray]:
    """ŷ of the words read (:func:`_read`) as ŷ of the tokens given, and their offsets."""
    if not joined:
        return flat, read_offsets
    lengths, offsets = _offsets(sentences)
    # the row of each token: its sentence's first row in ``flat``, plus its place in what was read
    rows = np.arange(int(offsets[-1])) + np.repeat(read_offsets[:-1] - offsets[:-1], lengths)
    for i, where in joined.items():
        rows[offsets[i] : offsets[i + 1]] = read_offsets[i] + np.array(where, dtype=np.intp)
    return flat[rows], offsets


def _offsets(sentences: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """The sentences' lengths, and where each starts in a flat array of their tokens (and the end)."""
    lengths = np.array([len(s) for s in sentences], dtype=np.intp)
    offsets = np.zeros(len(sentences) + 1, dtype=np.intp)
    np.cumsum(lengths, out=offsets[1:])
    return lengths, offsets


def _batches(texts: Iterator[str], size: int) -> Iterator[list[str]]:
    while batch := list(islice(texts, size)):
        yield batch


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
