"""The command line through its real entry point: round trips, formats, streams, exit codes."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import ner_rnn, run

from ner_rnn.modelfile import load_model


def test_train_tag_evaluate_round_trip(tmp_path, small_train, small_dev):
    model = tmp_path / "m.npz"
    r = ner_rnn("train", small_train, "--dev", small_dev, "-o", model, "--epochs", "3", "--hidden", "16", "--quiet")
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout == b""  # training writes nothing to stdout
    assert model.is_file()

    r = ner_rnn("tag", "-m", model, "-f", "jsonl", input="Anna Berg met Tom.\n\nNo one here.\n".encode())
    assert r.returncode == 0, r.stderr.decode()
    records = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [rec["text"] for rec in records] == ["Anna Berg met Tom.", "", "No one here."]

    r = ner_rnn("evaluate", small_dev, "-m", model, "-f", "json")
    assert r.returncode == 0, r.stderr.decode()
    scores = json.loads(r.stdout)
    for key in ("precision", "recall", "f1", "token_accuracy", "gold_entities", "predicted_entities", "correct"):
        assert key in scores
    assert scores["gold_entities"] == sum(line.endswith("B-PER") for line in small_dev.read_text().splitlines())

    r = ner_rnn("info", model)
    assert r.returncode == 0 and b"bidirectional" in r.stdout


def test_train_members_writes_one_merged_network(tmp_path, small_train, small_dev):
    model = tmp_path / "m.npz"
    args = ["train", small_train, "--dev", small_dev, "-o", model, "--epochs", "2", "--hidden", "6", "--members", "2"]
    r = ner_rnn(*args)
    assert r.returncode == 0, r.stderr.decode()
    log = r.stderr.decode()
    assert "network 1/2  epoch  2" in log and "network 2/2  epoch  2" in log and "(2 networks, epochs" in log
    with np.load(model, allow_pickle=False) as npz:
        assert npz["Waa"].shape == npz["Waa_b"].shape == (12, 12)  # two networks of 6 units, one of 12
        assert not npz["Waa"][:6, 6:].any() and not npz["Waa"][6:, :6].any()
    r = ner_rnn("info", model)
    assert r.returncode == 0 and b"n_a = 12 (2 networks merged)" in r.stdout
    r = ner_rnn("tag", "-m", model, "Anna Berg met Tom.")
    assert r.returncode == 0, r.stderr.decode()


def test_jsonl_offsets_slice_the_input(tiny_model):
    texts = ["Marie Curie won two prizes in Paris.", "  spaced   out  ", "Émile Zola 😀 wrote.", ""]
    r = run("tag", "-m", tiny_model, "-f", "jsonl", *texts)
    assert r.exit_code == 0, r.stderr
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert [rec["text"] for rec in records] == texts
    for rec in records:
        for item in rec["entities"] + rec["tokens"]:
            assert rec["text"][item["start"] : item["end"]] == item["text"]
        for ent in rec["entities"]:
            assert ent["label"] == "PER" and 0.0 <= ent["score"] <= 1.0


def test_formats(tiny_model):
    text = "Marie Curie won two Nobel prizes."
    conll = run("tag", "-m", tiny_model, "-f", "conll", text).stdout
    rows = conll.split("\n")
    assert rows[-2:] == ["", ""]  # a blank line closes the record
    assert [r.split("\t")[0] for r in rows[:-2]] == ["Marie", "Curie", "won", "two", "Nobel", "prizes", "."]
    tags = [r.split("\t")[1] for r in rows[:-2]]
    assert all(t in ("O", "B-PER", "I-PER") for t in tags)
    plain = run("tag", "-m", tiny_model, "-f", "text", text).stdout
    inline = run("tag", "-m", tiny_model, "-f", "inline", text).stdout
    assert plain.replace("[", "").replace("]", "") == text + "\n"
    assert inline.replace("<PERSON>", "").replace("</PERSON>", "") == text + "\n"
    n_names = tags.count("B-PER")
    assert plain.count("[") == n_names and inline.count("<PERSON>") == n_names


def test_stdin_one_record_per_line_in_order(tiny_model):
    lines = ["Marie Curie won.", "", "   ", "Alan Turing worked.", "x" * 3000, "Ford trucks."]
    r = run("tag", "-m", tiny_model, "-f", "jsonl", input="\n".join(lines) + "\n")
    assert r.exit_code == 0, r.stderr
    assert [json.loads(x)["text"] for x in r.stdout.splitlines()] == lines
    r = run("tag", "-m", tiny_model, "-f", "text", input="\n".join(lines) + "\n")
    assert len(r.stdout.splitlines()) == len(lines)


def test_chunks_tagged_apart_concatenate_to_the_whole(tiny_model, small_dev, tmp_path):
    """A line-in, record-out filter: cut the input anywhere between lines, tag the pieces,
    join the outputs, and get exactly the output of tagging it whole."""
    blocks = small_dev.read_text().split("\n\n")
    lines = [" ".join(row.split()[0] for row in block.splitlines()) for block in blocks if block]
    text = "\n".join(lines + ["", "Ada Lovelace and Charles Babbage."]) + "\n"
    for fmt in ("conll", "jsonl", "text"):
        whole = run("tag", "-m", tiny_model, "-f", fmt, input=text).stdout
        pieces = text.splitlines(keepends=True)
        parts = [pieces[:7], pieces[7:8], pieces[8:30], pieces[30:]]
        joined = "".join(run("tag", "-m", tiny_model, "-f", fmt, input="".join(p)).stdout for p in parts)
        assert joined == whole, fmt


def test_input_files_and_output_file(tiny_model, tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("Marie Curie won.\nAlan Turing worked.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = run("tag", "-m", tiny_model, "-f", "jsonl", "-i", a, "-i", a, "-o", out)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4
    before = out.read_bytes()
    r = run("tag", "-m", tiny_model, "-i", a, "-o", out)
    assert r.exit_code == 1 and "--force" in r.stderr
    assert out.read_bytes() == before


def test_save_load_gives_identical_predictions(tiny_model, tmp_path, small_dev):
    from ner_rnn.corpus import read_conll
    from ner_rnn.modelfile import load_model, save_model

    a = load_model(tiny_model)
    copy = save_model(tmp_path / "copy.npz", a)
    b = load_model(copy)
    sentences = [s.words for s in read_conll(small_dev)]
    for pa, pb in zip(a.predict(sentences), b.predict(sentences)):
        assert (pa == pb).all()
    with pytest.raises(Exception, match="already exists"):
        save_model(copy, a)


@pytest.mark.parametrize(
    "args, code, fragment",
    [
        (["tag", "--format", "xml", "x"], 2, "--format"),
        (["tag", "-m", "{missing}", "x"], 1, "no such model file"),
        (["tag", "-i", "{missing}"], 1, "no such file"),
        (["tag", "-i", "{tmp}", "text"], 2, "not both"),
        (["train", "{train}", "-o", "{tmp}/m.npz", "--epochs", "0"], 2, "--epochs"),
        (["train", "{train}", "-o", "{tmp}/m.npz", "--hidden", "-3"], 2, "--hidden"),
        (["train", "{train}", "-o", "{tmp}/m.npz", "--doc-context", "--context-window", "-1"], 2, "--context-window"),
        (["train", "{train}", "--dev", "{train}", "-o", "{tmp}/m.npz"], 2, "--dev is a training file"),
        (["train", "{missing}", "-o", "{tmp}/m.npz"], 1, "no such file"),
        (["evaluate", "{missing}"], 1, "no such file"),
        (["nonsense"], 2, "No such command"),
    ],
)
def test_user_mistakes_get_one_line_and_an_exit_code(args, code, fragment, tmp_path, small_train):
    places = {"{missing}": str(tmp_path / "missing.txt"), "{tmp}": str(tmp_path), "{train}": str(small_train)}

    def fill(arg):
        for key, value in places.items():
            arg = arg.replace(key, value)
        return arg

    args = [fill(a) for a in args]
    r = run(*args)
    assert r.exit_code == code, (r.exit_code, r.stderr)
    assert r.stdout == ""
    assert r.stderr.startswith("ner-rnn: error: ") and r.stderr.count("\n") == 1, r.stderr
    assert fragment in r.stderr
    assert not (tmp_path / "m.npz").exists()


def test_invalid_utf8_names_the_line(tiny_model):
    r = ner_rnn("tag", "-m", tiny_model, input=b"fine\nJos\xe9 Martin\n")
    assert r.returncode == 1
    assert (
        r.stderr.decode()
        == "ner-rnn: error: <stdin>:2: byte 4 is not valid UTF-8 (pass --replace-invalid to tag it anyway)\n"
    )
    r = ner_rnn("tag", "-m", tiny_model, "--replace-invalid", "-f", "jsonl", input=b"fine\nJos\xe9 Martin\n")
    assert r.returncode == 0
    assert json.loads(r.stdout.decode().splitlines()[1])["text"] == "Jos\ufffd Martin"


def test_train_refuses_to_overwrite_without_force(tmp_path, small_train):
    model = tmp_path / "m.npz"
    model.write_bytes(b"precious")
    r = run("train", small_train, "-o", model, "--epochs", "1", "--hidden", "4")
    assert r.exit_code == 1 and "--force" in r.stderr
    assert model.read_bytes() == b"precious"
    r = run("train", small_train, "-o", model, "--epochs", "1", "--hidden", "4", "--force", "--quiet")
    assert r.exit_code == 0, r.stderr
    assert model.read_bytes() != b"precious"


def _tags(conll_output: str) -> list[list[str]]:
    """Tags per output record of the conll format (each record ends with a blank line)."""
    records, current = [], []
    for row in conll_output.splitlines():
        if row:
            current.append(row.split("\t")[1])
        else:
            records.append(current)
            current = []
    return records


def test_paragraphs_tag_lines_as_one_record_and_output_one_record_per_line():
    """With --paragraphs the lines of a paragraph share document context: the tags are those
    of the paragraph given as one line; output stays one record per input line."""
    story = ["Jerry Rice caught two passes .", "Rice had 120 yards ."]
    other = "It rained in Leeds ."
    text = "\n".join([*story, "", other]) + "\n"
    out = ner_rnn("tag", "-f", "conll", "--paragraphs", input=text.encode())
    assert out.returncode == 0, out.stderr
    records = _tags(out.stdout.decode())
    assert len(records) == 4 and records[2] == []  # one record per line, the blank one empty
    whole = _tags(ner_rnn("tag", "-f", "conll", input=(" ".join(story) + "\n").encode()).stdout.decode())
    assert records[0] + records[1] == whole[0]
    # the shipped model finds "Rice" in the second line only with the first line as context
    # (P(name) 0.08 alone)
    alone = _tags(ner_rnn("tag", "-f", "conll", input=(story[1] + "\n").encode()).stdout.decode())
    assert alone[0][0] == "O" and records[1][0] == "B-PER"


def test_a_company_named_in_the_record_is_not_a_person_there():
    """The shipped model tags a lone "Pirelli" as a name; "Pirelli SpA" in the same record,
    in the same line or (with --paragraphs) the next, says it is a company."""
    lines = "Pirelli is linking with a local group .\nThe unit of Pirelli SpA makes cables .\n"
    apart = ner_rnn("tag", input=lines.encode())
    together = ner_rnn("tag", input=lines.replace("\nThe", " The").encode())
    paragraph = ner_rnn("tag", "--paragraphs", input=lines.encode())
    assert apart.stdout.decode().splitlines() == ["[Pirelli] is linking with a local group .", lines.splitlines()[1]]
    assert together.stdout.decode() == lines.replace("\nThe", " The")
    assert paragraph.stdout.decode() == lines


def test_paragraph_chunks_end_at_blank_lines(monkeypatch):
    from ner_rnn import stream

    monkeypatch.setattr(stream, "CHUNK_LINES", 3)
    lines = ["a", "b", "c", "d", "", "e", "f", "g", "h", "i", ""]
    assert list(stream.chunks(lines)) == [["a", "b", "c"], ["d", "", "e"], ["f", "g", "h"], ["i", ""]]
    assert list(stream.chunks(lines, paragraphs=True)) == [lines[:5], lines[5:]]
    monkeypatch.setattr(stream, "PARAGRAPH_LINES", 4)  # an endless paragraph is still cut
    assert list(stream.chunks(lines, paragraphs=True)) == [lines[:4], lines[4:9], lines[9:]]
    assert list(stream.chunks(["x"] * 12, paragraphs=True)) == [["x"] * 4] * 3  # and cut again
    assert stream.paragraph_documents(lines) == [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2]


def test_handles_of_people_are_names_and_no_handles_turns_that_off(tmp_path):
    """An @-handle that may be a person's is a name of its own, in every path that tags:
    the command line, many lines on two workers, redact; --no-handles leaves them to the
    network, which has never seen a handle."""
    text = "Thanks @elonmusk @AngelaMerkel and @NASA for the launch, said @nytimes via @Reuters"
    out = ner_rnn("tag", text)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode() == "Thanks [@elonmusk] [@AngelaMerkel] and @NASA for the launch, said @nytimes via @Reuters\n"
    off = ner_rnn("tag", "--no-handles", "-f", "jsonl", text)
    tagger = load_model(None)
    tagger.handles = False  # the network alone, whatever it finds
    assert json.loads(off.stdout)["entities"] == tagger.tag(text).to_dict()["entities"]
    assert "@elonmusk" not in [e["text"] for e in json.loads(off.stdout)["entities"]]  # P(name) 0.01
    lines = tmp_path / "many.txt"
    line = "Booked the tickets for @jo_smith today"  # the network alone finds no one here
    lines.write_text((line + "\n") * 3000)
    many = ner_rnn("tag", "-w", "2", "-f", "jsonl", "-i", lines)
    assert many.returncode == 0, many.stderr
    assert {tuple(e["text"] for e in json.loads(r)["entities"]) for r in many.stdout.decode().splitlines()} == {("@jo_smith",)}
    many_off = ner_rnn("tag", "-w", "2", "--no-handles", "-i", lines)
    assert set(many_off.stdout.decode().splitlines()) == {ner_rnn("tag", "--no-handles", line).stdout.decode().strip()}
    assert "[@jo_smith]" not in many_off.stdout.decode()
    assert ner_rnn("redact", "Ask @jo_smith").stdout.decode() == "Ask [PERSON]\n"
