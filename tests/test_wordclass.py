"""Word classes (ner_rnn.wordclass): the table, its blocks of x<t>, and a model file that holds one."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import plain_config, rewrite_model

from ner_rnn import wordclass
from ner_rnn.corpus import read_conll
from ner_rnn.errors import ModelFileError
from ner_rnn.features import build_features
from ner_rnn.modelfile import load_model, save_model

# written forms -> log-probability, and their Brown clusters (spaCy's coding: a leading 1, then the path)
FORMS = {"Angela": -12.0, "angela": -15.0, "Lender": -15.0, "lender": -13.5, "the": -3.5, "The": -5.9,
         "Merkel": -14.0, "Kowalczyk": -17.5, "EU": -9.0, "zzrare": -19.5, "Teddy": -13.0, "teddy": -12.5, "Maria": -12.7, "Marta": -14.1,
         "x" * (wordclass.WIDTH + 1): -10.0}  # fmt: skip
CLUSTERS = {"Angela": 0b11111110110, "angela": 0b11111110110, "Teddy": 0b11111110110, "teddy": 0b10011,
            "Maria": 0b11111110110, "Marta": 0b11111110000,
            "Merkel": 0b11010110, "lender": 0b1111000100101, "Lender": 0b110110, "the": 0b11011}  # fmt: skip


def small_table() -> wordclass.WordClasses:
    return wordclass.build(FORMS, CLUSTERS, "made up for the tests")


def test_the_table_counts_capitals_frequency_and_the_commonest_forms_cluster():
    table = small_table()
    assert table.words.dtype == np.dtype(f"S{wordclass.WIDTH}")
    assert list(table.words) == sorted(table.words)
    codes = dict(zip([w.decode() for w in table.words], table.codes.tolist()))
    assert "zzrare" not in codes  # rarer than MIN_LOGPROB and no cluster
    assert "x" * (wordclass.WIDTH + 1) not in codes  # longer than the table's words
    share = math.exp(-12.0) / (math.exp(-12.0) + math.exp(-15.0))
    assert codes["angela"][1] == wordclass.capitals_bucket(share) == 11
    assert codes["lender"][1] == wordclass.capitals_bucket(math.exp(-15) / (math.exp(-15) + math.exp(-13.5))) == 3
    # "teddy" is written lower-case more often, so its cluster is that form's
    assert table.clusters[codes["teddy"][0]] == "0011"
    assert table.clusters[codes["angela"][0]] == "1111110110"
    # no cluster: still a capital share, but the "unknown" frequency, however common the word
    assert codes["kowalczyk"] == [0, 11, 0] and codes["eu"] == [0, 11, 0]
    assert codes["the"][2] == 1 and codes["lender"][2] == wordclass.frequency_bucket(-13.5 + math.log1p(math.exp(-1.5)))
    assert wordclass.frequency_bucket(-17.5) == wordclass.FREQUENCY_BUCKETS - 1
    got = table.lookup(["angela", "nothere", "x" * (wordclass.WIDTH + 1), "", "the"])
    assert got.tolist() == [codes["angela"], [0, 0, 0], [0, 0, 0], [0, 0, 0], codes["the"]]


def test_word_classes_do_not_depend_on_case_and_share_prefixes():
    table = small_table()
    f = build_features(["Angela", "Merkel", "said"] * 3, word_classes=table)
    plain = build_features(["Angela", "Merkel", "said"] * 3)
    assert f.n_x > plain.n_x
    n = len(wordclass.PREFIX_BITS) + 2  # prefix columns, capitals, frequency, after the four fixed slots

    def classes(word):
        return f.columns(word)[0][4 : 4 + n]

    assert classes("Angela") == classes("angela") == classes("ANGELA")
    assert classes("Maria")[:4] == classes("Angela")[:4]  # the same cluster: every prefix
    assert classes("Marta")[:2] == classes("Angela")[:2] and classes("Marta")[2] != classes("Angela")[2]
    assert classes("Merkel")[0] != classes("Angela")[0]
    unknown = classes("Qwzx")
    assert unknown[:4] == f._class_columns[0] and all(plain.n_x <= c < f.n_x for c in unknown)
    idx, val = f.encode(["Angela", "Qwzx"])
    assert idx[0, 4 : 4 + n].tolist() == classes("Angela") and (val[:, 4 : 4 + n] == 1).all()


@pytest.fixture(scope="module")
def classes_model(tmp_path_factory, small_train, small_dev):
    """A small model trained with the made-up table (monkeypatching what --word-classes spacy loads)."""
    from ner_rnn import train as training

    mp = pytest.MonkeyPatch()
    mp.setattr(training, "load_word_classes", lambda spec: small_table() if spec == "spacy" else None)
    try:
        config = plain_config(word_classes="spacy", hidden=8, epochs=3, seed=1)
        result = training.train(read_conll(small_train), read_conll(small_dev), config)
    finally:
        mp.undo()
    path = tmp_path_factory.mktemp("classes") / "m.npz"
    save_model(path, result.tagger, {"command": "tests", "config": config.to_json()})
    return path, result.tagger


def test_a_model_keeps_its_table_and_tags_the_same_after_loading(classes_model):
    path, tagger = classes_model
    loaded = load_model(path)
    assert loaded.features.word_classes is not None and loaded.features.n_x == tagger.features.n_x
    np.testing.assert_array_equal(loaded.features.word_classes.codes, small_table().codes)
    text = "Angela Merkel met Teddy Kowalczyk in Berlin ."
    a, b = loaded.tag(text), tagger.tag(text)
    assert a.tags == b.tags and np.allclose(a.p_name, b.p_name, atol=1e-3)
    with np.load(path, allow_pickle=False) as npz:
        assert {"word_classes.words", "word_classes.codes"} <= set(npz.files)


def _code_out_of_range(arrays, meta):
    arrays["word_classes.codes"] = arrays["word_classes.codes"].copy()
    arrays["word_classes.codes"][0, 1] = wordclass.CAPITAL_BUCKETS


@pytest.mark.parametrize(
    "change, fragment",
    [
        (lambda a, m: a.pop("word_classes.codes"), "expected"),
        (lambda a, m: a.update({"word_classes.codes": a["word_classes.codes"].astype(np.int64)}), "expected uint16"),
        (lambda a, m: m["features"]["word_classes"].update(size=-1), "size and width must be counts"),
        (lambda a, m: m["features"]["word_classes"].update(clusters=["012"]), "bit strings"),
        (_code_out_of_range, "a code outside its block"),
        (lambda a, m: a.update({"word_classes.words": a["word_classes.words"].astype("S8")}), "expected |S20"),
    ],
)
def test_a_damaged_table_is_refused_in_one_line(classes_model, tmp_path, change, fragment):
    bad = rewrite_model(classes_model[0], tmp_path / "bad.npz", change)
    with pytest.raises(ModelFileError) as e:
        load_model(bad)
    assert fragment in str(e.value) and "\n" not in str(e.value), str(e.value)


def test_without_the_package_training_says_so_and_goes_on(monkeypatch, small_train, small_dev, tmp_path):
    from ner_rnn import run as run_module
    from ner_rnn.run import TrainFiles, run

    monkeypatch.setattr(wordclass, "installed", lambda: False)
    logs = []

    class Reporter(run_module.Reporter):
        def log(self, text):
            logs.append(text)

    config = plain_config(word_classes="spacy", hidden=4, epochs=1)
    run(TrainFiles(small_train, small_dev, ()), tmp_path / "m.npz", config, reporter=Reporter())
    assert any("spacy-lookups-data is not installed" in m for m in logs), logs
    model = load_model(tmp_path / "m.npz")
    assert model.features.word_classes is None and model.meta["config"]["word_classes"] == "none"


def test_spacys_tables_when_installed():
    pytest.importorskip("spacy_lookups_data")
    table = wordclass.load_word_classes("spacy")
    assert len(table) > 200_000 and "MIT" in table.source
    angela, lender, will = table.lookup(["angela", "lender", "will"]).tolist()
    assert angela[1] >= 10 and lender[1] <= 4 and will[1] <= 2  # capital share in tenths, plus one


def test_word_class_dropout_hides_a_tokens_classes_in_training():
    from ner_rnn.train import TrainConfig, encode_corpus, make_batch

    sentences = read_conll(__import__("conftest").DATA / "names-train.conll")[:20]
    features = build_features((w for s in sentences for w in s.words), word_classes=small_table())
    data = encode_corpus(sentences, features, ["O", "PER"], frozenset({"PER"}))
    assert len(data.classes_none) == features.class_slots == 6
    rng = np.random.default_rng(0)
    shown = make_batch(data, list(range(20)), 0.0, rng)
    hidden = make_batch(data, list(range(20)), 0.0, rng, class_dropout=0.999)
    real = hidden.mask.astype(bool)
    rows = hidden.idx[hidden.words[real]]
    assert (rows[:, 4:10] == data.classes_none).all()  # every token: "not in the table"
    assert not (shown.idx[shown.words[real]][:, 4:10] == data.classes_none).all()
    with pytest.raises(Exception, match="word_class_dropout"):
        TrainConfig(word_class_dropout=1.0).check()


def test_name_cluster_noise_gives_names_the_clusters_of_capitalised_non_names():
    from ner_rnn.train import TrainConfig, encode_corpus, make_batch

    sentences = read_conll(__import__("conftest").DATA / "names-train.conll")[:20]
    features = build_features((w for s in sentences for w in s.words), word_classes=small_table())
    data = encode_corpus(sentences, features, ["O", "PER"], frozenset({"PER"}))
    # names-train.conll has no other types: the pool is a capitalised token outside names, each one
    words = [w for s in sentences for w, t in zip(s.words, s.tags) if t == "O" and w[:1].isupper()]
    assert len(data.cluster_donors) == len(words) > 0
    pool = {tuple(r) for r in data.idx[data.cluster_donors][:, 4:8].tolist()}
    rng = np.random.default_rng(0)
    shown = make_batch(data, list(range(20)), 0.0, rng)
    noisy = make_batch(data, list(range(20)), 0.0, rng, cluster_noise=0.999)
    real, name = noisy.mask.astype(bool), noisy.y.astype(bool)
    assert (noisy.y == shown.y).all() and name.any()
    before, after = shown.idx[shown.words], noisy.idx[noisy.words]
    # other tokens keep every column; a name keeps all but its cluster's four prefixes
    assert (before[real & ~name] == after[real & ~name]).all()
    assert (np.delete(before[name], np.s_[4:8], axis=1) == np.delete(after[name], np.s_[4:8], axis=1)).all()
    assert {tuple(r) for r in after[name][:, 4:8].tolist()} <= pool
    assert not (before[name][:, 4:8] == after[name][:, 4:8]).all()
    with pytest.raises(Exception, match="name_cluster_noise"):
        TrainConfig(name_cluster_noise=1.0).check()


def test_full_name_cluster_noise_is_for_the_words_of_longer_names_only():
    from ner_rnn.train import TrainConfig, encode_corpus, make_batch

    sentences = read_conll(__import__("conftest").DATA / "names-train.conll")[:40]
    features = build_features((w for s in sentences for w in s.words), word_classes=small_table())
    data = encode_corpus(sentences, features, ["O", "PER"], frozenset({"PER"}))
    rng = np.random.default_rng(0)
    chosen = list(range(len(sentences)))
    shown = make_batch(data, chosen, 0.0, rng)
    noisy = make_batch(data, chosen, 0.0, rng, cluster_noise=0.0, full_cluster_noise=0.999)
    real, name = noisy.mask.astype(bool), noisy.y.astype(bool)
    beside = np.zeros_like(name)
    beside[1:] |= name[:-1]
    beside[:-1] |= name[1:]
    longer, alone = name & beside, name & ~beside
    assert longer.any() and alone.any()
    before, after = shown.idx[shown.words], noisy.idx[noisy.words]
    assert (before[real & ~longer] == after[real & ~longer]).all()  # one-word names and other tokens: as they are
    assert not (before[longer][:, 4:8] == after[longer][:, 4:8]).all()
    # without a rate of its own, a longer name's words have the rate of every name's
    same = make_batch(data, chosen, 0.0, np.random.default_rng(1), cluster_noise=0.3)
    again = make_batch(data, chosen, 0.0, np.random.default_rng(1), cluster_noise=0.3, full_cluster_noise=0.3)
    assert (same.idx[same.words] == again.idx[again.words]).all()
    with pytest.raises(Exception, match="full_name_cluster_noise"):
        TrainConfig(full_name_cluster_noise=1.0).check()


def test_with_other_types_the_clusters_for_names_are_those_of_other_names():
    from ner_rnn.corpus import Sentence
    from ner_rnn.train import encode_corpus

    sentences = [
        Sentence(["Angela", "Merkel", "visited", "Teddy", "Town", "."], ["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "O"], 1),
        Sentence(["The", "Lender", "met", "Maria", "in", "Merkel", "."], ["O", "O", "O", "I-PER", "O", "I-LOC", "O"], 2),
    ]
    features = build_features((w for s in sentences for w in s.words), word_classes=small_table())
    data = encode_corpus(sentences, features, ["O", "PER"], frozenset({"PER"}))
    type_ids = [int(i) for i in data.cluster_donors]
    assert type_ids == [int(data.sentences[0][3]), int(data.sentences[0][4]), int(data.sentences[1][5])]


def test_a_cased_table_gives_a_capitalised_form_its_own_cluster():
    forms = FORMS | {"major": -9.0, "Major": -13.0, "MAJOR": -17.0}
    clusters = CLUSTERS | {"major": 0b10101, "Major": 0b11010111, "MAJOR": 0b11010111}
    plain, cased = wordclass.build(forms, clusters), wordclass.build(forms, clusters, cased=True)
    assert not plain.cased and cased.cased
    # capitalised forms with a cluster not their word's ("MAJOR" is too rare)
    assert {w.decode() for w in cased.words} - {w.decode() for w in plain.words} == {"Major", "Lender", "Teddy"}
    f, g = build_features(["Major"], word_classes=plain), build_features(["Major"], word_classes=cased)

    def path(features, word):
        c = features.columns(word)[0][4]  # the first prefix column of the word's cluster
        return next(i for i, cols in enumerate(features._class_columns) if cols[0] == c)

    assert cased.clusters[path(g, "Major")][:4] == "1010" and cased.clusters[path(g, "major")][:4] == "0101"
    assert plain.clusters[path(f, "Major")][:4] == "0101"  # the word's cluster, whatever its case
    # the capital share and frequency stay the word's; a cased model keeps its table's kind
    assert g.columns("Major")[0][8:10] == g.columns("major")[0][8:10]
    assert wordclass.WordClasses.from_json(cased.to_json(), cased.arrays()).cased
    assert not wordclass.WordClasses.from_json(plain.to_json(), plain.arrays()).cased
