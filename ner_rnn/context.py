"""Document context: a name found in one sentence is evidence for its other mentions.

News and encyclopedic text give a person's full name once ("Alan Shearer") and then the
surname alone, often where nothing in the sentence shows it is a name ("Shearer takes
the captaincy ..."; "HENKE TAKES LEAD" in a headline). So the tagger reads a document
(an input line, or a ``-DOCSTART-`` document of a CoNLL file, or a CoNLL file without
them) in two passes:

1. every sentence is tagged on its own;
2. each capitalised word (each word, in a document written without capitals) gets the
   highest and the lowest first-pass probability of being a name among its mentions
   (same word, any case) in the other sentences of the document,
   up to ``WINDOW`` sentences away, each put in one of four buckets, and whether one of
   those mentions is part of a longer name; together one more one-hot block of x<t>.
   Sentences whose words have such evidence are tagged again.
   The highest says "somewhere nearby this is clearly a name"; the lowest says "somewhere
   nearby this is clearly not one" ("Pirelli SpA", "Magna 's shares" against a doubtful
   "Pirelli said"); the longer name says "this is the surname of a full name given nearby"
   ("Neil Jordan" for a later "Jordan", which alone reads as the country).

One rule works beside the network, at decoding (:func:`ner_rnn.decode.companies_nearby`): a word that is part
of a company's name nearby ("Pirelli SpA", "Magna International Inc") is not, alone, a
person's name in that part of the document ("Pirelli said ...", "Magna 's shares"). In
eng.train this holds without exception: no one-word person name there is a word of a
company named within 20 sentences of it, while 745 organisation tokens are.

The network learns how far to trust the evidence: in training, the first pass is
replaced by the predictions of models that never saw the document (see
:func:`ner_rnn.train.jackknife_evidence`), so the evidence is as imperfect as at test time.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from typing import Sequence

import numpy as np

from .features import EVIDENCE_BUCKETS, LEGACY_EVIDENCE_BUCKETS, LOW_HIGH_EVIDENCE_BUCKETS

# a probability's bucket: 0..3 for < 0.1, < 0.5, < 0.9, >= 0.9
EDGES = np.array([0.1, 0.5, 0.9])
LEVELS = len(EDGES) + 1
# a mention is part of a longer name when it and a neighbour in its sentence are at least this likely names
IN_NAME = 0.5
# a token's evidence: 0 when no other mention counts (or no context is used),
# else 1 + LEVELS * bucket(highest) + bucket(lowest), plus LEVELS² if an other mention is part
# of a longer name: features.EVIDENCE_BUCKETS codes. Older models have smaller blocks (see code).

# how many sentences either side of a mention are its context: about a news story's
# length, so that in running text without document marks a name's evidence comes from
# its own story and perhaps the next
WINDOW = 20


def evidence(
    sentences: Sequence[Sequence[str]],
    p_name: Sequence[np.ndarray],
    documents: Sequence[int],
    window: int = WINDOW,
    buckets: int = EVIDENCE_BUCKETS,
) -> list[np.ndarray]:
    """The evidence code of every token: (len,) int per sentence.

    ``p_name[i][t]`` is the first pass's probability that token t of sentence i is in a
    name; ``documents[i]`` the document the sentence belongs to (a document's sentences are
    consecutive). A mention counts as context when it is in another sentence of the same
    document, at most ``window`` sentences away: the network already reads the whole of its
    own sentence, both ways. ``buckets`` is the size of the model's evidence block.
    """
    found = sparse_evidence(sentences, p_name, documents, window, buckets)
    return [found.get(i, np.zeros(len(words), dtype=np.int64)) for i, words in enumerate(sentences)]


def sparse_evidence(
    sentences: Sequence[Sequence[str]],
    p_name: Sequence[np.ndarray],
    documents: Sequence[int],
    window: int = WINDOW,
    buckets: int = EVIDENCE_BUCKETS,
) -> dict[int, np.ndarray]:
    """:func:`evidence` for the sentences that have any, by index (what tagging needs)."""
    out: dict[int, np.ndarray] = {}
    n = len(sentences)
    start = 0
    while start < n:  # one document at a time
        end = start + 1
        while end < n and documents[end] == documents[start]:
            end += 1
        if end - start > 1:  # a document of one sentence has nothing the network does not see
            _document_evidence(sentences, p_name, start, end, window, buckets, out)
        start = end
    return out


def _document_evidence(sentences, p_name, start, end, window: int, buckets: int, out: dict[int, np.ndarray]) -> None:
    # every mention of the document, per word, in sentence order: the words that take part
    # are capitalised and longer than one letter ("Shearer", "HENKE", "O'Brien"); in a document
    # without capitals ("alan shearer scored ... shearer said"), every word of two letters or
    # more that begins with a letter (models with smaller evidence blocks were not trained so)
    mentions: dict[str, list[tuple[int, int]]] = defaultdict(list)
    caseless = buckets == EVIDENCE_BUCKETS and not any(w[:1].isupper() for i in range(start, end) for w in sentences[i])
    for i in range(start, end):
        for t, w in enumerate(sentences[i]):
            if (w[:1].isupper() or (caseless and w[:1].isalpha())) and len(w) > 1:
                mentions[w.lower()].append((i, t))
    for found in mentions.values():
        if len(found) < 2:
            continue
        # per sentence that has the word: the highest and lowest first-pass probability of its
        # mentions there, whether one is part of a longer name, and where they are; a mention's
        # context is the word's mentions in the other sentences of its window, so it is the
        # union of those sentences' figures: work linear in the mentions, whatever they repeat
        where: list[int] = []
        highest: list[float] = []
        lowest: list[float] = []
        longer: list[bool] = []
        positions: list[list[int]] = []
        for i, t in found:  # in sentence order
            p = float(p_name[i][t])
            in_longer = _in_longer_name(p_name[i], t)
            if where and where[-1] == i:
                highest[-1], lowest[-1] = max(highest[-1], p), min(lowest[-1], p)
                longer[-1] = longer[-1] or in_longer
                positions[-1].append(t)
            else:
                where.append(i)
                highest.append(p)
                lowest.append(p)
                longer.append(in_longer)
                positions.append([t])
        for k, i in enumerate(where):
            lo, hi = bisect_left(where, i - window), bisect_right(where, i + window)
            others = [j for j in range(lo, hi) if j != k]
            if others:
                if i not in out:
                    out[i] = np.zeros(len(sentences[i]), dtype=np.int64)
                value = code(
                    max(highest[j] for j in others),
                    min(lowest[j] for j in others),
                    any(longer[j] for j in others),
                    buckets,
                )
                out[i][positions[k]] = value


def _in_longer_name(q: np.ndarray, t: int) -> bool:
    """Is token t of a sentence (first-pass probabilities q) part of a name of several words?"""
    return q[t] >= IN_NAME and ((t > 0 and q[t - 1] >= IN_NAME) or (t + 1 < len(q) and q[t + 1] >= IN_NAME))


def code(highest: float, lowest: float, longer: bool = False, buckets: int = EVIDENCE_BUCKETS) -> int:
    """The evidence code of a word whose other mentions' probabilities span [lowest, highest],
    ``longer`` if one of them is part of a longer name, in a block of ``buckets`` codes
    (older models' blocks leave out what they were not trained with)."""
    top = int(np.searchsorted(EDGES, highest, side="right"))
    if buckets == LEGACY_EVIDENCE_BUCKETS:
        return 1 + top
    pair = 1 + LEVELS * top + int(np.searchsorted(EDGES, lowest, side="right"))
    return pair if buckets == LOW_HIGH_EVIDENCE_BUCKETS or not longer else pair + LEVELS * LEVELS
