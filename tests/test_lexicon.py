"""The Faker lexicon and the pool of names that name augmentation draws from."""

from __future__ import annotations

import pytest

from ner_rnn.lexicon import CODES, faker_lexicon, latin_names


def test_the_pool_holds_latin_spellings_of_every_locale_hyphens_included():
    pytest.importorskip("faker")
    first, last = latin_names()
    assert first == sorted(set(first)) and last == sorted(set(last))
    assert {"Anne-Marie", "Chia-hao", "Akira"} <= set(first)  # Swedish/French, zh_TW and ja_JP romanised
    assert {"Zheng", "Tanaka", "Nowak"} <= set(last)
    # every entry is one word of Latin letters, with hyphens only inside it
    for name in first + last:
        assert " " not in name and not name.startswith("-") and not name.endswith("-"), name
        assert name.replace("-", "").isalpha(), name
    assert not {"CHIA-HAO", "毛"} & set(first + last)  # zh_TW writes its romanised names in capitals


def test_the_lexicon_marks_romanised_names_as_first_names_or_surnames():
    pytest.importorskip("faker")
    lexicon = faker_lexicon()
    assert lexicon["chia-hao"] & CODES["first"] and lexicon["zheng"] & CODES["last"]
    assert "CHIA-HAO" not in lexicon
