"""How to read a name's score: precision by score band, and recall by --min-score, on dev.

    python scripts/score_table.py [--model M] [--file ../shared/data/conll2003/eng.testa]
                                  [--alone]

A name's score is the mean of its tokens' P(name), as `tag` reports it. For each band of
scores this prints how many predicted names fall in it and how many of them are right
(exact span), and for each threshold the recall and precision that `--min-score` gives,
what a user of `ner-rnn redact` trades. The names are tagged as `evaluate` tags them: a
document at a time, or with ``--alone`` each sentence on its own (as a file of one
sentence per line is tagged). The README's table is this script's output on eng.testa.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ner_rnn.corpus import read_conll
from ner_rnn.modelfile import load_model
from ner_rnn.tags import entity_types, spans_from_tags

CONLL = Path(os.environ.get("NER_RNN_CONLL_DIR", Path(__file__).resolve().parents[2] / "shared" / "data" / "conll2003"))
BANDS = [0.0, 0.5, 0.7, 0.9, 0.99, 1.0001]
THRESHOLDS = [0.0, 0.3, 0.5, 0.7, 0.9, 0.99]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=None)
    ap.add_argument("--file", type=Path, default=CONLL / "eng.testa")
    ap.add_argument("--alone", action="store_true", help="tag each sentence on its own")
    args = ap.parse_args()
    tagger = load_model(args.model)
    sentences = read_conll(args.file)
    types = entity_types(None)
    documents = list(range(len(sentences))) if args.alone else [s.doc for s in sentences]
    predicted = tagger.name_spans([s.words for s in sentences], documents)
    gold_total = 0
    scored = []  # (score, correct) of every predicted name
    for s, (spans, p_name) in zip(sentences, predicted):
        gold = set(spans_from_tags(s.tags, types))
        gold_total += len(gold)
        for span in spans:
            scored.append((round(float(p_name[span[0] : span[1]].mean()), 4), span in gold))
    print(f"{args.file.name}{' (each sentence alone)' if args.alone else ''}: {len(scored)} names predicted, {gold_total} gold")
    print("\n| score | names | precision |\n| --- | ---: | ---: |")
    for low, high in zip(BANDS, BANDS[1:]):
        band = [ok for score, ok in scored if low <= score < high]
        label = f"{low:g}-{min(high, 1):g}" if high <= 1 else f">= {low:g}"
        print(f"| {label} | {len(band)} | {sum(band) / len(band):.3f} |" if band else f"| {label} | 0 | - |")
    print("\n| --min-score | recall | precision |\n| ---: | ---: | ---: |")
    for t in THRESHOLDS:
        kept = [ok for score, ok in scored if score >= t]
        print(f"| {t:g} | {sum(kept) / gold_total:.3f} | {sum(kept) / max(len(kept), 1):.3f} |")


if __name__ == "__main__":
    main()
