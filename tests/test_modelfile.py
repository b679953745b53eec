"""Model files: atomic writes, and every kind of bad file refused with one line, no code run."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest
from conftest import rewrite_model as rewrite

from ner_rnn.decode import Decoding
from ner_rnn.errors import ModelFileError, OutputError
from ner_rnn.modelfile import FORMAT_VERSION, load_model, save_model


def refused(path, fragment):
    with pytest.raises(ModelFileError) as e:
        load_model(path)
    assert fragment in str(e.value), str(e.value)
    assert "\n" not in str(e.value)


def test_missing_truncated_and_random_files(tiny_model, tmp_path):
    refused(tmp_path / "nope.npz", "no such model file")
    refused(tmp_path, "is a directory")
    data = tiny_model.read_bytes()
    (tmp_path / "cut.npz").write_bytes(data[: len(data) // 2])
    refused(tmp_path / "cut.npz", "damaged or not a ner-rnn model file")
    (tmp_path / "noise.npz").write_bytes(np.random.default_rng(0).bytes(5000))
    refused(tmp_path / "noise.npz", "not a ner-rnn model file")
    (tmp_path / "empty.npz").write_bytes(b"")
    refused(tmp_path / "empty.npz", "not a ner-rnn model file")


def test_pickled_object_array_is_refused_and_never_runs(tiny_model, tmp_path):
    """An .npz whose object array would run code when unpickled: refused, and nothing ran."""
    flag = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):
            return (open, (str(flag), "w"))

    evil = tmp_path / "evil.npz"
    rewrite(tiny_model, evil, lambda arrays, meta: arrays.update(Waa=np.array([Exploit()], dtype=object)))
    with zipfile.ZipFile(evil) as z:  # the payload really is a pickle inside the archive
        assert b"ran" in z.read("Waa.npy")
    refused(evil, "pickled Python objects")
    assert not flag.exists()


def test_other_format_version_and_bad_shapes(tiny_model, tmp_path):
    def future(arrays, meta):
        meta["format_version"] = 99

    refused(rewrite(tiny_model, tmp_path / "v99.npz", future), "format version 99")

    def wrong_shape(arrays, meta):
        arrays["Waa"] = arrays["Waa"][:-1]

    refused(rewrite(tiny_model, tmp_path / "shape.npz", wrong_shape), "array Waa is")

    def nan(arrays, meta):
        arrays["by"] = arrays["by"] * np.nan

    refused(rewrite(tiny_model, tmp_path / "nan.npz", nan), "NaN")

    def extra(arrays, meta):
        arrays["surprise"] = np.zeros(3)

    refused(rewrite(tiny_model, tmp_path / "extra.npz", extra), "holds arrays")

    def no_meta_field(arrays, meta):
        del meta["hidden"]

    refused(rewrite(tiny_model, tmp_path / "meta.npz", no_meta_field), "'hidden' missing")


def test_writes_are_atomic_and_never_overwrite(tiny_model, tmp_path):
    tagger = load_model(tiny_model)
    target = tmp_path / "m.npz"
    target.write_bytes(b"keep me")
    with pytest.raises(OutputError, match="--force"):
        save_model(target, tagger)
    assert target.read_bytes() == b"keep me"

    class Boom(RuntimeError):
        pass

    def failing_savez(*args, **kwargs):
        raise Boom

    import ner_rnn.modelfile as mf

    original = mf.np.savez
    mf.np.savez = failing_savez
    try:
        with pytest.raises(Boom):
            save_model(target, tagger, force=True)
    finally:
        mf.np.savez = original
    assert target.read_bytes() == b"keep me"  # the failed write left the old file alone
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]  # and no temporary file behind
    save_model(target, tagger, force=True)
    assert load_model(target).meta["format_version"] == FORMAT_VERSION


@pytest.mark.parametrize("kind", ["truncated", "pickled", "not-npz"])
def test_bad_model_through_the_command_line(tiny_model, tmp_path, kind):
    """`ner-rnn tag -m BAD`: one line on stderr, exit 1, nothing on stdout, nothing run."""
    from test_cli import run

    bad = tmp_path / "bad.npz"
    flag = tmp_path / "ran"
    if kind == "truncated":
        bad.write_bytes(tiny_model.read_bytes()[:3000])
    elif kind == "pickled":

        class Exploit:
            def __reduce__(self):
                return (open, (str(flag), "w"))

        rewrite(tiny_model, bad, lambda arrays, meta: arrays.update(by=np.array([Exploit()], dtype=object)))
    else:
        bad.write_text("Teddy Roosevelt\n")
    r = run("tag", "-m", bad, "Teddy Roosevelt was a great President.")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.startswith(f"ner-rnn: error: {bad}: ") and r.stderr.count("\n") == 1, r.stderr
    assert not flag.exists()


@pytest.mark.parametrize("buckets", [5, 17])
def test_models_with_an_older_evidence_block_still_load(tiny_model, tmp_path, monkeypatch, buckets):
    """Models of earlier releases have a 5-column evidence block (highest other mention only,
    and no ``evidence_buckets`` key) or a 17-column one (highest and lowest, no mark for a
    longer name); they load, and their evidence is coded their way."""
    from ner_rnn import context
    from ner_rnn.features import EVIDENCE_BUCKETS, LEGACY_EVIDENCE_BUCKETS

    cut = EVIDENCE_BUCKETS - buckets

    def to_older(arrays, meta):
        if buckets == LEGACY_EVIDENCE_BUCKETS:
            del meta["features"]["evidence_buckets"]
        else:
            meta["features"]["evidence_buckets"] = buckets
        meta["n_x"] -= cut
        meta["doc_context"] = True
        for k in ("Wax", "Wax_b"):
            arrays[k] = arrays[k][:, :-cut]

    old = load_model(rewrite(tiny_model, tmp_path / "old.npz", to_older))
    assert old.features.evidence_buckets == buckets
    sentences = [["Ode", "Berg", "won"], ["Ode", "said"]]
    seen = []
    real = context.sparse_evidence
    monkeypatch.setattr(context, "sparse_evidence", lambda *a: seen.append(a) or real(*a))
    old.predict_flat_in_context(sentences, [0, 0])
    assert [a[-1] for a in seen] == [buckets]
    found = real(*seen[0])
    assert all(0 < code < buckets for codes in found.values() for code in codes if code)
    bad = rewrite(tiny_model, tmp_path / "bad.npz", lambda arrays, meta: meta["features"].update(evidence_buckets=9))
    refused(bad, "evidence buckets")


def test_decoding_thresholds_are_saved_checked_and_optional(tiny_model, tmp_path):
    tagger = load_model(tiny_model)
    tagger.decoding = Decoding(join=0.2, caseless=0.15, caseless_join=0.35, alone=0.4)
    back = load_model(save_model(tmp_path / "t.npz", tagger))
    assert back.decoding == Decoding(0.2, 0.15, 0.35, 0.4)
    assert all(f">= {t}" in back.decoding.describe() for t in (0.2, 0.15, 0.35, 0.4))

    def older(arrays, meta):  # models saved before the caseless thresholds: argmax and extend, as they were
        meta.pop("caseless_threshold", None)
        meta.pop("caseless_extend", None)

    old = load_model(rewrite(tiny_model, tmp_path / "old.npz", older))
    assert old.decoding.caseless is None and old.decoding.caseless_join is None
    bad = rewrite(tiny_model, tmp_path / "bad.npz", lambda arrays, meta: meta.update(caseless_threshold=1.5))
    refused(bad, "caseless_threshold 1.5 is not a probability")
    bad = rewrite(tiny_model, tmp_path / "bad2.npz", lambda arrays, meta: meta.update(caseless_extend=0))
    refused(bad, "caseless_extend 0 is not a probability")


def test_model_meta_is_typed_and_its_provenance_never_fails(tiny_model):
    from ner_rnn.modelfile import ModelMeta

    tagger = load_model(tiny_model)
    m = ModelMeta.from_json(dict(tagger.meta), tiny_model)
    assert (m.scheme, m.bidirectional, m.hidden, m.n_y) == ("io", True, 24, 2)
    assert m.decoding == tagger.decoding and m.labels == ("O", "PER")
    odd = ModelMeta.from_json(
        dict(tagger.meta) | {"config": 3, "data": [1], "history": ["x", {"epoch": 1, "dev": {"f1": "y"}}], "dev": 5},
        tiny_model,
    )
    assert (odd.members, odd.seed, odd.data, odd.history, odd.scores("dev")) == (1, "?", {}, [], None)
    with pytest.raises(ModelFileError, match="labels"):
        ModelMeta.from_json(dict(tagger.meta) | {"labels": "O PER"}, tiny_model)
