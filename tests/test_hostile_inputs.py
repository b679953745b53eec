"""Hostile and odd inputs: work stays linear and memory bounded whatever the text, damaged
or hostile model files are refused before they are read, out-of-range options are usage
errors, and the API refuses wrong types."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from conftest import PROGRAM, ner_rnn, one_error_line
from hypothesis import example, given, settings
from hypothesis import strategies as st

import ner_rnn as api
from ner_rnn import context, tokenize

# ---- linear work ------------------------------------------------------------------------------


class CountingPattern:
    """Stands in for the tokenizer's regular expression and records what it is handed."""

    def __init__(self, pattern):
        self.pattern = pattern
        self.windows: list[str] = []

    def finditer(self, text, pos=0, endpos=sys.maxsize):
        self.windows.append(text[pos:endpos])
        return self.pattern.finditer(text, pos, endpos)

    def findall(self, text, pos=0, endpos=sys.maxsize):
        self.windows.append(text[pos:endpos])
        return self.pattern.findall(text, pos, endpos)


units = st.text(st.sampled_from("aZé1._-+@'’:/!?,()#\u0301 "), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(units, st.integers(1, 3000))
@example(" ", 1001)  # a long line of spaces only (it once crashed the tokenizer)
@example("a", 2500)
def test_the_tokenizer_never_hands_its_expression_a_run_longer_than_a_window(unit, repeat):
    text = unit * repeat
    expected = tokenize.token_spans(text), tokenize.tokenize_words(text)
    counting = CountingPattern(tokenize._TOKEN_RE)
    original, tokenize._TOKEN_RE = tokenize._TOKEN_RE, counting
    try:
        got = tokenize.token_spans(text), tokenize.tokenize_words(text)
    finally:
        tokenize._TOKEN_RE = original
    assert got == expected
    # each match looks at one run of characters without whitespace: bounding the runs it is
    # handed bounds its work by MAX_PIECE per character, whatever the text repeats
    assert max((len(run) for w in counting.windows for run in w.split()), default=0) <= tokenize.MAX_PIECE
    assert sum(len(w) for w in counting.windows) <= 2 * len(text)  # each character handed once per pass


def test_the_email_rule_is_not_retried_inside_a_run():
    # the run the issue found quadratic: every position rescanned the rest of it
    text = "abcdefghij." * 20_000
    assert tokenize.token_spans(text)[:2] == [(0, 10), (10, 11)] and len(tokenize.token_spans(text)) == 40_000
    assert tokenize.tokenize_words(text) == ["abcdefghij", "."] * 20_000  # the windows cut after a "."
    assert tokenize.tokenize("write to anna.berg@example.com now")[2].text == "anna.berg@example.com"


def brute_force_evidence(sentences, p_name, window):
    """The evidence codes as the issue's first version computed them: every mention against
    every other mention in the window (quadratic), for reference."""
    out = {}
    caseless = not any(w[:1].isupper() for s in sentences for w in s)
    mentions = defaultdict(list)
    for i, s in enumerate(sentences):
        for t, w in enumerate(s):
            if (w[:1].isupper() or (caseless and w[:1].isalpha())) and len(w) > 1:
                mentions[w.lower()].append((i, t))
    for found in mentions.values():
        for i, t in found:
            others = [(j, u) for j, u in found if j != i and abs(j - i) <= window]
            if others:
                ps = [float(p_name[j][u]) for j, u in others]
                longer = any(context._in_longer_name(p_name[j], u) for j, u in others)
                out.setdefault(i, np.zeros(len(sentences[i]), dtype=np.int64))[t] = context.code(
                    max(ps), min(ps), longer
                )
    return out


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(["Shearer", "shearer", "Alan", "said", "Pirelli", "the"]), min_size=1,
                      max_size=12), min_size=2, max_size=30),
    st.integers(0, 4),
    st.randoms(use_true_random=False),
)  # fmt: skip
def test_document_evidence_is_exact_and_looked_up_once_per_word_and_sentence(sentences, window, rnd):
    p_name = [np.array([rnd.random() for _ in s], dtype=np.float32) for s in sentences]
    calls = [0]
    original = context.code

    def counting(*args, **kwargs):
        calls[0] += 1
        return original(*args, **kwargs)

    context.code = counting
    try:
        got = context.sparse_evidence(sentences, p_name, [0] * len(sentences), window)
    finally:
        context.code = original
    expected = brute_force_evidence(sentences, p_name, window)
    assert got.keys() == expected.keys()
    for i in got:
        assert (got[i] == expected[i]).all()
    distinct = {(i, w.lower()) for i, s in enumerate(sentences) for w in s}
    assert calls[0] <= len(distinct)  # not once per pair of mentions


def test_a_line_of_one_repeated_word_is_fast_enough_to_run_here():
    r = ner_rnn("tag", "-f", "conll", input=("Shearer " * 50_000).encode() + b"\n")  # 400 kB
    assert r.returncode == 0, r.stderr
    assert r.stdout.count(b"\n") == 50_001


def test_a_huge_line_without_newline_is_one_record_in_bounded_memory(tmp_path):
    sentence = "Marie Curie met Albert Einstein in Brussels in 1911. "
    size = 8 << 20  # 8 MB, 32 pieces: far more than one piece or chunk
    src = tmp_path / "one-line.txt"
    src.write_text(sentence * (size // len(sentence)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    helper = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run(sys.argv[1:])\n"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", helper, *PROGRAM, "tag", "-f", "jsonl", "-o", str(out), "-i", str(src), "-q", "-w", "2"],
        capture_output=True,
        timeout=600,
    )
    code, peak_kb = map(int, r.stdout.split())
    assert code == 0, r.stderr
    assert peak_kb < 300 * 1024  # the bound docs/cli.md states; about 150 MB here
    (record,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    text = src.read_text(encoding="utf-8")
    assert record["text"] == text
    assert [t["text"] for t in record["tokens"]] == tokenize.tokenize_words(text)
    for item in record["entities"] + record["tokens"]:
        assert text[item["start"] : item["end"]] == item["text"]
    assert len(record["entities"]) == 2 * (size // len(sentence))  # every Curie and Einstein, across the cuts


# ---- model files ----------------------------------------------------------------------------


def rewrite(model: Path, out: Path, replace: dict[str, bytes]) -> Path:
    """A copy of the model archive with some members' raw .npy bytes replaced."""
    with zipfile.ZipFile(model) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename[:-4], src.read(info.filename)))
    return out


def npy_header(dtype: str, shape: tuple) -> bytes:
    header = repr({"descr": dtype, "fortran_order": False, "shape": shape})
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode()


def meta_of(model: Path) -> dict:
    with np.load(model, allow_pickle=False) as npz:
        return json.loads(npz["__meta__"].tobytes())


def meta_bytes(meta) -> bytes:
    data = json.dumps(meta).encode() if not isinstance(meta, bytes) else meta
    return npy_header("|u1", (len(data),)) + data


def refused_in_little_memory(model: Path, *needles: str) -> None:
    helper = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "sys.stderr.buffer.write(r.stderr)\n"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    r = subprocess.run([sys.executable, "-c", helper, *PROGRAM, "tag", "-m", str(model), "Bill Gates"],
                       capture_output=True, timeout=300)  # fmt: skip
    code, peak_kb = map(int, r.stdout.split())
    assert code == 1
    one_error_line(r.stderr, *needles)
    assert peak_kb < 200 * 1024


def test_an_array_header_that_declares_a_huge_shape_is_refused_before_its_data(tiny_model, tmp_path):
    meta = meta_of(tiny_model)
    huge = npy_header("<f4", (meta["hidden"], 250_000_000)) + bytes(1 << 20)  # 1 MB that claims 1e9 floats
    refused_in_little_memory(rewrite(tiny_model, tmp_path / "m.npz", {"Wax": huge}), "array Wax is float32")


def test_metadata_that_claims_more_than_it_may_hold_is_refused_before_it_is_read(tiny_model, tmp_path):
    claim = npy_header("|u1", (10**10,)) + b"{}"
    refused_in_little_memory(rewrite(tiny_model, tmp_path / "m.npz", {"__meta__": claim}), "damaged metadata")


@pytest.mark.parametrize(
    "change, needle",
    [
        (lambda m: b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (lambda m: b'{"hidden": ' + b"9" * 5000 + b"}", "damaged metadata"),  # longer than Python converts
        (lambda m: m | {"hidden": 10**9}, "damaged metadata"),
        (lambda m: m | {"labels": 7}, "damaged metadata"),
        (lambda m: m | {"features": m["features"] | {"lexicon": {"bill": 99}}}, "lexicon"),
        (lambda m: m | {"features": m["features"] | {"words": [1, 2]}}, "features"),
        (lambda m: m | {"features": m["features"] | {"config": {"ngram_sizes": "x"}}}, "features"),
        (lambda m: m | {"extend": "high"}, "not a probability"),
    ],
)
def test_damaged_metadata_is_one_line(tiny_model, tmp_path, change, needle):
    model = rewrite(tiny_model, tmp_path / "m.npz", {"__meta__": meta_bytes(change(meta_of(tiny_model)))})
    r = ner_rnn("tag", "-m", model, "Bill Gates")
    assert r.returncode == 1
    one_error_line(r.stderr, needle)


def test_info_survives_odd_stored_values_and_never_reads_them_as_markup(tiny_model, tmp_path):
    meta = meta_of(tiny_model) | {
        "command": "[bold red]ner-rnn[/] train x -o m[v2].npz",
        "history": [1, "a", {"dev": 5}, {"epoch": "x", "dev": {"f1": "y"}}, {"epoch": 1, "dev": {"f1": 2.0}}],
        "data": ["not", "a", "dict"],
        "dev": "bad",
        "config": [],
        "lexicon": "odd",
        "best_epochs": {"x": 1},
    }
    model = rewrite(tiny_model, tmp_path / "m.npz", {"__meta__": meta_bytes(meta)})
    r = ner_rnn("info", model)
    assert r.returncode == 0, r.stderr
    assert b"Traceback" not in r.stderr
    assert "[bold red]ner-rnn[/] train x -o m[v2].npz" in r.stdout.decode()


def test_a_checkpoint_with_missing_fields_is_one_line(tmp_path, small_train):
    model = tmp_path / "m.npz"
    ckpt = tmp_path / "m.npz.checkpoint"
    data = json.dumps({"format": "ner-rnn training checkpoint", "format_version": 1}).encode()
    with open(ckpt, "wb") as f:
        np.savez(f, __meta__=np.frombuffer(data, dtype=np.uint8))
    r = ner_rnn("train", small_train, "-o", model, "--resume", "--epochs", "1")
    assert r.returncode == 1
    one_error_line(r.stderr, "damaged checkpoint", "without --resume")


# ---- options ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, needle",
    [
        (["train", "{train}", "-o", "{tmp}/m.npz", "--seed", "-1"], "--seed"),
        (["train", "{train}", "-o", "{tmp}/m.npz", "--hidden", "1000000"], "--hidden"),
        (["train", "{train}", "-o", "{tmp}/m.npz", "--hidden", "1024", "--members", "8"], "--members"),
        (["tag", "-w", "999", "x"], "-w 999"),
        (["train", "{copy}", "-o", "{copy}", "--force"], "one of the data files"),
    ],
)
def test_out_of_range_options_are_usage_errors_that_say_what_to_change(tmp_path, small_train, args, needle):
    copy = tmp_path / "copy.conll"
    copy.write_bytes(small_train.read_bytes())
    r = ner_rnn(*[a.format(tmp=tmp_path, train=small_train, copy=copy) for a in args])
    assert r.returncode == 2
    one_error_line(r.stderr, needle)
    assert not (tmp_path / "m.npz").exists() and copy.read_bytes() == small_train.read_bytes()


def test_a_declared_data_scheme_that_the_tags_break_is_refused(tmp_path):
    iob2 = tmp_path / "iob2.conll"
    iob2.write_text("Anna B-PER\nBerg I-PER\nsang O\n\nTom B-PER\nwon O\n", encoding="utf-8")
    r = ner_rnn("train", iob2, "-o", tmp_path / "m.npz", "--data-scheme", "iobes")
    assert r.returncode == 1
    one_error_line(r.stderr, "iob2.conll:2", "E-PER")
    iobes = tmp_path / "iobes.conll"
    iobes.write_text("Anna B-PER\nBerg E-PER\nsang O\n\nTom S-PER\nwon O\n", encoding="utf-8")
    from ner_rnn.corpus import check_scheme, read_conll

    check_scheme(read_conll(iobes), "iobes", iobes)  # and right IOBES passes


def test_a_second_training_run_to_the_same_model_is_refused(tmp_path, small_train):
    model = tmp_path / "m.npz"
    first = subprocess.Popen(
        [*PROGRAM, "train", str(small_train), "-o", str(model), "--epochs", "500", "--patience", "500", "-q"],
        stderr=subprocess.PIPE,
    )
    try:
        lock = tmp_path / ".m.npz.lock"
        for _ in range(600):
            if lock.exists():
                break
            first.poll()
            assert first.returncode is None, first.stderr.read()
            import time

            time.sleep(0.05)
        r = ner_rnn("train", small_train, "-o", model, "--force", "--epochs", "1")
        assert r.returncode == 1
        one_error_line(r.stderr, "another ner-rnn run is writing this model")
    finally:
        first.terminate()
        first.wait(timeout=60)
    assert not (tmp_path / ".m.npz.lock").exists()  # removed when the run ends, interrupted too


def test_version_inline_escaping_and_brackets_in_names(tmp_path):
    from ner_rnn import __version__

    r = ner_rnn("--version")
    assert r.returncode == 0 and r.stdout.decode() == f"ner-rnn {__version__}\n"
    r = ner_rnn("tag", "-f", "inline", "Angela Merkel & <b>Steve Jobs</b>")
    assert r.stdout.decode() == "<PERSON>Angela Merkel</PERSON> &amp; &lt;b&gt;<PERSON>Steve Jobs</PERSON>&lt;/b&gt;\n"
    r = ner_rnn("train", "--help")
    assert b"ner-rnn[train]" in r.stdout
    out = tmp_path / "m[v2].txt"
    out.write_text("x", encoding="utf-8")
    r = ner_rnn("tag", "-o", out, "Bill Gates")
    assert r.returncode == 1
    one_error_line(r.stderr, "m[v2].txt")


def test_the_faker_lexicon_without_faker_is_a_runtime_error(tmp_path, small_train):
    fake = tmp_path / "site" / "faker"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('no faker here')\n")
    r = ner_rnn("train", small_train, "-o", tmp_path / "m.npz", "--lexicon", "faker", "-q",
                env={"PYTHONPATH": str(fake.parent)})  # fmt: skip
    assert r.returncode == 1
    one_error_line(r.stderr, "pip install 'ner-rnn[train]'")


# ---- the API and odd text ------------------------------------------------------------------------


def test_names_never_cross_a_line_break():
    for brk in ("\n", "\r\n", "\r", "\u2028", "\x0c"):
        doc = api.tag(f"We met Bill Gates{brk}Steve Jobs was there too.")
        assert [e.text for e in doc.entities] == ["Bill Gates", "Steve Jobs"], repr(brk)
    r = ner_rnn("tag", "-f", "jsonl", "We met Bill Gates\nSteve Jobs was there too.")
    record = json.loads(r.stdout)
    assert [e["text"] for e in record["entities"]] == ["Bill Gates", "Steve Jobs"]
    tagger = api.load()
    conll = [d.tags for d in tagger.tag_texts(["We met Bill Gates\nSteve Jobs was there."], with_offsets=False)]
    assert conll == [["O", "O", "B-PER", "I-PER", "B-PER", "I-PER", "O", "O", "O"]]


def test_wrong_types_raise_type_error_at_the_api():
    tagger = api.load()
    with pytest.raises(TypeError, match="list of str"):
        tagger.tag_texts("Bill Gates")
    with pytest.raises(TypeError, match="item 1"):
        tagger.tag_texts(["Bill Gates", 7])
    with pytest.raises(TypeError, match="str"):
        tagger.tag(b"Bill Gates")
    with pytest.raises(TypeError, match="str"):
        api.tag(None)


@pytest.mark.parametrize(
    "line", ["🙂 🙂", "@@ @@", "\x00 \x00", "\u200b\u200b \u200b", "123 456", "-- --", "🙂 Bill Gates 🙂"]
)
def test_tokens_without_a_letter_are_no_names(line):
    entities = [e.text for e in api.tag(line).entities]
    assert entities == (["Bill Gates"] if "Bill" in line else [])


def test_blas_runs_on_one_thread_unless_the_user_says_otherwise():
    code = (
        "import os, sys, ner_rnn.__main__ as m\n"
        "sys.argv = ['ner-rnn', '--version']\n"
        "try:\n    m.main()\nexcept SystemExit:\n    pass\n"
        "print(os.environ['OPENBLAS_NUM_THREADS'], 'numpy' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, env=env)
    assert r.stdout.decode().split()[-2:] == ["1", "True"]  # set before NumPy was imported
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60,
                       env=env | {"OPENBLAS_NUM_THREADS": "3"})  # fmt: skip
    assert r.stdout.decode().split()[-2:] == ["3", "True"]
