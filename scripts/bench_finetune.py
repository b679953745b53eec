"""Fine-tuning against training from scratch and against the shipped model, on text unlike news.

    python scripts/bench_finetune.py [--domain encyclopedia|names] [--seeds 2] [--folds 5]
                                     [--extra "--lr 0.001"]

Two domains, both hand-written for this project (none of it from CoNLL):

- ``encyclopedia`` (the default): data/encyclopedia.txt, 42 short encyclopedic documents
  with PER, ORG, LOC and MISC marked inline, turned here into IOB1 CoNLL with -DOCSTART-
  lines. It is cross-validated by document: in fold k, the documents i with i % folds == k
  are the held-out test, those with i % folds == k + 1 the dev set, the rest train. The
  held-out counts are pooled over the folds, so every name is tested once per seed.
- ``names``: data/names-train.conll split in two, its first three quarters train, its last
  quarter held out; data/names-dev.conll is the dev set.

For each seed (and fold) it runs, through the real command line and with default options
(plus ``--extra``): the shipped model as it is, ``ner-rnn train TRAIN --dev DEV`` (from
scratch) and ``ner-rnn train TRAIN --dev DEV --from-model default`` (fine-tuned); it prints
dev and held-out F1 as ``ner-rnn evaluate`` counts them (pooled over folds; the median
and range over seeds) and the median seconds of one training run. Everything is written
in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NER_RNN = [sys.executable, "-m", "ner_rnn"]


def encyclopedia_documents(path: Path) -> list[str]:
    """data/encyclopedia.txt as IOB1 CoNLL text, one string per document."""
    paragraphs = path.read_text(encoding="utf-8").split("\n\n")
    docs = []
    for para in paragraphs:
        if not para.strip() or para.lstrip().startswith("#"):
            continue
        lines = ["-DOCSTART- O", ""]
        for sentence in para.strip().split("\n"):
            lines += [f"{word} {tag}" for word, tag in inline_to_iob1(sentence)] + [""]
        docs.append("\n".join(lines) + "\n")
    return docs


def inline_to_iob1(sentence: str) -> list[tuple[str, str]]:
    """``[PER Ada Lovelace] was ...`` -> (word, IOB1 tag) pairs. B- only where an entity
    follows another of the same type."""
    out: list[tuple[str, str]] = []
    kind = None  # the type of the entity we are in
    previous = None  # the type of the last word's entity
    first = False
    for token in sentence.split():
        if kind is None and token.startswith("[") and token[1:].isupper():
            kind, first = token[1:], True
            continue
        closes = kind is not None and token.endswith("]")
        word = token[:-1] if closes else token
        if kind is None:
            out.append((word, "O"))
            previous = None
        else:
            out.append((word, ("B-" if first and previous == kind else "I-") + kind))
            previous, first = kind, False
        if closes:
            kind = None
    return out


def splits(domain: str, folds: int, out: Path) -> list[tuple[Path, Path, Path]]:
    """(train, dev, held-out) files for each fold."""
    if domain == "names":
        sentences = (ROOT / "data" / "names-train.conll").read_text(encoding="utf-8").strip("\n").split("\n\n")
        cut = len(sentences) * 3 // 4
        train, held = out / "train.conll", out / "held-out.conll"
        train.write_text("\n\n".join(sentences[:cut]) + "\n", encoding="utf-8")
        held.write_text("\n\n".join(sentences[cut:]) + "\n", encoding="utf-8")
        return [(train, ROOT / "data" / "names-dev.conll", held)]
    docs = encyclopedia_documents(ROOT / "data" / "encyclopedia.txt")
    result = []
    for k in range(folds):
        parts: dict[str, list[str]] = {"train": [], "dev": [], "held-out": []}
        for i, doc in enumerate(docs):
            part = "held-out" if i % folds == k else "dev" if i % folds == (k + 1) % folds else "train"
            parts[part].append(doc)
        paths = []
        for name, texts in parts.items():
            path = out / f"{name}-{k}.conll"
            path.write_text("".join(texts), encoding="utf-8")
            paths.append(path)
        result.append(tuple(paths))
    return result


def counts(model: Path | None, data: Path) -> tuple[int, int, int]:
    cmd = [*NER_RNN, "evaluate", str(data), "-f", "json", "--data-scheme", "auto"] + (["-m", str(model)] if model else [])
    r = json.loads(subprocess.run(cmd, check=True, capture_output=True).stdout)
    return r["correct"], r["predicted_entities"], r["gold_entities"]


def f1(total: list[tuple[int, int, int]]) -> float:
    correct, predicted, gold = (sum(c[i] for c in total) for i in range(3))
    return 2 * correct / (predicted + gold) if predicted + gold else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--domain", choices=("encyclopedia", "names"), default="encyclopedia")
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--extra", default="", help="more options for both training runs")
    ap.add_argument("--only", choices=("scratch", "fine-tuned"), help="run one kind of training only")
    args = ap.parse_args()
    kinds = {"from scratch": [], "fine-tuned from the shipped model": ["--from-model", "default"]}
    if args.only:
        kinds = {k: v for k, v in kinds.items() if k.startswith(args.only.split("-")[0])}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folds = splits(args.domain, args.folds, tmp)
        print(f"{args.domain}: {len(folds)} fold(s), {args.seeds} seed(s), extra options {args.extra!r}")
        shipped = ([counts(None, dev) for _, dev, _ in folds], [counts(None, held) for _, _, held in folds])
        rows = {"shipped model, as it is": [(f1(shipped[0]), f1(shipped[1]), 0.0)]}
        for seed in range(args.seeds):
            for name, extra in kinds.items():
                dev_counts, held_counts, seconds = [], [], []
                for k, (train, dev, held) in enumerate(folds):
                    model = tmp / f"m{seed}-{k}.npz"
                    t0 = time.perf_counter()
                    cmd = [*NER_RNN, "train", str(train), "--dev", str(dev), "-o", str(model), "--force", "-q",
                           "--seed", str(seed), *extra, *shlex.split(args.extra)]  # fmt: skip
                    subprocess.run(cmd, check=True)
                    seconds.append(time.perf_counter() - t0)
                    dev_counts.append(counts(model, dev))
                    held_counts.append(counts(model, held))
                rows.setdefault(name, []).append((f1(dev_counts), f1(held_counts), statistics.median(seconds)))
                print(f"  seed {seed} {name}: dev {f1(dev_counts):.4f} held-out {f1(held_counts):.4f}", flush=True)
        print(f"{'':36} {'dev F1':>16} {'held-out F1':>22} {'seconds':>8}")
        for name, runs in rows.items():
            dev_f1 = [r[0] for r in runs]
            held_f1 = [r[1] for r in runs]
            secs = statistics.median(r[2] for r in runs)
            print(
                f"{name:36} {statistics.median(dev_f1):.4f} {_spread(dev_f1):>9} "
                f"{statistics.median(held_f1):.4f} {_spread(held_f1):>15} {secs:8.1f}"
            )


def _spread(values: list[float]) -> str:
    return f"({min(values):.3f}-{max(values):.3f})" if len(values) > 1 else ""


if __name__ == "__main__":
    main()
