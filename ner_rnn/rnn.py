"""The recurrent network: the course's equations, back-propagation through time, both directions.

A many-to-many RNN (T_x = T_y) with the same parameters at every time step and a<0> = 0:

    a<t> = tanh(Waa · a<t-1> + Wax · x<t> + ba)            (n_a, 1)
    ŷ<t> = softmax(Wya · a<t> + by)                        (n_y, 1)

or, stacking the two weight matrices, Wa = [Waa | Wax] and a<t> = tanh(Wa · [a<t-1>; x<t>] + ba).

Shapes, in column-vector notation as in the lecture (m sentences side by side):
    Waa (n_a, n_a)   Wax (n_a, n_x)   ba (n_a, 1)   Wya (n_y, n_h)   by (n_y, 1)
    x<t> (n_x, m)    a<t> (n_a, m)    ŷ<t> (n_y, m)

The bidirectional RNN adds a second recurrence that reads the sentence right to left,
with its own ``Waa_b, Wax_b, ba_b``, and the output sees both states:

    a→<t> = tanh(Waa · a→<t-1> + Wax · x<t> + ba)
    a←<t> = tanh(Waa_b · a←<t+1> + Wax_b · x<t> + ba_b)
    ŷ<t>  = softmax(Wya · [a→<t>; a←<t>] + by)             n_h = 2 n_a

Two things the code does that the equations leave implicit:

- x<t> is one-hot (a concatenation of one-hot and multi-hot blocks, see
  :mod:`ner_rnn.features`), so ``Wax · x<t>`` is a weighted sum of a few columns of ``Wax``:
  ``Wax @ onehot(i) == Wax[:, i]``. No one-hot vector is ever built. The backward pass
  adds into those columns only (:class:`ColumnGrad`). Since x<t> depends only on the word,
  ``Wax · x`` is computed once per distinct word of a batch (:class:`Batch`).
- Sentences of different length share a batch, padded at the end. A padded step has
  mask 0 and carries the zero state, so the right-to-left recurrence starts each
  sentence from a<T+1> = 0 as if it were alone, and padding adds nothing to the loss.

This module imports nothing from the rest of the project.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Params = dict  # name -> array; gradients use the same names
MAX_HIDDEN = 4096  # the most hidden units per direction that ner-rnn trains (members merged) or reads


@dataclass
class Batch:
    """m sentences, padded to T steps, with the inputs as sparse rows of distinct words."""

    idx: np.ndarray  # (U, K) int: the non-zero columns of x for each distinct word u
    val: np.ndarray  # (U, K) float: their values (0 pads a short row)
    words: np.ndarray  # (T, m) int: the distinct word u at step t of sentence j
    mask: np.ndarray  # (T, m) float: 1 for a real token, 0 for padding
    y: np.ndarray | None = None  # (T, m) int: gold tag ids, for training


@dataclass
class ColumnGrad:
    """The gradient of ``Wax``: non-zero only in the columns the batch used."""

    cols: np.ndarray  # (C,) distinct column indices
    values: np.ndarray  # (n_a, C) dL/dWax[:, cols]

    def dense(self, n_x: int) -> np.ndarray:
        g = np.zeros((self.values.shape[0], n_x), dtype=self.values.dtype)
        g[:, self.cols] = self.values
        return g


def init_params(
    n_x: int, n_a: int, n_y: int, bidirectional: bool, rng: np.random.Generator, dtype=np.float32
) -> Params:
    """Random initial parameters. ``Wax`` is stored column-major so a column lookup is contiguous."""
    directions = ["", "_b"] if bidirectional else [""]
    p: Params = {}
    for d in directions:
        # orthogonal Waa keeps the recurrence from exploding or vanishing at the start
        q, r = np.linalg.qr(rng.standard_normal((n_a, n_a)))
        p["Waa" + d] = (q * np.sign(np.diag(r))).astype(dtype)
        p["Wax" + d] = np.asfortranarray(rng.normal(0.0, 0.1, (n_a, n_x)).astype(dtype))
        p["ba" + d] = np.zeros((n_a, 1), dtype=dtype)
    n_h = n_a * len(directions)
    p["Wya"] = rng.normal(0.0, 1.0 / np.sqrt(n_h), (n_y, n_h)).astype(dtype)
    p["by"] = np.zeros((n_y, 1), dtype=dtype)
    return p


def is_bidirectional(params: Params) -> bool:
    return "Waa_b" in params


def merge(members: list[Params]) -> Params:
    """K networks with the same inputs, outputs and directions as one network whose scores
    ``Wya · [a→<t>; a←<t>] + by`` are the mean of theirs: an ensemble that tags at the cost
    of a single network with K times the units.

    Each direction's state is the K states stacked, a<t> = [a_1<t>; ...; a_K<t>]; ``Waa`` is
    block-diagonal, so no unit sees another network's state; ``Wax`` and ``ba`` are stacked;
    ``Wya`` is the K output matrices side by side, divided by K, and ``by`` their mean.
    """
    k = len(members)
    directions = ["", "_b"] if is_bidirectional(members[0]) else [""]
    merged: Params = {}
    for d in directions:
        sizes = [p["Waa" + d].shape[0] for p in members]
        Waa = np.zeros((sum(sizes), sum(sizes)), dtype=members[0]["Waa" + d].dtype)
        for p, start, n_a in zip(members, np.cumsum([0, *sizes]), sizes):
            Waa[start : start + n_a, start : start + n_a] = p["Waa" + d]
        merged["Waa" + d] = Waa
        merged["Wax" + d] = np.asfortranarray(np.vstack([p["Wax" + d] for p in members]))
        merged["ba" + d] = np.vstack([p["ba" + d] for p in members])
    # Wya's columns follow the state: every member's a→ units, then every member's a← units
    per_direction = [np.split(p["Wya"], len(directions), axis=1) for p in members]
    merged["Wya"] = np.hstack([blocks[j] for j in range(len(directions)) for blocks in per_direction]) / k
    merged["by"] = sum(p["by"] for p in members) / k
    return merged


def widen_inputs(params: Params, columns: np.ndarray, n_x: int, n_words: int) -> Params:
    """The network with a longer x<t>: old column j of ``Wax`` becomes column
    ``columns[j]`` of n_x; a new column (a word added to the vocabulary, below ``n_words``)
    starts as the <UNK> column 0, so the network first reads a new word as it read it
    before, as unknown. Fine-tuning then learns it."""
    out = {k: v.copy() for k, v in params.items()}
    for k in ("Wax", "Wax_b"):
        if k in params:
            old = params[k]
            wide = np.zeros((old.shape[0], n_x), dtype=old.dtype, order="F")
            wide[:, columns] = old
            added = np.setdiff1d(np.arange(n_words), columns)
            wide[:, added] = old[:, [0]]
            out[k] = wide
    return out


# ---- Wax · x<t> as column lookups -------------------------------------------------------


def input_projection(Wax: np.ndarray, idx: np.ndarray, val: np.ndarray) -> np.ndarray:
    """``Wax · x`` for each distinct word: (n_a, U).

    Row u of (idx, val) lists the non-zero entries of x for word u, so
    ``Wax · x = Σ_k val[u, k] · Wax[:, idx[u, k]]``: a gather of columns, never a product
    with a one-hot vector.
    """
    cols = Wax.T[idx]  # (U, K, n_a); Wax.T is row-major, so each column is contiguous
    weights = val.astype(Wax.dtype, copy=False)[:, None, :]  # (U, 1, K)
    return (weights @ cols)[:, 0, :].T  # Σ_k val[u, k] · Wax[:, idx[u, k]]


def input_projection_backward(dxw: np.ndarray, idx: np.ndarray, val: np.ndarray) -> ColumnGrad:
    """dL/dWax from dL/d(Wax · x) of each distinct word, dxw (n_a, U).

    Column ``c`` of dL/dWax is ``Σ val[u, k] · dxw[:, u]`` over the entries with
    ``idx[u, k] == c``: the entries are sorted by column once and summed in runs.
    """
    u, k = np.nonzero(val)  # the real entries, padding left out
    cols = idx[u, k]
    order = np.argsort(cols, kind="stable")
    u, k, cols = u[order], k[order], cols[order]
    starts = np.flatnonzero(np.r_[True, cols[1:] != cols[:-1]])
    contrib = dxw.T[u] * val[u, k][:, None].astype(dxw.dtype, copy=False)  # (entries, n_a)
    return ColumnGrad(cols[starts], np.add.reduceat(contrib, starts, axis=0).T)


# ---- one time step, then the sequence ----------------------------------------------------


def rnn_cell_forward(xw_t, a_prev, Waa, ba, mask_t):
    """a<t> = tanh(Waa · a<t-1> + Wax · x<t> + ba), zero where the step is padding."""
    return np.tanh(Waa @ a_prev + xw_t + ba) * mask_t  # (n_a, m)


def rnn_cell_backward(da_next, a_next, Waa, mask_t):
    """From dL/da<t> to dL/dz<t> (z the tanh's argument) and dL/da<t-1>."""
    dz = da_next * (1.0 - a_next * a_next) * mask_t  # (n_a, m)
    return dz, Waa.T @ dz


def rnn_forward(Waa, ba, xw, mask, reverse: bool = False) -> np.ndarray:
    """Run the recurrence over T steps from the zero state; returns a<1..T>, (T, n_a, m).

    ``xw`` (T, n_a, m) holds ``Wax · x<t>`` for every step. ``reverse`` reads right to
    left: a<t> then depends on a<t+1>.
    """
    T, n_a, m = xw.shape
    a = np.empty((T, n_a, m), dtype=xw.dtype)
    a_prev = np.zeros((n_a, m), dtype=xw.dtype)  # a<0> = 0
    for t in range(T - 1, -1, -1) if reverse else range(T):  # the only loop: over time
        a_prev = a[t] = rnn_cell_forward(xw[t], a_prev, Waa, ba, mask[t][None, :])
    return a


def rnn_forward_packed(Waa, ba, xw, steps, reverse: bool = False) -> np.ndarray:
    """:func:`rnn_forward` as tagging runs it: real steps only, packed step by step.

    The batch is sorted longest sentence first, so the sentences still running at step t are
    its first k<t>, and ``xw`` (N, n_a) holds ``(Wax · x<t>)ᵀ`` of every real token, a row
    each: those of step t at rows ``steps[t]:steps[t + 1]``, in the batch's order (N is the
    number of tokens; padding is neither stored nor computed). Each step is the recurrence
    transposed, ``a<t>ᵀ = tanh(a<t-1>ᵀ · Waaᵀ + (Wax · x<t>)ᵀ + baᵀ)``, and a<1..T> comes
    back packed the same way, (N, n_a). Right to left, a sentence's first step (its last
    word) reads a row of the state that no step has written: the zero start state.
    """
    n_a = Waa.shape[0]
    a = np.empty((len(xw), n_a), dtype=xw.dtype)
    state = np.zeros((steps[1] - steps[0] if len(steps) > 1 else 0, n_a), dtype=xw.dtype)  # a<0> = 0
    WaaT, baT = Waa.T, ba.T
    bounds = list(zip(steps[:-1].tolist(), steps[1:].tolist()))
    for lo, hi in reversed(bounds) if reverse else bounds:  # the only loop: over time
        k = hi - lo
        z = state[:k] @ WaaT  # in place: one product, two additions into it, tanh into a<t>
        z += xw[lo:hi]
        z += baT
        np.tanh(z, out=a[lo:hi])
        state[:k] = a[lo:hi]
    return a


def rnn_backward(da, a, Waa, mask, reverse: bool = False):
    """Back-propagation through time for :func:`rnn_forward`.

    ``da`` (T, n_a, m) is dL/da<t> from the output layer. Returns dL/dz<t> (T, n_a, m),
    which is also dL/d(Wax · x<t>), and the gradients of ``Waa`` and ``ba``.
    """
    T, n_a, m = a.shape
    dz = np.empty_like(a)
    da_rec = np.zeros((n_a, m), dtype=a.dtype)  # dL/da<t> through a<t+1> (a<t-1> if reverse)
    for t in range(T) if reverse else range(T - 1, -1, -1):
        dz[t], da_rec = rnn_cell_backward(da[t] + da_rec, a[t], Waa, mask[t][None, :])
    # a<t-1> for every t, with the zero start state; Σ_t dz<t> a<t-1>ᵀ as one product
    zero = np.zeros((1, n_a, m), dtype=a.dtype)
    a_prev = np.concatenate([a[1:], zero]) if reverse else np.concatenate([zero, a[:-1]])
    dWaa = dz.transpose(1, 0, 2).reshape(n_a, -1) @ a_prev.transpose(1, 0, 2).reshape(n_a, -1).T
    dba = dz.sum(axis=(0, 2))[:, None]
    return dz, dWaa, dba


# ---- the whole tagger: inputs -> states -> ŷ, and its gradients ---------------------------


def softmax(z: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def step_inputs(xw_u: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Lay the distinct words' ``Wax · x`` out over time: (n_a, U) -> (T, n_a, m)."""
    return np.ascontiguousarray(xw_u[:, words].transpose(1, 0, 2))


def dropout_mask(shape, rate: float, rng: np.random.Generator, dtype) -> np.ndarray:
    """Inverted dropout: zero a fraction ``rate``, scale the rest so the mean is unchanged."""
    return (rng.random(shape, dtype=np.float32) >= rate).astype(dtype) / (1.0 - rate)


def forward(
    params: Params,
    batch: Batch,
    dropout: float = 0.0,
    rng: np.random.Generator | None = None,
    input_dropout: float = 0.0,
):
    """ŷ<t> for every step, (T, n_y, m), and the cache that :func:`backward` needs.

    Training only: ``input_dropout`` zeroes a random fraction of ``Wax · x<t>`` (as
    dropout on word embeddings does), ``dropout`` a fraction of the states fed to the output.
    """
    cache: dict = {}
    states = []
    directions = [("", False), ("_b", True)] if is_bidirectional(params) else [("", False)]
    for d, reverse in directions:
        xw = step_inputs(input_projection(params["Wax" + d], batch.idx, batch.val), batch.words)
        if input_dropout > 0.0:
            cache["keep_x" + d] = dropout_mask(xw.shape, input_dropout, rng, xw.dtype)
            xw *= cache["keep_x" + d]
        states.append(rnn_forward(params["Waa" + d], params["ba" + d], xw, batch.mask, reverse))
        cache["a" + d] = states[-1]
    h = np.concatenate(states, axis=1) if len(states) > 1 else states[0]  # [a→<t>; a←<t>] (T, n_h, m)
    if dropout > 0.0:
        cache["keep"] = dropout_mask(h.shape, dropout, rng, h.dtype)
        h = h * cache["keep"]
    cache["h"] = h
    y_hat = softmax(params["Wya"] @ h + params["by"], axis=1)  # (T, n_y, m)
    return y_hat, cache


def loss(y_hat: np.ndarray, y: np.ndarray, mask: np.ndarray) -> float:
    """Cross-entropy summed over the real time steps, averaged over the m sentences."""
    T, _, m = y_hat.shape
    p = np.take_along_axis(y_hat, y[:, None, :], axis=1)[:, 0, :]  # ŷ<t> of the gold tag (T, m)
    return float(-(np.log(np.maximum(p, 1e-30)) * mask).sum() / m)


def backward(params: Params, batch: Batch, y_hat: np.ndarray, cache: dict) -> dict:
    """Gradients of :func:`loss` for every parameter, under the same names."""
    T, n_y, m = y_hat.shape
    dlogits = y_hat.copy()
    np.put_along_axis(dlogits, batch.y[:, None, :], np.take_along_axis(y_hat, batch.y[:, None, :], 1) - 1, 1)
    dlogits *= batch.mask[:, None, :] / m  # (T, n_y, m)
    h = cache["h"]
    n_h = h.shape[1]
    grads = {
        "Wya": dlogits.transpose(1, 0, 2).reshape(n_y, -1) @ h.transpose(1, 0, 2).reshape(n_h, -1).T,
        "by": dlogits.sum(axis=(0, 2))[:, None],
    }
    dh = params["Wya"].T @ dlogits  # (T, n_h, m)
    if "keep" in cache:
        dh *= cache["keep"]
    n_a = params["Waa"].shape[0]
    directions = [("", cache["a"], False)]
    if is_bidirectional(params):
        directions.append(("_b", cache["a_b"], True))
    dxw = []
    for i, (d, a, reverse) in enumerate(directions):
        dz, grads["Waa" + d], grads["ba" + d] = rnn_backward(
            dh[:, i * n_a : (i + 1) * n_a], a, params["Waa" + d], batch.mask, reverse
        )
        if "keep_x" + d in cache:
            dz = dz * cache["keep_x" + d]
        dxw.append(dz)
    # dL/d(Wax · x) of each distinct word is the sum over the steps where it occurs; the
    # two directions are stacked so the sparse sums below run once for both
    dz = np.concatenate(dxw, axis=1) if len(dxw) > 1 else dxw[0]  # (T, n_dirs · n_a, m)
    real = batch.mask.ravel() != 0
    dz_tokens = dz.transpose(0, 2, 1).reshape(-1, dz.shape[1])[real]
    dxw_u = np.zeros((batch.idx.shape[0], dz.shape[1]), dtype=dz.dtype)
    np.add.at(dxw_u, batch.words.ravel()[real], dz_tokens)
    g = input_projection_backward(dxw_u.T, batch.idx, batch.val)
    for i, (d, _, _) in enumerate(directions):
        grads["Wax" + d] = ColumnGrad(g.cols, np.ascontiguousarray(g.values[i * n_a : (i + 1) * n_a]))
    return grads
