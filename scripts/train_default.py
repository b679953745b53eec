"""Rebuild the default model shipped in ner_rnn/models/default.npz.

    pip install -e '.[train]'          # Faker, for the name lexicon
    python scripts/train_default.py    # about 4 minutes on 2 cores

Trains two networks of 32 units on eng.train, each early-stopped on eng.testa (dev), and
merges them into one (TrainConfig.members); then scores the merged model once
on eng.testb and conllpp.testb (never used for any choice) and records everything in the
model's metadata: this command, the configuration and seed, the SHA-256 of every data
file, the lexicon's source, per-epoch dev scores, the test scores and the training time.
The corpus is read from NER_RNN_CONLL_DIR (default ../shared/data/conll2003).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from ner_rnn.corpus import file_sha256, read_conll
from ner_rnn.evaluate import evaluate
from ner_rnn.lexicon import latin_names, load_lexicon
from ner_rnn.modelfile import DEFAULT_MODEL, load_model, save_model
from ner_rnn.tags import entity_types
from ner_rnn.train import TrainConfig, train

ROOT = Path(__file__).resolve().parents[1]
CONLL = Path(os.environ.get("NER_RNN_CONLL_DIR", ROOT.parent / "shared" / "data" / "conll2003"))

# chosen on eng.testa (dev) with scripts/tune.py; see docs/accuracy.md
CONFIG = TrainConfig(
    hidden=32,
    members=2,
    epochs=15,
    patience=4,
    input_dropout=0.5,
    dropout=0.5,
    word_dropout=0.1,
    case_augment=0.5,
    name_augment=0.5,
    lexicon_dropout=0.3,
    doc_context=True,
    seed=0,
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("-o", "--output", type=Path, default=DEFAULT_MODEL)
    args = ap.parse_args()
    files = {split: CONLL / split for split in ("eng.train", "eng.testa", "eng.testb", "conllpp.testb")}
    train_sents, dev_sents = read_conll(files["eng.train"]), read_conll(files["eng.testa"])
    lexicon, source = load_lexicon("faker")
    history = []

    def on_epoch(r):
        history.append(
            {"member": r.member, "epoch": r.epoch, "loss": round(r.loss, 5), "seconds": round(r.seconds, 2)}
            | {"dev": r.dev.to_dict()}
        )
        print(
            f"network {r.member + 1}  epoch {r.epoch:>2}  loss {r.loss:.4f}  dev F1 {r.dev.f1:.4f}  {r.seconds:.1f} s",
            flush=True,
        )

    t0 = time.perf_counter()
    result = train(train_sents, dev_sents, CONFIG, lexicon=lexicon, names=latin_names(), on_epoch=on_epoch)
    seconds = time.perf_counter() - t0
    info = {
        "command": "python scripts/train_default.py",
        "config": CONFIG.to_json(),
        "data": {name: file_sha256(path) for name, path in files.items()},
        "lexicon": {"source": source, "names": len(lexicon)},
        "history": history,
        "best_epochs": result.best_epochs,
        "train_seconds": round(seconds, 1),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    save_model(args.output, result.tagger, info, force=True)
    # score the model as shipped (float16 lookup tables), once, on every split
    tagger = load_model(args.output)
    types = entity_types(None)
    for key, name in (("dev", "eng.testa"), ("test", "eng.testb"), ("conllpp", "conllpp.testb")):
        info[key] = evaluate(tagger, read_conll(files[name]), types).scores.to_dict()
        print(f"{name:>14}: P {info[key]['precision']:.4f}  R {info[key]['recall']:.4f}  F1 {info[key]['f1']:.4f}")
    save_model(args.output, tagger, info, force=True)
    size = args.output.stat().st_size / 1e6
    print(f"wrote {args.output} ({size:.1f} MB) in {seconds:.0f} s of training")


if __name__ == "__main__":
    main()
