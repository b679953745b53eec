"""Raw text -> tokens: CoNLL-style splits, and offsets that always slice the original text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ner_rnn.tokenize import hyphenated_names, join_split, sentence_bounds, tokenize, tokenize_words


def words(text):
    return [t.text for t in tokenize(text)]


def test_conll_style_splits():
    assert words("Teddy Roosevelt was a great President.") == [
        "Teddy", "Roosevelt", "was", "a", "great", "President", ".",
    ]  # fmt: skip
    assert words("Clinton's aide didn't say") == ["Clinton", "'s", "aide", "did", "n't", "say"]
    assert words("O'Brien met Mr. Smith in the U.S.") == ["O'Brien", "met", "Mr.", "Smith", "in", "the", "U.S."]
    assert words("It cost $1,000.50 on 1996-08-22 (10:30 a.m.)...") == [
        "It", "cost", "$", "1,000.50", "on", "1996-08-22", "(", "10:30", "a.m.", ")", "...",
    ]  # fmt: skip
    assert words("the Anglo-Dutch group, John F. Kennedy") == [
        "the", "Anglo-Dutch", "group", ",", "John", "F.", "Kennedy",
    ]  # fmt: skip
    # military ranks and other abbreviations before a name keep their dot, and end no sentence
    assert words("Maj. Gen. Qassem Soleimani and Cpl. Jane Doe met Rev. Fr. Lapsley") == [
        "Maj.", "Gen.", "Qassem", "Soleimani", "and", "Cpl.", "Jane", "Doe", "met", "Rev.", "Fr.", "Lapsley",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("under Queen Elizabeth I.", ["under", "Queen", "Elizabeth", "I", "."]),  # the dot ends the sentence
        ("Go with plan B. \nvitamin C.\n", ["Go", "with", "plan", "B", ".", "vitamin", "C", "."]),
        ("John F. Kennedy", ["John", "F.", "Kennedy"]),  # an initial within the line keeps its dot
        ("World War I. Then peace", ["World", "War", "I.", "Then", "peace"]),
        ("in the U.S.", ["in", "the", "U.S."]),
    ],
)
def test_an_initial_that_ends_a_line_is_split_from_its_dot(text, expected):
    assert words(text) == expected
    assert tokenize_words(text) == expected


def test_unicode_words_stay_whole():
    # combining accent (e + U+0301), Devanagari vowel signs, CJK, emoji, right-to-left
    text = "Cafe\u0301 हिन्दी 東京 😀 שלום naïve"
    assert words(text) == ["Cafe\u0301", "हिन्दी", "東京", "😀", "שלום", "naïve"]


def test_empty_and_blank():
    assert tokenize("") == []
    assert tokenize(" \t ") == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_offsets_slice_the_original_text(text):
    tokens = tokenize(text)
    for tok in tokens:
        assert text[tok.start : tok.end] == tok.text
        assert tok.text and not any(c.isspace() for c in tok.text)
    starts = [t.start for t in tokens]
    assert starts == sorted(starts)
    for a, b in zip(tokens, tokens[1:]):
        assert a.end <= b.start
    # nothing but whitespace is left out
    covered = set()
    for tok in tokens:
        covered.update(range(tok.start, tok.end))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


@given(st.lists(st.sampled_from(["a", "b", ".", "!", "?", "x"]), max_size=400), st.integers(1, 50))
def test_sentence_bounds_cover_the_line(ws, max_len):
    bounds = sentence_bounds(ws, max_len)
    assert [i for a, b in bounds for i in range(a, b)] == list(range(len(ws)))
    assert all(0 < b - a <= max_len for a, b in bounds)


@pytest.mark.parametrize(
    ("words", "bounds"),
    [
        (["Go", "Messi", "!", "!", "!"], [(0, 5)]),  # a run of ends ends one sentence, at its last
        (["Really", "?", "!", "Smith", "won", "."], [(0, 3), (3, 6)]),
        (["Hi", ".", "Bye"], [(0, 2), (2, 3)]),
        # the number of a list's row ends no sentence; a year does
        (["1", ".", "Alex", "Zanardi", "won", "."], [(0, 6)]),
        (["1996", ".", "Smith", "won", "."], [(0, 2), (2, 5)]),
        (["It", "was", "1", ".", "Then", "2", "."], [(0, 4), (4, 7)]),
    ],
)
def test_a_sentence_ends_after_the_last_of_a_run_of_ends(words, bounds):
    assert sentence_bounds(words) == bounds


ascii_texts = st.text(alphabet=st.sampled_from(list("aZ. ,'’-:@/nt\tF\x1cK3$\n")), max_size=60)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), ascii_texts))
def test_words_only_path_agrees_with_the_full_tokenizer(text):
    assert tokenize_words(text) == [t.text for t in tokenize(text)]


def test_handles_stay_whole():
    words = [t.text for t in tokenize("hi @AngelaMerkel, @jo_smith! me@home.org @ 5pm @5 (@BBC)")]
    assert words == ["hi", "@AngelaMerkel", ",", "@jo_smith", "!", "me@home.org", "@", "5pm", "@", "5", "(", "@BBC", ")"]


@pytest.mark.parametrize(
    ("words", "joined"),
    [
        ("By : Charles E . Brinley".split(), ("By : Charles E. Brinley".split(), [0, 1, 2, 3, 3, 4])),
        ("J . P . Morgan said".split(), (["J.P.", "Morgan", "said"], [0, 0, 0, 0, 1, 2])),
        ("N . A . , as".split(), (["N.", "A", ".", ",", "as"], [0, 0, 1, 2, 3, 4])),  # only before a capital
        ("John F. Kennedy".split(), None),  # written as eng.train writes it
        ("Plan B .".split(), None),
        ("I said no".split(), None),
    ],
)
def test_an_initial_split_from_its_dot_is_read_as_one_word(words, joined):
    assert join_split(words) == joined


def test_a_hyphenated_name_split_at_its_hyphen_is_read_as_one_word():
    names = hyphenated_names(["jean-pierre", "anne-marie", "smith", "o'brien-smith"])
    assert names == {"jean-pierre", "anne-marie"}
    assert join_split("Jean - Pierre Raffarin".split(), names) == (["Jean-Pierre", "Raffarin"], [0, 0, 0, 1])
    assert join_split("jean - pierre".split(), names) == (["jean-pierre"], [0, 0, 0])
    assert join_split("Romania - Cosmin Contra".split(), names) is None  # a dash between two words
    assert join_split("Jean - Pierre".split()) is None  # without the lexicon's names


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["A", "J", ".", "Smith", "and", "I", ",", "U.S.", "-", "Jean", "Pierre"]), max_size=30))
def test_each_token_is_read_as_one_word_and_in_order(words):
    joined = join_split(words, frozenset({"jean-pierre", "pierre-jean"}))
    if joined is None:
        return
    read, where = joined
    assert len(where) == len(words) and len(read) < len(words)
    assert where[0] == 0 and where[-1] == len(read) - 1
    assert all(b - a in (0, 1) for a, b in zip(where, where[1:]))  # in order, none left out
    for k, w in enumerate(read):  # a word read is its tokens run together
        assert w == "".join(t for t, j in zip(words, where) if j == k)
