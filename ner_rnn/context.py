"""Document context: a name found in one sentence is evidence for its other mentions.

News and encyclopedic text give a person's full name once ("Alan Shearer") and then the
surname alone, often where nothing in the sentence shows it is a name ("Shearer takes
the captaincy ..."; "HENKE TAKES LEAD" in a headline). So the tagger reads a record
(an input line, or a ``-DOCSTART-`` document of a CoNLL file) in two passes:

1. every sentence is tagged on its own;
2. each capitalised word gets the strongest first-pass probability of being a name
   among its *other* mentions in the record (same word, any case), put in a bucket,
   and that bucket is one more one-hot block of x<t>; sentences whose words have such
   evidence are tagged again.

The network learns how far to trust the evidence: in training, the first pass is
replaced by the predictions of models that never saw the document (see
:func:`ner_rnn.train.jackknife_evidence`), so the evidence is as imperfect as at test time.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from typing import Sequence

import numpy as np

# bucket 0: no other capitalised mention (or no context used); 1..4: the best other mention's
# probability of being a name is < 0.1, < 0.5, < 0.9, >= 0.9 (features.EVIDENCE_BUCKETS == 5)
EDGES = np.array([0.1, 0.5, 0.9])

# how many sentences either side of a mention are its context: about a news story's
# length, so that in running text without document marks a name's evidence comes from
# its own story and perhaps the next
WINDOW = 20


def mentionable(word: str) -> bool:
    """Words that take part: capitalised, with a letter ("Shearer", "HENKE", "O'Brien")."""
    return word[:1].isupper() and len(word) > 1


def evidence(
    sentences: Sequence[Sequence[str]],
    p_name: Sequence[np.ndarray],
    groups: Sequence[int],
    window: int = WINDOW,
) -> list[np.ndarray]:
    """The evidence bucket of every token: (len,) int per sentence.

    ``p_name[i][t]`` is the first pass's probability that token t of sentence i is in a
    name; ``groups[i]`` the record the sentence belongs to. A mention counts as context
    when it is in the same record and at most ``window`` sentences away.
    """
    # every capitalised mention, per (record, word), in sentence order
    mentions: dict[tuple[int, str], list[tuple[int, int, float]]] = defaultdict(list)
    for i, (words, p, g) in enumerate(zip(sentences, p_name, groups)):
        for t, w in enumerate(words):
            if mentionable(w):
                mentions[g, w.lower()].append((i, t, float(p[t])))
    out = [np.zeros(len(words), dtype=np.int64) for words in sentences]
    for found in mentions.values():
        if len(found) < 2:
            continue
        where = [i for i, _, _ in found]
        for k, (i, t, _) in enumerate(found):
            lo, hi = bisect_left(where, i - window), bisect_right(where, i + window)
            other = max((found[j][2] for j in range(lo, hi) if j != k), default=-1.0)
            if other >= 0.0:
                out[i][t] = 1 + int(np.searchsorted(EDGES, other, side="right"))
    return out
