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


# ---- Wax · x<t> as column lookups -------------------------------------------------------


def input_projection(Wax: np.ndarray, idx: np.ndarray, val: np.ndarray) -> np.ndarray:
    """``Wax · x`` for each distinct word: (n_a, U).

    Row u of (idx, val) lists the non-zero entries of x for word u, so
    ``Wax · x = Σ_k val[u, k] · Wax[:, idx[u, k]]``: a gather of columns, never a product
    with a one-hot vector.
    """
    cols = Wax.T[idx]  # (U, K, n_a); Wax.T is row-major, so each column is contiguous
    return np.einsum("uk,uka->au", val.astype(Wax.dtype, copy=False), cols)


def input_projection_backward(dxw: np.ndarray, idx: np.ndarray, val: np.ndarray) -> ColumnGrad:
    """dL/dWax from dL/d(Wax · x) of each distinct word, dxw (n_a, U)."""
    contrib = val[:, :, None] * dxw.T[:, None, :]  # (U, K, n_a)
    flat_idx = idx.ravel()
    keep = val.ravel() != 0  # padding entries add nothing
    cols, sums = segment_sum(flat_idx[keep], contrib.reshape(-1, dxw.shape[0])[keep])
    return ColumnGrad(cols, np.ascontiguousarray(sums.T))


def segment_sum(keys: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum the rows that share a key: (distinct keys, sums). Deterministic order."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    distinct, starts = np.unique(sorted_keys, return_index=True)
    if len(distinct) == 0:
        return distinct, np.zeros((0, rows.shape[1]), dtype=rows.dtype)
    return distinct, np.add.reduceat(rows[order], starts, axis=0)


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


def forward(params: Params, batch: Batch, dropout: float = 0.0, rng: np.random.Generator | None = None):
    """ŷ<t> for every step, (T, n_y, m), and the cache that :func:`backward` needs.

    ``dropout`` (training only) zeroes a random fraction of the states fed to the output.
    """
    xw_u = input_projection(params["Wax"], batch.idx, batch.val)
    a = rnn_forward(params["Waa"], params["ba"], step_inputs(xw_u, batch.words), batch.mask)
    cache = {"a": a}
    h = a
    if is_bidirectional(params):
        xw_u_b = input_projection(params["Wax_b"], batch.idx, batch.val)
        a_b = rnn_forward(params["Waa_b"], params["ba_b"], step_inputs(xw_u_b, batch.words), batch.mask, True)
        cache["a_b"] = a_b
        h = np.concatenate([a, a_b], axis=1)  # [a→<t>; a←<t>]  (T, 2 n_a, m)
    if dropout > 0.0:
        keep = (rng.random(h.shape) >= dropout).astype(h.dtype) / (1.0 - dropout)
        h = h * keep
        cache["keep"] = keep
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
    for i, (d, a, reverse) in enumerate(directions):
        dz, grads["Waa" + d], grads["ba" + d] = rnn_backward(
            dh[:, i * n_a : (i + 1) * n_a], a, params["Waa" + d], batch.mask, reverse
        )
        # dL/d(Wax · x) of each distinct word: the sum over the steps where it occurs
        rows, dxw = segment_sum(batch.words.ravel(), dz.transpose(0, 2, 1).reshape(-1, n_a))
        dxw_u = np.zeros((n_a, batch.idx.shape[0]), dtype=dz.dtype)
        dxw_u[:, rows] = dxw.T
        grads["Wax" + d] = input_projection_backward(dxw_u, batch.idx, batch.val)
    return grads


def predict_proba(params: Params, batch: Batch) -> np.ndarray:
    """ŷ for a batch, (T, n_y, m), without the training cache."""
    return forward(params, batch)[0]
