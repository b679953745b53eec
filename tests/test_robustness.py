"""Any input gets an answer: arbitrary Unicode never breaks tagging, huge lines stay
linear, and a failed run leaves the user's files as they were."""

from __future__ import annotations

import json
import time
from functools import lru_cache

from conftest import ner_rnn, run
from hypothesis import given, settings
from hypothesis import strategies as st

from ner_rnn.formats import WRITERS, Format, Output
from ner_rnn.modelfile import load_model
from ner_rnn.stream import read_lines, tag_lines


@lru_cache(maxsize=1)
def shipped():
    return load_model()


# lines of any Unicode but line breaks (a line ends at \n); \r, \x00, \u2028, emoji, RTL included
line_text = st.text(st.characters(blacklist_characters="\n"), max_size=80)


@settings(max_examples=200, deadline=None)
@given(st.lists(line_text, max_size=8))
def test_tagging_never_raises_and_gives_one_record_per_line(lines):
    tagger = shipped()
    for fmt in Format:
        out = "".join(part for tagged in tag_lines(tagger, lines, Output(fmt)) for part in tagged.parts)
        if fmt is Format.conll:  # tokens are never empty, so empty lines end records
            assert out.split("\n").count("") - 1 == len(lines)
        elif fmt is Format.jsonl:
            records = [json.loads(x) for x in out.split("\n")[:-1]]
            assert [r["text"] for r in records] == lines
            for r in records:
                for item in r["entities"] + r["tokens"]:
                    assert r["text"][item["start"] : item["end"]] == item["text"]
        else:
            assert out.count("\n") == len(lines)


@settings(max_examples=100, deadline=None)
@given(line_text)
def test_conll_record_holds_every_token(text):
    doc = shipped().tag_texts([text])[0]
    record = WRITERS[Format.conll](doc)
    rows = record.split("\n")[:-2] if doc.words else []
    assert [r.split("\t")[0] for r in rows] == doc.words


def test_a_line_of_several_megabytes_is_one_record_in_linear_time(tmp_path):
    sentence = "Marie Curie met Albert Einstein in Brussels in 1911 . "
    big = sentence * 40_000  # 2.2 MB, 400,000 tokens on one line
    tagger = shipped()
    t0 = time.perf_counter()
    (((record,), n, _, _),) = list(tag_lines(tagger, [big], Output(Format.conll)))
    seconds = time.perf_counter() - t0
    assert n == 400_000 and record.count("\n") == n + 1
    assert record.count("B-PER") == 80_000
    small = list(tag_lines(tagger, [sentence * 400], Output(Format.conll)))[0].tokens
    assert small == 4_000
    assert seconds < 60  # generous: it is linear, about 2 s here, not minutes


def test_bytes_that_are_not_utf8_leave_the_output_file_untouched(tmp_path):
    src = tmp_path / "in.txt"
    src.write_bytes(b"Marie Curie\nJos\xe9 Martin\n")
    out = tmp_path / "out.txt"
    out.write_text("previous results\n", encoding="utf-8")
    r = run("tag", "-i", src, "-o", out, "--force")
    assert r.exit_code == 1 and "in.txt:2: byte 4 is not valid UTF-8" in r.stderr
    assert out.read_text(encoding="utf-8") == "previous results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "out.txt"]


def test_control_characters_and_crlf_input(tmp_path):
    data = "Ada Lovelace\r\n\x00\x07 Alan\tTuring\x1f\r\n\u202eשלום Grace Hopper\r\n".encode()
    r = ner_rnn("tag", "-f", "jsonl", input=data)
    assert r.returncode == 0, r.stderr
    texts = [json.loads(x)["text"] for x in r.stdout.decode().splitlines()]
    assert texts == ["Ada Lovelace", "\x00\x07 Alan\tTuring\x1f", "\u202eשלום Grace Hopper"]


def test_empty_input_gives_empty_output():
    r = ner_rnn("tag", "-f", "jsonl", input=b"")
    assert r.returncode == 0 and r.stdout == b"" and r.stderr == b""


def test_read_lines_counts_bytes_and_strips_line_endings():
    import io

    consumed = [0]
    lines = list(read_lines(io.BytesIO(b"a\r\nb\n\nc"), "x", consumed=consumed))
    assert lines == ["a", "b", "", "c"] and consumed == [7]
