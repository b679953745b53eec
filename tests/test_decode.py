"""Decoding probabilities into names (ner_rnn.decode): the rules alone, no network."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ner_rnn

from ner_rnn.conventions import handle_parts, is_titled_handle
from ner_rnn.decode import Batch, Decoding, decode, surnames


class _Decoder:
    """The decoding of an io model with these thresholds, as Tagger.iob2 runs it."""

    def __init__(self, join, caseless=None, caseless_join=None):
        self.decoding = Decoding(join, caseless, caseless_join)

    def iob2(self, flat, offsets, sentences=None, documents=None):
        return decode(Batch(flat, offsets, "io", sentences, documents), self.decoding)


def _decoder(join, caseless=None, caseless_join=None):
    return _Decoder(join, caseless, caseless_join)


# two sentences of three tokens: P(name) per token
P_NAME = np.array([0.35, 0.9, 0.2, 0.45, 0.05, 0.8])
OFFSETS = np.array([0, 3, 6])


@pytest.mark.parametrize(
    ("extend", "codes"),
    [
        (None, [0, 1, 0, 0, 0, 1]),  # argmax alone
        (0.4, [0, 1, 0, 0, 0, 1]),  # 0.35 is below it; 0.45 touches no name of its sentence
        (0.3, [1, 2, 0, 0, 0, 1]),  # 0.35 joins the name after it
        (0.15, [1, 2, 2, 0, 0, 1]),  # and 0.2 the name before it; never across the sentence start
        (0.01, [1, 2, 2, 1, 2, 2]),  # growing goes on through a chain of neighbours
    ],
)
def test_extension_joins_likely_neighbours_within_a_sentence(extend, codes):
    flat = np.stack([1 - P_NAME, P_NAME], axis=1)
    assert _decoder(extend).iob2(flat, OFFSETS).tolist() == codes


@pytest.mark.parametrize(
    ("words", "codes"),
    [
        (["teddy", "roosevelt", "spoke", "."], [1, 2, 0, 0]),  # all lower case: the caseless threshold
        (["TEDDY", "ROOSEVELT", "SPOKE", "."], [1, 2, 0, 0]),  # ALL CAPS: the same
        (["Teddy", "Roosevelt", "Spoke", "."], [0, 0, 0, 0]),  # mixed case: argmax
        (["Teddy", "Roosevelt", "SPOKE", "."], [0, 0, 0, 0]),
        (["Yesterday", "roosevelt", "spoke", "."], [1, 2, 0, 0]),  # "casual" case: a first capital is no case
        (["Yesterday", "I", "met", "roosevelt"], [1, 2, 0, 0]),  # nor is the pronoun "I", however typed
    ],
)
def test_sentences_that_show_no_case_have_their_own_threshold(words, codes):
    p_name = np.array([0.3, 0.25, 0.1, 0.01])
    flat = np.stack([1 - p_name, p_name], axis=1)
    offsets = np.array([0, 4])
    assert _decoder(None, 0.2).iob2(flat, offsets, [words]).tolist() == codes
    assert _decoder(None, 0.2).iob2(flat, offsets).tolist() == [0, 0, 0, 0]  # without the words: argmax
    # a higher one removes names from such sentences only
    p_high = np.array([0.9, 0.8, 0.6, 0.01])
    high = np.stack([1 - p_high, p_high], axis=1)
    assert _decoder(None, 0.85).iob2(high, offsets, [words]).tolist() == ([1, 0, 0, 0] if codes[0] else [1, 2, 2, 0])


def test_extension_never_starts_a_name():
    flat = np.stack([np.full(4, 0.6), np.full(4, 0.4)], axis=1)
    assert _decoder(0.1).iob2(flat, np.array([0, 4])).tolist() == [0, 0, 0, 0]


@pytest.mark.parametrize(
    ("words", "codes"),
    [
        (["pace", "Martin", "McCague", "took"], [0, 1, 2, 0]),  # cased text: lower-case words stay out
        (["Fast", "Martin", "McCague", "took"], [1, 2, 2, 0]),  # a capitalised word may join
        (["pace", "martin", "mccague", "took"], [1, 2, 2, 2]),  # text without capitals: any word may
        (["PACE", "MARTIN", "MCCAGUE", "TOOK"], [1, 2, 2, 2]),  # all capitals: any word may
    ],
)
def test_extension_in_cased_text_takes_only_capitalised_neighbours(words, codes):
    p_name = np.array([0.3, 0.6, 0.9, 0.3])
    flat = np.stack([1 - p_name, p_name], axis=1)
    offsets = np.array([0, 4])
    assert _decoder(0.2).iob2(flat, offsets, [words]).tolist() == codes
    assert _decoder(0.2).iob2(flat, offsets).tolist() == [1, 2, 2, 2]  # without the words: no case rule


def test_sentences_that_show_no_case_have_their_own_extension_threshold():
    sentences = [["Pace", "Martin", "McCague", "took"], ["pace", "martin", "mccague", "took"]]
    sentences.append(["PACE", "MARTIN", "MCCAGUE", "TOOK"])
    p_name = np.tile([0.05, 0.3, 0.9, 0.2], 3)
    flat = np.stack([1 - p_name, p_name], axis=1)
    offsets = np.array([0, 4, 8, 12])
    low = _decoder(0.03, None, 0.25).iob2(flat, offsets, sentences).tolist()
    # cased: every capitalised neighbour down to 0.03; no case: down to 0.25 only
    assert low == [1, 2, 2, 0] + [0, 1, 2, 0] + [0, 1, 2, 0]
    same = _decoder(0.03).iob2(flat, offsets, sentences).tolist()  # None: extend everywhere
    assert same == [1, 2, 2, 0] + [1, 2, 2, 2] + [1, 2, 2, 2]


def test_case_rule_finds_each_token_in_its_own_sentence():
    # an empty sentence between two others must not shift the lookup
    # (the first sentence is cased: "met" may not join a name; the last is not: "the" may)
    sentences = [["Bob", "met", "Ann"], [], ["the", "bob"]]
    offsets = np.array([0, 3, 3, 5])
    p_name = np.array([0.9, 0.3, 0.9, 0.3, 0.9])
    flat = np.stack([1 - p_name, p_name], axis=1)
    assert _decoder(0.2).iob2(flat, offsets, sentences).tolist() == [1, 0, 1, 1, 2]


@pytest.mark.parametrize(
    ("words", "p_name", "codes"),
    [
        # "casual" case: a lower-case neighbour joins a name...
        (["Yesterday", "i", "met", "john", "smith"], [0.0, 0.0, 0.0, 0.9, 0.3], [0, 0, 0, 1, 2]),
        # ...but not the second word of the sentence, next to a capital that is no evidence
        (["Williams", "said", "so", "."], [0.9, 0.3, 0.0, 0.0], [1, 0, 0, 0]),
        # a name with an Arabic article counts as capitalised
        (["Hassan", "al-Turabi", "was", "there"], [0.9, 0.3, 0.0, 0.0], [1, 2, 0, 0]),
        # in cased text (a capital after the first word), no lower-case word joins
        (["Yesterday", "I", "met", "John", "smith"], [0.0, 0.0, 0.0, 0.9, 0.3], [0, 0, 0, 1, 0]),
    ],
)
def test_casual_case_lets_lower_case_neighbours_join_but_the_second_word(words, p_name, codes):
    flat = np.stack([1 - np.array(p_name), np.array(p_name)], axis=1)
    assert _decoder(0.2).iob2(flat, np.array([0, len(words)]), [words]).tolist() == codes


def _decode(words_per_sentence, p_name, extend=None):
    offsets = np.cumsum([0] + [len(w) for w in words_per_sentence])
    flat = np.stack([1 - np.array(p_name), np.array(p_name)], axis=1)
    return _decoder(extend).iob2(flat, offsets, words_per_sentence).tolist()


@pytest.mark.parametrize(
    ("words", "p_name", "codes"),
    [
        (["Judge", "Olga", "Lavrentyeva", "said"], [0.9, 0.9, 0.9, 0.0], [0, 1, 2, 0]),
        (["Prime", "Minister", "John", "Major"], [0.6, 0.6, 0.9, 0.9], [0, 0, 1, 2]),  # a title of two words
        (["judge", "olga", "lavrentyeva", "said"], [0.9, 0.9, 0.9, 0.0], [0, 1, 2, 0]),  # any case
        (["Dr.", "Jones", "Mr", "Smith"], [0.9, 0.9, 0.9, 0.9], [0, 1, 2, 2]),  # only from a name's start
        (["John", "Major", "spoke"], [0.9, 0.9, 0.0], [1, 2, 0]),  # a title word at the end stays
        (["King", "said"], [0.9, 0.0], [1, 0]),  # a name of one word is never emptied ("King", the coach)
        (["Bishop", "Lord"], [0.9, 0.9], [0, 1]),  # nor one made of title words only
        (["Tell", "Grandpa", "Joe", "hi"], [0.0, 0.7, 0.9, 0.0], [0, 0, 1, 0]),  # kin, as chat writes them
        (["Mother", "Teresa", "said"], [0.9, 0.9, 0.0], [1, 2, 0]),  # but "Mother Teresa" is a name in eng.train
        # an occupation is a role name: at a sentence's start, and in text without case
        (["Boxer", "Mike", "Tyson", "won"], [0.6, 0.9, 0.9, 0.0], [0, 1, 2, 0]),
        (["winger", "pieter", "hendriks", "scored"], [0.5, 0.9, 0.9, 0.0], [0, 1, 2, 0]),
        (["Manager", "Bobby", "Robson", "and", "Jim", "Manager"], [0.9, 0.9, 0.9, 0.0, 0.9, 0.9], [0, 1, 2, 0, 1, 2]),  # not at the end
    ],
)
def test_titles_leave_the_start_of_a_name(words, p_name, codes):
    assert _decode([words], p_name) == codes


def test_titles_leave_names_that_extension_built():
    # "Cardinal" joins "Wolsey" on weak evidence, then leaves it again
    assert _decode([["as", "Cardinal", "Wolsey", "in"]], [0.0, 0.3, 0.9, 0.0], extend=0.2) == [0, 0, 1, 0]


@pytest.mark.parametrize(
    ("sentences", "p_name", "codes"),
    [
        ([["Queen", "Elizabeth", "I", "born"]], [0.9, 0.9, 0.1, 0.0], [0, 1, 2, 0]),
        ([["Pope", "John", "Paul", "XXIII", "."]], [0.2, 0.9, 0.9, 0.1, 0.0], [0, 1, 2, 2, 0]),
        ([["QUEEN", "ELIZABETH", "I", "BORN"]], [0.9, 0.9, 0.1, 0.0], [0, 1, 0, 0]),  # no case: "I" is a word
        # the pronoun, by the word after it, joins no name: "Tell Joe I said hi", "told Sarah I'd call"
        ([["so", "Bob", "I", "said"]], [0.0, 0.9, 0.1, 0.0], [0, 1, 0, 0]),
        ([["Tell", "Joe", "I", "\u2019m", "late"]], [0.0, 0.9, 0.1, 0.0, 0.0], [0, 1, 0, 0, 0]),
        ([["Queen", "Elizabeth", "I", "was", "crowned"]], [0.9, 0.9, 0.1, 0.0, 0.0], [0, 1, 2, 0, 0]),
        ([["Queen", "Elizabeth", "I"]], [0.9, 0.9, 0.1], [0, 1, 2]),  # at the end of a sentence
        ([["Henry", "II", "said"]], [0.9, 0.1, 0.0], [1, 2, 0]),  # only "I" can be the pronoun
        ([["Bob"], ["I", "ran"]], [0.9, 0.1, 0.0], [1, 0, 0]),  # never across a sentence start
        ([["I", "saw", "Bob"]], [0.1, 0.0, 0.9], [0, 0, 1]),  # only right after a name
        ([["Bob", "Iv", "ran"]], [0.9, 0.1, 0.0], [1, 0, 0]),  # capitals only
    ],
)
def test_regnal_numbers_join_the_name_before_them(sentences, p_name, codes):
    assert _decode(sentences, p_name) == codes


@pytest.mark.parametrize(
    ("words", "p_name", "codes"),
    [
        (["omg", "rachel", "and", "ben"], [0.5, 0.9, 0.0, 0.7], [0, 1, 0, 1]),  # at a name's start
        (["love", "you", "jess", "lol"], [0.0, 0.0, 0.9, 0.6], [0, 0, 1, 0]),  # at its end
        (["omg"], [0.9], [0]),  # alone
        (["Wow", "Jane", "Smith", "won"], [0.6, 0.9, 0.9, 0.0], [0, 1, 2, 0]),
        # offices of signature blocks: "Attention: General Counsel", "Jon Weiss , Treasurer"
        (["Attention", ":", "General", "Counsel"], [0.0, 0.0, 0.0, 0.7], [0, 0, 0, 0]),
        (["Jon", "Weiss", "Treasurer"], [0.9, 0.9, 0.6], [1, 2, 0]),
        # contractions chat types without an apostrophe, in lower case only ("Im" is a surname)
        (["im", "at", "the", "gym", "with", "kofi"], [0.5, 0.0, 0.0, 0.0, 0.0, 0.9], [0, 0, 0, 0, 0, 1]),
        (["Im", "Dong-hyun", "won"], [0.9, 0.9, 0.0], [1, 2, 0]),
    ],
)
def test_interjections_and_offices_leave_the_ends_of_a_name(words, p_name, codes):
    assert _decode([words], p_name) == codes


@pytest.mark.parametrize(
    ("words", "p_name", "codes"),
    [
        (["Catherine", "the", "Great", "ruled"], [0.06, 0.0, 0.0, 0.0], [1, 2, 2, 0]),  # a word that may be a name
        (["by", "Alexander", "the", "Great", "."], [0.0, 0.9, 0.0, 0.0, 0.0], [0, 1, 2, 2, 0]),
        (["Meet", "the", "Great", "Pretender"], [0.0, 0.0, 0.0, 0.0], [0, 0, 0, 0]),  # not one the network rules out
        (["during", "the", "Great", "Depression"], [0.0, 0.0, 0.0, 0.0], [0, 0, 0, 0]),  # nor a lower-case one
        (["Ann", "the", "great"], [0.9, 0.0, 0.0], [1, 0, 0]),  # the epithet is capitalised
    ],
)
def test_an_epithet_after_the_joins_a_name(words, p_name, codes):
    assert _decode([words], p_name, extend=0.03) == codes


def test_conventions_need_the_words():
    p_name = np.array([0.9, 0.9, 0.1])
    flat = np.stack([1 - p_name, p_name], axis=1)
    assert _decoder(None).iob2(flat, np.array([0, 3])).tolist() == [1, 2, 0]


def _documents(marked, documents, common=(), window=20, surname=0.001):
    """Decode sentences in which the network finds only the words marked with a "*"."""
    sentences = [[w.rstrip("*") for w in ws] for ws in marked]
    p_name = np.array([0.9 if w.endswith("*") else 0.01 for ws in marked for w in ws])
    flat = np.stack([1 - p_name, p_name], axis=1)
    offsets = np.cumsum([0] + [len(ws) for ws in sentences])
    batch = Batch(flat, offsets, "io", sentences, documents, window=window,
                  common_words=lambda ws: np.array([w in common for w in ws], dtype=bool))  # fmt: skip
    return decode(batch, Decoding(surname=surname)).tolist()


HIS_NAME = [["MaliVai*", "Washington*", "won", "."], ["said", "Washington", "."], ["the", "Washington", "Post", "."]]


def test_the_surname_of_a_full_name_found_nearby_in_its_document_is_a_name():
    # his name alone is his; not as part of a longer run of capitals ("Washington Post")
    assert _documents(HIS_NAME, [0, 0, 0]) == [1, 2, 0, 0] + [0, 1, 0] + [0, 0, 0, 0]
    # not in another document, nor more than the window away
    assert _documents(HIS_NAME, [0, 1, 1]) == [1, 2, 0, 0] + [0, 0, 0] + [0, 0, 0, 0]
    assert _documents([HIS_NAME[0], ["Rain", "."], HIS_NAME[1]], [0, 0, 0], window=1) == [1, 2, 0, 0, 0, 0, 0, 0, 0]
    # nor before the full name: news gives it first ("Ford trucks ..." and then "Henry Ford")
    assert _documents(HIS_NAME[1:2] + HIS_NAME[:1], [0, 0]) == [0, 0, 0] + [1, 2, 0, 0]
    # nor below the threshold (P(name) 0.01 here), nor without one (the default: training's decoding)
    assert _documents(HIS_NAME, [0, 0, 0], surname=0.05) == [1, 2, 0, 0] + [0, 0, 0] + [0, 0, 0, 0]
    assert _documents(HIS_NAME, [0, 0, 0], surname=None) == [1, 2, 0, 0] + [0, 0, 0] + [0, 0, 0, 0]


def test_the_rules_that_choose_epochs_are_the_decodings_but_the_newest_in_its_order():
    from ner_rnn.decode import EPOCH_RULES, RULES, signatures, surnames, teams

    assert [r for r in RULES if r in EPOCH_RULES] == EPOCH_RULES
    assert set(RULES) - set(EPOCH_RULES) == {signatures, teams, surnames}


def test_in_the_training_set_a_surname_after_its_full_name_is_a_person_but_ten_times(conll_dir):
    """The rule on eng.train with its full names as annotated, whatever the network says."""
    from ner_rnn.corpus import read_conll
    from ner_rnn.tags import entity_types, spans_from_tags

    sentences = read_conll(conll_dir / "eng.train")
    words = [s.words for s in sentences]
    offsets = np.cumsum([0] + [len(w) for w in words])
    person, full = np.zeros(offsets[-1], dtype=bool), np.zeros(offsets[-1], dtype=bool)
    for i, s in enumerate(sentences):
        for a, b in spans_from_tags(s.tags, entity_types(None)):
            person[offsets[i] + a : offsets[i] + b] = True
            full[offsets[i] + a : offsets[i] + b] = b - a >= 2
    batch = Batch(np.full((offsets[-1], 2), 0.5), offsets, "io", words, [s.doc for s in sentences])
    found = surnames(full.copy(), batch, Decoding(surname=0.5)) & ~full
    assert (found.sum(), (found & person).sum()) == (1448, 1438)


def test_a_defined_term_taken_for_a_full_name_does_not_spread():
    term = [["the", "Administrative*", "Agent*", "shall", "."], ["the", "Agent", "may", "."]]
    assert _documents(term, [0, 0]) == [0, 1, 2, 0, 0] + [0, 1, 0, 0]  # without word classes it spreads
    assert _documents(term, [0, 0], common={"Agent"}) == [0, 1, 2, 0, 0] + [0, 0, 0, 0]




def test_a_one_word_name_that_names_a_company_nearby_is_dropped():
    sentences = [["Pirelli", "said", "Marco", "Pirelli", "spoke"], ["Pirelli", "SpA", "rose"], ["Pirelli", "won"]]
    p_name = [0.9, 0.0, 0.9, 0.9, 0.0] + [0.6, 0.0, 0.0] + [0.9, 0.0]
    offsets = np.array([0, 5, 8, 10])
    flat = np.stack([1 - np.array(p_name), np.array(p_name)], axis=1)
    # alone it goes, in its own sentence too; as part of a longer name ("Marco Pirelli") it stays
    assert _decoder(None).iob2(flat, offsets, sentences, [0, 0, 0]).tolist() == [0, 0, 1, 2, 0, 0, 0, 0, 0, 0]
    # in another record it stays; without the records the rule is not applied
    assert _decoder(None).iob2(flat, offsets, sentences, [0, 1, 2]).tolist() == [1, 0, 1, 2, 0, 0, 0, 0, 1, 0]
    assert _decoder(None).iob2(flat, offsets, sentences).tolist() == [1, 0, 1, 2, 0, 1, 0, 0, 1, 0]


def test_a_name_with_a_company_designator_in_it_is_dropped():
    sentences = [["said", "David", "Shulman", ",", "Salomon", "Bros", "."], ["Warner", "Bros", "Ann", "Lee"]]
    p_name = [0.0, 0.9, 0.9, 0.0, 0.6, 0.4, 0.0] + [0.6, 0.6, 0.9, 0.9]
    offsets = np.array([0, 7, 11])
    flat = np.stack([1 - np.array(p_name), np.array(p_name)], axis=1)
    # the name goes up to the designator, never across a sentence start; what follows it stays
    expected = [0, 1, 2, 0, 0, 0, 0] + [0, 0, 1, 2]
    assert _decoder(None).iob2(flat, offsets, sentences, [0, 0]).tolist() == expected
    assert _decoder(None).iob2(flat, offsets, sentences, [0, 1]).tolist() == expected  # needs no other sentence


@pytest.mark.parametrize(
    ("words", "p_name", "codes"),
    [
        # a name right before a designator, or before "&" and a company's name, is the company's
        (["copy", "to", "Kutak", "Rock", "LLP", ",", "Attention", ":", "Ann", "Lee"],
         [0.0, 0.0, 0.9, 0.9, 0.1, 0.0, 0.0, 0.0, 0.9, 0.9], [0] * 8 + [1, 2]),
        (["Kirkland", "&", "Ellis", "LLP", "and", "Ann", "Lee"], [0.9, 0.0, 0.9, 0.1, 0.0, 0.9, 0.9], [0] * 5 + [1, 2]),
        (["Edward", "D.", "Jones", "&", "Co", "said"], [0.9, 0.9, 0.9, 0.0, 0.1, 0.0], [0] * 6),
        # "&" between people, and a designator after another word, leave names alone
        (["John", "&", "Mary", "Smith", "came"], [0.9, 0.0, 0.9, 0.9, 0.0], [1, 0, 1, 2, 0]),
        (["Ann", "Lee", "of", "Acme", "Inc"], [0.9, 0.9, 0.0, 0.1, 0.0], [1, 2, 0, 0, 0]),
        (["Ann", "Lee", "&", "partners", "Ltd"], [0.9, 0.9, 0.0, 0.0, 0.0], [1, 2, 0, 0, 0]),
        # a name in capitals, more words in capitals and one that ends a company's, in a cased sentence
        (["and", "WELLS", "FARGO", "BANK", ",", "as", "Agent"], [0.0, 0.9, 0.2, 0.0, 0.0, 0.0, 0.0], [0] * 7),
        (["SELES", "HAS", "WALKOVER", "TO", "U.S.", "OPEN"], [0.9, 0.0, 0.0, 0.0, 0.0, 0.0], [1] + [0] * 5),  # headline
        (["and", "Ann", "Lee", "Rapid", "Bank", "said"], [0.0, 0.9, 0.9, 0.0, 0.0, 0.0], [0, 1, 2, 0, 0, 0]),
    ],
)  # fmt: skip
def test_a_name_right_before_a_company_designator_is_the_companys(words, p_name, codes):
    flat = np.stack([1 - np.array(p_name), np.array(p_name)], axis=1)
    assert _decoder(None).iob2(flat, np.array([0, len(words)]), [words], [0]).tolist() == codes


@pytest.mark.parametrize(
    ("words", "p_name", "codes"),
    [
        # a name right before a word that ends a place's, a prize's or a law's name, or ending in one
        (["The", "Hoover", "Dam", "was", "built"], [0.0, 0.9, 0.6, 0.0, 0.0], [0] * 5),
        (["into", "Kennedy", "Airport", "with", "Ann", "Lee"], [0.0, 0.9, 0.1, 0.0, 0.9, 0.9], [0] * 4 + [1, 2]),
        (["won", "the", "Nobel", "Prize"], [0.0, 0.0, 0.7, 0.0], [0] * 4),
        (["THE", "HOOVER", "DAM"], [0.0, 0.9, 0.9], [0] * 3),  # in capitals too
        # and so for the words that end a company's name after a founder's
        (["Raymond", "James", "Financial", ",", "Inc."], [0.9, 0.9, 0.1, 0.0, 0.0], [0] * 5),
        (["JPMorgan", "Chase", "Bank", ",", "N.A."], [0.9, 0.9, 0.0, 0.0, 0.0], [0] * 5),
        # the surnames that are such words too are left alone
        (["Sally", "Field", "won"], [0.9, 0.6, 0.0], [1, 2, 0]),
        (["Hoover", "said", "the", "dam"], [0.9, 0.0, 0.0, 0.0], [1, 0, 0, 0]),
    ],
)  # fmt: skip
def test_a_name_before_the_word_that_ends_a_places_name_is_the_places(words, p_name, codes):
    flat = np.stack([1 - np.array(p_name), np.array(p_name)], axis=1)
    assert _decoder(None).iob2(flat, np.array([0, len(words)]), [words], [0]).tolist() == codes


def test_in_a_sentence_alone_a_word_joined_to_a_name_by_and_or_or_is_a_name():
    sentences = [["Biden", "and", "Harris", "spoke"], ["Lebed", "nor", "Maskhadov", "spoke"],
                 ["Messi", "or", "Ronaldo", "?"], ["Smith", "and", "Jones", "met"]]  # fmt: skip
    p_name = [0.34, 0.0, 0.9, 0.0] + [0.9, 0.0, 0.26, 0.0] + [0.9, 0.0, 0.05, 0.0] + [0.9, 0.0, 0.3, 0.0]
    offsets = np.array([0, 4, 8, 12, 16])
    flat = np.stack([1 - np.array(p_name), np.array(p_name)], axis=1)

    def names(decoding, documents):
        codes = decode(Batch(flat, offsets, "io", sentences, documents), decoding).tolist()
        return [codes[i : i + 4] for i in range(0, 16, 4)]

    # each sentence a document of its own: the word joined to a name is a name at P(name) >= 0.1
    assert names(Decoding(alone=0.4), [0, 1, 2, 3]) == [[1, 0, 1, 0], [1, 0, 1, 0], [1, 0, 0, 0], [1, 0, 1, 0]]
    # in running text, and without the threshold for a sentence alone, the rule does nothing
    assert names(Decoding(alone=0.4), [0, 0, 0, 0])[1:] == [[1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]]
    assert names(Decoding(), [0, 1, 2, 3])[1] == [1, 0, 0, 0]

    # the new name takes the capitalised words beside it that may join it, away from the "and"
    words = ["Joe", "Biden", "and", "Harris", "said"]
    p = np.array([0.2, 0.3, 0.0, 0.9, 0.0])
    b = Batch(np.stack([1 - p, p], axis=1), np.array([0, 5]), "io", [words], [0])
    assert decode(b, Decoding(join=0.1, alone=0.4)).tolist() == [1, 2, 0, 1, 0]
    assert decode(b, Decoding(join=0.25, alone=0.4)).tolist() == [0, 1, 0, 1, 0]


def test_a_sentence_with_case_that_is_a_text_of_its_own_has_a_threshold_of_its_own():
    sentences = [["Putin", "accused", "Kyiv", "."], ["Putin", "accused", "Kyiv", "."], ["Putin", "met", "Xi"],
                 ["putin", "accused", "kyiv", "."]]  # fmt: skip
    p_name = [0.42, 0.0, 0.0, 0.0] * 2 + [0.42, 0.0, 0.0] + [0.42, 0.0, 0.0, 0.0]
    offsets = np.array([0, 4, 8, 11, 15])
    flat = np.stack([1 - np.array(p_name), np.array(p_name)], axis=1)

    def codes(decoding, documents):
        return decode(Batch(flat, offsets, "io", sentences, documents), decoding).tolist()[::4][:3]

    # the first two sentences are one document; the third is one of its own, and so is the
    # fourth, which shows no case (its threshold is ``caseless``)
    assert codes(Decoding(alone=0.4), [0, 0, 1, 2]) == [0, 0, 1]
    assert decode(Batch(flat, offsets, "io", sentences, [0, 0, 1, 2]), Decoding(alone=0.4)).tolist()[-4] == 0
    assert codes(Decoding(alone=0.4), [0, 1, 2, 3]) == [1, 1, 1]
    assert codes(Decoding(alone=0.45), [0, 1, 2, 3]) == [0, 0, 0]
    assert codes(Decoding(), [0, 1, 2, 3]) == [0, 0, 0]  # argmax
    assert decode(Batch(flat, offsets, "io", sentences), Decoding(alone=0.4)).tolist() == [0] * 15  # no documents


@pytest.mark.parametrize("designator", ["LLP", "L.L.C.", "S.A.", "Pte"])
def test_the_designators_of_law_firms_and_contracts_end_a_company_name(designator):
    sentences = [["copy", "to", "Kirkland", "Hale", designator, ",", "Attention", ":", "Rebecca", "Stone"]]
    p_name = [0.0, 0.0, 0.9, 0.9, 0.6, 0.0, 0.0, 0.0, 0.9, 0.9]
    flat = np.stack([1 - np.array(p_name), np.array(p_name)], axis=1)
    assert _decoder(None).iob2(flat, np.array([0, 10]), sentences, [0]).tolist() == [0] * 8 + [1, 2]


@pytest.mark.parametrize(
    ("words", "p_name", "codes"),
    [
        (["pace", "Martin", "McCague", "took"], [0.9, 0.9, 0.9, 0.0], [0, 1, 2, 0]),  # a lower-case word leaves
        (["said", "Bernardin", "steadfastly", "."], [0.0, 0.9, 0.9, 0.0], [0, 1, 0, 0]),  # the start or the end
        (["the", "painter", "Bernardin", "Smith"], [0.9, 0.9, 0.9, 0.9], [0, 0, 1, 2]),  # two of them
        (["Vincent", "van", "Gogh", "said"], [0.9, 0.9, 0.9, 0.0], [1, 2, 2, 0]),  # a particle inside stays
        (["said", "van", "Gogh", "."], [0.0, 0.9, 0.9, 0.0], [0, 1, 2, 0]),  # and at the start too
        (["said", "Hassan", "al-Turabi", "."], [0.0, 0.9, 0.9, 0.0], [0, 1, 2, 0]),
        (["Ann", "Lee", "met", "Bo", "Ek"], [0.9, 0.9, 0.9, 0.9, 0.9], [1, 2, 0, 1, 2]),  # inside: two names
        (["Kengo", "wa", "Dondo", "said"], [0.9, 0.9, 0.9, 0.0], [1, 2, 2, 0]),  # a particle, as in eng.train
        (["Hi", "Mark", ",", "thanks"], [0.9, 0.9, 0.0, 0.0], [0, 1, 0, 0]),  # a greeting leaves a name
        (["Regards", ","], [0.9, 0.0], [0, 0]),  # even a name of one word
        (["Congrats", "@SerenaWilliams", "!"], [0.6, 0.9, 0.0], [0, 1, 0]),  # as posts greet
        (["Mark", "Hi"], [0.9, 0.9], [1, 2]),  # but only from its start
        (["Dear", "Sir", "or", "Madam", ","], [0.0, 0.6, 0.0, 0.6, 0.0], [0, 0, 0, 0, 0]),  # honorifics too
        (["Mr", "Smith", "said"], [0.9, 0.9, 0.0], [0, 1, 0]),
        # a name right after a ship's prefix is the ship's, never across a sentence start
        (["the", "USS", "Dwight", "D.", "Eisenhower", "sailed"], [0.0, 0.0, 0.9, 0.9, 0.9, 0.0], [0] * 6),
        (["aboard", "HMS", "Queen", "Elizabeth", "with", "Ann", "Lee"], [0.0, 0.1, 0.0, 0.9, 0.0, 0.9, 0.9],
         [0, 0, 0, 0, 0, 1, 2]),
        # a place's name after its prefix is no person's, nor the prefix ("Lake Louise", "Mount McKinley")
        (["Lake", "Louise", "is", "in", "Banff"], [0.2, 0.9, 0.0, 0.0, 0.0], [0, 0, 0, 0, 0]),
        (["near", "Mount", "St.", "Helens", "Ann", "Lee"], [0.0, 0.6, 0.6, 0.9, 0.9, 0.9], [0, 0, 0, 0, 1, 2]),
        (["Ricki", "Lake", "hosted"], [0.9, 0.9, 0.0], [1, 2, 0]),  # a prefix that ends a name is a surname
        (["Ann", "Lake", "Smith"], [0.9, 0.9, 0.9], [1, 2, 2]),  # and so is one inside a name
        (["mount", "Everest"], [0.0, 0.9], [0, 1]),  # written with a capital only
        (["Then", "He", "said", "so", "."], [0.0, 0.0, 0.55, 0.9, 0.0], [0, 0, 0, 0, 0]),  # a name of lower-case words goes whole
        (["Tell", "Mom", "that", "jake", "is"], [0.0, 0.0, 0.0, 0.9, 0.0], [0, 0, 0, 1, 0]),  # unless the network is sure
        (["with", "seamer", "Peter", "Martin"], [0.0, 0.9, 0.9, 0.9], [0, 0, 1, 2]),  # of it all, and it is all lower case
        (["He", "said", "so", "."], [0.0, 0.9, 0.9, 0.0], [0, 1, 2, 0]),  # but a first capital alone is no case
        (["pace", "martin", "mccague", "took"], [0.9, 0.9, 0.9, 0.9], [1, 2, 2, 2]),  # no capitals: no rule
        (["PACE", "MARTIN", "MCCAGUE", "TOOK"], [0.9, 0.9, 0.9, 0.9], [1, 2, 2, 2]),  # nor in ALL CAPS
        (["ann", "lee", "met", "bo", "ek"], [0.9, 0.9, 0.9, 0.9, 0.9], [1, 2, 2, 2, 2]),
    ],
)
def test_in_cased_text_a_name_holds_no_lower_case_word_but_a_particle(words, p_name, codes):
    assert _decode([words], p_name) == codes


@pytest.mark.parametrize(
    ("words", "handles", "codes"),
    [
        # a handle is a name of its own, even next to another name or handle
        (["thanks", "@elonmusk", "@AngelaMerkel", "Obama"], True, [0, 1, 1, 1]),
        # an organisation's handle is none (an acronym in capitals, a word such as "news")
        (["read", "@nytimes", "and", "@NASA", "now"], True, [0, 0, 0, 0, 0]),
        # turned off, the network decides
        (["thanks", "@elonmusk", "@AngelaMerkel", "Obama"], False, [0, 0, 0, 1]),
        (["mail", "@", "home"], True, [0, 0, 0]),  # "@" alone is no handle
    ],
)
def test_handles(words, handles, codes):
    p_name = np.array([0.0] * (len(words) - 1) + [0.9 if words[-1] == "Obama" else 0.0])
    flat = np.stack([1 - p_name, p_name], axis=1)
    b = Batch(flat, np.array([0, len(words)]), "io", [words], handles=handles)
    assert decode(b, Decoding()).tolist() == codes


def test_a_handle_that_is_a_word_of_the_language_is_no_persons():
    words = ["says", "@Reuters", "and", "@jack", "and", "@jo_smith"]
    flat = np.stack([np.ones(len(words)), np.zeros(len(words))], axis=1)
    asked = []

    def common_words(found):  # as Features.common_words: in the word-class table, not in the name lexicon
        asked.extend(found)
        return np.array([w.lower() == "reuters" for w in found])

    b = Batch(flat, np.array([0, len(words)]), "io", [words], common_words=common_words)
    assert decode(b, Decoding()).tolist() == [0, 0, 0, 1, 0, 1]
    assert asked == ["Reuters", "jack", "jo_smith"]  # what follows the "@" of each handle


def test_a_handle_in_camel_case_of_common_words_only_is_no_persons():
    words = ["via", "@AmericanAir", "and", "@JoeBiden", "and", "@jk_rowling"]
    flat = np.stack([np.ones(len(words)), np.zeros(len(words))], axis=1)
    asked = []

    def common_words(found):  # not the first name "Joe", nor a handle's body that is no word
        asked.extend(found)
        return np.array([w in ("American", "Air", "Biden") for w in found])

    b = Batch(flat, np.array([0, len(words)]), "io", [words], common_words=common_words)
    assert decode(b, Decoding()).tolist() == [0, 0, 0, 1, 0, 1]
    # a handle's words where its capitals mark them, its body whole where they do not
    assert asked == ["American", "Air", "Joe", "Biden", "jk_rowling"]


@pytest.mark.parametrize(
    ("handle", "parts"),
    [
        ("@TheEconomist", ["The", "Economist"]),
        ("@FCBarcelona", ["FC", "Barcelona"]),
        ("@BBCWorld", ["BBC", "World"]),
        ("@PaulMcCartney", ["Paul", "McCartney"]),
        ("@McDonalds", ["McDonalds"]),
        ("@elonmusk", ["elonmusk"]),
        ("@Reuters", ["Reuters"]),
        ("@NASA", ["NASA"]),
        ("@tim_cook", ["tim_cook"]),
        ("@taylorswift13", ["taylorswift13"]),
    ],
)
def test_handle_parts_are_the_words_its_capitals_mark(handle, parts):
    assert handle_parts(handle) == parts


@pytest.mark.parametrize(
    ("handle", "titled"),
    [("@SpeakerPelosi", True), ("@SenSchumer", True), ("@DrBiden", True), ("@MayorOfLA", False),
     ("@TheEconomist", False), ("@Speaker", False), ("@elonmusk", False)],
)  # fmt: skip
def test_a_handle_of_a_title_and_a_name_is_titled(handle, titled):
    assert is_titled_handle(handle_parts(handle)) is titled


@pytest.mark.parametrize(
    ("words", "p_name", "codes"),
    [
        # an initial and its dot, written apart, join the name after them when the initial may
        (["by", "Charles", "E", ".", "Brinley", ","], [0.0, 0.9, 0.9, 0.0, 0.9, 0.0], [0, 1, 2, 2, 2, 0]),
        (["John", "F", ".", "Kennedy", "was"], [0.9, 0.2, 0.0, 0.9, 0.0], [1, 2, 2, 2, 0]),
        (["the", "plan", "B", ".", "Smith", "said"], [0.0, 0.0, 0.0, 0.0, 0.9, 0.0], [0, 0, 0, 0, 1, 0]),
        # a run of initials, each with its dot, as far as each may join
        (["J", ".", "R", ".", "R", ".", "Tolkien"], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9], [1, 2, 2, 2, 2, 2, 2]),
        (["by", "W", ".", "E", ".", "Smith"], [0.0, 0.0, 0.0, 0.1, 0.1, 0.9], [0, 0, 0, 1, 2, 2]),
        # an Arabic article and its hyphen, when the word before them is a name or may join one
        (["Hassan", "al", "-", "Turabi", "said"], [0.9, 0.0, 0.0, 0.9, 0.0], [1, 2, 2, 2, 0]),
        (["Abu", "Bakr", "al", "-", "Baghdadi", "died"], [0.2, 0.2, 0.0, 0.0, 0.9, 0.0], [1, 2, 2, 2, 2, 0]),
        (["the", "al", "-", "Sadr", "group"], [0.0, 0.0, 0.0, 0.9, 0.0], [0, 0, 0, 1, 0]),
        (["a", "b", "-", "Sadr"], [0.0, 0.0, 0.0, 0.9], [0, 0, 0, 1]),  # not another word before a hyphen
        # one or two particles and the capitalised word before them, when each may join
        (["Osama", "bin", "Laden", "was"], [0.2, 0.3, 0.99, 0.0], [1, 2, 2, 0]),
        (["Oscar", "de", "la", "Hoya", "won"], [0.5, 0.2, 0.2, 0.9, 0.0], [1, 2, 2, 2, 0]),
        (["by", "Tamim", "bin", "Hamad"], [0.0, 0.0, 0.3, 0.9], [0, 0, 0, 1]),  # not a word the network rules out
        (["in", "Rio", "de", "Janeiro"], [0.0, 0.01, 0.01, 0.9], [0, 0, 0, 1]),
        (["the", "van", "Gogh", "room"], [0.0, 0.3, 0.9, 0.0], [0, 0, 1, 0]),  # nor a lower-case word before them
        # "do", an English word too, only between two parts found
        (["Edson", "Arantes", "do", "Nascimento", "was"], [0.9, 0.9, 0.0, 0.9, 0.0], [1, 2, 2, 2, 0]),
        (["Did", "Smith", "do", "Jones", "a"], [0.0, 0.9, 0.0, 0.1, 0.0], [0, 1, 0, 0, 0]),
        # a Korean given name's second syllable, written apart, joins a name of two words
        (["Kim", "Jong", "Un", "oversaw"], [0.9, 0.9, 0.0, 0.0], [1, 2, 2, 0]),
        (["Moon", "Jae", "In", "met"], [0.9, 0.9, 0.0, 0.0], [1, 2, 2, 0]),
        (["Kim", "Dae", "Jung", "In", "Seoul"], [0.9, 0.9, 0.9, 0.0, 0.0], [1, 2, 2, 0, 0]),  # not to a third
        (["Kim", "Jong", "said"], [0.9, 0.9, 0.0], [1, 2, 0]),  # only a capitalised syllable
        (["Kim", "Clijsters", "Wins"], [0.9, 0.9, 0.0], [1, 2, 0]),  # after a short one
        (["Ann", "Jong", "Un"], [0.9, 0.9, 0.0], [1, 2, 0]),  # after a Korean surname
        (["KIM", "JONG", "UN"], [0.9, 0.9, 0.0], [1, 2, 0]),  # not in capitals, where "UN" is the UN
        # in a sentence all in lower case, as chat is typed, too; not an English word after the name
        (["kim", "jong", "un", "met"], [0.9, 0.9, 0.0, 0.0], [1, 2, 2, 0]),
        (["kim", "jong", "said", "yes"], [0.9, 0.9, 0.0, 0.0], [1, 2, 0, 0]),
        (["kim", "jong", "at", "home"], [0.9, 0.9, 0.0, 0.0], [1, 2, 0, 0]),
        (["Then", "kim", "jong", "un", "met", "Moon"], [0.0, 0.9, 0.9, 0.0, 0.0, 0.0], [0, 1, 2, 0, 0, 0]),  # cased text
        # and a hyphenated given name after its surname, in lower case
        (["kim", "met", "moon", "jae-in"], [0.0, 0.0, 0.9, 0.0], [0, 0, 1, 2]),
        (["we", "met", "Moon", "jae-in"], [0.0, 0.0, 0.9, 0.0], [0, 0, 1, 0]),  # not in cased text
        (["the", "park", "ridge-based", "firm"], [0.0, 0.9, 0.0, 0.0], [0, 1, 0, 0]),  # "ridge" is no syllable
    ],
)
def test_initials_and_articles_written_apart_join_the_name_after_them(words, p_name, codes):
    assert _decode([words], p_name, extend=0.1) == codes


@pytest.mark.parametrize(
    ("words", "p_name", "codes"),
    [
        # a Chinese name in pinyin, of which the network found one word, is found whole
        (["admiral", "Zheng", "He", "led"], [0.0, 0.9, 0.0, 0.0], [0, 1, 2, 0]),  # "He" is no pronoun there
        (["scholar", "Zhu", "Xi", "wrote"], [0.0, 0.9, 0.02, 0.0], [0, 1, 2, 0]),
        (["by", "Xi", "Jinping", "."], [0.0, 0.01, 0.6, 0.0], [0, 1, 2, 0]),
        (["and", "Chen", "Shui-bian", "met"], [0.0, 0.0, 0.9, 0.0], [0, 1, 2, 0]),  # a given name with a hyphen
        (["the", "admiral", "Zheng", "He"], [0.0, 0.5, 0.9, 0.0], [0, 0, 1, 2]),  # after a lower-case word that leaves
        (["He", "Jintao", "said"], [0.0, 0.9, 0.0], [0, 1, 0]),  # "He" first in a sentence is the pronoun
        (["in", "Hong", "Kong", "."], [0.0, 0.0, 0.9, 0.0], [0, 0, 1, 0]),  # "Hong" is no surname here
        (["the", "Song", "Dynasty"], [0.0, 0.9, 0.0], [0, 1, 0]),  # "Dynasty" is no pinyin
        (["Zhou", "Ngozi"], [0.9, 0.0], [1, 0]),
        (["Li", "Peng", "Wang", "Yi"], [0.9, 0.9, 0.0, 0.0], [1, 2, 0, 0]),  # not a third word to a name of two
        (["LI", "PENG", "SAID"], [0.9, 0.0, 0.0], [1, 0, 0]),  # not in capitals
    ],
)
def test_a_chinese_name_of_which_one_word_is_found_is_found_whole(words, p_name, codes):
    assert _decode([words], p_name, extend=0.5) == codes


@pytest.mark.parametrize(
    ("words", "p_name", "codes"),
    [
        # a Korean surname and a given name of two syllables joined by a hyphen are a name
        (["writer", "Park", "Geun-hye", "visited"], [0.0, 0.0, 0.11, 0.0], [0, 1, 2, 0]),
        (["with", "Bong", "Joon-ho", "last"], [0.0, 0.07, 0.02, 0.0], [0, 1, 2, 0]),
        (["Kim", "Jong-un", "met"], [0.9, 0.0, 0.0], [1, 2, 0]),
        (["with", "Bong", "Joon-ho", "last"], [0.0, 0.01, 0.01, 0.0], [0, 0, 0, 0]),  # not when neither may join
        (["the", "Park", "Ridge-based", "firm"], [0.0, 0.6, 0.6, 0.0], [0, 1, 2, 0]),  # the network's own, kept
        (["the", "Park", "Ridge-based", "firm"], [0.0, 0.1, 0.1, 0.0], [0, 0, 0, 0]),  # "ridge" is no syllable
        (["Park", "In-house", "team"], [0.1, 0.1, 0.0], [0, 0, 0]),  # nor "house"
        # and a Chinese one, as Taiwan and Hong Kong spell names
        (["by", "Sun", "Yat-sen", "."], [0.0, 0.06, 0.01, 0.0], [0, 1, 2, 0]),
        (["with", "Lai", "Ching-te", "last"], [0.0, 0.9, 0.0, 0.0], [0, 1, 2, 0]),
    ],
)
def test_a_korean_or_chinese_name_with_a_hyphenated_given_name_is_a_name(words, p_name, codes):
    assert _decode([words], p_name, extend=0.05) == codes


@pytest.mark.parametrize(
    ("words", "p_name", "codes"),
    [
        # a Vietnamese name found in part is found whole: the surname before it, the syllables after it
        (["met", "Ho", "Chi", "Minh", "in"], [0.0, 0.0, 0.9, 0.9, 0.0], [0, 1, 2, 2, 0]),
        (["Vo", "Nguyen", "Giap", "said"], [0.0, 0.9, 0.9, 0.0], [1, 2, 2, 0]),
        (["by", "Nguyen", "Tan", "Dung", "."], [0.0, 0.9, 0.0, 0.0, 0.0], [0, 1, 2, 2, 0]),
        (["by", "Nguyễn", "Tấn", "Dũng", "."], [0.0, 0.9, 0.0, 0.0, 0.0], [0, 1, 2, 2, 0]),  # with diacritics
        (["to", "Ho", "Chi", "Minh", "City"], [0.0, 0.0, 0.9, 0.9, 0.0], [0, 0, 1, 2, 0]),  # not the city
        (["Do", "Tom", "Hanks", "movies"], [0.0, 0.9, 0.9, 0.0], [0, 1, 2, 0]),  # "Hanks" is no syllable
        (["Nguyen", "Van", "Thieu", "Lam", "Son"], [0.9, 0.9, 0.9, 0.0, 0.0], [1, 2, 2, 0, 0]),  # at most three words
    ],
)
def test_a_vietnamese_name_found_in_part_is_found_whole(words, p_name, codes):
    assert _decode([words], p_name, extend=0.5) == codes


@pytest.mark.parametrize(
    ("words", "p_name", "codes"),
    [
        # a name in its own script in brackets after the name found: each part that is one
        (["Leo", "Tolstoy", "(", "Russian", ":", "Лев", "Толстой", ")", "was"],
         [0.9, 0.9, 0.0, 0.0, 0.0, 0.9, 0.1, 0.0, 0.0], [1, 2, 0, 0, 0, 1, 2, 0, 0]),
        (["Shinzo", "Abe", "(", "安倍", "晋三", ",", "Abe", "Shinzō", ")"],
         [0.9, 0.9, 0.0, 0.0, 0.5, 0.0, 0.9, 0.9, 0.0], [1, 2, 0, 1, 2, 0, 1, 2, 0]),
        (["Moon", "Jae-in", "(", "Korean", ":", "문재인", ";", "Hanja", ":", "文在寅", ")"],
         [0.9, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.8, 0.0, 0.0, 0.0], [1, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0]),  # no "Hanja"
        (["Anwar", "Sadat", "(", "Arabic", ":", "أنور", "السادات", "\u200e", ")"],
         [0.9, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1, 2, 0, 0, 0, 1, 2, 0, 0]),  # not the LRM after it
        (["David", "Ben-Gurion", "(", "דוד", "בן-גוריון", ";", "born", "1886", ")"],
         [0.9, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1, 2, 0, 1, 2, 0, 0, 0, 0]),
        # and before brackets that begin with the name
        (["毛泽东", "(", "Mao", "Zedong", ")", "was"], [0.0, 0.0, 0.9, 0.9, 0.0, 0.0], [1, 0, 1, 2, 0, 0]),
        # not a part that is more than the name, nor in Latin letters, nor after what is no name
        (["Putin", "(", "Путин", "said", ")"], [0.9, 0.0, 0.0, 0.0, 0.0], [1, 0, 0, 0, 0]),
        (["Mao", "(", "pinyin", ":", "Máo", ")"], [0.9, 0.0, 0.0, 0.0, 0.1, 0.0], [1, 0, 0, 0, 0, 0]),
        (["Tokyo", "(", "東京", ")", "is"], [0.0, 0.0, 0.0, 0.0, 0.0], [0, 0, 0, 0, 0]),
        (["東京", "(", "Tokyo", ")", "is"], [0.0, 0.0, 0.0, 0.0, 0.0], [0, 0, 0, 0, 0]),
    ],
)
def test_a_name_in_its_own_script_in_brackets_beside_the_name_is_a_name(words, p_name, codes):
    assert _decode([words], p_name, extend=0.5) == codes


@pytest.mark.parametrize(
    ("words", "p_name", "codes"),
    [
        # a name before a comma, a US state and a ZIP code is a city's
        (["1", "Main", "St", ",", "Charlotte", ",", "NC", "28262"],
         [0.0, 0.0, 0.0, 0.0, 0.9, 0.0, 0.0, 0.0], [0, 0, 0, 0, 0, 0, 0, 0]),
        (["to", "Fort", "Worth", ",", "Texas", "76102-1234"], [0.0, 0.9, 0.9, 0.0, 0.0, 0.0], [0, 0, 0, 0, 0, 0]),
        (["in", "Albany", ",", "New", "York", "12207"], [0.0, 0.9, 0.0, 0.0, 0.0, 0.0], [0, 0, 0, 0, 0, 0]),
        # not without the ZIP code, nor before a person's name
        (["Charlotte", ",", "NC", "is", "lovely"], [0.9, 0.0, 0.0, 0.0, 0.0], [1, 0, 0, 0, 0]),
        (["Attention", ":", "Jordan", "Lee", ",", "Esq"], [0.0, 0.0, 0.9, 0.9, 0.0, 0.0], [0, 0, 1, 2, 0, 0]),
    ],
)
def test_a_name_before_a_state_and_a_zip_code_is_a_city(words, p_name, codes):
    assert _decode([words], p_name, extend=0.5) == codes



@pytest.mark.parametrize(
    ("words", "p_name", "codes"),
    [
        # a country, a US state or a large city that no person is named is no name
        (["Bolivia", "is", "named", "after", "him"], [0.8, 0.0, 0.0, 0.0, 0.0], [0, 0, 0, 0, 0]),
        (["Bamako", "has", "a", "population"], [0.7, 0.0, 0.0, 0.0], [0, 0, 0, 0]),
        (["Sierra", "Leone", "won"], [0.6, 0.7, 0.0], [0, 0, 0]),  # all its words
        (["bolivia", "is", "nice"], [0.8, 0.0, 0.0], [0, 0, 0]),  # in any case
        # but a place's word in a longer name stays, and so does a place after a title
        (["Sierra", "Leone", "Smith", "won"], [0.6, 0.7, 0.9, 0.0], [1, 2, 2, 0]),
        (["Ho", "Chi", "Minh", "City", "is"], [0.9, 0.9, 0.9, 0.0, 0.0], [1, 2, 2, 0, 0]),
        (["Mr", "Berlin", "said"], [0.0, 0.9, 0.0], [0, 1, 0]),
        # and the places that are people's names too are not on the list
        (["Jordan", "scored", "30"], [0.9, 0.0, 0.0], [1, 0, 0]),
        (["Austin", "said", "hi"], [0.9, 0.0, 0.0], [1, 0, 0]),
        (["Georgia", "is", "coming"], [0.9, 0.0, 0.0], [1, 0, 0]),
        # a word for a people, a faith or a doctrine is no name; but only a name of one word
        (["Judaism", "has", "a", "long", "history"], [0.6, 0.0, 0.0, 0.0, 0.0], [0, 0, 0, 0, 0]),
        (["the", "Maoists", "and", "Albanians"], [0.0, 0.6, 0.0, 0.6], [0, 0, 0, 0]),
        (["Aram", "Khachaturian", "and", "Henrik", "Lundqvist"], [0.9, 0.9, 0.0, 0.9, 0.9], [1, 2, 0, 1, 2]),
    ],
)
def test_a_place_no_person_is_named_is_no_name(words, p_name, codes):
    assert _decode([words], p_name, extend=0.5) == codes



@pytest.mark.parametrize(
    ("words", "codes"),
    [
        # e-mail's "loop in": the capitalised words after it are a name, whatever the network says
        (["Looping", "in", "Hannah", "from", "legal"], [0, 0, 1, 0, 0]),
        (["Please", "loop", "in", "Rajesh", "Kumar", "."], [0, 0, 0, 1, 2, 0]),
        (["looped", "in", "Dr.", "Chen"], [0, 0, 0, 1]),  # past a title
        # not a team, a word in capitals, a lower-case word or a place
        (["Looping", "in", "Legal", "."], [0, 0, 0, 0]),
        (["Looping", "in", "HR", "."], [0, 0, 0, 0]),
        (["loop", "in", "the", "team"], [0, 0, 0, 0]),
        (["Looping", "in", "Bolivia"], [0, 0, 0]),
        (["Sarah", "Johnson", "and", "Legal"], [0, 0, 0, 0]),  # nothing without "loop in"
    ],
)
def test_the_words_after_loop_in_are_a_name(words, codes):
    assert _decode([words], [0.0] * len(words), extend=0.5) == codes


@pytest.mark.parametrize(
    ("words", "codes"),
    [
        # a line of a cricket scorecard: batsman, fielder, bowler are names, whatever the network says
        ("D. Lehmann st Kaluwitharana b Chandana 2".split(), [1, 2, 0, 1, 0, 1, 0]),
        ("N. Knight c and b Mushtaq Ahmed 8".split(), [1, 2, 0, 0, 0, 1, 2, 0]),
        ("G. Thorpe lbw b Mohammad Akram 54".split(), [1, 2, 0, 0, 1, 2, 0]),
        ("S. Ganguly c de Silva b Dharmasena 16".split(), [1, 2, 0, 1, 2, 0, 1, 0]),
        ("J. Crawley not out 94*".split(), [1, 2, 0, 0, 0]),
        # the batsmen still to bat, the bowlers with their figures and extras
        ("Did not bat : Dharmasena , Vaas , Muralitharan .".split(), [0, 0, 0, 0, 1, 0, 1, 0, 1, 0]),
        ("To bat - Wasim Akram , Moin Khan".split(), [0, 0, 0, 1, 2, 0, 1, 2]),
        ("Bowling : Streak 10-1-50-1 ( 2w , 2nb ) , de Silva 4-0-25-0".split(),
         [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0]),
        ("Bowling ( to date ) : Lewis 9-1-49-0".split(), [0, 0, 0, 0, 0, 0, 1, 0]),
        # not without the runs, a bowler, or names in each place
        ("D. Lehmann st Kaluwitharana b Chandana".split(), [0] * 6),
        ("Plan b is ready 2".split(), [0] * 5),
        ("We need plan b for 2".split(), [0] * 6),
        ("Section 2 b Lender 3".split(), [0] * 5),
        ("the vote ran out 12".split(), [0] * 5),
        ("Did not bat : the rest of the side".split(), [0] * 9),
        ("Bowling : a strong attack".split(), [0] * 5),
    ],
)
def test_the_names_of_a_cricket_scorecard_line_are_names(words, codes):
    assert _decode([words], [0.0] * len(words), extend=0.5) == codes


@pytest.mark.parametrize(
    ("words", "codes"),
    [
        # the sender's name after a sign-off, whatever the network says
        ("Best , Sofia".split(), [0, 0, 1]),
        ("Kind regards , Sofia Lund | Sales".split(), [0, 0, 0, 1, 2, 0, 0]),
        ("Thanks again , Priya .".split(), [0, 0, 0, 1, 0]),
        # not a team, "The ...", words in capitals, nor a name that goes on into the sentence
        ("Regards , Legal".split(), [0, 0, 0]),
        ("Best , The Marketing Team".split(), [0, 0, 0, 0, 0]),
        ("Thanks , NASA".split(), [0, 0, 0]),
        ("I did my best , Tom said".split(), [0] * 7),
        ("Sofia said thanks".split(), [0, 0, 0]),
    ],
)
def test_the_name_after_a_sign_off_is_a_name(words, codes):
    assert _decode([words], [0.0] * len(words), extend=0.5) == codes


def test_every_name_of_a_scorecard_line_in_the_training_set_is_a_persons(conll_dir):
    from ner_rnn.conventions import scorecard_names
    from ner_rnn.corpus import read_conll
    from ner_rnn.tags import entity_types, spans_from_tags

    found = right = 0
    for s in read_conll(conll_dir / "eng.train"):
        names = scorecard_names(s.words)
        found += len(names)
        right += len(set(names) & set(spans_from_tags(s.tags, entity_types(None))))
    assert found == right == 293  # 220 in 106 batsmen's lines, 73 in 24 lines of batsmen to bat or bowlers


COUNTRIES = frozenset("Italy Britain Netherlands South Africa".split())


def _capitals_are_names(words):
    """P(name) 0.9 for every capitalised word but the countries, as the network reads a results line."""
    return [0.9 if w[:1].isupper() and w not in COUNTRIES else 0.0 for w in words]


@pytest.mark.parametrize(
    ("line", "codes"),
    [
        # a race's results: the team or the car after the country is no name
        ("1 . Alex Zanardi ( Italy ) , Reynard Honda , 53.980", [0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0]),
        ("2. David Coulthard ( Britain ) McLaren 1:54.342", [0, 1, 2, 0, 0, 0, 0, 0]),
        ("3. Tristan Hoffman ( Netherlands ) TVM same time", [0, 1, 2, 0, 0, 0, 0, 0, 0]),
        # nor a side before its cricket score
        ("Durham 114 ( S. Watkin 4-28 ) and 81-3 .", [0, 0, 0, 1, 2, 0, 0, 0, 0, 0]),
        ("Glamorgan 259 and 207 , Durham 114 and 211 .", [0] * 10),
        # nor the teams of a line of match results
        ("Boroughmuir 20 Hawick 23", [0] * 4),
        ("Currie 45 Heriot 's F.P. 5", [0] * 6),
        ("Currie 45 Heriot \u2019s F.P. 5", [0] * 6),  # as a word processor writes it
        # but a golfer after the brackets, a player before a tie-break, a horse before its odds are names
        ("71 Ernie Els ( South Africa ) , Scott Hoch", [0, 1, 2, 0, 0, 0, 0, 0, 1, 2]),
        ("Mark Woodforde 6-7 ( 6-8 ) 6-3", [1, 2, 0, 0, 0, 0, 0]),
        ("2. Eveningperformance 16-1 ( Chris Rutter )", [0, 1, 0, 0, 1, 2, 0]),
        ("Agassi beat Smith and Jones", [1, 0, 1, 0, 1]),
        ("Smith scored 20 and Jones 23", [1, 0, 0, 0, 1, 0]),
    ],
)
def test_teams_in_sports_results_are_no_names(line, codes):
    words = line.split()
    assert _decode([words], _capitals_are_names(words)) == codes


def test_no_team_of_a_results_line_in_the_training_set_is_a_persons_but_four_slips(conll_dir):
    from ner_rnn.conventions import team_names
    from ner_rnn.corpus import read_conll

    teams = people = 0
    for s in read_conll(conll_dir / "eng.train"):
        for start, end in team_names(s.words):
            teams += 1
            people += any(tag.endswith("PER") for tag in s.tags[start:end])
    # "Damon Hill ( Britain ) [Williams]", twice "[Aki]", a cycling team, and "OB 1 [Lotte] 1", a baseball club
    assert (teams, people) == (1194, 4)


def test_the_places_list_is_sorted_and_has_no_person_names():
    from ner_rnn.conventions import PLACES

    lines = [line for line in (Path(ner_rnn.__file__).with_name("places.txt")).read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    assert lines == sorted(set(lines)) and len(lines) == len(PLACES) > 1000
    assert {"bolivia", "madrid", "sierra leone", "são paulo", "sao paulo"} <= PLACES
    assert not {"jordan", "chad", "paris", "washington", "austin", "victoria", "georgia", "kenya"} & PLACES

def test_words_in_other_scripts():
    from ner_rnn.conventions import is_in_other_script, is_label_word

    for word in ["Путин", "毛泽东", "नरेन्द्र", "בן-גוריון", "ภูมิพลอดุลยเดช", "문재인", "Αλέξης"]:
        assert is_in_other_script(word), word
    for word in ["Abe", "Shinzō", "Nguyễn", "1952", "(", "ɐ", "Путин2", "", "\u200e"]:
        assert not is_in_other_script(word), word
    assert is_label_word("Russian") and is_label_word("chữ") and not is_label_word("Путин")


@pytest.mark.parametrize(
    ("words", "p_name", "codes"),
    [
        # no name in eng.train or eng.testa is made of initials alone: these were names
        (["Option", "A", ".", "Then", "we", "left"], [0.0, 0.7, 0.7, 0.0, 0.0, 0.0], [0, 0, 0, 0, 0, 0]),
        (["See", "A.", "B.", "and", "C."], [0.0, 1.0, 1.0, 0.0, 1.0], [0, 0, 0, 0, 0]),
        (["The", "U.S.", "said"], [0.0, 0.9, 0.0], [0, 0, 0]),
        # with a word that is no initial, they stay
        (["A.", "Smith", "and", "J", ".", "Doe"], [0.9, 0.9, 0.0, 0.9, 0.9, 0.9], [1, 2, 0, 1, 2, 2]),
    ],
)
def test_a_name_of_initials_alone_is_none(words, p_name, codes):
    assert _decode([words], p_name) == codes


def test_an_initials_dot_before_a_capitalised_word_ends_no_sentence():
    from ner_rnn.tokenize import sentence_bounds

    assert sentence_bounds(["Charles", "E", ".", "Brinley", "signed", "."]) == [(0, 6)]
    assert sentence_bounds(["It", "rained", ".", "Smith", "left", "."]) == [(0, 3), (3, 6)]
    assert sentence_bounds(["Plan", "B", ".", "then", "C", "."]) == [(0, 3), (3, 6)]


@pytest.mark.parametrize(
    ("words", "p_name", "codes"),
    [
        # a nickname in quotes between two parts of a name is part of it, whatever the network says of it
        (["Dwayne", '"', "The", "Rock", '"', "Johnson", "won"], [0.9, 0, 0, 0, 0, 0.9, 0], [1, 2, 2, 2, 2, 2, 0]),
        (["Hector", "\u201c", "Macho", "\u201d", "Camacho"], [0.9, 0, 0, 0, 0.9], [1, 2, 2, 2, 2]),
        # in brackets only when the network takes the words in them for a name, not a country in a list
        (["James", "(", "Jim", ")", "Smith", "said"], [0.9, 0, 0.3, 0, 0.9, 0], [1, 2, 2, 2, 2, 0]),
        (["Ramon", "Vega", "(", "Cagliari", ")", "Raphael", "Wicky"], [0.9, 0.9, 0, 0, 0, 0.9, 0.9], [1, 2, 0, 0, 0, 1, 2]),
        # and when the network found the nickname with the rest of the name, but not the name before it
        (["James", "Leander", "(", "Leo", ")", "Nichols", ","], [0.9, 0.9, 0, 0.8, 0.8, 0.9, 0], [1, 2, 2, 2, 2, 2, 0]),
        (["a", "friend", "(", "Leo", ")", "Nichols"], [0, 0, 0, 0.8, 0.8, 0.9], [0, 0, 0, 1, 2, 2]),
        (["Smith", "(", "Leo", ")", "said"], [0.9, 0, 0.8, 0.8, 0], [1, 0, 1, 0, 0]),  # a name goes on past the mark
        # not a lower-case word in the marks, nor a word before them that is not a name
        (["Roberto", '"', "Hands", "of", "Stone", '"', "Duran"], [0.9, 0, 0, 0, 0, 0, 0.9], [1, 0, 0, 0, 0, 0, 1]),
        (["the", '"', "Rock", '"', "Johnson"], [0, 0, 0, 0, 0.9], [0, 0, 0, 0, 1]),
        (["Ask", "Smith", '"', "Now", '"', "Jones"], [0, 0.01, 0, 0, 0, 0.9], [0, 0, 0, 0, 0, 1]),
    ],
)
def test_a_nickname_between_the_parts_of_a_name_joins_them(words, p_name, codes):
    assert _decode([words], p_name, extend=0.1) == codes


@pytest.mark.parametrize("title", ["Major-General", "Lieutenant-Colonel", "Attorney-General", "ex-president", "Ex-Yankee"])
def test_titles_joined_by_hyphens_leave_the_start_of_a_name(title):
    assert _decode([[title, "Max", "Marriner", "said"]], [0.9, 0.9, 0.9, 0.0]) == [0, 1, 2, 0]


def test_a_hyphenated_word_that_is_not_all_titles_stays_in_a_name():
    assert _decode([["Jean-Pierre", "Papin", "scored"]], [0.9, 0.9, 0.0]) == [1, 2, 0]
    assert _decode([["Exa-Maria", "Papin", "scored"]], [0.9, 0.9, 0.0]) == [1, 2, 0]  # "ex-" is a prefix only


def test_the_sentences_with_a_rules_words_are_those_a_set_test_finds():
    """decode._sentences_with reads all its word sets in one look-up per token; for each set,
    the sentences it gives are those that hold one of its words, empty sentences included."""
    from ner_rnn import decode as D

    sets = list(D.TRIGGER_SETS)
    words = sorted({w for s in sets for w in s})
    rng = np.random.default_rng(0)
    vocabulary = words + ["the", "said", "Smith", "(", ")", "and", ""]
    sentences = [[] if n % 7 == 0 else list(rng.choice(vocabulary, size=rng.integers(1, 12))) for n in range(300)]
    sentences[-1] = []  # an empty sentence last too
    offsets = np.concatenate([[0], np.cumsum([len(s) for s in sentences])])
    batch = Batch(np.full((offsets[-1], 2), 0.5), offsets, "io", sentences, list(range(len(sentences))))
    for words_of_rule in sets + [frozenset(["Smith"])]:  # the last not among them: looked at directly
        expected = np.array([not words_of_rule.isdisjoint(s) for s in sentences])
        assert expected.any() and not expected.all()
        np.testing.assert_array_equal(D._sentences_with(words_of_rule, batch), expected)
