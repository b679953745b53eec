"""Span precision / recall / F1 for person names, token accuracy, conlleval's report, errors.

An entity counts as correct only if its start and end both match the gold span
(exact match, as in conlleval and the CoNLL-2003 shared task).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Sequence

from .corpus import Sentence
from .tagger import Tagger
from .tags import Span, spans_from_tags, to_conll


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    token_accuracy: float
    gold_entities: int
    predicted_entities: int
    correct: int
    tokens: int
    sentences: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SentenceErrors:
    index: int  # sentence number in the file, from 0
    line: int  # line of its first token
    words: list[str]
    missed: list[Span] = field(default_factory=list)  # gold spans not predicted exactly
    spurious: list[Span] = field(default_factory=list)  # predicted spans not in the gold
    gold: list[Span] = field(default_factory=list)  # every gold span of the sentence
    pred: list[Span] = field(default_factory=list)  # every predicted span


def score(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]], lengths: Sequence[int]) -> Scores:
    n_gold = sum(len(g) for g in gold)
    n_pred = sum(len(p) for p in pred)
    correct = sum(len(set(g) & set(p)) for g, p in zip(gold, pred))
    same_tags = sum(sum(a == b for a, b in zip(to_conll(g, n), to_conll(p, n))) for g, p, n in zip(gold, pred, lengths))
    tokens = sum(lengths)
    precision = correct / n_pred if n_pred else 0.0
    recall = correct / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(
        precision, recall, f1, same_tags / tokens if tokens else 0.0, n_gold, n_pred, correct, tokens, len(gold)
    )


def errors(gold, pred, sentences) -> list[SentenceErrors]:
    """The sentences the model got wrong, with what it missed and what it found wrongly."""
    out = []
    for i, (g, p, s) in enumerate(zip(gold, pred, sentences)):
        if set(g) != set(p):
            out.append(SentenceErrors(i, s.line, s.words, sorted(set(g) - set(p)), sorted(set(p) - set(g)), sorted(g), sorted(p)))
    return out


def conlleval_report(s: Scores, label: str = "PER") -> str:
    """The report in the format of the CoNLL shared task's ``conlleval`` script."""
    return (
        f"processed {s.tokens} tokens with {s.gold_entities} phrases; "
        f"found: {s.predicted_entities} phrases; correct: {s.correct}.\n"
        f"accuracy: {100 * s.token_accuracy:6.2f}%; precision: {100 * s.precision:6.2f}%; "
        f"recall: {100 * s.recall:6.2f}%; FB1: {100 * s.f1:6.2f}\n"
        f"{label:>17}: precision: {100 * s.precision:6.2f}%; recall: {100 * s.recall:6.2f}%; "
        f"FB1: {100 * s.f1:6.2f}  {s.predicted_entities}\n"
    )


@dataclass
class Evaluation:
    scores: Scores
    gold: list[list[Span]]
    pred: list[list[Span]]

    def errors(self, sentences: Sequence[Sentence]) -> list[SentenceErrors]:
        return errors(self.gold, self.pred, sentences)


def evaluate(tagger: Tagger, sentences: Sequence[Sentence], types: frozenset[str]) -> Evaluation:
    """Tag the sentences' words (a document at a time) and compare with their gold person spans."""
    gold = [spans_from_tags(s.tags, types) for s in sentences]
    pred = [spans for spans, _ in tagger.name_spans([s.words for s in sentences], [s.doc for s in sentences])]
    return Evaluation(score(gold, pred, [len(s.words) for s in sentences]), gold, pred)
