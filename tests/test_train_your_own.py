"""Training your own through the real command: defaults that work, recipes, fine-tuning,
the model's own label."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
from conftest import ner_rnn, one_error_line, plain_config

ROOT = Path(__file__).resolve().parents[1]
FAST = ["--hidden", "8", "--members", "1", "--no-doc-context", "--epochs", "3", "--lexicon", "none",
        "--word-classes", "none", "--name-augment", "0", "-q"]  # fmt: skip


def arrays(path):
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files if k != "__meta__"}


def f1(model, data) -> float:
    r = ner_rnn("evaluate", data, "-m", model, "-f", "json")
    assert r.returncode == 0, r.stderr.decode()
    return json.loads(r.stdout)["f1"]


def test_the_readme_training_example_gives_a_useful_model(tmp_path):
    """The README's command, as written (the model into a temporary folder), with or without Faker."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"^(ner-rnn train data/names-train\.conll .*?) +#", readme, re.M).group(1).split()
    assert command[-2:] == ["-o", "my-model.npz"]
    r = ner_rnn(*command[1:-1], tmp_path / "my-model.npz", cwd=ROOT)
    assert r.returncode == 0, r.stderr.decode()
    assert f1(tmp_path / "my-model.npz", ROOT / "data" / "names-dev.conll") >= 0.85
    r = ner_rnn("tag", "-m", tmp_path / "my-model.npz", "The weather is nice today.")
    assert r.stdout == b"The weather is nice today.\n"


def test_info_recipe_trains_the_same_model_bit_for_bit(tmp_path, small_train, small_dev):
    first = tmp_path / "a.npz"
    assert ner_rnn("train", small_train, "--dev", small_dev, "-o", first, *FAST, "--seed", "4").returncode == 0
    r = ner_rnn("info", first, "--recipe")
    assert r.returncode == 0 and b"hidden = 8" in r.stdout and b"seed = 4" in r.stdout
    recipe = tmp_path / "r.toml"
    recipe.write_bytes(r.stdout)
    again = tmp_path / "b.npz"
    assert ner_rnn("train", small_train, "--dev", small_dev, "-o", again, "--recipe", recipe, "-q").returncode == 0
    a, b = arrays(first), arrays(again)
    assert a.keys() == b.keys()
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)
    # an option overrides the recipe's setting
    other = tmp_path / "c.npz"
    r = ner_rnn("train", small_train, "-o", other, "--recipe", recipe, "--hidden", "4", "-q")
    assert r.returncode == 0 and arrays(other)["Waa"].shape == (4, 4)


def test_bad_recipes_are_one_line_usage_errors(tmp_path, small_train):
    for text, message in (
        ("hiden = 8\n", "unknown setting 'hiden'"),
        ('hidden = "eight"\n', "hidden must be int"),
        ("hidden = \n", "not a valid TOML recipe"),
        ("[features]\nngram_sizes = 3\n", "features.ngram_sizes must be a list"),
        ("dropout = 1.5\n", "--dropout must be in [0, 1)"),
    ):
        recipe = tmp_path / "r.toml"
        recipe.write_text(text)
        r = ner_rnn("train", small_train, "-o", tmp_path / "m.npz", "--recipe", recipe)
        assert r.returncode == 2, (text, r.stderr)
        assert message in one_error_line(r.stderr), text
    r = ner_rnn("train", small_train, "-o", tmp_path / "m.npz", "--recipe", tmp_path / "missing.toml")
    assert r.returncode == 2 and "no such recipe file" in one_error_line(r.stderr)
    assert not (tmp_path / "m.npz").exists()


def test_the_model_remembers_its_entity_label(tmp_path, small_train):
    text = small_train.read_text(encoding="utf-8").replace("-PER", "-NAME")
    data = tmp_path / "names.conll"
    data.write_text(text, encoding="utf-8")
    model = tmp_path / "m.npz"
    r = ner_rnn("train", data, "-o", model, "--entity", "NAME", "--hidden", "16", "--members", "1", "--no-doc-context",
                "--epochs", "30", "--patience", "30", "--lexicon", "none", "--name-augment", "0", "--lr", "0.01",
                "--dropout", "0.2", "--input-dropout", "0.2", "-q")  # fmt: skip
    assert r.returncode == 0, r.stderr.decode()
    tagged = ner_rnn("tag", "-m", model, "-f", "conll", "Marie Curie won two Nobel prizes .").stdout.decode()
    assert "B-NAME" in tagged and "PER" not in tagged
    jsonl = json.loads(ner_rnn("tag", "-m", model, "-f", "jsonl", "Marie Curie won two Nobel prizes .").stdout)
    assert {e["label"] for e in jsonl["entities"]} == {"NAME"}
    inline = ner_rnn("tag", "-m", model, "-f", "inline", "Marie Curie won two Nobel prizes .").stdout.decode()
    assert "<NAME>" in inline
    assert f1(model, data) > 0.0  # evaluate scores the model's own type
    r = ner_rnn("evaluate", small_train, "-m", model)  # a file of PER names only
    assert r.returncode == 1 and "holds no names of type NAME" in one_error_line(r.stderr)
    assert ner_rnn("evaluate", small_train, "-m", model, "--entity", "PER").returncode == 0


def test_fine_tuning_keeps_the_model_and_adds_the_new_words(tmp_path, tiny_model, small_dev):
    from ner_rnn.modelfile import load_model

    corpus = tmp_path / "new.conll"
    corpus.write_text("Zyxwo B-PER\nQuarbel I-PER\nflorbed O\n. O\n\n" * 3 + "Zyxwo B-PER\nsmiled O\n. O\n\n" * 2)
    model = tmp_path / "tuned.npz"
    r = ner_rnn("train", corpus, "--dev", small_dev, "-o", model, "--from-model", tiny_model, "--epochs", "2", "-q")
    assert r.returncode == 0, r.stderr.decode()
    base, tuned = load_model(tiny_model), load_model(model)
    assert tuned.params["Waa"].shape == base.params["Waa"].shape  # the same network, trained on
    added = set(tuned.features.words) - set(base.features.words)
    assert {"zyxwo", "quarbel", "florbed"} <= added and set(base.features.words) <= set(tuned.features.words)
    assert tuned.features.n_x == base.features.n_x + len(added)
    assert tuned.meta["config"]["from_model"] == str(tiny_model)
    assert "from_model" in tuned.meta["data"]


def test_fine_tuning_never_ends_worse_on_dev_than_the_start_model(tmp_path, tiny_model, small_dev):
    """Epoch 0 is the start model itself: a corpus that teaches the wrong thing (its names
    tagged O) cannot make the saved model worse on dev than the model it started from."""
    from ner_rnn.modelfile import load_model

    corpus = tmp_path / "wrong.conll"
    corpus.write_text("Maria O\nLopez O\nsmiled B-PER\n. O\n\n" * 20)
    model = tmp_path / "tuned.npz"
    args = ("train", corpus, "--dev", small_dev, "-o", model, "--from-model", tiny_model, "--epochs", "3")
    r = ner_rnn(*args, "--lr", "0.05")
    assert r.returncode == 0, r.stderr.decode()
    start_f1 = ner_rnn("evaluate", small_dev, "-m", tiny_model, "-f", "json")
    tuned_f1 = ner_rnn("evaluate", small_dev, "-m", model, "-f", "json")
    f1 = [json.loads(x.stdout)["f1"] for x in (start_f1, tuned_f1)]
    assert f1[1] >= f1[0] > 0.5, f1
    assert "epoch  0  the start model" in r.stderr.decode()
    meta = load_model(model).meta
    assert meta["best_epochs"] == [0] and meta["history"][0]["epoch"] == 0 and meta["history"][0]["loss"] is None

    # a loss that blows up keeps the start model in the output, and says so in one line
    blown = tmp_path / "blown.npz"
    r = ner_rnn(*args[:5], blown, *args[6:], "--lr", "1e38", "-q")
    assert r.returncode == 1 and "the start model is kept" in one_error_line(r.stderr)
    assert blown.exists()


def test_fine_tuning_resumes_bit_for_bit(tmp_path, tiny_model, small_train, small_dev):
    from ner_rnn.checkpoint import load_checkpoint, save_checkpoint
    from ner_rnn.corpus import read_conll
    from ner_rnn.modelfile import load_model
    from ner_rnn.train import Checkpoint, EpochReport, fine_tuning, fit, train

    start = load_model(tiny_model)
    train_s, dev_s = read_conll(small_train), read_conll(small_dev)
    config = fine_tuning(plain_config(epochs=4, patience=10, batch_size=8, lr=0.003, seed=5), start)
    reference = train(train_s, dev_s, config, start=start)
    assert [r.epoch for r in reference.history] == [0, 1, 2, 3, 4]

    checkpoint = tmp_path / "run.checkpoint"
    for event in fit(train_s, dev_s, config, start=start):
        if isinstance(event, Checkpoint):
            save_checkpoint(checkpoint, event.state, {})
        if isinstance(event, EpochReport) and event.epoch == 3:
            break
    state, _ = load_checkpoint(checkpoint)
    assert state.epoch == 2 and state.history[0].epoch == 0
    resumed = train(train_s, dev_s, config, resume=state, start=start)
    assert [r.epoch for r in resumed.history] == [0, 1, 2, 3, 4]
    assert resumed.best_epochs == reference.best_epochs
    for k, v in reference.tagger.params.items():
        np.testing.assert_array_equal(resumed.tagger.params[k], v, err_msg=k)


def test_several_training_files_are_one_corpus_and_keep_their_documents(tmp_path, small_train, small_dev):
    from ner_rnn.run import read_training
    from ner_rnn.train import _folds

    a, b = tmp_path / "a.conll", tmp_path / "b.conll"
    a.write_text("Ann B-PER\nsaid O\n\nBob B-PER\nleft O\n", encoding="utf-8")  # no -DOCSTART-: one document
    b.write_text("-DOCSTART- O\n\nCy B-PER\nran O\n\n-DOCSTART- O\n\nDee B-PER\nsat O\n", encoding="utf-8")
    sentences = read_training([a, b], "auto")
    assert [s.words[0] for s in sentences] == ["Ann", "Bob", "Cy", "Dee"]
    assert [s.doc for s in sentences] == [0, 0, 2, 3]  # b's documents follow a's, never joining it
    # the helpers' halves: by document, and a long running text (a file without documents) by blocks
    from ner_rnn.train import JACKKNIFE_BLOCK

    folds = _folds([0] * (2 * JACKKNIFE_BLOCK) + [1, 2, 3])
    assert folds[:JACKKNIFE_BLOCK] == [0] * JACKKNIFE_BLOCK and folds[JACKKNIFE_BLOCK:-3] == [1] * JACKKNIFE_BLOCK
    assert folds[-3:] == [1, 0, 1]

    model = tmp_path / "m.npz"
    r = ner_rnn("train", small_train, b, "--dev", small_dev, "-o", model, *FAST)
    assert r.returncode == 0, r.stderr.decode()
    assert set(json.loads(ner_rnn("info", model, "-f", "json").stdout)["meta"]["data"]) == {
        small_train.name, "b.conll", small_dev.name}  # fmt: skip
    r = ner_rnn("train", small_train, small_dev, "--dev", small_dev, "-o", tmp_path / "n.npz", *FAST)
    assert r.returncode == 2 and b"--dev is a training file" in r.stderr


def test_a_corpus_that_splits_initials_trains_on_what_the_tagger_reads():
    """A corpus written as pre-tokenized contracts are ("Charles E . Brinley") trains on "E.",
    the word the tagger hands the network for "E" and "." (tokenize.join_split), with the
    tag of its first token; so the trained model knows the word it will be shown."""
    from ner_rnn.corpus import Sentence
    from ner_rnn.train import as_read

    s = Sentence(["By", ":", "Charles", "E", ".", "Brinley"], ["O", "O", "B-PER", "I-PER", "I-PER", "I-PER"], 1)
    plain = Sentence(["John", "F.", "Kennedy"], ["B-PER", "I-PER", "I-PER"], 9)
    read = as_read([s, plain])
    assert read[0].words == ["By", ":", "Charles", "E.", "Brinley"]
    assert read[0].tags == ["O", "O", "B-PER", "I-PER", "I-PER"]
    assert read[0].line == 1 and read[1] == plain


def test_a_model_trained_on_split_initials_knows_the_word_it_reads(tmp_path):
    from conftest import plain_config

    from ner_rnn.corpus import Sentence
    from ner_rnn.train import train

    names = [("Charles", "E", "Brinley"), ("Mary", "K", "Jones"), ("Robert", "A", "Smith")]
    sents = [
        Sentence(["By", ":", first, initial, ".", last, "signed"], ["O", "O", "B-PER", "I-PER", "I-PER", "I-PER", "O"], n)
        for n, (first, initial, last) in enumerate(names * 3)
    ]
    tagger = train(sents, None, plain_config(hidden=8, epochs=2, patience=2, case_augment=0.0), decoding=False).tagger
    assert "e." in tagger.features.words and "e" not in tagger.features.words  # (the vocabulary is lower-cased)
