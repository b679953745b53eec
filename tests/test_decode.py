"""Decoding probabilities into names (Tagger.iob2), with and without extension."""

from __future__ import annotations

import numpy as np
import pytest

from ner_rnn import rnn
from ner_rnn.features import build_features
from ner_rnn.tagger import Tagger


def _tagger(extend):
    features = build_features(["a"])
    params = rnn.init_params(features.n_x, 4, 2, True, np.random.default_rng(0))
    return Tagger(params, features, "io", extend=extend)


# two sentences of three tokens: P(name) per token
P_NAME = np.array([0.35, 0.9, 0.2, 0.45, 0.05, 0.8])
OFFSETS = np.array([0, 3, 6])


@pytest.mark.parametrize(
    ("extend", "codes"),
    [
        (None, [0, 1, 0, 0, 0, 1]),  # argmax alone
        (0.4, [0, 1, 0, 0, 0, 1]),  # 0.35 is below it; 0.45 touches no name of its sentence
        (0.3, [1, 2, 0, 0, 0, 1]),  # 0.35 joins the name after it
        (0.15, [1, 2, 2, 0, 0, 1]),  # and 0.2 the name before it; never across the sentence start
        (0.01, [1, 2, 2, 1, 2, 2]),  # growing goes on through a chain of neighbours
    ],
)
def test_extension_joins_likely_neighbours_within_a_sentence(extend, codes):
    flat = np.stack([1 - P_NAME, P_NAME], axis=1)
    assert _tagger(extend).iob2(flat, OFFSETS).tolist() == codes


def test_extension_never_starts_a_name():
    flat = np.stack([np.full(4, 0.6), np.full(4, 0.4)], axis=1)
    assert _tagger(0.1).iob2(flat, np.array([0, 4])).tolist() == [0, 0, 0, 0]
