"""The equations: gradients, one-hot lookups, causality, padding, and learning at all."""

from __future__ import annotations

import numpy as np
from conftest import plain_config
import pytest

from ner_rnn import rnn
from ner_rnn.corpus import Sentence
from ner_rnn.tagger import Tagger
from ner_rnn.train import train


def random_batch(rng, n_x=23, U=6, K=4, lengths=(5, 3, 1), n_y=2, dtype=np.float64):
    T, m = max(lengths), len(lengths)
    idx = rng.integers(0, n_x, (U, K))
    val = rng.random((U, K)).astype(dtype)
    val[0, 2:] = 0.0  # a short row, padded
    mask = (np.arange(T)[:, None] < np.array(lengths)[None, :]).astype(dtype)
    words = rng.integers(0, U, (T, m))
    y = rng.integers(0, n_y, (T, m))
    return rnn.Batch(idx, val, words, mask, y)


def numerical_gradient(params, batch, name, eps=1e-6):
    p = params[name]
    g = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        old = p[i]
        p[i] = old + eps
        plus = rnn.loss(rnn.forward(params, batch)[0], batch.y, batch.mask)
        p[i] = old - eps
        minus = rnn.loss(rnn.forward(params, batch)[0], batch.y, batch.mask)
        p[i] = old
        g[i] = (plus - minus) / (2 * eps)
    return g


@pytest.mark.parametrize("bidirectional", [False, True], ids=["unidirectional", "bidirectional"])
@pytest.mark.parametrize("n_y", [2, 3])
@pytest.mark.parametrize("seed", [0, 1])
def test_gradient_check_every_parameter(bidirectional, n_y, seed):
    """BPTT against central differences, float64, whole padded sequences, every parameter."""
    rng = np.random.default_rng(seed)
    params = rnn.init_params(23, 5, n_y, bidirectional, rng, dtype=np.float64)
    for k in params:  # non-zero biases, so their gradients are exercised away from 0
        if k.startswith("b"):
            params[k] += rng.normal(0, 0.5, params[k].shape)
    batch = random_batch(rng, n_y=n_y)
    y_hat, cache = rnn.forward(params, batch)
    grads = rnn.backward(params, batch, y_hat, cache)
    assert set(grads) == set(params)
    for name in params:
        analytic = grads[name].dense(23) if isinstance(grads[name], rnn.ColumnGrad) else grads[name]
        numeric = numerical_gradient(params, batch, name)
        rel = np.abs(analytic - numeric).max() / max(np.abs(analytic).max() + np.abs(numeric).max(), 1e-12)
        assert rel < 1e-6, f"{name}: relative error {rel:.2e} (seed {seed}, bidirectional={bidirectional})"
        assert np.abs(numeric).max() > 0, f"{name}: the check would pass trivially"


def test_gradient_check_with_dropout():
    """With fixed dropout masks (on Wax · x and on the states) the gradient is still exact."""
    rng = np.random.default_rng(5)
    params = rnn.init_params(23, 4, 2, True, rng, dtype=np.float64)
    batch = random_batch(rng)
    y_hat, cache = rnn.forward(params, batch, dropout=0.5, rng=np.random.default_rng(9), input_dropout=0.3)
    grads = rnn.backward(params, batch, y_hat, cache)

    def loss_with_same_mask():
        y_hat = rnn.forward(params, batch, dropout=0.5, rng=np.random.default_rng(9), input_dropout=0.3)[0]
        return rnn.loss(y_hat, batch.y, batch.mask)

    eps = 1e-6
    for name, analytic in [("Waa_b", grads["Waa_b"]), ("Wax", grads["Wax"].dense(23)), ("Wya", grads["Wya"])]:
        p = params[name]
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + eps
            plus = loss_with_same_mask()
            p[i] = old - eps
            minus = loss_with_same_mask()
            p[i] = old
            assert abs((plus - minus) / (2 * eps) - analytic[i]) < 1e-7, (name, i)


def test_column_lookup_equals_one_hot_product():
    """Wax · x<t> computed as column lookups equals the product with the explicit one-hot x."""
    rng = np.random.default_rng(0)
    n_a, n_x = 7, 40
    Wax = np.asfortranarray(rng.normal(size=(n_a, n_x)))
    idx = np.array([[3, 10, 25, 0], [5, 5, 39, 12], [0, 1, 2, 3]])
    val = np.array([[1.0, 1.0, 0.5, 0.0], [1.0, 0.25, 0.25, 1.0], [1.0, 1.0, 1.0, 1.0]])
    x = np.zeros((n_x, len(idx)))  # the explicit (multi-)one-hot vectors, one column per word
    for u in range(len(idx)):
        for k in range(idx.shape[1]):
            x[idx[u, k], u] += val[u, k]
    np.testing.assert_allclose(rnn.input_projection(Wax, idx, val), Wax @ x, rtol=1e-12)
    # and the backward pass: dL/dWax = dxw · xᵀ, non-zero only in the used columns
    dxw = rng.normal(size=(n_a, len(idx)))
    g = rnn.input_projection_backward(dxw, idx, val)
    np.testing.assert_allclose(g.dense(n_x), dxw @ x.T, rtol=1e-12)
    assert set(g.cols.tolist()) == {int(c) for c, v in zip(idx.ravel(), val.ravel()) if v}


@pytest.mark.parametrize("bidirectional", [False, True], ids=["unidirectional", "bidirectional"])
def test_merged_network_scores_the_mean_of_its_members(bidirectional):
    """One network with block-diagonal Waa gives the members' mean scores, so its ŷ<t> is the
    softmax of the mean of their log ŷ<t> (log-softmax differs from the scores by a constant)."""
    rng = np.random.default_rng(5)
    batch = random_batch(rng, n_y=3)
    members = [rnn.init_params(23, n_a, 3, bidirectional, rng, dtype=np.float64) for n_a in (3, 4, 2)]
    for p in members:  # non-zero biases, so that their stacking is tested too
        for name in p:
            if name.startswith("b"):
                p[name] += rng.normal(size=p[name].shape)
    merged = rnn.merge(members)
    assert merged["Waa"].shape == (9, 9) and merged["Wax"].shape == (9, 23)
    assert not merged["Waa"][:3, 3:].any()  # no unit sees another member's state
    y_hat = rnn.forward(merged, batch)[0]
    mean_log = np.mean([np.log(rnn.forward(p, batch)[0]) for p in members], axis=0)
    np.testing.assert_allclose(y_hat, rnn.softmax(mean_log, axis=1), rtol=1e-10)
    # a single member is itself
    np.testing.assert_allclose(rnn.forward(rnn.merge(members[:1]), batch)[0], rnn.forward(members[0], batch)[0])


def _tagger(bidirectional, seed=0):
    from ner_rnn.features import build_features

    words = "Teddy Roosevelt was a great President . bears are on sale !".split()
    features = build_features(words * 2)
    params = rnn.init_params(features.n_x, 8, 2, bidirectional, np.random.default_rng(seed))
    return Tagger(params, features, "io")


def test_unidirectional_output_at_t1_cannot_see_the_future():
    """The course's warning: left to right, ŷ<1> for "Teddy" is the same whatever follows."""
    a = "Teddy Roosevelt was a great President .".split()
    b = "Teddy bears are on sale !".split()
    uni = _tagger(bidirectional=False)
    pa, pb = uni.predict([a, b])
    np.testing.assert_array_equal(pa[0], pb[0])
    assert not np.allclose(pa[1], pb[1])  # later steps do differ
    bi = _tagger(bidirectional=True)
    qa, qb = bi.predict([a, b])
    assert not np.allclose(qa[0], qb[0])  # the backward RNN sees "Roosevelt" vs "bears"


@pytest.mark.parametrize("bidirectional", [False, True])
def test_padding_changes_nothing(bidirectional):
    """A sentence gets the same probabilities alone as in a batch with longer sentences."""
    tagger = _tagger(bidirectional, seed=2)
    short = "Teddy was great".split()
    others = ["Teddy Roosevelt was a great President .".split(), "bears are on sale !".split()]
    alone = tagger.predict([short])[0]
    batched = tagger.predict([short] + others)[0]
    np.testing.assert_allclose(alone, batched, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("reverse", [False, True], ids=["left-to-right", "right-to-left"])
def test_taggings_recurrence_is_the_masked_one(reverse):
    """rnn_forward_packed (longest sentence first, real steps only, packed step by step)
    computes what rnn_forward computes with its mask."""
    rng = np.random.default_rng(3)
    n_a, lengths = 5, np.array([6, 6, 4, 1])
    T, m = 6, 4
    Waa, ba = rng.normal(size=(n_a, n_a)), rng.normal(size=(n_a, 1))
    xw = rng.normal(size=(T, n_a, m))
    mask = np.arange(T)[:, None] < lengths[None, :]
    expected = rnn.rnn_forward(Waa, ba, xw, mask.astype(float), reverse)
    steps = np.concatenate([[0], np.cumsum(mask.sum(axis=1))])
    got = rnn.rnn_forward_packed(Waa, ba, xw.transpose(0, 2, 1)[mask], steps, reverse)
    np.testing.assert_allclose(got, expected.transpose(0, 2, 1)[mask], rtol=1e-12, atol=1e-12)
    assert not expected.transpose(0, 2, 1)[~mask].any()  # what packing leaves out is padding


def test_tiny_model_overfits_three_sentences():
    sentences = [
        Sentence("Anna Berg met Tom Ode in Oslo .".split(), "B-PER I-PER O B-PER I-PER O B-LOC O".split(), 1),
        Sentence("The Oslo office hired Berg .".split(), "O B-LOC O O B-PER O".split(), 10),
        Sentence("Tom bought bread in Oslo".split(), "B-PER O O O B-LOC".split(), 20),
    ]
    config = plain_config(hidden=16, epochs=60, patience=60, batch_size=3, lr=0.02, lr_decay=1.0, dropout=0.0,
                         word_dropout=0.0, seed=1, other_types=True)  # fmt: skip
    result = train(sentences, None, config)
    assert result.history[-1].loss < 0.05, result.history[-1].loss
    predicted = [spans for spans, _ in result.tagger.name_spans([s.words for s in sentences])]
    assert predicted == [[(0, 2), (3, 5)], [(4, 5)], [(0, 1)]]  # names only, though LOC was learned too
    assert result.tagger.labels == ["O", "PER", "LOC"]


def test_same_seed_same_model_bit_for_bit(small_train):
    from ner_rnn.corpus import read_conll

    sentences = read_conll(small_train)[:60]
    config = plain_config(hidden=8, epochs=2, seed=7)
    a = train(sentences, None, config).tagger.params
    b = train(sentences, None, config).tagger.params
    c = train(sentences, None, plain_config(hidden=8, epochs=2, seed=8)).tagger.params
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)
    assert not np.array_equal(a["Waa"], c["Waa"])
