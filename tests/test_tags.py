"""Tags <-> person spans (ner_rnn.tags): every scheme, entity types, the model's labels."""

from __future__ import annotations

import pytest

from ner_rnn.tags import decode, encode, encode_all, entity_types, labels_for, other_types, spans_from_tags, to_conll


def test_entity_type_option_and_case():
    tags = "B-PERSON I-PERSON O B-per".split()
    assert spans_from_tags(tags) == [(0, 2), (3, 4)]
    assert spans_from_tags("B-ACTOR O B-PER".split(), entity_types("actor")) == [(0, 1)]


@pytest.mark.parametrize("scheme", ["io", "bio"])
def test_encode_decode_round_trip(scheme):
    spans = [(0, 2), (4, 5), (7, 9)]
    ids = encode(spans, 10, scheme)
    assert decode(ids, scheme) == spans
    assert spans_from_tags(to_conll(spans, 10)) == spans


def test_other_entity_types_become_classes_of_their_own():
    tags = "B-PER I-PER O B-LOC I-LOC B-ORG B-PER".split()
    types = entity_types(None)
    assert other_types([tags, ["B-MISC"]], types) == ["LOC", "MISC", "ORG"]
    labels = labels_for("io", ["LOC", "MISC", "ORG"])
    assert labels == ["O", "PER", "LOC", "MISC", "ORG"]
    assert encode_all(tags, types, labels) == [1, 1, 0, 2, 2, 4, 1]
    assert labels_for("bio", ["LOC"]) == ["O", "B-PER", "I-PER"]  # bio models learn persons only
    assert encode_all(tags, types, labels_for("bio")) == [1, 2, 0, 0, 0, 0, 1]
