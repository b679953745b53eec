"""Text -> person-name spans with character offsets and scores.

A :class:`Tagger` is a trained network plus its feature vocabulary. It tags lists of
words in length-sorted batches; ``Wax · x`` of every word it has seen recently is kept
in a bounded cache, since x depends only on the word.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import context, rnn
from .features import Features
from .tags import Span, decode
from .tokenize import Token, sentence_bounds, tokenize

BATCH_SIZE = 256  # sentences per forward pass when tagging
CACHE_WORDS = 50_000  # distinct words whose Wax · x is kept; the cache is emptied when full


@dataclass
class Entity:
    start: int  # character offsets into the text: text[start:end] is the name
    end: int
    text: str
    score: float  # the model's mean probability that the span's tokens are a person name
    label: str = "PER"


@dataclass
class Doc:
    text: str
    tokens: list[Token]
    tags: list[str]  # IOB2: B-PER, I-PER, O
    entities: list[Entity]


class Tagger:
    def __init__(
        self,
        params: rnn.Params,
        features: Features,
        scheme: str = "io",
        meta: dict | None = None,
        doc_context: bool = False,
    ):
        self.params = params
        self.features = features
        self.scheme = scheme
        self.meta = meta or {}
        self.doc_context = doc_context  # tag twice, with evidence from other mentions (ner_rnn.context)
        self._bi = rnn.is_bidirectional(params)
        self._n_a = params["Waa"].shape[0]
        self._cache: dict[str, int] = {}
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
        idx, val = self.features.encode(
            [k if isinstance(k, str) else k[0] for k in missing], [0 if isinstance(k, str) else k[1] for k in missing]
        )
        parts = [rnn.input_projection(self.params["Wax"], idx, val)]
        if self._bi:
            parts.append(rnn.input_projection(self.params["Wax_b"], idx, val))
        new = np.concatenate(parts).T  # (len(missing), n_h)
        start = len(cache)
        if start + len(new) > len(self._proj):
            grown = np.empty((max(2 * len(self._proj), start + len(new), 1024), new.shape[1]), self._proj.dtype)
            grown[:start] = self._proj[:start]
            self._proj = grown
        self._proj[start : start + len(new)] = new
        for i, k in enumerate(missing):
            cache[k] = start + i
        return np.array([get(k) for k in keys], dtype=np.intp)

    # -- the network over batches of sentences ---------------------------------------------

    def _forward(self, batch: list[list[str]], evidence: list[np.ndarray] | None = None) -> np.ndarray:
        """ŷ for one batch of word lists: (T, n_y, m)."""
        T, m = max(len(s) for s in batch), len(batch)
        flat = [w for s in batch for w in s]
        rows = self._rows(flat, None if evidence is None else np.concatenate(evidence).tolist())
        mask = np.zeros((T, m), dtype=self._proj.dtype)
        pos = np.zeros((T, m), dtype=np.intp)
        lengths = np.array([len(s) for s in batch])
        steps = np.arange(T)[:, None] < lengths[None, :]  # (T, m)
        mask[steps] = 1.0
        pos.T[steps.T] = rows  # words of sentence j fill column j
        xw = self._proj[pos].transpose(0, 2, 1)  # (T, n_h, m)
        p = self.params
        n_a = self._n_a
        h = rnn.rnn_forward(p["Waa"], p["ba"], np.ascontiguousarray(xw[:, :n_a]), mask)
        if self._bi:
            a_b = rnn.rnn_forward(p["Waa_b"], p["ba_b"], np.ascontiguousarray(xw[:, n_a:]), mask, reverse=True)
            h = np.concatenate([h, a_b], axis=1)
        return rnn.softmax(p["Wya"] @ h + p["by"], axis=1)

    def predict(
        self, sentences: list[list[str]], evidence: list[np.ndarray] | None = None, batch_size: int = BATCH_SIZE
    ) -> list[np.ndarray]:
        """Tag probabilities per sentence, one pass: a (len, n_y) array each, in input order."""
        out: list[np.ndarray] = [np.zeros((0, 2 if self.scheme == "io" else 3))] * len(sentences)
        order = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: len(sentences[i]))
        for b in range(0, len(order), batch_size):
            ids = order[b : b + batch_size]
            y_hat = self._forward([sentences[i] for i in ids], None if evidence is None else [evidence[i] for i in ids])
            for j, i in enumerate(ids):
                out[i] = y_hat[: len(sentences[i]), :, j]
        return out

    def predict_in_context(self, sentences: list[list[str]], groups: list[int] | None) -> list[np.ndarray]:
        """Tag probabilities per sentence; with document context, the second pass where it applies.

        ``groups[i]`` is the record (input line, document) of sentence i.
        """
        probs = self.predict(sentences)
        if not self.doc_context or groups is None:
            return probs
        ev = context.evidence(sentences, [1.0 - p[:, 0] for p in probs], groups)
        again = [i for i, e in enumerate(ev) if e.any()]
        if again:
            for i, p in zip(again, self.predict([sentences[i] for i in again], [ev[i] for i in again])):
                probs[i] = p
        return probs

    def spans(self, sentences: list[list[str]], groups: list[int] | None = None) -> list[tuple[list[Span], np.ndarray]]:
        """Person spans per sentence and each token's probability of being in a name."""
        result = []
        for probs in self.predict_in_context(sentences, groups):
            ids = probs.argmax(axis=1) if len(probs) else np.zeros(0, dtype=int)
            result.append((decode(ids.tolist(), self.scheme), 1.0 - probs[:, 0]))
        return result

    # -- raw text ---------------------------------------------------------------------------

    def tag_texts(self, texts: list[str]) -> list[Doc]:
        """Tokenize, split into sentences, tag, and map names back to character offsets."""
        token_lists = [tokenize(t) for t in texts]
        pieces: list[list[str]] = []
        where: list[tuple[int, int]] = []  # (text number, first token of the piece)
        for n, toks in enumerate(token_lists):
            words = [t.text for t in toks]
            for start, end in sentence_bounds(words):
                pieces.append(words[start:end])
                where.append((n, start))
        tags = [["O"] * len(toks) for toks in token_lists]
        entities: list[list[Entity]] = [[] for _ in texts]
        for (n, offset), (spans, p_name) in zip(where, self.spans(pieces, [n for n, _ in where])):
            toks = token_lists[n]
            for s, e in spans:
                tags[n][offset + s] = "B-PER"
                for i in range(offset + s + 1, offset + e):
                    tags[n][i] = "I-PER"
                a, b = toks[offset + s].start, toks[offset + e - 1].end
                entities[n].append(Entity(a, b, texts[n][a:b], round(float(p_name[s:e].mean()), 4)))
        return [Doc(t, toks, tg, ents) for t, toks, tg, ents in zip(texts, token_lists, tags, entities)]

    def tag(self, text: str) -> Doc:
        return self.tag_texts([text])[0]
