"""Training tokens/s of the NumPy network alone, timed as scripts/bench_torch.py times PyTorch.

    python scripts/bench_train.py [--hidden 64] [--batch 32] [--epochs 2]

The same data and features as bench_torch.py (eng.train, ner-rnn's features without a
lexicon), batches of sentences of similar length built before the clock starts, and no
dropout, augmentation or weight averaging: the clock sees the forward pass, the loss,
back-propagation through time, gradient clipping at 5 and Adam, as PyTorch's does.
(`ner-rnn train` reports a lower figure: its epoch time includes building the batches.)
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import numpy as np

from ner_rnn import rnn
from ner_rnn.corpus import read_conll
from ner_rnn.features import build_features
from ner_rnn.tags import entity_types, labels_for
from ner_rnn.train import adam_init, adam_step, batches, clip_gradients, encode_corpus, make_batch

ROOT = Path(__file__).resolve().parents[1]
CONLL = Path(os.environ.get("NER_RNN_CONLL_DIR", ROOT.parent / "shared" / "data" / "conll2003"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--epochs", type=int, default=2)
    args = ap.parse_args()
    sentences = read_conll(CONLL / "eng.train")
    features = build_features(w for s in sentences for w in s.words)
    classes = labels_for("io")
    data = encode_corpus(sentences, features, classes, entity_types(None))
    rng = np.random.default_rng(0)
    params = rnn.init_params(features.n_x, args.hidden, len(classes), True, rng)
    adam = adam_init(params)
    n_tokens = sum(len(s) for s in data.sentences)
    rates = []
    for epoch in range(args.epochs):
        built = [make_batch(data, chosen, 0.0, rng) for chosen in batches(data, args.batch, rng)]
        t0 = time.perf_counter()
        for batch in built:
            y_hat, cache = rnn.forward(params, batch)
            rnn.loss(y_hat, batch.y, batch.mask)
            grads = rnn.backward(params, batch, y_hat, cache)
            clip_gradients(grads, 5.0)
            adam_step(params, grads, adam, 0.002)
        rates.append(n_tokens / (time.perf_counter() - t0))
        print(f"epoch {epoch + 1}: {rates[-1]:,.0f} tokens/s training", flush=True)
    print(
        f"NumPy {np.__version__}, hidden {args.hidden}, batch {args.batch}: "
        f"training {statistics.median(rates):,.0f} tokens/s (median of {args.epochs} epochs, model only)"
    )


if __name__ == "__main__":
    main()
