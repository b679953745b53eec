"""Person-name F1 on hand-written text of other styles than news: data/styles-dev.txt.

    python scripts/bench_styles.py [--model PATH] [--no-handles] [--errors]

Each line is tagged alone, as `ner-rnn tag` tags a line of a file, from its raw text (so
the tokenizer is scored too); a name counts as found when its character span is exactly
the gold one. Prints precision, recall and F1 per style and over all of them, and with
``--errors`` every name missed or wrongly found. The file is a dev set: choose on it, with
eng.testa, and never train on it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from make_data import unbracket  # scripts/make_data.py: "[name]" lines -> text and spans

from ner_rnn.modelfile import load_model

FILE = Path(__file__).resolve().parents[1] / "data" / "styles-dev.txt"


def read_styles(path: Path) -> dict[str, list[tuple[str, set[tuple[int, int]]]]]:
    """Style -> [(text, gold character spans)], brackets removed."""
    styles: dict[str, list] = {}
    style = "text"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            style = line[3:].strip()
            continue
        if not line.strip() or line.startswith("#"):
            continue
        text, spans = unbracket(line)
        styles.setdefault(style, []).append((text, set(spans)))
    return styles


def prf(gold: int, predicted: int, correct: int) -> tuple[float, float, float]:
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path)
    ap.add_argument("--file", type=Path, default=FILE)
    ap.add_argument("--no-handles", action="store_true", help="leave @-handles to the network")
    ap.add_argument("--errors", action="store_true", help="list every error")
    args = ap.parse_args()
    tagger = load_model(args.model)
    tagger.handles = not args.no_handles
    print("| style | lines | names | precision | recall | F1 |\n| --- | ---: | ---: | ---: | ---: | ---: |")
    totals = [0, 0, 0]
    errors = []
    for style, records in read_styles(args.file).items():
        docs = tagger.tag_texts([text for text, _ in records])
        counts = [0, 0, 0]
        for (text, gold), doc in zip(records, docs):
            found = {(e.start, e.end) for e in doc.entities}
            counts[0] += len(gold)
            counts[1] += len(found)
            counts[2] += len(gold & found)
            for a, b in sorted(gold - found):
                errors.append(f"{style}: missed {text[a:b]!r} in {text!r}")
            for a, b in sorted(found - gold):
                errors.append(f"{style}: found {text[a:b]!r} in {text!r}")
        totals = [t + c for t, c in zip(totals, counts)]
        p, r, f = prf(*counts)
        print(f"| {style} | {len(records)} | {counts[0]} | {p:.3f} | {r:.3f} | {f:.3f} |")
    p, r, f = prf(*totals)
    print(f"| all | | {totals[0]} | {p:.3f} | {r:.3f} | **{f:.3f}** |")
    if args.errors:
        print("\n" + "\n".join(errors))


if __name__ == "__main__":
    main()
