"""JSONL documents in, score thresholds, token scores, and `ner-rnn redact`, through the real
command line; and, over arbitrary text, that a redaction changes nothing but names."""

from __future__ import annotations

import json

import pytest
from conftest import ner_rnn, one_error_line
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ner_rnn.modelfile import load_model
from ner_rnn.redact import Redaction, Style, pools_of, redact

DOCS = [
    {"id": "a1", "meta": {"source": "mail", "n": [1, 2]}, "text": "Angela Merkel met Joe Biden.\nMerkel left."},
    {"id": "a2", "text": "No one here.", "entities": "overwritten"},
    {"id": "a3", "text": ""},
]


@pytest.fixture(scope="module")
def shipped():
    return load_model()


def jsonl(*objects) -> bytes:
    return "".join(json.dumps(o) + "\n" for o in objects).encode()


def records(stdout: bytes) -> list:
    return [json.loads(line) if line.strip() else None for line in stdout.decode().split("\n")[:-1]]


def test_jsonl_in_keeps_every_field_and_adds_the_results(shipped):
    r = ner_rnn("tag", "--input-format", "jsonl", input=jsonl(*DOCS[:2]) + b"\n" + jsonl(DOCS[2]))
    assert r.returncode == 0, r.stderr
    got = records(r.stdout)
    assert got[2] is None  # a blank line stays a blank line: output line n is input line n
    for obj, record in zip(DOCS, [got[0], got[1], got[3]]):
        expected = shipped.tag(obj["text"]).to_dict()
        assert record == {**obj, "entities": expected["entities"], "tokens": expected["tokens"]}
    # the record is one document: no name across the line break, "Merkel" found on line 2
    assert [e["text"] for e in got[0]["entities"]] == ["Angela Merkel", "Joe Biden", "Merkel"]


def test_jsonl_in_with_another_text_field_and_token_scores(shipped):
    r = ner_rnn("tag", "--input-format", "jsonl", "--text-key", "body", "--token-scores",
                input=jsonl({"body": "Mr Smith spoke.", "text": "not this"}))  # fmt: skip
    assert r.returncode == 0, r.stderr
    (record,) = records(r.stdout)
    assert record["text"] == "not this" and [e["text"] for e in record["entities"]] == ["Smith"]
    assert all(0.0 <= t["score"] <= 1.0 for t in record["tokens"])


@pytest.mark.parametrize(
    "line, problem",
    [
        (b"not json", "not JSON"),
        (b"[1, 2]", "not a JSON object but list"),
        (b'{"id": 3}', 'no "text" field'),
        (b'{"text": null}', 'the "text" field is null, not a string'),
        (b'{"text": "a" ', "not JSON"),
        (b'{"text": "a\\ud800"}', 'the "text" field holds a lone surrogate (U+D800 at character 1)'),
        # Python's json reads these, but writing them back would not be JSON, or not the number that came
        (b'{"text": "a", "n": NaN}', "not JSON (NaN is Python's, not a JSON number)"),
        (b'{"text": "a", "n": -Infinity}', "not JSON (-Infinity is Python's"),
        (b'{"text": "a", "n": 1e999}', "the number 1e999 is beyond a double's range"),
        (b'{"text": "a", "n": ' + b"7" * 5000 + b"}", "an integer of more than 4,300 digits"),
    ],
)
def test_a_bad_line_is_an_error_naming_it(tmp_path, line, problem):
    path = tmp_path / "docs.jsonl"
    path.write_bytes(jsonl(DOCS[1]) + line + b"\n" + jsonl(DOCS[1]))
    r = ner_rnn("tag", "--input-format", "jsonl", "-i", path, "-o", tmp_path / "out.jsonl")
    assert r.returncode == 1
    one_error_line(r.stderr, f"{path}:2: {problem}", "--on-bad-line keep")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs.jsonl"]  # no output, half or whole


def test_bad_lines_kept_with_an_error_field():
    lines = jsonl(DOCS[1]) + b"[1]\n" + jsonl({"id": 7}) + jsonl(DOCS[1])
    r = ner_rnn("tag", "--input-format", "jsonl", "--on-bad-line", "keep", input=lines)
    assert r.returncode == 0
    got = records(r.stdout)
    assert len(got) == 4 and got[0]["entities"] == [] and got[3] == got[0]
    assert got[1] == {"error": "not a JSON object but list", "input": "[1]"}
    assert got[2] == {"id": 7, "error": 'no "text" field (choose it with --text-key)'}
    warnings = r.stderr.decode().splitlines()
    assert warnings == ["ner-rnn: warning: <stdin>:2: not a JSON object but list; written back with an error field",
                        "ner-rnn: warning: <stdin>:3: no \"text\" field (choose it with --text-key); written back with an error field"]  # fmt: skip


def test_numbers_are_written_back_as_numbers():
    line = b'{"text": "Mr Smith spoke.", "big": ' + b"1" * 4000 + b', "tiny": 1e-5, "x": 1.5e300}\n'
    r = ner_rnn("tag", "--input-format", "jsonl", input=line)
    assert r.returncode == 0, r.stderr
    (record,) = records(r.stdout)
    assert record["big"] == int("1" * 4000) and record["tiny"] == 1e-5 and record["x"] == 1.5e300


def test_jsonl_in_refuses_text_formats():
    r = ner_rnn("tag", "--input-format", "jsonl", "-f", "conll", input=jsonl(DOCS[0]))
    assert r.returncode == 2
    one_error_line(r.stderr, "-f conll needs text input")


def test_min_score_keeps_confident_names_in_every_format(shipped):
    text = "Angela Merkel met Smith and Jones in Paris."
    names = shipped.tag(text).entities
    cut = sorted(e.score for e in names)[-1]
    kept = [e.text for e in names if e.score >= cut]
    assert 0 < len(kept) < len(names)
    r = ner_rnn("tag", "-f", "jsonl", "--min-score", cut, text)
    assert [e["text"] for e in records(r.stdout)[0]["entities"]] == kept
    r = ner_rnn("tag", "-f", "conll", "--min-score", cut, text)
    assert sum(line.endswith("\tB-PER") for line in r.stdout.decode().splitlines()) == len(kept)
    r = ner_rnn("redact", "--min-score", cut, text)
    assert r.stdout.decode().count("[PERSON]") == len(kept)
    r = ner_rnn("tag", "--min-score", "1.5", text)
    assert r.returncode == 2


def test_redact_changes_nothing_but_names_byte_for_byte(tmp_path):
    raw = "\ufeffAngela Merkel met Joe Biden.\r\n\r\n  Merkel \t left.\r\nÉmile Zola wrote; no newline at the end, Smith".encode()
    path = tmp_path / "in.txt"
    path.write_bytes(raw)
    r = ner_rnn("redact", "-i", path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == raw.replace(b"Angela Merkel", b"[PERSON]").replace(b"Joe Biden", b"[PERSON]").replace(
        b"  Merkel", b"  [PERSON]").replace("Émile Zola".encode(), b"[PERSON]").replace(b"Smith", b"[PERSON]")  # fmt: skip


def test_redact_styles_and_a_mapping_that_undoes_it(tmp_path):
    text = "Angela Merkel met Joe Biden. Later, Merkel thanked Biden."
    out = {}
    for style in ("label", "numbered", "mask", "pseudonym"):
        r = ner_rnn("redact", "--style", style, "--mask-char", "#", "--mapping", tmp_path / f"{style}.jsonl", text)
        assert r.returncode == 0, r.stderr
        out[style] = r.stdout.decode()
        redacted = out[style][:-1]
        mapping = [json.loads(line) for line in (tmp_path / f"{style}.jsonl").read_text().splitlines()]
        assert [m["original"] for m in mapping] == ["Angela Merkel", "Joe Biden", "Merkel", "Biden"]
        restored = redacted
        for m in reversed(mapping):  # undo from the end, so earlier offsets stay right
            assert restored[m["new_start"] : m["new_end"]] == m["replacement"] and m["record"] == 1
            restored = restored[: m["new_start"]] + m["original"] + restored[m["new_end"] :]
        assert restored == text
    assert out["label"] == "[PERSON] met [PERSON]. Later, [PERSON] thanked [PERSON].\n"
    assert out["numbered"] == "[PERSON_1] met [PERSON_2]. Later, [PERSON_1] thanked [PERSON_2].\n"
    assert out["mask"] == "############# met #########. Later, ###### thanked #####.\n"
    first, last = out["pseudonym"].split(" met ")[0].split()
    assert f"Later, {last} thanked" in out["pseudonym"] and "Merkel" not in out["pseudonym"]
    again = ner_rnn("redact", "--style", "pseudonym", text).stdout.decode()
    other = ner_rnn("redact", "--style", "pseudonym", "--seed", "5", text).stdout.decode()
    assert again == out["pseudonym"] != other


def test_redact_jsonl_redacts_the_text_field_only():
    r = ner_rnn("redact", "--input-format", "jsonl", "--style", "numbered", input=jsonl(DOCS[0], DOCS[1]))
    assert r.returncode == 0, r.stderr
    first, second = records(r.stdout)
    assert first == {**DOCS[0], "text": "[PERSON_1] met [PERSON_2].\n[PERSON_1] left."}
    assert second == DOCS[1]


def test_redact_refuses_a_mask_of_several_characters():
    r = ner_rnn("redact", "--style", "mask", "--mask-char", "ab", "x")
    assert r.returncode == 2
    one_error_line(r.stderr, "--mask-char takes one character")


NAMES = ["Angela Merkel", "Mr Smith", "Joe Biden", "Émile Zola", "MERKEL", "Teddy Roosevelt", "Ince"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pieces=st.lists(st.one_of(st.sampled_from(NAMES), st.text(max_size=12), st.sampled_from([" ", ". ", "\n", " met "])), max_size=25),
    style=st.sampled_from(list(Style)),
)
def test_only_names_change(shipped, pieces, style):
    """Over arbitrary text: cut the output at the replacements, and what lies between them
    is the input between its names, character for character."""
    text = "".join(pieces)
    doc = shipped.tag(text)
    redacted, replaced = redact(doc, Redaction(style, "\u2588", 1), pools_of(shipped))
    assert [r.original for r in replaced] == [e.text for e in doc.entities]
    pos = new = 0
    for r, e in zip(replaced, doc.entities):
        assert redacted[new : r.new_start] == text[pos : e.start]
        assert redacted[r.new_start : r.new_start + len(r.replacement)] == r.replacement
        assert "\n" not in r.replacement and r.replacement != r.original
        if style is Style.mask:
            assert len(r.replacement) == len(r.original)
        pos, new = e.end, r.new_start + len(r.replacement)
    assert redacted[new:] == text[pos:]


@pytest.mark.parametrize("command", [("tag", "-f", "jsonl"), ("tag", "--input-format", "jsonl"),
                                     ("redact", "--input-format", "jsonl")])  # fmt: skip
def test_a_record_is_one_line_even_with_the_line_separators_json_leaves_alone(command):
    """JSON may carry U+2028, U+2029 and U+0085 as they are, but str.splitlines() and some
    readers end a line there: each output record is one line whatever reads it."""
    texts = ["Ann Lee\u2028met Bob Stone", "x\u2029y", "Zoe Hart\x85said hi", "plain"]
    as_json = "--input-format" in command
    given = "".join((json.dumps({"text": t}) if as_json else t) + "\n" for t in texts)
    r = ner_rnn(*command, input=given.encode())
    assert r.returncode == 0, r.stderr
    lines = r.stdout.decode().splitlines()
    assert len(lines) == len(texts)
    out = [json.loads(line)["text"] for line in lines]
    if command[0] == "tag":
        assert out == texts
    else:
        assert out[1:] == ["x\u2029y", "[PERSON]\x85said hi", "plain"] and "\u2028" in out[0]
