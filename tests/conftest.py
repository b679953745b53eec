"""Shared fixtures: the project's own small corpus, the CoNLL-2003 corpus when present,
and a tiny model trained once per session on the small corpus."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ner_rnn.cli import app

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CONLL = Path(os.environ.get("NER_RNN_CONLL_DIR", ROOT.parent / "shared" / "data" / "conll2003"))

# Run in the background of a shell script ("pytest &", nohup), the tests inherit SIGINT
# ignored, and so would every program they start: then the tests of Ctrl-C would see it
# ignored, as a background job rightly does. A handler here is reset to the default in each
# program started, as a terminal's foreground job has it.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def conll_dir() -> Path:
    """The CoNLL-2003 folder; tests that need it skip when it is absent, unless
    NER_RNN_REQUIRE_CORPUS=1 (set by CI), where its absence is a failure."""
    if not (CONLL / "eng.testb").is_file():
        if os.environ.get("NER_RNN_REQUIRE_CORPUS") == "1":
            pytest.fail(f"NER_RNN_REQUIRE_CORPUS=1 but the corpus is not at {CONLL} (set NER_RNN_CONLL_DIR)")
        pytest.skip(f"CoNLL-2003 corpus not found at {CONLL} (set NER_RNN_CONLL_DIR)")
    return CONLL


@pytest.fixture(scope="session")
def small_train() -> Path:
    return DATA / "names-train.conll"


@pytest.fixture(scope="session")
def small_dev() -> Path:
    return DATA / "names-dev.conll"


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory, small_train, small_dev) -> Path:
    """A small bidirectional model trained on data/ (a few seconds), saved to a temp folder."""
    from ner_rnn.corpus import read_conll
    from ner_rnn.modelfile import save_model
    from ner_rnn.train import train

    config = plain_config(hidden=24, epochs=12, patience=12, seed=3, batch_size=8, lr=0.01, lr_decay=1.0)
    result = train(read_conll(small_train), read_conll(small_dev), config)
    path = tmp_path_factory.mktemp("model") / "tiny.npz"
    save_model(path, result.tagger, {"command": "tests/conftest.py tiny_model", "config": config.to_json()})
    return path


# ---- helpers the test modules share (imported with `from conftest import ...`) -----------------


def plain_config(**settings):
    """A TrainConfig for tests: one network, no document context, no Faker, light dropout,
    so small models train in a second or two; ``settings`` override."""
    from ner_rnn.train import TrainConfig

    plain = dict(members=1, doc_context=False, lexicon="none", word_classes="none", name_augment=0.0, case_augment=0.1,
                 dropout=0.2, input_dropout=0.25, lexicon_dropout=0.0, epochs=15, patience=3)  # fmt: skip
    return TrainConfig(**(plain | settings))


def rewrite_model(src, dst, change):
    """Copy the model at src to dst, letting ``change(arrays, meta)`` edit it on the way."""
    import numpy as np

    with np.load(src, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(arrays.pop("__meta__").tobytes())
    change(arrays, meta)
    arrays["__meta__"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    np.savez(dst, **arrays)
    return dst


PROGRAM = [sys.executable, "-m", "ner_rnn"]  # the program, as `python -m ner_rnn`
runner = CliRunner()


def run(*args, input=None):
    """The typer app in this process: quick, for what needs no real streams."""
    return runner.invoke(app, [str(a) for a in args], input=input)


def ner_rnn(*args, input=None, env=None, cwd=None):
    """The installed program, in a fresh process, as a user runs it."""
    return subprocess.run(
        [*PROGRAM, *map(str, args)],
        input=input,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=300,
        cwd=cwd,
    )


def one_error_line(stderr: bytes | str, *needles: str) -> str:
    text = stderr.decode() if isinstance(stderr, bytes) else stderr
    assert "Traceback" not in text, text
    rows = [r for r in text.splitlines() if r.strip()]
    assert len(rows) == 1 and rows[0].startswith("ner-rnn: error: "), text
    for needle in needles:
        assert needle in rows[0], rows[0]
    return rows[0]
