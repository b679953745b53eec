"""Probabilities -> names: the decoding step, on its own.

The network gives every token its probability of each tag; :func:`decode` turns those of a
whole batch of sentences (one flat array, sentence i at rows ``offsets[i]:offsets[i + 1]``)
into IOB2 codes at once, without running the network. It applies, in order, the rules of
:data:`RULES`, each a plain function ``rule(name, batch, decoding) -> name`` over the
boolean "is in a name" of every token:

1. ``caseless_threshold``: in a sentence that shows no case (all lower case or ALL CAPS), a
   token is in a name when P(name) >= ``Decoding.caseless``, not when that is its most
   likely tag (there a name looks like any other word, and the network is less sure);
2. ``alone_threshold``: in a sentence that shows case and is a document of its own (a line of
   one sentence), a token is in a name when P(name) >= ``Decoding.alone`` (the network
   learned from documents, where a word with no other mention is less often a name);
3. ``join_neighbours``: a token that touches a name joins it when P(name) >= ``Decoding.join``
   (``Decoding.caseless_join`` in a sentence without case), a capitalised one only in
   cased text ("Niall Quinn", not just "Quinn"; "bowler Martin McCague" stays out); a
   sentence whose only capitals are its first word and the pronoun "I" is in "casual" case,
   as chat is typed ("Yesterday I met john smith"), and shows no case, but its second word joins no name
   ("Williams said");
4. ``bridges``: an initial and its dot ("Charles E . Brinley"), or an Arabic article and its
   hyphen ("Hassan al - Turabi"), as tokenized text writes them, join the name after them, and
   so does a nickname in quotes or brackets after a name ('Dwayne " The Rock " Johnson'), and
   a Korean given name's second syllable ("Kim Jong Un", and in lower case "kim jong un"), and
   in lower case a hyphenated given name after its surname ("moon jae-in");
5. ``east_asian``: a Chinese name in pinyin of which the network found one word is found
   whole ("Zheng He", "Zhu Xi"), a Korean surname with a given name of two syllables
   joined by a hyphen is a name ("Park Geun-hye"), and a Vietnamese name found in part is
   found whole ("Ho Chi Minh", "Nguyen Tan Dung");
6. ``own_scripts``: a name in its own script in brackets beside a name found is a name
   ("Leo Tolstoy (Russian: Лев Толстой)");
7. ``coordinated``: in a sentence that is a document of its own, a capitalised word that
   "and", "or" or "nor" joins to a name is a name at P(name) >= ``COORDINATED`` ("[Biden]
   and [Harris]");
8. ``rulers``: a capitalised word that may be a name, "the" and an epithet are a name
   ("Catherine the Great", "Pliny the Elder"), and ``looped_in``: so are the capitalised
   words after e-mail's "loop in" ("Looping in Hannah from legal"), and ``signatures``: so is
   the sender's name after a sign-off ("Best, Sofia"), and ``scorecards``: so are the
   batsman, the fielder and the bowler of a line of a cricket scorecard ("D. Lehmann st
   Kaluwitharana b Chandana 2");
9. ``conventions``: what the annotation counts as a name (:mod:`ner_rnn.conventions`):
   regnal numbers join it, titles, greetings ("Hi Mark") and honorifics ("Dear Sir") leave its start, lower-case words other than particles
   leave it in cased text (but for a name all in lower case that the network is sure of:
   "Tell Mom that jake is coming"), tokens without a letter, chat's interjections ("omg",
   "lol") and offices ("General Counsel") leave its ends;
10. ``teams``: the team or the car of a row of a race's results ("1. Alex Zanardi (Italy),
   Reynard Honda, 53.980"), a side before its cricket score ("Durham 114 (S. Watkin 4-28)")
   and the teams of a line of match results ("Boroughmuir 20 Hawick 23") are no names;
11. ``surnames``: a capitalised word on its own that is the last word of a full name found
   before it in its document, at most ``Batch.window`` sentences before, is a name at
   P(name) >= ``Decoding.surname`` ("MaliVai Washington" ... "said [Washington]"), unless it
   is a word of the language that is no name (``Batch.common_words``);
12. ``not_companies``: a one-word name that is part of a company's name nearby in its
   document is dropped, a name loses its words up to a company designator, and a name
   right before one ("Kutak Rock LLP", "Kirkland & Ellis LLP") is dropped;
13. ``addresses``: a name before a comma, a US state and a ZIP code is a city's
   ("Charlotte, NC 28262");
14. ``places_and_groups``: a name that is a country, a US state or a large city no person is
   named (``ner_rnn/places.txt``) is none, and so is one word for a people, a faith or a
   doctrine ("Albanians", "Judaism");
15. ``handles``: an @-handle that may be a person's ("@AngelaMerkel", not "@NASA", nor
   "@Reuters" or "@AmericanAir", words of the language) is a name of its own, unless ``Batch.handles`` is
   False (:func:`ner_rnn.conventions.is_person_handle`, ``Batch.common_words``).

The thresholds are a :class:`Decoding`, chosen on dev after training
(:func:`ner_rnn.train.choose_decoding`) and stored in the model file. A new rule is a
function added to :data:`RULES` (with a test in tests/test_decode.py); a new threshold is a
field of :class:`Decoding`, its key in ``to_json`` and a line in ``describe``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cached_property
from itertools import chain, repeat
from operator import itemgetter
from dataclasses import dataclass, fields
from typing import Callable, Sequence

import numpy as np

from . import context
from .conventions import (
    BETWEEN_PARTICLES,
    CHINESE_SURNAMES_WRITTEN,
    DEPARTMENTS,
    EAST_ASIAN_SURNAMES,
    EPITHETS,
    FACILITIES,
    KOREAN_SURNAMES,
    LOOPED_IN_WORDS,
    LOOP_WORDS,
    HYPHENATED_SURNAMES,
    HYPHENATED_SURNAMES_LOWER,
    OPENING_BRACKETS,
    PARTICLES,
    PLACE_NAME_WORDS,
    PLACE_PREFIXES,
    INNINGS_MARKS,
    MAY_SCORE,
    RESULT_RANK,
    SCORECARD_WORDS,
    SIGN_OFF_PHRASE_WORDS,
    SIGN_OFF_WORDS,
    SIGN_OFFS,
    SIGNATURE_ENDS,
    SIGNED_NAME_WORDS,
    SHIP_PREFIXES,
    SPLIT_ARTICLES,
    STATES,
    VIETNAMESE_SURNAMES_WRITTEN,
    after_label,
    handle_parts,
    is_before_a_state,
    is_chinese_name,
    is_greeting,
    is_handle,
    is_honorific,
    is_initial,
    is_initials,
    is_hyphenated_name,
    is_in_other_script,
    is_korean_syllable_in_lower_case,
    is_korean_syllables,
    is_no_word_of_a_name,
    is_lower_word,
    is_person_handle,
    is_group_word,
    is_place,
    is_place_prefix,
    is_regnal,
    is_title,
    is_titled_handle,
    is_vietnamese_surname,
    is_vietnamese_syllable,
    names_in_own_script,
    scorecard_names,
    team_names,
)


@dataclass(frozen=True)
class Decoding:
    """The decoding thresholds; None leaves a rule out (argmax alone)."""

    join: float | None = None  # a neighbour of a name joins it at P(name) >= this
    caseless: float | None = None  # in a sentence without case, a token is a name at P(name) >= this
    caseless_join: float | None = None  # ... and a neighbour joins at this instead of ``join``
    alone: float | None = None  # in a sentence with case that is a text of its own, a token is a name at this
    surname: float | None = None  # a lone word that ends a full name found before it is a name at this (``surnames``)

    # their keys in the model file's metadata, as earlier releases wrote them
    KEYS = {"join": "extend", "caseless": "caseless_threshold", "caseless_join": "caseless_extend",
            "alone": "alone_threshold", "surname": "surname_threshold"}  # fmt: skip

    def to_json(self) -> dict:
        return {self.KEYS[f.name]: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_json(cls, meta: dict) -> "Decoding":
        return cls(**{f.name: meta.get(cls.KEYS[f.name]) for f in fields(cls)})

    def describe(self) -> str:
        """The decoding in words (for ``ner-rnn info`` and the training log)."""
        rule = "argmax per token"
        where = []
        if self.alone is not None:
            where.append(
                f"in a sentence with case that is a text of its own: P(name) >= {self.alone},"
                f" or >= {COORDINATED} for a capitalised word that 'and' or 'or' joins to a name"
            )
        if self.caseless is not None:
            where.append(f"in a sentence all in lower case or in capitals: P(name) >= {self.caseless}")
        if self.surname is not None:
            where.append(
                "for a capitalised word on its own that ends a full name found before it in its document:"
                f" P(name) >= {self.surname}, unless it is a word of the language that is no name"
            )
        if where:
            rule += f" ({'; '.join(where)})"
        if self.join is not None:
            caseless = ""
            if self.caseless_join is not None and self.caseless_join != self.join:
                caseless = f"; in a sentence all in lower case or in capitals, at P(name) >= {self.caseless_join}"
            rule += (
                f", then a neighbour of a name joins it at P(name) >= {self.join}"
                f" (in text with capitals, only a capitalised one{caseless})"
            )
        return rule + (
            "; an initial and its dot, or an article and its hyphen, written apart join the name after them,"
            " as do particles and the capitalised word before them,"
            " as does a nickname in quotes or brackets between two parts of a name,"
            " and a Korean given name's second syllable written apart"
            "; a Chinese name in pinyin of which one word is found is found whole,"
            " and a Korean or Chinese surname with a given name of two syllables and a hyphen is a name,"
            " and a Vietnamese name found in part takes its surname or its last syllables"
            "; a name in its own script (not Latin) in brackets beside a name found is a name"
            "; a name of initials alone is none; titles, kin and greetings leave the start of a name,"
            " and in cased text lower-case words"
            f" other than particles leave it (a name all in lower case stays at P(name) >= {LOWER_SURE}),"
            " regnal numbers and epithets join it,"
            " and the words after a ship's or a place's prefix are no person's (ner_rnn.conventions);"
            " nor are the team or car of a row of race results, a side before its cricket score or the teams"
            " of a line of match results;"
            " a one-word name that is part of a company's name nearby is dropped, and a name"
            " loses its words up to a company designator, or is dropped right before one (ner_rnn.context),"
            " and so for the last word of a place's, a prize's, a law's or a company's name"
            " (Dam, Airport, Prize, Act, Bank, Financial), and a name before a US state and a ZIP code is a city's;"
            " the capitalised words after 'loop in' are a name, as is the sender's name after a sign-off"
            " ('Best, Sofia'), and so are the batsman, fielder and bowler"
            " of a line of a cricket scorecard, and the names of its lines of batsmen to bat and of bowlers;"
            " a country, a US state or a large city that no person is named is no name (ner_rnn/places.txt),"
            " and nor is a word for a people, a faith or a doctrine (Albanians, Judaism, Maoists);"
            " an @-handle that may be a person's is a name of its own (unless --no-handles)"
        )


def p_name(flat: np.ndarray, scheme: str) -> np.ndarray:
    """Each token's probability of being part of a person name: P(PER) (io), or
    P(B-PER) + P(I-PER) (bio); the one definition, for decoding and document evidence."""
    return flat[:, 1] if scheme == "io" else flat[:, 1] + flat[:, 2]


@dataclass
class Batch:
    """What the rules look at: the flat probabilities of a batch of sentences and where each
    sentence starts; the words and documents, when known (without them, only the rules on
    probabilities apply)."""

    flat: np.ndarray  # (N, n_y) tag probabilities of every token
    offsets: np.ndarray  # (len(sentences) + 1,) sentence i is at rows offsets[i]:offsets[i + 1]
    scheme: str  # io or bio
    sentences: Sequence[Sequence[str]] | None = None
    documents: Sequence[int] | None = None  # the document of each sentence
    window: int = context.WINDOW  # sentences either side that count as nearby
    handles: bool = True  # an @-handle of a person is a name (the rule ``handles``)
    # words of the language, not names (Features.common_words): a handle of one is no person's
    common_words: Callable[[list[str]], np.ndarray] | None = None

    def __post_init__(self) -> None:
        self.alone: np.ndarray | None = None  # tokens that are a name by themselves (handles)
        self.ids = self.flat.argmax(axis=1)
        self.p = p_name(self.flat, self.scheme)
        self.first = _sentence_starts(len(self.flat), self.offsets)  # no name runs across a sentence start

    @cached_property
    def trigger_bits(self) -> np.ndarray:
        """For each sentence, which of the word sets of :data:`TRIGGER_SETS` it has a word of
        (bit n for set n): one look-up per token for all of them (:func:`_sentences_with`)."""
        lengths = np.fromiter(map(len, self.sentences), np.intp, len(self.sentences))
        token_bits = np.fromiter(map(_TRIGGERS_OF_WORD.get, chain.from_iterable(self.sentences), repeat(0)), np.int64)
        out = np.zeros(len(lengths), dtype=np.int64)
        full = np.flatnonzero(lengths)
        if len(full):
            out[full] = np.bitwise_or.reduceat(token_bits, (np.cumsum(lengths) - lengths)[full])
        return out


# ---- helpers ------------------------------------------------------------------------------


def _has_capitals(words: list[str]) -> bool:
    return any(w[:1].isupper() for w in words)


def _shows_case(words: list[str]) -> bool:
    """Written in mixed case: some word but the first is capitalised and some letter is lower
    case (not all lower case, not ALL CAPS, and not "casual" case, where a capital at the start
    of a sentence says nothing of how the rest was typed: "Yesterday i met john smith"). The
    pronoun "I" is no such word: a phone's keyboard capitalises it, and the first word, in chat
    typed without a thought for names ("Yesterday I met john smith")."""
    return any(w[:1].isupper() and w != "I" for w in words[1:]) and any(
        not w.isupper() and w.lower() != w.upper() for w in words
    )


def _sentence_of(candidates: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """The sentence of each flat token index."""
    return np.searchsorted(offsets, candidates, side="right") - 1


def _named_sentences(name: np.ndarray, b: Batch) -> np.ndarray:
    """Which sentences of ``b`` have a name token."""
    named = np.zeros(len(b.sentences), dtype=bool)
    named[_sentence_of(np.flatnonzero(name), b.offsets)] = True
    return named


# the word sets that rules look for in sentences (_sentences_with); bit n of a word's
# triggers says it is in set n
TRIGGER_SETS = (EAST_ASIAN_SURNAMES, OPENING_BRACKETS, EPITHETS, LOOP_WORDS, SIGN_OFF_WORDS, SCORECARD_WORDS,
                INNINGS_MARKS, STATES)  # fmt: skip
_TRIGGER_BIT = {words: 1 << n for n, words in enumerate(TRIGGER_SETS)}
_TRIGGERS_OF_WORD = {
    w: sum(bit for words, bit in _TRIGGER_BIT.items() if w in words) for w in frozenset().union(*TRIGGER_SETS)
}


def _sentences_with(words: frozenset[str], b: Batch) -> np.ndarray:
    """Which sentences of ``b`` hold one of ``words``: for the sets of :data:`TRIGGER_SETS`,
    from one look-up per token for all of them; for another set, decided in C."""
    bit = _TRIGGER_BIT.get(words)
    if bit is None:
        return ~np.fromiter(map(words.isdisjoint, b.sentences), dtype=bool, count=len(b.sentences))
    return (b.trigger_bits & bit) != 0


def _of_sentence(test, which: np.ndarray, sentences: list[list[str]]) -> np.ndarray:
    """``test(words)`` of each of the sentences ``which`` (with repeats); each is looked at once."""
    seen: dict[int, bool] = {}
    out = np.empty(len(which), dtype=bool)
    for n, s in enumerate(which.tolist()):
        if s not in seen:
            seen[s] = test(sentences[s])
        out[n] = seen[s]
    return out


def _in_caseless(decision: np.ndarray, other: np.ndarray, offsets: np.ndarray, sentences: list[list[str]]) -> None:
    """Replace ``decision`` (a boolean per flat token) by ``other`` in the sentences that show no case."""
    differ = np.flatnonzero(other != decision)  # only where the two differ is the sentence looked at
    if len(differ):
        caseless = differ[~_of_sentence(_shows_case, _sentence_of(differ, offsets), sentences)]
        decision[caseless] = other[caseless]


def capitalised(word: str) -> bool:
    """Written as a name is in cased text: "Quinn", or with an Arabic article, "al-Turabi"."""
    return word[:1].isupper() or (word[:3] in ("al-", "el-") and word[3:4].isupper())


def _may_join(candidates: np.ndarray, sentences: list[list[str]], offsets: np.ndarray, n: int) -> np.ndarray:
    """Which tokens may join a neighbouring name on weak evidence (see :func:`join_neighbours`):
    a capitalised word or one with an Arabic article ("al-Turabi", :func:`capitalised`), or
    any word of a sentence without capitals, or in casual case (no capital but the first
    word's) any word but the second.

    Only the ``candidates`` (flat token indices) are looked at; every other token may.
    """
    ok = np.ones(n, dtype=bool)
    which = _sentence_of(candidates, offsets)
    lower = np.array(
        [not capitalised(sentences[s][i - offsets[s]]) for i, s in zip(candidates.tolist(), which.tolist())],
        dtype=bool,
    )
    if lower.any():
        ok[candidates[lower]] = ~_of_sentence(_has_capitals, which[lower], sentences)
        # in casual case, a lower-case word may join too, but not the second word, whose
        # neighbour's capital is no evidence of a name ("Williams said")
        casual = lower & (candidates - offsets[which] > 1)
        if casual.any():
            ok[candidates[casual]] |= ~_of_sentence(_shows_case, which[casual], sentences)
    return ok


def _sentence_starts(n: int, offsets: np.ndarray) -> np.ndarray:
    """True at each flat token index that starts a sentence: no name runs across one."""
    first = np.zeros(n, dtype=bool)
    first[offsets[:-1][offsets[:-1] < n]] = True
    return first


def _neighbours(name: np.ndarray, first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per token: is the token before it in a name, and the token after it (in its sentence)?"""
    before = np.zeros_like(name)
    before[1:] = name[:-1] & ~first[1:]
    after = np.zeros_like(name)
    after[:-1] = name[1:] & ~first[1:]
    return before, after


def _words_at(tokens: np.ndarray, offsets: np.ndarray, sentences: list[list[str]]) -> tuple[list[str], np.ndarray]:
    """The word at each flat token index, and its sentence."""
    which = _sentence_of(tokens, offsets)
    return [sentences[s][i - offsets[s]] for i, s in zip(tokens.tolist(), which.tolist())], which


def _next_word(words: Sequence[str], k: int) -> str | None:
    return words[k + 1] if k + 1 < len(words) else None


_LETTER = re.compile(r"[^\W\d_]")
LOWER_SURE = 0.6  # a name all in lower case stays in cased text when every word is this likely a name
SHIP_WORDS = 5  # at most this many words after a ship's prefix are its name
PLACE_WORDS = 2  # at most this many words after a place's prefix are its name ("Mount St. Helens")


def _conventions(
    name: np.ndarray, first: np.ndarray, offsets: np.ndarray, sentences: list[list[str]], p: np.ndarray | None = None
) -> np.ndarray:
    """Apply :mod:`ner_rnn.conventions` to the name tokens ``name`` (a boolean per flat token):
    a regnal number right after a name joins it, in a sentence that shows case ("Elizabeth I");
    then titles leave the start of a name of two or more words ("Judge Olga Lavrentyeva"),
    and greetings the start of any ("Hi Mark", "Regards");
    then, in a sentence that shows case, lower-case words other than particles leave a name:
    at its ends ("bowler Martin McCague"), or inside it, which splits it in two ("Aidan Quinn
    portrays Harry Boland"), unless the name is all in lower case and the network is sure of
    it (:func:`_sure_lower_names`; given ``p``, each token's P(name)); and last, tokens
    without a letter, interjections ("omg"), offices ("Counsel") and contractions typed without
    their apostrophe ("im") leave its ends
    (:func:`_trim_ends`), and a name made only of initials is none (:func:`ner_rnn.conventions.is_initials`).
    ``first`` marks the sentence starts."""
    after = np.flatnonzero(_neighbours(name, first)[0] & ~name)  # the token right after a name
    if len(after):
        words, which = _words_at(after, offsets, sentences)
        # the word after "I" says whether it is the pronoun ("Tell Joe I said hi")
        hit = np.array([is_regnal(w, _next_word(sentences[s], i - int(offsets[s])) if w == "I" else None)
                        for w, i, s in zip(words, after.tolist(), which.tolist())], dtype=bool)  # fmt: skip
        if hit.any():
            hit[hit] = _of_sentence(_shows_case, which[hit], sentences)
            name[after[hit]] = True
    while True:  # again, for titles of more than one word ("Prime Minister", "Vice President")
        before, has_next = _neighbours(name, first)
        starts = np.flatnonzero(name & ~before & has_next)
        if not len(starts):
            break
        hit = np.array([is_title(w) for w in _words_at(starts, offsets, sentences)[0]], dtype=bool)
        if not hit.any():
            break
        name[starts[hit]] = False
    # the words of a ship's name after its prefix are no person's ("USS Dwight D. Eisenhower",
    # "HMS Queen Elizabeth"): the capitalised words and "of" that follow it, at most SHIP_WORDS
    # (only the sentences with a name are looked at)
    # and so are those of a place's name after its prefix, with the prefix ("Lake Victoria",
    # "Mount McKinley"), where the prefix ends no name ("Ricki Lake" stays)
    for s in np.unique(_sentence_of(np.flatnonzero(name), offsets)).tolist():
        words, at = sentences[s], int(offsets[s])
        if SHIP_PREFIXES.isdisjoint(words) and PLACE_PREFIXES.isdisjoint(words):
            continue
        for k, w in enumerate(words):
            if w in SHIP_PREFIXES:
                n_words = SHIP_WORDS
            elif is_place_prefix(w) and k + 1 < len(words) and words[k + 1][:1].isupper():
                if k and name[at + k - 1]:
                    continue  # a surname ("Ricki Lake")
                n_words = PLACE_WORDS
                name[at + k] = False
            else:
                continue
            for j in range(k + 1, min(len(words), k + 1 + n_words)):
                if not (words[j][:1].isupper() or words[j] == "of"):
                    break
                name[at + j] = False
    # greetings and honorifics leave the start of a name of any length ("Hi Mark", "Regards",
    # "Dear Sir or Madam")
    starts = np.flatnonzero(name & ~_neighbours(name, first)[0])
    if len(starts):
        words = _words_at(starts, offsets, sentences)[0]
        name[starts[[is_greeting(w) or is_honorific(w) for w in words]]] = False
    # lower-case words other than particles leave a name, at its ends or inside it (which
    # splits it in two), in a sentence that shows case
    tokens = np.flatnonzero(name)
    words, which = _words_at(tokens, offsets, sentences)
    hit = np.array([is_lower_word(w) for w in words], dtype=bool)
    for j in [j for j in np.flatnonzero(hit).tolist() if words[j] == "the"]:  # "Catherine the Great" stays whole
        if j + 1 < len(tokens) and tokens[j + 1] == tokens[j] + 1 and words[j + 1] in EPITHETS:
            hit[j] = False
    if p is not None and hit.any():
        hit &= ~_sure_lower_names(tokens, hit, first, p)
    if hit.any():
        hit[hit] = _of_sentence(_shows_case, which[hit], sentences)
        name[tokens[hit]] = False
    # last, tokens without a letter, the interjections of chat ("omg", "lol") and offices
    # ("Counsel", "Treasurer") leave the ends of a name (the words are known by now)
    no_word = [(not w.isalpha() and _LETTER.search(w) is None) or is_no_word_of_a_name(w) for w in words]
    name = _trim_ends(name, first, tokens[no_word])
    # and a name made only of initials is none ("Option A . Then", "See A. B. and C.")
    initials = np.array([is_initials(w) for w in words], dtype=bool)
    if initials.any():
        kept = name[tokens]
        tokens, initials = tokens[kept], initials[kept]
        run, _ = _runs(tokens, first)
        name[tokens[_all_of_run(run, initials)[run]]] = False
    return name


def _sure_lower_names(tokens: np.ndarray, lower: np.ndarray, first: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Which of the name tokens ``tokens`` (flat indices, in order) are in a name made only of
    lower-case words (``lower``) that the network is sure of, every word at P(name) >=
    :data:`LOWER_SURE`: a name typed in lower case in cased text ("Tell Mom that jake is
    coming"), not a lower-case word beside a capitalised name ("seamer Peter Martin")."""
    run, starts = _runs(tokens, first)
    sure = np.minimum.reduceat(p[tokens], starts) >= LOWER_SURE
    return (_all_of_run(run, lower) & sure)[run]


def _runs(tokens: np.ndarray, first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The names that the name tokens ``tokens`` (flat indices, in order) make: the name of
    each token, 0, 1, ...; and where each name starts in ``tokens``."""
    start = np.ones(len(tokens), dtype=bool)
    start[1:] = (np.diff(tokens) != 1) | first[tokens[1:]]
    return np.cumsum(start) - 1, np.flatnonzero(start)


def _all_of_run(run: np.ndarray, flags: np.ndarray) -> np.ndarray:
    """Per name (:func:`_runs`), whether each of its tokens has its flag set."""
    return np.bincount(run, weights=~flags, minlength=int(run[-1]) + 1 if len(run) else 0) == 0


def _trim_ends(name: np.ndarray, first: np.ndarray, no_word: np.ndarray) -> np.ndarray:
    """Tokens that are no word of a name (flat indices ``no_word``: tokens without a letter,
    emoji, "@@", digits, control characters; interjections and offices, "omg", "Counsel")
    leave the ends of a name, so a name that has no letter at all is no name. Inside a name
    they stay, as in the annotation's "( Tom ) Seaver"."""
    no_word = no_word[name[no_word]]
    while len(no_word):
        before, after = _neighbours(name, first)
        ends = no_word[~before[no_word] | ~after[no_word]]
        if not len(ends):
            break
        name[ends] = False
        no_word = no_word[name[no_word]]
    return name


def _not_companies(
    name: np.ndarray, first: np.ndarray, offsets: np.ndarray, sentences: list[list[str]], documents: list[int], window: int
) -> np.ndarray:
    """A name of one word that is part of a company's name nearby in its document is no name
    there ("Pirelli said" near "Pirelli SpA"; see :func:`companies_nearby`);
    nor are the words of a name up to a company designator in it ("Salomon Bros"), nor a name
    right before one, or before "&" and a company's name ("Kutak Rock LLP", "Kirkland & Ellis
    LLP": in eng.train and eng.testa no person's name stands there). ``first`` marks the
    sentence starts."""
    tokens = np.flatnonzero(name)
    words, which = _words_at(tokens, offsets, sentences)
    designators = tokens[[w in NAME_ENDS for w in words]]
    # a name's last word with a word after it in its sentence: a designator there, or "&" and
    # a company's name, makes the name the company's
    last = tokens + 1 < len(name)
    last[last] = ~name[tokens[last] + 1] & ~first[tokens[last] + 1]
    ends, where = tokens[last], which[last]
    follows = []
    for t, s in zip(ends.tolist(), where.tolist()):
        k = t - int(offsets[s])
        follows.append(_company_follows(sentences[s], k + 1) or _capitals_company_follows(sentences[s], k))
    designators = np.concatenate([designators, ends[np.array(follows, dtype=bool)]])
    for j in designators.tolist():  # the company's name ends there; what follows may be a person's
        a = j
        while a > 0 and name[a - 1] and not first[a]:
            a -= 1
        name[a : j + 1] = False
    before, after = _neighbours(name, first)
    alone = np.flatnonzero((name & ~before & ~after)[tokens])  # positions in tokens, whose words are known
    if not len(alone):
        return name
    near = companies_nearby(sentences, documents, sorted(set(which[alone].tolist())), window)
    if near:
        drop = [tokens[k] for k in alone.tolist() if which[k] in near and words[k].lower() in near[which[k]]]
        name[drop] = False
    return name


# ---- the word lists of the company rule: one sense per document ------------------------------

# words that end a company's name ("Magna International Inc", "Pirelli SpA", "LM Ericsson AB"),
# in the forms news text writes them, and in capitals for headlines
_DESIGNATORS = (
    "Inc Corp Corporation Ltd Limited Co Company Bros Plc PLC plc "
    "AG SA SpA NV BV AB ASA GmbH Group Holdings Bhd Pty LLC LLP PLLC Pte "
    "L.P. L.L.C. L.L.P. S.A. S.p.A. N.V. B.V. A.G. P.C."  # and as contracts write them (law firms: "Kirkland Hale LLP")
).split()
DESIGNATORS = frozenset(
    [*_DESIGNATORS, *(d + "." for d in ("Inc", "Corp", "Ltd", "Co", "Bros")), *(d.upper() for d in _DESIGNATORS)]
)
# words that end many a company's name after a founder's or a place's, but are no designator
# ("Raymond James Financial", "JPMorgan Chase Bank", "Lehman Brothers Holdings"): in eng.train
# and eng.testa none is part of a person's name or follows one, while they follow the words
# of other entities 157 times
_COMPANY_ENDS = (
    "Bank Financial Capital Partners Securities Trust Associates Investments Management Advisors Ventures "
    "Industries Enterprises Insurance Motors Pharmaceuticals Foods Airlines Communications Systems Technologies "
    "Energy Entertainment Media Records Studios Publishing Bancorp Funding Markets"
).split()
COMPANY_ENDS = frozenset([*_COMPANY_ENDS, *(w.upper() for w in _COMPANY_ENDS)])
# the words that end a company's, a place's, a prize's or a law's name: none ends a person's
NAME_ENDS = DESIGNATORS | COMPANY_ENDS | FACILITIES
COMPANY_WORDS = 4  # at most this many capitalised words before a designator are the company's name


def _company_follows(words: Sequence[str], k: int) -> bool:
    """Whether ``words[k:]`` begins with a designator, or with "&" and at most
    ``COMPANY_WORDS`` capitalised words before one ("& Co", "& Ellis LLP")."""
    if words[k] in NAME_ENDS:
        return True
    if words[k] != "&":
        return False
    for j in range(k + 1, min(len(words), k + 2 + COMPANY_WORDS)):
        if words[j] in DESIGNATORS:
            return True
        if not words[j][:1].isupper():
            return False
    return False


def _capitals_company_follows(words: Sequence[str], k: int) -> bool:
    """Whether the name that ends at ``words[k]``, in capitals in a sentence that shows case,
    is followed by up to ``COMPANY_WORDS`` more words in capitals and one that ends a
    company's or a place's name: a party in a contract, "[WELLS] FARGO BANK, NATIONAL
    ASSOCIATION". (In a headline all in capitals, "SELES HAS WALKOVER TO U.S. OPEN", the
    words after a name are no part of one: eng.train has six such.)"""
    if not (words[k].isupper() and len(words[k]) > 1):
        return False
    for j in range(k + 1, min(len(words), k + 2 + COMPANY_WORDS)):
        if words[j] in NAME_ENDS:
            return j > k + 1 and _shows_case(words)
        if not (words[j].isupper() and words[j].isalpha()):
            return False
    return False


def company_words(words: Sequence[str]) -> set[str]:
    """The words (lower-cased) of the company names in one sentence: the run of capitalised
    words, at most ``COMPANY_WORDS`` long, right before a designator. A run stops at any
    other token, so "Edward D. Jones & Co" names no word."""
    out: set[str] = set()
    for k, w in enumerate(words):
        if w in DESIGNATORS:
            j = k - 1
            while j >= max(0, k - COMPANY_WORDS) and words[j][:1].isupper() and words[j] not in DESIGNATORS:
                out.add(words[j].lower())
                j -= 1
    return out


def companies_nearby(
    sentences: Sequence[Sequence[str]], documents: Sequence[int], wanted: Sequence[int], window: int = context.WINDOW
) -> dict[int, set[str]]:
    """For each of the ``wanted`` sentences that has any: the words that are part of a company's
    name in a sentence of the same document at most ``window`` sentences away (its own included)."""
    where = [i for i, words in enumerate(sentences) if not DESIGNATORS.isdisjoint(words)]
    found = {i: company_words(sentences[i]) for i in where}
    out: dict[int, set[str]] = {}
    for i in wanted:
        lo, hi = bisect_left(where, i - window), bisect_right(where, i + window)
        near = [found[where[j]] for j in range(lo, hi) if documents[where[j]] == documents[i] and found[where[j]]]
        if near:
            out[i] = set().union(*near)
    return out


# ---- the rules, in order ------------------------------------------------------------------


def caseless_threshold(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """In a sentence without case, a token is in a name when P(name) >= ``d.caseless``."""
    if d.caseless is not None and b.sentences is not None:
        _in_caseless(name, b.p >= d.caseless, b.offsets, b.sentences)
    return name


def _single_sentences(documents: Sequence[int]) -> np.ndarray:
    """Per sentence: is it a document of its own (its neighbours belong to other documents)?"""
    docs = np.asarray(documents)
    single = np.ones(len(docs), dtype=bool)
    single[1:] &= docs[1:] != docs[:-1]
    single[:-1] &= docs[:-1] != docs[1:]
    return single


def alone_threshold(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """In a sentence that shows case and is a document of its own (a line of one sentence, as
    ``ner-rnn tag`` reads it), a token is in a name when P(name) >= ``d.alone``. The network
    learned from documents, where a name's other mentions are evidence and a word with none
    is less likely a name; a sentence alone has no other mentions at all."""
    if d.alone is None or b.sentences is None or b.documents is None or not len(b.documents):
        return name
    single = _single_sentences(b.documents)
    other = b.p >= d.alone
    differ = np.flatnonzero(other != name)  # only where the two differ is the sentence looked at
    if len(differ):
        which = _sentence_of(differ, b.offsets)
        keep = single[which]
        keep[keep] = _of_sentence(_shows_case, which[keep], b.sentences)
        name[differ[keep]] = other[differ[keep]]
    return name


def join_neighbours(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """A token touching a name joins it when P(name) >= ``d.join`` (``d.caseless_join`` in a
    sentence without case); given the words, only a capitalised one, or any in a sentence
    without capitals. Grows through chains of neighbours, never across a sentence start."""
    if d.join is None or not name.any():
        return name
    near = b.p >= d.join
    if b.sentences is not None:
        if d.caseless_join is not None and d.caseless_join != d.join:
            _in_caseless(near, b.p >= d.caseless_join, b.offsets, b.sentences)
        near &= _may_join(np.flatnonzero(near & ~name), b.sentences, b.offsets, len(name))
    while True:
        grown = name | (near & np.logical_or(*_neighbours(name, b.first)))
        if (grown == name).all():
            return name
        name = grown


def bridges(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """What tokenized text splits in two, one token in the training text, joins the name right
    after it: an initial and its dot ("Charles E . Brinley"; or several, "J . R . R . Tolkien"),
    and an Arabic article and its hyphen ("Hassan al - Turabi"), when the initial, or the word
    before the article, is a name or may join one (P(name) >= ``d.join``; not "plan B .
    Smith"); one or two particles and the
    capitalised word before them ("Osama bin Laden", "Tamim bin Hamad"), when each may join
    ("do", an English word too, only between two parts of a name found: "Edson Arantes do
    Nascimento");
    and a nickname in quotes or
    brackets, when the word before it is a capitalised name or may join one
    ('Dwayne " The Rock " Johnson', "James ( Jim ) Smith"; see :func:`_nickname_start`), or
    before a name that runs from the nickname on ("James ( [Jim ) Smith]"; :func:`_runs_through`);
    and a Korean given name's second syllable after a name of two words ("Kim Jong" + "Un";
    :func:`ner_rnn.conventions.is_korean_syllables`). Then the name grows as in
    :func:`join_neighbours` ("Abu Bakr al - Baghdadi")."""
    if b.sentences is None or not name.any():
        return name
    starts = np.flatnonzero(name & ~_neighbours(name, b.first)[0])
    which = _sentence_of(starts, b.offsets)
    bridged = False

    def joins(t: int) -> bool:  # the initial, or the word before the article, is a name or may join one
        return bool(name[t]) or (d.join is not None and b.p[t] >= d.join)

    for i, s in zip(starts.tolist(), which.tolist()):
        k, words = i - int(b.offsets[s]), b.sentences[s]
        if k >= 4 and words[k - 1] in NICKNAME_MARKS:
            o = _nickname_start(words, k - 1, i, b.p, d)
            if o is not None and capitalised(words[o - 1]) and joins(i - k + o - 1):
                name[i - k + o - 1 : i] = bridged = True
            continue
        if k >= 2 and words[k - 1] in NICKNAMES and _runs_through(words, k - 1, name[i - k : i - k + len(words)]):
            if capitalised(words[k - 2]) and joins(i - 2):  # "James Leander ( [Leo ) Nichols]"
                name[i - 2 : i] = bridged = True
            continue
        j = k - 1  # "Osama bin [Laden]", "Oscar de la [Hoya]": particles, and a capitalised word before them
        while j > 0 and k - j <= 2 and words[j] in PARTICLES and joins(i - k + j):
            j -= 1
        if j < k - 1 and capitalised(words[j]) and joins(i - k + j):
            name[i - k + j : i] = bridged = True
            continue
        if k >= 2 and words[k - 1] in BETWEEN_PARTICLES and name[i - 2] and capitalised(words[k - 2]):
            name[i - 1] = bridged = True  # "[Edson Arantes] do [Nascimento]"
            continue
        if k < 2 or words[k - 1] not in (".", "-"):
            continue
        if words[k - 1] == "." and is_initial(words[k - 2]) and joins(i - 2):
            j = k - 2  # and the initials before it ("J . R . R . Tolkien")
            while j >= 2 and words[j - 1] == "." and is_initial(words[j - 2]) and joins(i - k + j - 2):
                j -= 2
            name[i - k + j : i] = bridged = True
        elif words[k - 1] == "-" and words[k - 2].lower() in SPLIT_ARTICLES and k >= 3 and joins(i - 3):
            name[i - 3 : i] = bridged = True
    # a Korean given name's second syllable, written apart ("Kim Jong" + "Un"), joins a name of
    # two words; in a sentence all in lower case too ("kim jong un"), as if capitalised
    ends = np.flatnonzero(name & ~_neighbours(name, b.first)[1])
    for i, s in zip(ends.tolist(), _sentence_of(ends, b.offsets).tolist()):
        k, words = i - int(b.offsets[s]), b.sentences[s]
        if 1 <= k < len(words) - 1 and name[i - 1] and not (k >= 2 and name[i - 2]):
            three = words[k - 1 : k + 2]
            lower = all(w.islower() for w in three) and three[0] in KOREAN_SURNAMES
            if lower and is_korean_syllable_in_lower_case(three[2]) and not _shows_case(words):
                three = [w.capitalize() for w in three]
            if is_korean_syllables(*three):
                name[i + 1] = bridged = True
        # and in lower case, a hyphenated given name after a name that ends in its surname ("[moon] jae-in")
        elif k + 1 < len(words) and "-" in words[k + 1] and words[k] in HYPHENATED_SURNAMES_LOWER:
            pair = words[k : k + 2]
            if pair[1].islower() and is_hyphenated_name(*(w.capitalize() for w in pair)) and not _shows_case(words):
                name[i + 1] = bridged = True
    return join_neighbours(name, b, d) if bridged else name


def east_asian(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """Chinese, Korean and Vietnamese names as English writes them, surname first, which the
    network, trained on 1996 news, finds in part: a Chinese name in pinyin of which it found
    one word, the only capitalised one of its name, joins the other ("Zheng [He]", "[Zhu] Xi",
    "Xi [Jinping]"; :func:`_chinese`); a Korean or Chinese surname with a given name of two
    syllables joined by a hyphen is a name when either word is one or may join one ("Park
    Geun-hye", "Sun Yat-sen"; P(name) >= ``d.join``; :func:`_hyphenated`); and a Vietnamese
    name found in part is found whole (:func:`_vietnamese`)."""
    if b.sentences is None:
        return name
    named = _named_sentences(name, b)
    for s in np.flatnonzero(_sentences_with(EAST_ASIAN_SURNAMES, b)).tolist():
        words = b.sentences[s]
        at = int(b.offsets[s])
        view = name[at : at + len(words)]  # views: the rules change name
        if named[s]:
            _chinese(words, view)
            if not VIETNAMESE_SURNAMES_WRITTEN.isdisjoint(words):
                _vietnamese(words, view)
        if d.join is not None and not HYPHENATED_SURNAMES.isdisjoint(words):
            _hyphenated(words, view, b.p[at : at + len(words)] >= d.join)
    return name


def _hyphenated(words: list[str], name: np.ndarray, may_join: np.ndarray) -> None:
    """In one sentence, a surname and a hyphenated given name of two syllables are a name when
    either word may join one (``may_join``: P(name) >= the joining threshold, which a name's
    words reach; :func:`ner_rnn.conventions.is_hyphenated_name`)."""
    for k in range(len(words) - 1):
        if is_hyphenated_name(words[k], words[k + 1]) and may_join[k : k + 2].any():
            name[k : k + 2] = True


def _chinese(words: list[str], name: np.ndarray) -> None:
    """In one sentence (``name`` its tokens'), a Chinese name of which one word is a name, the
    only capitalised word of its name, takes the other ("Zheng [He]", "Xi [Jinping]")."""
    for k in [k for k, w in enumerate(words[:-1]) if w in CHINESE_SURNAMES_WRITTEN]:
        if name[k] == name[k + 1] or not is_chinese_name(words[k], words[k + 1]):
            continue
        found = k if name[k] else k + 1
        if not _only_capital(words, found, name):
            continue
        if found == k:
            name[k + 1] = True
        elif k > 0 or words[0] != "He":  # "He" as a sentence's first word is the pronoun
            name[k] = True


VIETNAMESE_WORDS = 3  # a Vietnamese name has at most this many words as the rule joins them


def _vietnamese(words: list[str], name: np.ndarray) -> None:
    """In one sentence (``name`` its tokens'), a name of one or two words of the shape of
    Vietnamese syllables takes the surname right before it ("Ho [Chi Minh]"; not in "Ho Chi
    Minh City"), and a name that begins with a surname takes the syllables right after it, up
    to ``VIETNAMESE_WORDS`` words ("[Nguyen] Tan Dung")."""
    n, k = len(words), 0
    while k < n:
        if not name[k]:
            k += 1
            continue
        a = k
        while k < n and name[k]:
            k += 1
        if k - a > 2 or not all(is_vietnamese_syllable(w) for w in words[a:k]):
            continue
        if a > 0 and is_vietnamese_surname(words[a - 1]) and (k == n or words[k] != "City"):
            a -= 1
            name[a] = True
        if is_vietnamese_surname(words[a]):
            while k < n and k - a < VIETNAMESE_WORDS and not name[k] and is_vietnamese_syllable(words[k]):
                name[k] = True
                k += 1


def _only_capital(words: list[str], k: int, name: np.ndarray) -> bool:
    """Whether ``words[k]`` is the only capitalised word of its name (``name``: the sentence's)."""
    return all(not name[j] or not capitalised(words[j]) for j in (k - 1, k + 1) if 0 <= j < len(words))


OWN_SCRIPT_WORDS = 4  # at most this many words of a name in its own script before the brackets


def own_scripts(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """A person's name in its own script, in brackets right after the name found, as
    encyclopedic text gives it: "[Leo Tolstoy] (Russian: [Лев Николаевич Толстой])", "[Moon
    Jae-in] (Korean: [문재인]; Hanja: [文在寅])"; each part of the brackets that is a label and
    a run of words in a script other than Latin, or such a run alone, is a name, and its
    label none (:func:`ner_rnn.conventions.names_in_own_script`). And the other way round:
    the words in another script right before brackets that begin with a name, "[毛泽东] ([Mao
    Zedong])". The network, trained on news in ASCII, has never seen these scripts."""
    if b.sentences is None or not name.any():
        return name
    for s in np.flatnonzero(_named_sentences(name, b) & _sentences_with(OPENING_BRACKETS, b)).tolist():
        words = b.sentences[s]
        if all(map(str.isascii, words)):
            continue
        at = int(b.offsets[s])
        view = name[at : at + len(words)]
        for k in [k for k, w in enumerate(words) if w in OPENING_BRACKETS]:
            if k > 0 and view[k - 1]:
                for label, a, e in names_in_own_script(words, k):
                    view[label:a] = False  # "Hanja :" is no name
                    view[a:e] = True
            inside = after_label(words, k + 1, len(words))
            if inside < len(words) and view[inside] and not is_in_other_script(words[inside]):
                a = k
                while a > 0 and k - a < OWN_SCRIPT_WORDS and is_in_other_script(words[a - 1]):
                    a -= 1
                if a < k and (a == 0 or not is_in_other_script(words[a - 1])):
                    view[a:k] = True
    return name


COORDINATORS = frozenset({"and", "or", "nor"})  # not "&", which joins the names of firms
COORDINATED = 0.1  # in a sentence alone, a capitalised word joined to a name by "and" or "or" is a name at this


def coordinated(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """In a sentence that is a document of its own (when ``d.alone`` applies), a capitalised
    word that "and", "or" or "nor" joins to a name is a name too, at P(name) >=
    :data:`COORDINATED` ("[Biden] and [Harris] to visit Pittsburgh", "Ronaldo or [Messi]",
    "Neither Lebed nor [Maskhadov]"). A name's other mentions would be evidence in a
    document; alone, the one it is coordinated with is the best there is. Running text is
    left as the network and the thresholds tag it (the rule moved the epochs training
    chooses there, and that build was worse: docs/accuracy.md)."""
    if d.alone is None or b.sentences is None or b.documents is None or not name.any():
        return name
    single = _single_sentences(b.documents)
    # the tokens that may become names: sure enough, no name yet, and a name two tokens away
    near = np.zeros_like(name)
    near[2:] |= name[:-2]
    near[:-2] |= name[2:]
    near &= ~name & (b.p >= COORDINATED)
    tokens = np.flatnonzero(near)
    for j, s in zip(tokens.tolist(), _sentence_of(tokens, b.offsets).tolist()):
        at, words = int(b.offsets[s]), b.sentences[s]
        k = j - at
        if not single[s] or name[j] or not capitalised(words[k]):
            continue
        for step in (-1, 1):  # the word joined, the "and" beside it, the name beyond
            if 0 <= k + 2 * step < len(words) and words[k + step] in COORDINATORS and name[j + 2 * step]:
                # the new name, and the capitalised words beside it that may join it ("Joe [Biden] and")
                i = j
                while 0 <= i - at < len(words) and not name[i] and capitalised(words[i - at]):
                    if i != j and (d.join is None or b.p[i] < d.join):
                        break
                    name[i] = True
                    i -= step
                break
    return name


def rulers(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """Rulers' and scholars' names with an epithet, which the network, trained on news, has
    never seen: a capitalised word that may be a name (P(name) >= ``d.join``), "the" and an
    epithet ("Catherine the Great", "Pliny the Elder"; :data:`ner_rnn.conventions.EPITHETS`)."""
    if b.sentences is None:
        return name
    for s in np.flatnonzero(_sentences_with(EPITHETS, b)).tolist():
        words, at = b.sentences[s], int(b.offsets[s])
        for k in range(2, len(words)):
            i = at + k
            if words[k] in EPITHETS and words[k - 1] == "the" and capitalised(words[k - 2]):
                if name[i - 2] or (d.join is not None and b.p[i - 2] >= d.join):
                    name[i - 2 : i + 1] = True
    return name


def looped_in(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """The capitalised words after "loop in" ("Looping in [Hannah] from legal", "Please loop
    in [Rajesh Kumar]"; :data:`ner_rnn.conventions.LOOP_WORDS`) are a name, past a title or
    an honorific before them ("looping in Dr. [Chen]"), up to a word in capitals or one that
    names a team (:data:`ner_rnn.conventions.DEPARTMENTS`: "Looping in Legal", "loop in HR")."""
    if b.sentences is None:
        return name
    for s in np.flatnonzero(_sentences_with(LOOP_WORDS, b)).tolist():
        words, at = b.sentences[s], int(b.offsets[s])
        for k in range(len(words) - 2):
            if words[k] not in LOOP_WORDS or words[k + 1].lower() != "in":
                continue
            j = k + 2
            if is_title(words[j]) or is_honorific(words[j]):
                j += 1
            run = []
            while (j < len(words) and len(run) < LOOPED_IN_WORDS and capitalised(words[j])
                   and not words[j].isupper() and words[j].lower() not in DEPARTMENTS):  # fmt: skip
                run.append(j)
                j += 1
            if run and not is_place([words[i] for i in run]):
                name[at + run[0] : at + run[-1] + 1] = True
    return name


def signatures(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """The sender's name after a sign-off is a name: "Best, [Sofia]", "Kind regards, [Conor
    O'Sullivan] | Head of Operations" (:data:`ner_rnn.conventions.SIGN_OFFS`): a sentence that
    opens with a sign-off and a comma, then at most ``SIGNED_NAME_WORDS`` capitalised words
    that end it or stand before a bar, a comma or a full stop. Not words in capitals, a team
    ("Best, Legal"), "The ..." or words of the language that are no name ("Thanks, Apple")."""
    if b.sentences is None:
        return name
    for s in np.flatnonzero(_sentences_with(SIGN_OFF_WORDS, b)).tolist():
        words, at = b.sentences[s], int(b.offsets[s])
        if "," not in words[: SIGN_OFF_PHRASE_WORDS + 1]:
            continue
        comma = words.index(",")
        if not comma or words[comma - 1].lower() not in SIGN_OFFS:
            continue
        end = comma + 1
        while end < len(words) and end - comma <= SIGNED_NAME_WORDS and capitalised(words[end]):
            end += 1
        run = words[comma + 1 : end]
        if not run or (end < len(words) and words[end] not in SIGNATURE_ENDS) or words[comma + 1] == "The":
            continue
        if any(w.isupper() or w.lower() in DEPARTMENTS for w in run) or is_place(run):
            continue
        if b.common_words is not None and b.common_words(run).any():
            continue
        name[at + comma + 1 : at + end] = True
    return name


def scorecards(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """The batsman, the fielder and the bowler of a line of a cricket scorecard are names
    ("D. Lehmann st [Kaluwitharana] b Chandana 2"; :func:`ner_rnn.conventions.scorecard_names`),
    and so are those of its lines of batsmen to bat and of bowlers ("Did not bat : [Vaas]").
    A line alone has no other mention of a fielder to go by (P(name) 0.12 there)."""
    if b.sentences is None:
        return name
    for s in np.flatnonzero(_sentences_with(SCORECARD_WORDS, b)).tolist():
        at = int(b.offsets[s])
        for start, end in scorecard_names(b.sentences[s]):
            name[at + start : at + end] = True
    return name


def _results_lines(b: Batch) -> list[int]:
    """The sentences that may be lines of sports results, by index: those that open with a
    list's number or end with a score, and those with a score before brackets or "and"
    (:data:`ner_rnn.conventions.MAY_SCORE`); each test in C, over all the sentences at once."""
    sentences = b.sentences
    if not all(sentences):
        return list(range(len(sentences)))
    n = len(sentences)
    ranked = np.fromiter(map(bool, map(RESULT_RANK.fullmatch, map(itemgetter(0), sentences))), dtype=bool, count=n)
    scored = np.fromiter(map(str.isdigit, map(itemgetter(-1), sentences)), dtype=bool, count=n)
    marked = np.flatnonzero(_sentences_with(INNINGS_MARKS, b) & ~ranked & ~scored)
    joined = map(" ".join, map(sentences.__getitem__, marked.tolist()))
    may = np.fromiter(map(bool, map(MAY_SCORE.search, joined)), dtype=bool, count=len(marked))
    return sorted(np.flatnonzero(ranked | scored).tolist() + marked[may].tolist())


def teams(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """The team or the car of a row of a race's results ("1. Alex Zanardi ( Italy ) , Reynard
    Honda , 53.980"), a side before its cricket score ("Durham 114 ( S. Watkin 4-28 )") and the
    teams of a line of match results ("Boroughmuir 20 Hawick 23") are no names
    (:func:`ner_rnn.conventions.team_names`): beside a driver's name or before a score, the
    network reads them as surnames."""
    if b.sentences is None or not name.any():
        return name
    for s in _results_lines(b):
        at = int(b.offsets[s])
        for start, end in team_names(b.sentences[s]):
            name[at + start : at + end] = False
    return name


# the marks that enclose a nickname or a name written within a name, opening -> closing:
# 'Roberto " Hands of Stone " Duran', "Alan John Percivale ( A.J.P. ) Taylor" in eng.testa
NICKNAMES = {'"': '"', "'": "'", "(": ")", "\u201c": "\u201d", "\u2018": "\u2019", "``": "''"}
NICKNAME_MARKS = frozenset(NICKNAMES.values())
NICKNAME_WORDS = 4  # at most this many words between the marks


def _nickname_start(words: list[str], close: int, flat: int, p: np.ndarray, d: Decoding) -> int | None:
    """Where the nickname that ends with the mark ``words[close]`` opens, when it has one to
    ``NICKNAME_WORDS`` words, each capitalised, and a word before it; else None. Within
    brackets, each word needs P(name) >= ``d.join`` too: a list of players puts a country or
    a club there ("Ramon Vega ( Cagliari ) Raphael Wicky" in eng.train), which the network
    knows is no name. ``flat`` is the flat index of the word right after the mark."""
    if d.join is None:
        return None
    for o in range(close - 1, max(close - NICKNAME_WORDS - 2, 0), -1):
        if NICKNAMES.get(words[o]) == words[close] and o < close - 1:
            inner = p[flat - (close - o) : flat - 1]
            return o if words[o] != "(" or (inner >= d.join).all() else None
        if not capitalised(words[o]):
            return None
    return None


def _runs_through(words: list[str], opener: int, name: np.ndarray) -> bool:
    """Whether the name that starts right after the mark ``words[opener]`` runs through its
    closing mark, within ``NICKNAME_WORDS`` words, and on past it (``name``: the sentence's
    "is in a name"): the network found a nickname and the rest of the name as one, without
    the name before it ("James Leander ( Leo ) Nichols")."""
    close = NICKNAMES[words[opener]]
    for c in range(opener + 2, min(opener + NICKNAME_WORDS + 2, len(words) - 1)):
        if not name[c]:
            return False
        if words[c] == close:
            return bool(name[c + 1])
    return False


def conventions(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """The annotation's conventions (:func:`_conventions`), given the words."""
    if b.sentences is None or not name.any():
        return name
    return _conventions(name, b.first, b.offsets, b.sentences, b.p)


def not_companies(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """One sense per document (:func:`_not_companies`), given the words and their documents."""
    if b.sentences is None or b.documents is None or not name.any():
        return name
    return _not_companies(name, b.first, b.offsets, b.sentences, b.documents, b.window)


def handles(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """Each @-handle is a name of its own when it may be a person's, and no name otherwise
    (given the words, and unless ``b.handles`` is False): it looks like a person's
    (:func:`ner_rnn.conventions.is_person_handle`), and what follows the "@" is not only
    words of the language (``b.common_words``: "@Reuters", "@comcast", "@Google", and in camel
    case "@TheEconomist", "@AmericanAir" are no one's; "@jack", "@elonmusk" and "@JoeBiden",
    with a name among its words, may be; :func:`ner_rnn.conventions.handle_parts`), or its
    words are a title and a name ("@SpeakerPelosi", "@SenSchumer";
    :func:`ner_rnn.conventions.is_titled_handle`)."""
    if not b.handles or b.sentences is None:
        return name
    at: list[int] = []
    found: list[str] = []
    for i, words in enumerate(b.sentences):
        if "@" in "".join(words):  # most sentences have none: looked at in C
            start = int(b.offsets[i])
            for k, w in enumerate(words):
                if is_handle(w):
                    at.append(start + k)
                    found.append(w)
    if at:
        person = np.array([is_person_handle(w) for w in found], dtype=bool)
        if b.common_words is not None:
            parts = [handle_parts(w) for w in found]
            common = b.common_words([p for ps in parts for p in ps])
            starts = np.cumsum([0] + [len(ps) for ps in parts[:-1]])
            person &= ~np.logical_and.reduceat(common, starts) | [is_titled_handle(ps) for ps in parts]
        name[at] = person
        b.alone = np.zeros(len(name), dtype=bool)
        b.alone[at] = True
    return name


def addresses(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """A name right before a comma, a US state and a ZIP code is a city's ("[Charlotte], NC
    28262" in a contract's notices; :func:`ner_rnn.conventions.is_before_a_state`)."""
    if b.sentences is None or not name.any():
        return name
    ends = np.flatnonzero(name[:-1] & ~name[1:] & ~b.first[1:])  # a name's last token, and a token after it
    which = _sentence_of(ends, b.offsets)
    with_state = _sentences_with(STATES, b)[which]
    for j, s in zip(ends[with_state].tolist(), which[with_state].tolist()):
        if is_before_a_state(b.sentences[s], j + 1 - int(b.offsets[s])):
            a = j
            while a > b.offsets[s] and name[a - 1]:
                a -= 1
            name[a : j + 1] = False
    return name


def places_and_groups(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """A name that is, word for word, a country, a US state or a large city no person is
    named (:data:`ner_rnn.conventions.PLACES`) is none ("Bolivia is named after him",
    "Bamako has ..."), unless a title or an honorific stands before it ("Mr Berlin"); and so
    is a name of one word for a people, a faith or a doctrine ("Albanians", "Judaism",
    "Maoists"; :func:`ner_rnn.conventions.is_group_word`)."""
    if b.sentences is None or not name.any():
        return name
    tokens = np.flatnonzero(name)
    words, which = _words_at(tokens, b.offsets, b.sentences)
    in_place = np.array([w.casefold() in PLACE_NAME_WORDS for w in words], dtype=bool)
    group = np.array([is_group_word(w) for w in words], dtype=bool)
    if not (in_place.any() or group.any()):
        return name
    run, starts = _runs(tokens, b.first)
    ends = np.append(starts[1:], len(tokens))
    for r in np.flatnonzero(_all_of_run(run, in_place) | (_all_of_run(run, group) & (ends - starts == 1))).tolist():
        a, z = int(starts[r]), int(ends[r])
        s, k = int(which[a]), int(tokens[a] - b.offsets[which[a]])
        before = b.sentences[s][k - 1] if k else ""
        if (group[a] and z == a + 1) or (is_place(words[a:z]) and not (is_title(before) or is_honorific(before))):
            name[tokens[a:z]] = False
    return name


def _lone(words: Sequence[str], k: int) -> bool:
    """Is words[k] a capitalised word with no capitalised word beside it ("The Jordan river" has one)?"""
    return (capitalised(words[k]) and not words[k].isupper() and (k == 0 or not capitalised(words[k - 1]))
            and (k + 1 == len(words) or not capitalised(words[k + 1])))  # fmt: skip


def surnames(name: np.ndarray, b: Batch, d: Decoding) -> np.ndarray:
    """A capitalised word on its own that is the last word of a full name found before it in
    its document (at most ``b.window`` sentences before, or earlier in its own) is that
    person's surname, at P(name) >= ``d.surname``: "MaliVai Washington" and then "said
    [Washington]", "Neil Jordan" and then "[Jordan] said". The network has the evidence
    (:mod:`ner_rnn.context`) but weighs it against what the word usually is (a place, a
    country). In eng.train, with its full names as annotated, the rule finds 1,448 words, of
    which 1,438 are people and the other ten mostly annotation slips (a test checks it). Not
    a word of the language that is no name (``b.common_words``), so that a defined term of a
    contract taken for a full name cannot spread to every mention of its last word.

    A threshold chosen on dev after training (None, the default, leaves the rule out), and
    not in :data:`EPOCH_RULES`, so that it does not move the epochs training chooses."""
    if d.surname is None or b.sentences is None or b.documents is None or not name.any():
        return name
    tokens = np.flatnonzero(name)
    _, starts = _runs(tokens, b.first)
    ends = np.append(starts[1:], len(tokens))
    full = np.flatnonzero(ends - starts >= 2)
    if not len(full):
        return name
    lasts = tokens[ends[full] - 1]
    last_words, which = _words_at(lasts, b.offsets, b.sentences)
    found: dict[str, list[tuple[int, int]]] = {}  # word -> (token, sentence) of each full name it ends, in order
    for w, t, s in zip(last_words, lasts.tolist(), which.tolist()):
        if capitalised(w) and not w.isupper():
            found.setdefault(w, []).append((t, s))
    candidates = np.flatnonzero(~name & (b.p >= d.surname))
    words, which = _words_at(candidates, b.offsets, b.sentences)
    surname: dict[int, str] = {}
    for token, w, s in zip(candidates.tolist(), words, which.tolist()):
        if w not in found or not _lone(b.sentences[s], token - int(b.offsets[s])):
            continue
        before = bisect_left(found[w], (token, -1))  # the full names before the word
        if not before:
            continue
        nearest = found[w][before - 1][1]  # its sentence; a document's sentences are consecutive
        if nearest >= s - b.window and b.documents[nearest] == b.documents[s]:
            surname[token] = w
    if b.common_words is not None and surname:
        kinds = sorted(set(surname.values()))
        common = {w for w, c in zip(kinds, b.common_words(kinds).tolist()) if c}
        surname = {token: w for token, w in surname.items() if w not in common}
    name[list(surname)] = True
    return name


Rule = Callable[[np.ndarray, Batch, Decoding], np.ndarray]
RULES: list[Rule] = [
    caseless_threshold, alone_threshold, join_neighbours, bridges, east_asian, own_scripts, coordinated, rulers,
    looped_in, signatures, scorecards, conventions, teams, surnames, not_companies, addresses, places_and_groups,
    handles,
]
# the rules by which training chooses each network's epoch (its dev F1 decoded with them): all
# but those added after the shipped networks were trained, which would move epochs that are
# near ties (docs/accuracy.md)
ADDED_AFTER_TRAINING = (signatures, teams, surnames)
EPOCH_RULES: list[Rule] = [rule for rule in RULES if rule not in ADDED_AFTER_TRAINING]


def decode(b: Batch, d: Decoding, rules: Sequence[Rule] = RULES) -> np.ndarray:
    """Every token's IOB2 code at once: 0 = O, 1 = B-PER, 2 = I-PER.

    A token starts as a name if that is its most likely tag; then each rule changes the
    names in turn. A name token continues the name before it unless it starts a sentence,
    or the ``bio`` model says B, or it or the token before it is a name by itself (a
    handle); a stray I starts a name, as in conlleval.
    """
    name = (b.ids == 1) | (b.ids == 2) if b.scheme == "bio" else b.ids == 1
    for rule in rules:
        name = rule(name, b, d)
    prev, _ = _neighbours(name, b.first)
    begins = ~prev if b.scheme == "io" else ~prev | (b.ids == 1)
    if b.alone is not None:
        begins |= b.alone
        begins[1:] |= b.alone[:-1]
    return np.where(name, np.where(begins, 1, 2), 0)
