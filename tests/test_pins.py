"""Pins between the two halves of the code that must agree: the tagger's forward pass and
training's, the lazy Adam update and the dense one, and the one-hot blocks of x<t>."""

from __future__ import annotations

import numpy as np
import pytest

from ner_rnn import rnn
from ner_rnn.formats import Format, render, to_conll, to_inline, to_jsonl
from ner_rnn.modelfile import load_model
from ner_rnn.train import adam_init, adam_step


@pytest.fixture(scope="module")
def shipped():
    return load_model()


def test_the_tagger_forward_pass_is_trainings_forward_pass(shipped):
    sentences = [
        ["Teddy", "Roosevelt", "was", "a", "great", "President", "."],
        ["Teddy", "bears", "are", "on", "sale", "!"],
        ["Angela"],
    ]
    distinct = sorted({w for s in sentences for w in s})
    index = {w: u for u, w in enumerate(distinct)}
    idx, val = shipped.features.encode(distinct)
    T, m = max(map(len, sentences)), len(sentences)
    words = np.zeros((T, m), dtype=np.intp)
    mask = np.zeros((T, m), dtype=np.float32)
    for j, s in enumerate(sentences):
        words[: len(s), j] = [index[w] for w in s]
        mask[: len(s), j] = 1
    training, _ = rnn.forward(shipped.params, rnn.Batch(idx, val, words, mask))
    tagging = shipped._forward(sentences)
    for j, s in enumerate(sentences):  # padded steps differ in what they hold, real ones not
        np.testing.assert_allclose(tagging[: len(s), j, :], training[: len(s), :, j], rtol=1e-5, atol=1e-6)
    assert (tagging[: len(sentences[0]), 0, :].argmax(axis=1) == training[:7, :, 0].argmax(axis=1)).all()
    shuffled = shipped._forward(sentences[::-1])  # a batch in any order: each sentence in its place
    np.testing.assert_allclose(shuffled[:, ::-1], tagging, rtol=1e-5, atol=1e-6)


def test_lazy_adam_equals_dense_adam_on_the_used_columns_and_leaves_the_others():
    rng = np.random.default_rng(0)
    n_a, n_x = 4, 12
    params = {"Wax": np.asfortranarray(rng.normal(size=(n_a, n_x)).astype(np.float32)),
              "Waa": rng.normal(size=(n_a, n_a)).astype(np.float32)}  # fmt: skip
    lazy, dense = {k: v.copy(order="K") for k, v in params.items()}, {k: v.copy() for k, v in params.items()}
    s_lazy, s_dense = adam_init(lazy), adam_init(dense)
    cols = np.array([1, 5, 7])
    for _ in range(3):  # the same columns each step, so dense Adam's untouched columns stay at zero moments
        g_cols = rng.normal(size=(n_a, len(cols))).astype(np.float32)
        g_waa = rng.normal(size=(n_a, n_a)).astype(np.float32)
        sparse = rnn.ColumnGrad(cols, g_cols.copy())
        adam_step(lazy, {"Wax": sparse, "Waa": g_waa.copy()}, s_lazy, lr=0.01)
        adam_step(dense, {"Wax": sparse.dense(n_x), "Waa": g_waa.copy()}, s_dense, lr=0.01)
    np.testing.assert_allclose(lazy["Wax"][:, cols], dense["Wax"][:, cols], rtol=1e-6)
    np.testing.assert_allclose(lazy["Waa"], dense["Waa"], rtol=1e-6)
    others = np.setdiff1d(np.arange(n_x), cols)
    assert (lazy["Wax"][:, others] == params["Wax"][:, others]).all()  # never touched
    assert (dense["Wax"][:, others] == params["Wax"][:, others]).all()  # zero gradient, zero step


def test_x_has_one_entry_in_each_fixed_block_and_ngrams_that_sum_to_one(shipped):
    f = shipped.features
    n = 4 + f.class_slots  # word, shape, lexicon, evidence; the word classes
    assert f.class_slots == 6  # a cluster prefix of 4, 6, 10 and 20 bits, capitals, frequency
    for word in ["Roosevelt", "the", "Qwxzyk", "1996", "O'Brien", "🙂"]:
        cols, vals = f.columns(word)
        fixed, classes, grams = cols[:4], cols[4:n], cols[n:]
        assert 0 <= fixed[0] < f.shape_offset <= fixed[1] < f.ngram_offset
        assert f.lexicon_offset <= fixed[2] < f.evidence_offset <= fixed[3] < f.class_offset
        assert f.class_offset <= classes[0] < classes[1] < classes[2] < classes[3] < f.capitals_offset
        assert f.capitals_offset <= classes[4] < f.frequency_offset <= classes[5] < f.n_x
        assert all(f.ngram_offset <= c < f.lexicon_offset for c in grams)
        assert vals[:n] == [1.0] * n and sum(vals[n:]) == pytest.approx(1.0)
    assert f.columns("Qwxzyk")[0][0] == 0  # an unseen word is <UNK>
    assert f.columns("Qwxzyk")[0][4:n] == f.columns("")[0][4:n]  # and in no word class
    assert f.columns("Roosevelt")[0][4:n] != f.columns("Qwxzyk")[0][4:n]


def test_every_format_renders_one_record_and_pieces_concatenate(shipped):
    doc = shipped.tag("Angela Merkel met Emmanuel Macron & <b>.")
    assert to_inline(doc) == "<PERSON>Angela Merkel</PERSON> met <PERSON>Emmanuel Macron</PERSON> &amp; &lt;b&gt;.\n"
    assert to_conll(doc).splitlines()[:2] == ["Angela\tB-PER", "Merkel\tI-PER"] and to_conll(doc).endswith("\n\n")
    assert to_jsonl(doc).count("\n") == 1
    # a line in two pieces: the text formats' parts join to the whole line's record
    a, b = "Bill Gates spoke . ", "Steve Jobs spoke ."
    first, second = shipped.tag_texts([a, b], documents=[0, 0])
    for fmt in (Format.text, Format.inline, Format.conll):
        whole = render(shipped.tag(a + b), fmt)
        assert render(first, fmt, last=False, base=0) + render(second, fmt, last=True, base=len(a)) == whole
    piece = render(second, Format.jsonl, last=True, base=len(a))
    assert '"start": 19' in piece.entities[0] and piece.last


def test_make_batch_pads_gathers_each_words_columns_and_drops_words_to_unk():
    from ner_rnn.corpus import Sentence
    from ner_rnn.features import build_features
    from ner_rnn.tags import entity_types, labels_for
    from ner_rnn.train import encode_corpus, make_batch

    sents = [Sentence("Anna Berg sang well".split(), "B-PER I-PER O O".split(), 1),
             Sentence("Tom won".split(), "B-PER O".split(), 6)]  # fmt: skip
    features = build_features([w for s in sents for w in s.words for _ in range(3)])
    data = encode_corpus(sents, features, labels_for("io"), entity_types(None))
    b = make_batch(data, [0, 1], 0.0, np.random.default_rng(0))
    assert b.mask.tolist() == [[1, 1], [1, 1], [1, 0], [1, 0]]  # padded to the longest, at the end
    assert b.y[:, 0].tolist() == [1, 1, 0, 0] and b.y[:2, 1].tolist() == [1, 0]
    for j, s in enumerate(sents):
        for t, w in enumerate(s.words):
            row = b.words[t, j]
            got = {(int(c), float(v)) for c, v in zip(b.idx[row], b.val[row]) if v}
            cols, vals = features.columns(w)
            assert got == {(c, float(np.float32(v))) for c, v in zip(cols, vals)}, w
    dropped = make_batch(data, [0, 1], 1.0, np.random.default_rng(0))  # every word shown as <UNK>
    real = dropped.mask.astype(bool)
    assert (dropped.idx[dropped.words[real], 0] == 0).all()


def test_features_built_from_typographic_text_know_its_words_as_they_are_read():
    """A corpus typed in a word processor ("O’Brien", “ ”): its vocabulary is kept in the
    ASCII form the network reads, so its words are no <UNK> when tagged, in either form."""
    from ner_rnn.features import build_features

    features = build_features(["O\u2019Brien", "said", "\u201c", "hi", "\u201d", "."] * 3)
    assert "o'brien" in features.words and '"' in features.words and "o\u2019brien" not in features.words
    assert features.columns("O\u2019Brien")[0][0] != 0
    assert features.columns("O\u2019Brien") == features.columns("O'Brien")
    grown, _ = features.with_words(["Ja\u2019far"] * 3)
    assert "ja'far" in grown.words
