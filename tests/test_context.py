"""Document context: the evidence a word's other mentions give (ner_rnn.context)."""

from __future__ import annotations

import numpy as np
from conftest import plain_config
from hypothesis import given, settings
from hypothesis import strategies as st

from ner_rnn.context import EDGES, IN_NAME, LEVELS, code, evidence
from ner_rnn.decode import companies_nearby, company_words
from ner_rnn.features import EVIDENCE_BUCKETS, LEGACY_EVIDENCE_BUCKETS, LOW_HIGH_EVIDENCE_BUCKETS


def test_codes_fill_the_feature_block():
    probabilities = [0.0, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]
    codes = {code(hi, lo, longer) for hi in probabilities for lo in probabilities for longer in (False, True)}
    assert codes == set(range(1, EVIDENCE_BUCKETS))  # 0 is "no evidence"
    # older models' smaller blocks: the same codes without what they were not trained with
    legacy = {code(hi, lo, True, LEGACY_EVIDENCE_BUCKETS) for hi in probabilities for lo in probabilities}
    assert legacy == set(range(1, LEGACY_EVIDENCE_BUCKETS))
    low_high = {code(hi, lo, True, LOW_HIGH_EVIDENCE_BUCKETS) for hi in probabilities for lo in probabilities}
    assert low_high == set(range(1, LOW_HIGH_EVIDENCE_BUCKETS))
    assert LEVELS == len(EDGES) + 1


def E(highest, lowest=None, longer=False):
    """The code of a word whose other mentions' probabilities span [lowest, highest]."""
    return code(highest, highest if lowest is None else lowest, longer)


def test_other_mentions_in_the_same_record_only():
    sentences = [["Shearer", "takes", "over"], ["Alan", "Shearer", "said"], ["SHEARER", "wins"], ["Shearer", "too"]]
    p_name = [np.array([0.2, 0, 0]), np.array([0.97, 0.95, 0]), np.array([0.4, 0]), np.array([0.3, 0])]
    ev = evidence(sentences, p_name, documents=[0, 0, 0, 1])
    assert ev[0].tolist() == [E(0.95, 0.4, True), 0, 0]  # other mentions: 0.95 in "Alan Shearer", 0.4
    assert ev[1].tolist() == [0, E(0.4, 0.2), 0]  # its own 0.95 does not count
    assert ev[2].tolist() == [E(0.95, 0.2, True), 0]  # any case: "SHEARER" is "Shearer"
    assert ev[3].tolist() == [0, 0]  # another record: no evidence
    legacy = evidence(sentences, p_name, [0, 0, 0, 1], buckets=LEGACY_EVIDENCE_BUCKETS)
    assert [e.tolist() for e in legacy] == [[4, 0, 0], [0, 2, 0], [4, 0], [0, 0]]  # highest only, as before
    # lower-case words and one-letter words take no part
    ev = evidence([["will", "Will", "A", "A"]], [np.array([0.9, 0.1, 0.9, 0.9])], [0])
    assert ev[0].tolist() == [0, 0, 0, 0]


def test_in_a_record_without_capitals_every_word_takes_part():
    sentences = [["alan", "shearer", "scored", "."], ["shearer", "said", "so", "."], ["Ode", "said"]]
    p_name = [np.array([0.9, 0.95, 0.0, 0.0]), np.array([0.4, 0.0, 0.0, 0.0]), np.array([0.9, 0.0])]
    ev = evidence(sentences, p_name, [0, 0, 1])
    assert ev[1].tolist() == [E(0.95, 0.95, True), 0, 0, 0]  # "said" has no other mention in its record
    assert ev[0].tolist() == [0, E(0.4), 0, 0]
    assert ev[2].tolist() == [0, 0]  # the record with a capital keeps the capitalised-words rule
    # one capital anywhere in the record: lower-case words take no part
    cased = evidence(sentences[:2] + [["Ode"]], p_name[:2] + [np.array([0.9])], [0, 0, 0])
    assert cased[0].tolist() == [0, 0, 0, 0] and cased[1].tolist() == [0, 0, 0, 0]
    # models with a smaller evidence block were trained without it
    old = evidence(sentences, p_name, [0, 0, 1], buckets=LOW_HIGH_EVIDENCE_BUCKETS)
    assert old[1].tolist() == [0, 0, 0, 0]


def test_a_mention_in_a_longer_name_is_marked():
    # "Neil Jordan" in sentence 0; "Jordan" alone in 1 and 2
    sentences = [["Neil", "Jordan", "directed"], ["Jordan", "said"], ["in", "Jordan"]]
    p_name = [np.array([0.9, 0.6, 0.0]), np.array([0.3, 0.0]), np.array([0.0, 0.2])]
    ev = evidence(sentences, p_name, [0, 0, 0])
    assert ev[1].tolist() == [E(0.6, 0.2, True), 0]  # sentence 0's mention is part of "Neil Jordan"
    assert ev[0].tolist() == [0, E(0.3, 0.2, False), 0]  # the others are alone
    weak = [np.array([0.9, IN_NAME - 0.01, 0.0])] + p_name[1:]  # not likely enough a name itself
    assert evidence(sentences, weak, [0, 0, 0])[1].tolist() == [E(IN_NAME - 0.01, 0.2, False), 0]
    old = evidence(sentences, p_name, [0, 0, 0], buckets=LOW_HIGH_EVIDENCE_BUCKETS)  # models without the mark
    assert old[1].tolist() == [E(0.6, 0.2, False), 0]
    # the first word of a longer name counts too
    first = evidence(
        [["Jordan", "Henderson", "scored"], ["Jordan", "said"]], [np.array([0.8, 0.9, 0]), p_name[1]], [0, 0]
    )
    assert first[1].tolist() == [E(0.8, 0.8, True), 0]


def test_mentions_in_the_same_sentence_do_not_count():
    # the network reads its whole sentence already; context is what lies outside it
    p = [np.array([0.99, 0.0, 0.2]), np.array([0.05, 0.0])]
    assert evidence([["Smith", "and", "Smith"]], p[:1], [0])[0].tolist() == [0, 0, 0]
    ev = evidence([["Smith", "and", "Smith"], ["Smith", "won"]], p, [0, 0])
    assert ev[0].tolist() == [E(0.05), 0, E(0.05)]  # only sentence 1's 0.05 counts
    assert ev[1].tolist() == [E(0.99, 0.2), 0]  # sentence 0's two mentions


def test_only_mentions_within_the_window_count():
    # one running text (a single record): "Ode" in sentence 0 and sentence 5
    sentences = [["Ode", "won"]] + [["it", "rained"]] * 4 + [["Ode", "said"]]
    p_name = [np.array([0.95, 0.0])] + [np.zeros(2)] * 4 + [np.array([0.3, 0.0])]
    near = evidence(sentences, p_name, documents=[0] * 6, window=5)
    assert near[5].tolist() == [E(0.95), 0] and near[0].tolist() == [E(0.3), 0]
    far = evidence(sentences, p_name, documents=[0] * 6, window=4)
    assert far[5].tolist() == [0, 0] and far[0].tolist() == [0, 0]


def test_a_file_without_docstart_is_one_running_text(tmp_path):
    from ner_rnn.corpus import read_conll

    path = tmp_path / "plain.conll"
    path.write_text("Ode B-PER\nwon O\n\nOde B-PER\nsaid O\n", encoding="utf-8")
    assert [s.doc for s in read_conll(path)] == [0, 0]


def test_training_with_document_context_runs_both_passes(tmp_path):
    from ner_rnn.corpus import read_conll
    from ner_rnn.train import train

    docs = []
    for name, surname in [("Anna", "Berg"), ("Tomas", "Ode"), ("Lena", "Holm"), ("Piet", "Vos")]:
        docs.append(
            f"-DOCSTART- O\n\n{name} B-PER\n{surname} I-PER\nwon O\n. O\n\n{surname} O\nsaid O\nso O\n. O\n\n".replace(
                f"{surname} O\nsaid", f"{surname} B-PER\nsaid"
            )
        )
    path = tmp_path / "docs.conll"
    path.write_text("".join(docs), encoding="utf-8")
    sentences = read_conll(path)
    assert len({s.doc for s in sentences}) == 4
    config = plain_config(hidden=8, epochs=3, patience=3, doc_context=True, case_augment=0, seed=2)
    tagger = train(sentences, None, config).tagger
    assert tagger.doc_context
    words, documents = [s.words for s in sentences], [s.doc for s in sentences]
    first = tagger.predict(words)
    ev = evidence(words, [1 - p[:, 0] for p in first], documents)
    assert sum(int(e.any()) for e in ev) == len(sentences)  # every surname has a mention elsewhere
    second, offsets = tagger.predict_flat_in_context(words, documents)
    assert not np.allclose(second, np.concatenate(first))  # and the second pass used it

    # the lower-cased copies get evidence of their own in training: the surname, now
    # written in lower case, is still a mention in the lower-cased document
    from ner_rnn.train import jackknife_evidence

    cased, lower = jackknife_evidence(sentences, None, config, None)
    assert [(c > 0).tolist() for c in cased] == [(w > 0).tolist() for w in lower]
    assert all(w.any() for w in lower)


def _naive_evidence(sentences, p_name, documents, window):
    """The definition, word by word, in quadratic time."""

    def takes_part(w, group):  # in a record without capitals, every word of 2+ characters from a letter
        caseless = not any(v[:1].isupper() for j, ws in enumerate(sentences) if documents[j] == group for v in ws)
        return len(w) > 1 and (w[:1].isupper() or (caseless and w[:1].isalpha()))

    out = []
    for i, words in enumerate(sentences):
        buckets = []
        for w in words:
            others, longer = [], False
            if takes_part(w, documents[i]):
                for j, words_j in enumerate(sentences):
                    if j != i and documents[j] == documents[i] and abs(i - j) <= window:
                        q = p_name[j]
                        for k, v in enumerate(words_j):
                            if v.lower() == w.lower() and takes_part(v, documents[j]):
                                others.append(float(q[k]))
                                neighbours = [q[n] for n in (k - 1, k + 1) if 0 <= n < len(q)]
                                longer |= q[k] >= IN_NAME and any(x >= IN_NAME for x in neighbours)
            if not others:
                buckets.append(0)
            else:
                top, bottom = (int(np.searchsorted(EDGES, p, side="right")) for p in (max(others), min(others)))
                buckets.append(1 + LEVELS * top + bottom + (LEVELS * LEVELS if longer else 0))
        out.append(buckets)
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["Ode", "ODE", "ode", "Berg", "berg", "A", "the", "."]), max_size=5), max_size=12
    ),
    st.integers(0, 4),
    st.randoms(use_true_random=False),
)
def test_evidence_matches_its_definition(sentences, window, rnd):
    documents, g = [], 0
    for _ in sentences:  # records of consecutive sentences
        g += rnd.random() < 0.3
        documents.append(g)
    p_name = [np.array([rnd.random() for _ in words]) for words in sentences]
    got = [e.tolist() for e in evidence(sentences, p_name, documents, window)]
    assert got == _naive_evidence(sentences, p_name, documents, window)


def test_company_words_are_the_capitalised_run_before_a_designator():
    assert company_words("shares of Magna International Inc rose".split()) == {"magna", "international"}
    assert company_words("said Pirelli SpA chairman".split()) == {"pirelli"}
    assert company_words("at Edward D. Jones & Co .".split()) == set()  # "&" ends the run
    assert company_words("shares in the company rose".split()) == set()  # "company", not "Company"
    assert company_words("A B C D E Corp".split()) == {"b", "c", "d", "e"}  # at most four words
    assert company_words("PIRELLI SPA SAYS".split()) == {"pirelli"}  # headlines
    assert company_words("analyst at Salomon Bros .".split()) == {"salomon"}


def test_companies_count_nearby_in_the_same_record_only():
    sentences = [["Pirelli", "said"], ["Pirelli", "SpA", "rose"], ["Pirelli", "spoke"], ["Pirelli", "ran"], ["x"]]
    near = companies_nearby(sentences, [0, 0, 0, 1, 0], range(5), window=1)
    # sentence 0 and 2 are one sentence away; 3 is another record; 4 is too far
    assert near == {0: {"pirelli"}, 1: {"pirelli"}, 2: {"pirelli"}}
    assert companies_nearby(sentences, [0, 0, 0, 1, 0], [0]) == {0: {"pirelli"}}  # only the sentences asked for
