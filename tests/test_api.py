"""The Python API as a user meets it: what `dir()` and `help()` show, `Doc` records equal to
the command line's `jsonl`, and `Tagger.pipe` over any iterable, in order, in bounded memory."""

from __future__ import annotations

import itertools
import json
import pydoc
import subprocess
import sys
from pathlib import Path

import pytest

import ner_rnn
from ner_rnn.modelfile import load_model

TEXTS = ["Angela Merkel met Joe Biden in Berlin.", "", "No one here.", "Teddy bears are on sale!", "  Merkel  left.\n"]


@pytest.fixture(scope="module")
def shipped():
    return load_model()


def test_dir_shows_the_api_and_nothing_else():
    assert dir(ner_rnn) == sorted(["Doc", "Entity", "Tagger", "load", "tag", "__version__"])
    for name in ner_rnn.__all__:
        assert getattr(ner_rnn, name) is not None
    with pytest.raises(AttributeError):
        ner_rnn.annotations  # noqa: B018 (leaked from `from __future__` once)


def test_help_documents_every_public_name():
    for thing in (ner_rnn.load, ner_rnn.tag, ner_rnn.Tagger, ner_rnn.Tagger.tag, ner_rnn.Tagger.pipe,
                  ner_rnn.Doc, ner_rnn.Doc.to_dict, ner_rnn.Doc.above, ner_rnn.Entity):  # fmt: skip
        assert thing.__doc__ and len(thing.__doc__) > 40, thing
    text = pydoc.render_doc(ner_rnn.Tagger, renderer=pydoc.plaintext)
    assert "pipe(self, texts: 'Iterable[str]', batch_size: 'int' = 1000, workers: 'int' = 1)" in text


def test_the_package_is_typed():
    from importlib.resources import files

    assert files("ner_rnn").joinpath("py.typed").is_file()
    assert ner_rnn.load.__annotations__["return"] == "Tagger"


def test_doc_repr_says_what_was_found(shipped):
    doc = shipped.tag("Angela Merkel met Joe Biden in Berlin.")
    a, b = (f"{e.score:.2f}" for e in doc.entities)
    assert repr(doc) == f"<Doc 'Angela Merkel met Joe Biden in Berlin.': 8 tokens, names ['Angela Merkel' {a}, 'Joe Biden' {b}]>"
    assert len(doc) == 8
    long = shipped.tag(" ".join(f"Mr Smith{i} said so." for i in range(20)))
    assert repr(long).startswith("<Doc 'Mr Smith0 said so. Mr Smith1 said so. Mr Smith2 said so. ...': 100 tokens, names [")
    assert repr(long).endswith(", ... (20 names)]>")
    assert repr(shipped.tag("")) == "<Doc '': 0 tokens, names []>"


def test_to_dict_is_the_jsonl_record(shipped):
    """Doc.to_dict() and the command line's `-f jsonl` give the same record for each line."""
    lines = [t for t in TEXTS if "\n" not in t]
    r = subprocess.run([sys.executable, "-m", "ner_rnn", "tag", "-f", "jsonl"], input="\n".join(lines) + "\n",
                       capture_output=True, text=True, timeout=120)  # fmt: skip
    assert r.returncode == 0, r.stderr
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert records == [shipped.tag(t).to_dict() for t in lines]
    assert records[0]["entities"][0] == shipped.tag(lines[0]).entities[0].to_dict()


def test_token_scores_are_each_tokens_probability(shipped):
    doc = shipped.tag("Angela Merkel met Joe Biden.")
    tokens = doc.to_dict(token_scores=True)["tokens"]
    assert [t["score"] for t in tokens] == [round(float(p), 4) for p in doc.p_name]
    assert tokens[0]["score"] > 0.9 and tokens[2]["score"] < 0.1
    assert "score" not in doc.to_dict()["tokens"][0]


def test_above_drops_weak_names_only(shipped):
    doc = shipped.tag("Angela Merkel met Joe Biden in Berlin and Smith.")
    scores = sorted(e.score for e in doc.entities)
    assert len(scores) >= 2
    kept = doc.above(scores[-1])
    assert [e.text for e in kept.entities] == [e.text for e in doc.entities if e.score >= scores[-1]]
    assert kept.words == doc.words and kept.text == doc.text
    assert doc.above(0.0) is doc
    assert doc.above(1.01).entities == [] and set(doc.above(1.01).tags) == {"O"}


def test_pipe_is_tag_text_by_text_in_order(shipped):
    got = list(shipped.pipe(iter(TEXTS * 3), batch_size=2))
    assert [d.to_dict() for d in got] == [shipped.tag(t).to_dict() for t in TEXTS * 3]


def test_pipe_reads_lazily_in_bounded_batches(shipped):
    """An endless generator: pipe reads one batch ahead, not the whole input."""
    read = itertools.count()

    def endless():
        for i in read:
            yield f"Mr Smith{i} spoke."

    docs = shipped.pipe(endless(), batch_size=10)
    first = list(itertools.islice(docs, 25))
    assert [d.entities[0].text for d in first] == [f"Smith{i}" for i in range(25)]
    assert next(read) <= 31  # three batches of 10 read, and the counter's own next


def test_pipe_refuses_what_is_not_texts(shipped):
    with pytest.raises(TypeError, match="to tag one text use tag"):
        shipped.pipe("Angela Merkel")
    with pytest.raises(ValueError, match="at least 1"):
        shipped.pipe(["x"], batch_size=0)  # at the call, not at the first next()
    with pytest.raises(TypeError, match="item 1 is int"):
        list(shipped.pipe(["a", 3]))


PIPE_SCRIPT = """
import ner_rnn
if __name__ == "__main__":
    tagger = ner_rnn.load()
    texts = [f"Angela Merkel met Mr Smith{i} in Paris." for i in range(300)]
    two = [[(e.text, e.start, e.end) for e in d.entities] for d in tagger.pipe(texts, batch_size=50, workers=2)]
    one = [[(e.text, e.start, e.end) for e in d.entities] for d in tagger.pipe(texts, batch_size=50)]
    assert two == one and len(two) == 300 and two[7] == [("Angela Merkel", 0, 13), ("Smith7", 21, 27)], two[7]
    print("ok")
"""


def test_pipe_with_workers_gives_the_same_names_in_order(tmp_path):
    """Through worker processes (spawned: a user's script needs the __main__ guard)."""
    script = tmp_path / "use.py"
    script.write_text(PIPE_SCRIPT)
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "ok\n"
    assert not list(tmp_path.glob("ner-rnn-*"))


def test_the_jsonl_schema_is_pinned_to_its_version(shipped):
    """docs/jsonl.md's promise: the fields of version 1 stay. Changing them means raising
    JSONL_SCHEMA and saying so in docs/jsonl.md and the CHANGELOG."""
    from ner_rnn.formats import JSONL_SCHEMA

    record = shipped.tag("Angela Merkel met Joe Biden.").to_dict(token_scores=True)
    fields = {
        "record": sorted(record),
        "entity": sorted(record["entities"][0]),
        "token": sorted(record["tokens"][0]),
    }
    assert JSONL_SCHEMA == 1
    assert fields == {"record": ["entities", "text", "tokens"], "entity": ["end", "label", "score", "start", "text"],
                      "token": ["end", "score", "start", "tag", "text"]}  # fmt: skip
    assert [type(v) for v in record["entities"][0].values()] == [int, int, str, str, float]
    doc = (Path(__file__).parents[1] / "docs" / "jsonl.md").read_text()
    assert f"schema version {JSONL_SCHEMA}" in doc


def test_info_json_is_one_object_for_programs():
    r = subprocess.run([sys.executable, "-m", "ner_rnn", "info", "-f", "json"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert r.stdout.count("\n") == 1
    assert info["jsonl_schema"] == 1 and info["label"] == "PER" and info["network"]["bidirectional"] is True
    assert 0.9 < info["dev"]["f1"] <= 1 and set(info["tests"]) == {"eng.testb", "conllpp.testb"}
    assert info["meta"]["config"]["seed"] == load_model().meta["config"]["seed"]
