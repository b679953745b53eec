"""CoNLL files in every tag scheme read to the same spans; malformed files name file:line."""

from __future__ import annotations

import pytest

from ner_rnn.corpus import check_scheme, read_conll
from ner_rnn.errors import CorpusError
from ner_rnn.tags import spans_from_tags

WORDS = "Peter Blackburn met John Smith Bob Jones and Paris".split()
SCHEMES = {
    "iob2": "B-PER I-PER O B-PER I-PER B-PER I-PER O B-LOC",
    "iob1": "I-PER I-PER O I-PER I-PER B-PER I-PER O I-LOC",
    "iobes": "B-PER E-PER O B-PER E-PER B-PER E-PER O S-LOC",
    "io": "I-PER I-PER O I-PER I-PER I-PER I-PER O I-LOC",
}


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_scheme_gives_the_same_spans(tmp_path, scheme):
    rows = "".join(f"{w} NNP {t}\n" for w, t in zip(WORDS, SCHEMES[scheme].split()))
    (sentence,) = read_conll(write(tmp_path, "a.conll", "-DOCSTART- -X- O\n\n" + rows))
    spans = spans_from_tags(sentence.tags)
    if scheme == "io":  # IO cannot separate two names that touch
        assert spans == [(0, 2), (3, 7)]
    else:
        assert spans == [(0, 2), (3, 5), (5, 7)]


def test_windows_endings_tabs_and_no_final_blank_line(tmp_path):
    text = "Anna\tNNP B-PER\r\nBerg  NNP\tI-PER\r\nran O\r\n\r\nBob B-PER"
    a, b = read_conll(write(tmp_path, "w.conll", text))
    assert a.words == ["Anna", "Berg", "ran"] and a.tags == ["B-PER", "I-PER", "O"]
    assert b.words == ["Bob"] and b.line == 5


def test_bilou_reads_as_iobes(tmp_path):
    from ner_rnn.tags import spans_from_tags

    text = "Anna B-PER\nvon I-PER\nBerg L-PER\nmet O\nBob U-PER\n"
    (s,) = read_conll(write(tmp_path, "b.conll", text))
    assert s.tags == ["B-PER", "I-PER", "E-PER", "O", "S-PER"]
    assert spans_from_tags(s.tags) == [(0, 3), (4, 5)]


def test_comments_as_conll_u_writes_them_are_skipped_but_a_token_hash_is_read(tmp_path):
    text = ("# sent_id = 1\n# text = Anna Berg ran O\nAnna\tNNP\tB-PER\nBerg\tNNP\tI-PER\n#\t#\tO\n\n"
            "# a note\n#\tO\nBob\tB-PER\n")  # fmt: skip
    a, b = read_conll(write(tmp_path, "c.conll", text))
    assert a.words == ["Anna", "Berg", "#"] and a.tags == ["B-PER", "I-PER", "O"] and a.line == 3
    assert b.words == ["#", "Bob"] and b.tags == ["O", "B-PER"]


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("Anna B-PER\nBerg\n", 2, "expected a word and a tag"),
        ("Anna B-PER\nBerg X-PER\n", 2, "malformed tag 'X-PER'"),
        ("Anna B-PER\n\nBerg B_PER\n", 3, "malformed tag"),
    ],
)
def test_malformed_lines_name_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, "bad.conll", text)
    with pytest.raises(CorpusError) as e:
        read_conll(path)
    assert str(e.value).startswith(f"{path}:{line}: ")
    assert message in str(e.value)


def test_empty_and_missing_files(tmp_path):
    with pytest.raises(CorpusError, match="holds no sentences"):
        read_conll(write(tmp_path, "empty.conll", "\n\n"))
    with pytest.raises(CorpusError, match="no such file"):
        read_conll(tmp_path / "nope.conll")
    bad = tmp_path / "latin1.conll"
    bad.write_bytes(b"Ana B-PER\n\nJos\xe9 B-PER\n")
    with pytest.raises(CorpusError, match=r"latin1.conll:3: not valid UTF-8"):
        read_conll(bad)


@pytest.mark.parametrize("scheme", ["iob1", "iob2", "iobes", "io"])
def test_each_file_passes_its_own_declared_scheme(tmp_path, scheme):
    rows = "".join(f"{w} NNP {t}\n" for w, t in zip(WORDS, SCHEMES[scheme].split()))
    path = write(tmp_path, "a.conll", rows)
    check_scheme(read_conll(path), scheme, path)


@pytest.mark.parametrize(
    "scheme, tags, line, why",
    [
        ("iob2", "O I-PER I-PER", 2, "does not continue a PER entity"),
        ("iob2", "B-ORG I-PER", 2, "does not continue a PER entity"),
        ("iob2", "B-PER E-PER", 2, "not an IOB2 tag"),
        ("iobes", "O E-LOC", 2, "does not continue a LOC entity"),
        ("iob1", "O B-PER", 2, "may only follow another PER token"),
        ("io", "B-PER I-PER", 1, "not an IO tag"),
    ],
)
def test_declared_scheme_violations_name_the_line(tmp_path, scheme, tags, line, why):
    tags = tags.split()
    path = write(tmp_path, "bad.conll", "".join(f"w{i} {t}\n" for i, t in enumerate(tags)))
    with pytest.raises(CorpusError) as e:
        check_scheme(read_conll(path), scheme, path)
    assert str(e.value).startswith(f"{path}:{line}: ") and why in str(e.value)
    check_scheme(read_conll(path), "auto", path)  # conlleval's reading accepts it
