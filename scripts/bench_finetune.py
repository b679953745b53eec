"""Fine-tuning against training from scratch and against the shipped model, on text unlike news.

    python scripts/bench_finetune.py [--seeds 3]

The domain is our hand-written sentences (data/names-*.conll: encyclopedic, chat, e-mail,
lower case, foreign names; none from CoNLL). data/names-train.conll is split in two:
its first three quarters train, its last quarter is held out as a test set that no run
sees; data/names-dev.conll is the dev set that stops training and chooses the decoding.

For each seed it runs, through the real command line and with default options:

- the shipped model as it is (no training);
- `ner-rnn train TRAIN --dev DEV` (from scratch);
- `ner-rnn train TRAIN --dev DEV --from-model default` (fine-tuned);

and prints dev and held-out F1 (as `ner-rnn evaluate` gives them), and seconds, with
the median over seeds. Everything is written in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NER_RNN = [sys.executable, "-m", "ner_rnn"]


def split(path: Path, out: Path) -> tuple[Path, Path]:
    sentences = path.read_text(encoding="utf-8").strip("\n").split("\n\n")
    cut = len(sentences) * 3 // 4
    train, held = out / "train.conll", out / "held-out.conll"
    train.write_text("\n\n".join(sentences[:cut]) + "\n", encoding="utf-8")
    held.write_text("\n\n".join(sentences[cut:]) + "\n", encoding="utf-8")
    return train, held


def f1(model: Path | None, data: Path) -> float:
    cmd = [*NER_RNN, "evaluate", str(data), "-f", "json"] + (["-m", str(model)] if model else [])
    return json.loads(subprocess.run(cmd, check=True, capture_output=True).stdout)["f1"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=3)
    args = ap.parse_args()
    dev = ROOT / "data" / "names-dev.conll"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        train, held = split(ROOT / "data" / "names-train.conll", tmp)
        print(f"train {train.read_text().count(chr(10) * 2) + 1} sentences, held out "
              f"{held.read_text().count(chr(10) * 2) + 1}, dev {dev.name}")  # fmt: skip
        rows = {"shipped model, as it is": [(f1(None, dev), f1(None, held), 0.0)]}
        for seed in range(args.seeds):
            for name, extra in (
                ("from scratch", []),
                ("fine-tuned from the shipped model", ["--from-model", "default"]),
            ):
                model = tmp / f"m{seed}.npz"
                t0 = time.perf_counter()
                cmd = [*NER_RNN, "train", str(train), "--dev", str(dev), "-o", str(model), "--force", "-q",
                       "--seed", str(seed), *extra]  # fmt: skip
                subprocess.run(cmd, check=True)
                seconds = time.perf_counter() - t0
                rows.setdefault(name, []).append((f1(model, dev), f1(model, held), seconds))
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
