"""Rebuild the shipped model, ner_rnn/models/default.npz, by its recipe.

    pip install -e '.[train]'              # Faker and spacy-lookups-data
    python scripts/train_default.py [-o PATH] [--resume]

This only fills in the CoNLL-2003 paths (from NER_RNN_CONLL_DIR, default
../shared/data/conll2003) and runs the documented command:

    ner-rnn train eng.train data/styles-train.conll --dev eng.testa \\
        --test eng.testb --test conllpp.testb --recipe shipped -o ner_rnn/models/default.npz --force

The recipe is ner_rnn/recipes/default.toml; the test sets are scored once at the end,
never used for a choice. About 3 minutes on 2 cores. data/styles-train.conll is
made by scripts/make_styles_train.py from hand-written frames.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONLL = Path(os.environ.get("NER_RNN_CONLL_DIR", ROOT.parent / "shared" / "data" / "conll2003"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "ner_rnn" / "models" / "default.npz")
    ap.add_argument("--resume", action="store_true", help="go on with an interrupted run")
    args = ap.parse_args()
    # paths relative to the checkout, so the command the model records is the same anywhere
    conll = Path(os.path.relpath(CONLL, ROOT))
    output = Path(os.path.relpath(args.output.resolve(), ROOT))
    command = [
        sys.executable, "-m", "ner_rnn", "train", str(conll / "eng.train"), "data/styles-train.conll",
        "--dev", str(conll / "eng.testa"),
        "--test", str(conll / "eng.testb"), "--test", str(conll / "conllpp.testb"),
        "--recipe", "shipped", "-o", str(output), "--resume" if args.resume else "--force",
    ]  # fmt: skip
    # the run takes this process's place, so a signal sent to the script (Ctrl-C, kill)
    # reaches the run itself, which keeps its checkpoint for --resume; a child would go on
    os.chdir(ROOT)
    os.execv(sys.executable, command)


if __name__ == "__main__":
    main()
