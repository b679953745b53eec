"""Person-name F1 as text is really typed: running text, each sentence alone, lower case,
and "casual" case (all lower but each sentence's first word capitalised, as chat, e-mail
and tweets often are).

    python scripts/bench_case.py [--model PATH] [--split dev|test]

Copies are made in memory from eng.testa (dev, the default: choose on it) or eng.testb and
conllpp.testb (test: report, once per release). "Each sentence alone" gives every sentence
a document of its own, as `ner-rnn tag` sees a file of one sentence per line. The corpus is
read from NER_RNN_CONLL_DIR and never written anywhere.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ner_rnn.corpus import Sentence, casual_case, read_conll
from ner_rnn.evaluate import evaluate
from ner_rnn.modelfile import load_model
from ner_rnn.tags import entity_types

ROOT = Path(__file__).resolve().parents[1]
CONLL = Path(os.environ.get("NER_RNN_CONLL_DIR", ROOT.parent / "shared" / "data" / "conll2003"))


def alone(sentences: list[Sentence]) -> list[Sentence]:
    return [Sentence(s.words, s.tags, s.line, i) for i, s in enumerate(sentences)]


def lower(sentences: list[Sentence]) -> list[Sentence]:
    return [Sentence([w.lower() for w in s.words], s.tags, s.line, s.doc) for s in sentences]


def casual(sentences: list[Sentence]) -> list[Sentence]:
    """All lower case, the first word of each sentence capitalised."""
    return [Sentence(casual_case(s.words), s.tags, s.line, s.doc) for s in sentences]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path)
    ap.add_argument("--split", choices=["dev", "test"], default="dev")
    args = ap.parse_args()
    tagger = load_model(args.model)
    types = entity_types(None)
    files = ["eng.testa"] if args.split == "dev" else ["eng.testb", "conllpp.testb"]
    print("| file | text | precision | recall | F1 |\n| --- | --- | ---: | ---: | ---: |")
    for name in files:
        running = read_conll(CONLL / name)
        rows = [("running text", running), ("each sentence alone", alone(running)),
                ("alone, lower-cased", lower(alone(running))), ("alone, casual case", casual(alone(running)))]  # fmt: skip
        if name == "conllpp.testb":
            rows = rows[:1]
        for label, sentences in rows:
            s = evaluate(tagger, sentences, types).scores
            print(f"| {name} | {label} | {s.precision:.4f} | {s.recall:.4f} | {s.f1:.4f} |", flush=True)


if __name__ == "__main__":
    main()
