"""Train one configuration and print its dev F1 per epoch (a tuning run; never reads the test set).

    python scripts/tune.py '{"hidden": 64, "dropout": 0.5}' [--lexicon faker]

The JSON overrides fields of ner_rnn.train.TrainConfig; "features" overrides FeatureConfig.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from ner_rnn.corpus import Sentence, read_conll
from ner_rnn.evaluate import evaluate
from ner_rnn.features import FeatureConfig
from ner_rnn.modelfile import save_model
from ner_rnn.tags import entity_types
from ner_rnn.train import TrainConfig, train

CONLL = Path(os.environ.get("NER_RNN_CONLL_DIR", Path(__file__).resolve().parents[1] / "../shared/data/conll2003"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("overrides", nargs="?", default="{}")
    ap.add_argument("--lexicon", choices=["none", "faker"], default="none")
    ap.add_argument("--save", type=Path, help="also save the trained model here (a new file)")
    args = ap.parse_args()
    over = json.loads(args.overrides)
    feats = FeatureConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in over.pop("features", {}).items()})
    config = TrainConfig(**over, features=feats)
    lexicon = names = None
    if args.lexicon == "faker":
        from ner_rnn.lexicon import faker_lexicon, latin_names

        lexicon = faker_lexicon()
        names = latin_names()
    train_sents = read_conll(CONLL / "eng.train")
    dev_sents = read_conll(CONLL / "eng.testa")
    t0 = time.perf_counter()

    def on_epoch(r):
        d = r.dev
        print(
            f"{args.overrides} {args.lexicon} network {r.member + 1} epoch {r.epoch} loss {r.loss:.4f} "
            f"dev P {d.precision:.4f} R {d.recall:.4f} F1 {d.f1:.4f} {r.seconds:.0f}s",
            flush=True,
        )

    result = train(train_sents, dev_sents, config, lexicon=lexicon, on_epoch=on_epoch, names=names)
    best = max(r.dev.f1 for r in result.history if r.member == 0)  # the first network's best epoch
    types = entity_types(config.entity)
    recased = {
        how: evaluate(
            result.tagger, [Sentence([change(w) for w in s.words], s.tags, s.line, s.doc) for s in dev_sents], types
        ).scores.f1
        for how, change in (("lower", str.lower), ("upper", str.upper))
    }
    final = evaluate(result.tagger, dev_sents, types).scores.f1  # with the decoding chosen on dev
    print(
        f"RESULT {args.overrides} {args.lexicon} best epochs {result.best_epochs} dev F1 {best:.4f} "
        f"decoded ({result.tagger.decoding.describe()}) {final:.4f} "
        f"lower {recased['lower']:.4f} upper {recased['upper']:.4f} "
        f"n_x {result.tagger.features.n_x} total {time.perf_counter() - t0:.0f}s",
        flush=True,
    )
    if args.save:
        save_model(args.save, result.tagger, {"command": "scripts/tune.py", "config": config.to_json()})


if __name__ == "__main__":
    main()
