"""The same model in PyTorch, for comparison: training and inference tokens/s on eng.train.

    pip install torch==2.13.0           # a separate environment; ner-rnn never imports torch
    PYTHONPATH=. python scripts/bench_torch.py [--hidden 64] [--batch 32] [--epochs 2]

The network is the one ner-rnn trains: x<t> is the same sparse vector (ner-rnn's own
features), Wax · x<t> is an EmbeddingBag (sum, per-feature weights, sparse gradients),
then a bidirectional tanh nn.RNN over packed sequences, a linear output, cross-entropy,
Adam (SparseAdam for the lookup table), gradient clipping at 5, batches of sentences of
similar length. Only the model is timed: the batches are built before the clock starts.
Inference is timed on length-sorted batches of 256 sentences.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ner_rnn.corpus import read_conll
from ner_rnn.features import build_features
from ner_rnn.tags import encode, entity_types, spans_from_tags

ROOT = Path(__file__).resolve().parents[1]
CONLL = Path(os.environ.get("NER_RNN_CONLL_DIR", ROOT.parent / "shared" / "data" / "conll2003"))


class Tagger(nn.Module):
    def __init__(self, n_x: int, n_a: int):
        super().__init__()
        self.wax = nn.EmbeddingBag(n_x, n_a, mode="sum", sparse=True)  # Wax · x<t>
        self.rnn = nn.RNN(n_a, n_a, nonlinearity="tanh", bidirectional=True, batch_first=True)
        self.out = nn.Linear(2 * n_a, 2)

    def forward(self, cols, weights, offsets, lengths, T):
        xw = self.wax(cols, offsets, per_sample_weights=weights)  # (tokens, n_a)
        xw = torch.nn.utils.rnn.pad_sequence(torch.split(xw, lengths.tolist()), batch_first=True)
        packed = torch.nn.utils.rnn.pack_padded_sequence(xw, lengths, batch_first=True, enforce_sorted=False)
        h, _ = self.rnn(packed)
        h, _ = torch.nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=T)
        return self.out(h)  # (m, T, 2)


def make_batches(sentences, features, batch_size, rng):
    types = entity_types(None)
    rows = {}
    out = []
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i].words))
    groups = [order[b : b + batch_size] for b in range(0, len(order), batch_size)]
    rng.shuffle(groups)
    for group in groups:
        cols, weights, offsets, lengths, ys = [], [], [], [], []
        for i in group:
            s = sentences[i]
            for w in s.words:
                if w not in rows:
                    c, v = features.columns(w)
                    rows[w] = (c, v)
                c, v = rows[w]
                offsets.append(len(cols))
                cols += c
                weights += v
            lengths.append(len(s.words))
            ys.append(encode(spans_from_tags(s.tags, types), len(s.words), "io"))
        T = max(lengths)
        y = torch.full((len(group), T), -100, dtype=torch.long)
        for j, yy in enumerate(ys):
            y[j, : len(yy)] = torch.tensor(yy)
        out.append((torch.tensor(cols), torch.tensor(weights), torch.tensor(offsets), torch.tensor(lengths), T, y))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--epochs", type=int, default=2)
    args = ap.parse_args()
    torch.manual_seed(0)
    sentences = read_conll(CONLL / "eng.train")
    features = build_features(w for s in sentences for w in s.words)
    model = Tagger(features.n_x, args.hidden)
    dense = [p for n, p in model.named_parameters() if not n.startswith("wax")]
    opt_dense = torch.optim.Adam(dense, lr=0.002)
    opt_sparse = torch.optim.SparseAdam(list(model.wax.parameters()), lr=0.002)
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100, reduction="sum")
    n_tokens = sum(len(s.words) for s in sentences)
    rng = np.random.default_rng(0)
    rates = []
    for epoch in range(args.epochs):
        batches = make_batches(sentences, features, args.batch, rng)
        t0 = time.perf_counter()
        for cols, weights, offsets, lengths, T, y in batches:
            opt_dense.zero_grad()
            opt_sparse.zero_grad()
            logits = model(cols, weights, offsets, lengths, T)
            loss = loss_fn(logits.reshape(-1, 2), y.reshape(-1)) / len(lengths)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(dense, 5.0)
            opt_dense.step()
            opt_sparse.step()
        rates.append(n_tokens / (time.perf_counter() - t0))
        print(f"epoch {epoch + 1}: {rates[-1]:,.0f} tokens/s training", flush=True)
    batches = make_batches(sentences, features, 256, rng)
    with torch.inference_mode():
        t0 = time.perf_counter()
        for cols, weights, offsets, lengths, T, _ in batches:
            model(cols, weights, offsets, lengths, T).argmax(-1)
        inference = n_tokens / (time.perf_counter() - t0)
    print(
        f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, hidden {args.hidden}, batch {args.batch}: "
        f"training {statistics.median(rates):,.0f} tokens/s (median of {args.epochs} epochs), "
        f"inference {inference:,.0f} tokens/s (model only)"
    )


if __name__ == "__main__":
    main()
