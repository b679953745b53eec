"""Tag schemes <-> person-name spans.

A span is ``(start, end)``: token indices, ``end`` exclusive. Reading a CoNLL file, any
scheme (IOB1, IOB2/BIO, IOBES, IO) is turned into spans with conlleval's chunk rules,
so the same spans come out whichever scheme the file uses. Only the entity type that
counts as a person name (``PER`` or ``PERSON`` by default, any case) makes spans;
every other type is treated as ``O``.

The model predicts one of its own tag sets per token:

- ``io``:  0 = O, 1 = PER  (two tags, as in the course's binary name tagger)
- ``bio``: 0 = O, 1 = B-PER, 2 = I-PER  (tells apart two names that touch)
"""

from __future__ import annotations

from typing import Iterable, Sequence

Span = tuple[int, int]

DEFAULT_ENTITY = ("PER", "PERSON")
DEFAULT_LABEL = "PER"  # what the names found are labelled, unless a model was trained for another type
SCHEMES = {"io": ("O", "PER"), "bio": ("O", "B-PER", "I-PER")}


def entity_types(entity: str | None) -> frozenset[str]:
    """The upper-cased type names that count as a person name."""
    if entity is None:
        return frozenset(DEFAULT_ENTITY)
    return frozenset({entity.upper()})


def _split(tag: str, types: frozenset[str]) -> tuple[str, str]:
    """``"B-PER"`` -> ``("B", "PER")``; a type that is not a person -> ``("O", "")``."""
    if tag == "O" or len(tag) < 3:
        return "O", ""
    typ = tag[2:].upper()
    if typ not in types:
        return "O", ""
    return tag[0], typ


def spans_from_tags(tags: Sequence[str], types: frozenset[str] = frozenset(DEFAULT_ENTITY)) -> list[Span]:
    """Person spans in a sequence of CoNLL tags of any scheme (conlleval's rules)."""
    spans: list[Span] = []
    start = None
    prev = "O"
    for i, tag in enumerate(tags):
        p, _ = _split(tag, types)
        # a chunk ends before this token ...
        if start is not None and (p in ("B", "S", "O") or prev in ("E", "S")):
            spans.append((start, i))
            start = None
        # ... and one starts at it
        if p != "O" and start is None:
            start = i
        prev = p
    if start is not None:
        spans.append((start, len(tags)))
    return spans


DATA_SCHEMES = ("auto", "iob1", "iob2", "iobes", "io")


def scheme_violation(tags: Sequence[str], scheme: str) -> tuple[int, str] | None:
    """The first tag that breaks a declared scheme, every entity type counted: (index, why).

    ``auto`` accepts anything conlleval can read.
    """
    prev_p, prev_t = "O", ""
    allowed = {"iob1": "BI", "iob2": "BI", "iobes": "BIES", "io": "I"}.get(scheme)
    if allowed is None:
        return None
    for i, tag in enumerate(tags):
        p, t = ("O", "") if tag == "O" else (tag[0], tag[2:])
        inside_same = prev_p in "BI" and prev_t == t  # the previous token is inside an entity of this type
        if p != "O" and p not in allowed:
            return i, f"{tag} is not an {scheme.upper()} tag"
        if scheme in ("iob2", "iobes") and p in "IE" and not inside_same:
            return i, f"{tag} does not continue a {t} entity, which {scheme.upper()} requires (use B-{t})"
        if scheme == "iob1" and p == "B" and not inside_same:
            return i, f"{tag} may only follow another {t} token in IOB1 (use I-{t})"
        if scheme == "iobes" and prev_p in "BI" and prev_t and not (p in "IE" and t == prev_t):
            return i - 1, f"{tags[i - 1]} is not closed by E-{prev_t}, which IOBES requires (use S-{prev_t} or E-)"
        prev_p, prev_t = p, t
    if scheme == "iobes" and prev_p in "BI" and prev_t:
        return len(tags) - 1, f"{tags[-1]} ends the sentence unclosed, which IOBES requires (use S-{prev_t} or E-)"
    return None


def encode(spans: Iterable[Span], length: int, scheme: str) -> list[int]:
    """Spans -> the model's tag ids for a sentence of ``length`` tokens."""
    y = [0] * length
    for start, end in spans:
        if scheme == "io":
            y[start:end] = [1] * (end - start)
        else:
            y[start:end] = [1] + [2] * (end - start - 1)
    return y


def labels_for(scheme: str, other_types: Sequence[str] = ()) -> list[str]:
    """The model's output classes: person tags first, then (``io`` only) the other types."""
    return list(SCHEMES[scheme]) + (sorted(other_types) if scheme == "io" else [])


def encode_all(tags: Sequence[str], types: frozenset[str], labels: Sequence[str]) -> list[int]:
    """A sentence's class ids: person spans as in :func:`encode`, then every other entity
    type that is a class of the model (LOC, ORG, ...) on its own tokens."""
    scheme = "io" if len(labels) < 3 or labels[2] != "I-PER" else "bio"
    y = encode(spans_from_tags(tags, types), len(tags), scheme)
    for k, label in enumerate(labels[len(SCHEMES[scheme]) :], start=len(SCHEMES[scheme])):
        for start, end in spans_from_tags(tags, frozenset({label})):
            for i in range(start, end):
                if y[i] == 0:
                    y[i] = k
    return y


def other_types(sentences_tags, types: frozenset[str]) -> list[str]:
    """The entity types of a corpus other than the person types, sorted."""
    found = {t[2:].upper() for tags in sentences_tags for t in tags if t != "O"}
    return sorted(found - types)


def decode(ids: Sequence[int], scheme: str) -> list[Span]:
    """The model's tag ids -> spans. In ``bio`` a stray I starts a span, as conlleval does."""
    spans: list[Span] = []
    start = None
    for i, t in enumerate(ids):
        if start is not None and (t == 0 or (scheme == "bio" and t == 1)):
            spans.append((start, i))
            start = None
        if t != 0 and start is None:
            start = i
    if start is not None:
        spans.append((start, len(ids)))
    return spans


def to_conll(spans: Iterable[Span], length: int) -> list[str]:
    """Spans -> IOB2 tags (``B-PER``, ``I-PER``, ``O``) for output."""
    out = ["O"] * length
    for start, end in spans:
        out[start] = "B-PER"
        for i in range(start + 1, end):
            out[i] = "I-PER"
    return out
