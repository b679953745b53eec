"""Accuracy of a model on every CoNLL-2003 split, as one table.

    python scripts/benchmark.py [--model PATH]

Scores the model (default: the shipped one) on eng.testa (dev), eng.testb (test) and
conllpp.testb (CoNLL++), and on lower-cased and upper-cased copies of the test set (how it
holds up on text without the usual capitals), and prints the training time recorded in the
model. The corpus is read from NER_RNN_CONLL_DIR (default ../shared/data/conll2003).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from ner_rnn.corpus import Sentence, read_conll
from ner_rnn.evaluate import evaluate
from ner_rnn.modelfile import load_model
from ner_rnn.tags import entity_types

ROOT = Path(__file__).resolve().parents[1]
CONLL = Path(os.environ.get("NER_RNN_CONLL_DIR", ROOT.parent / "shared" / "data" / "conll2003"))


def recase(sentences: list[Sentence], change) -> list[Sentence]:
    return [Sentence([change(w) for w in s.words], s.tags, s.line, s.doc) for s in sentences]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path)
    args = ap.parse_args()
    tagger = load_model(args.model)
    types = entity_types(None)
    test = read_conll(CONLL / "eng.testb")
    rows = [
        ("dev", "eng.testa", read_conll(CONLL / "eng.testa")),
        ("test", "eng.testb", test),
        ("CoNLL++", "conllpp.testb", read_conll(CONLL / "conllpp.testb")),
        ("test, lower-cased", "eng.testb", recase(test, str.lower)),
        ("test, UPPER-CASED", "eng.testb", recase(test, str.upper)),
    ]
    print(
        "| data | file | precision | recall | F1 | names | seconds |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |"
    )
    for label, name, sentences in rows:
        t0 = time.perf_counter()
        s = evaluate(tagger, sentences, types).scores
        seconds = time.perf_counter() - t0
        print(f"| {label} | `{name}` | {s.precision:.4f} | {s.recall:.4f} | **{s.f1:.4f}** | {s.gold_entities:,} | "
              f"{seconds:.1f} |")  # fmt: skip
    meta = tagger.meta
    if "train_seconds" in meta:
        kept = " + ".join(map(str, meta.get("best_epochs", [meta.get("best_epoch", "?")])))
        print(f"\ntraining: {meta['train_seconds']:.0f} s for {kept} epochs kept of "
              f"{len(meta.get('history', []))} run, `{meta.get('command', '?')}`")  # fmt: skip


if __name__ == "__main__":
    main()
