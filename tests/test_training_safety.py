"""Training never loses work: Ctrl-C keeps the best model and --resume finishes the same
model bit for bit; a loss that blows up stops with a clear message."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from conftest import ner_rnn, plain_config


def arrays(path):
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files if k != "__meta__"}


def test_ctrl_c_then_resume_gives_the_uninterrupted_model(tmp_path, small_train, small_dev):
    args = ["train", str(small_train), "--dev", str(small_dev), "--hidden", "16", "--epochs", "40",
            "--patience", "100"]  # fmt: skip
    reference = tmp_path / "reference.npz"
    assert ner_rnn(*args, "-o", reference, "--quiet").returncode == 0

    model = tmp_path / "model.npz"
    checkpoint = Path(str(model) + ".checkpoint")
    run = subprocess.Popen(
        [sys.executable, "-m", "ner_rnn", *args, "-o", str(model), "--quiet"], stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while not checkpoint.exists() and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 130, stderr.decode()
    message = stderr.decode()
    assert "interrupted after" in message and "--resume" in message and "Traceback" not in message
    assert model.exists() and checkpoint.exists()  # the best model so far, and where to go on from
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []

    resumed = ner_rnn(*args, "-o", model, "--resume")
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert "resuming after epoch" in resumed.stderr.decode()
    assert not checkpoint.exists()
    a, b = arrays(reference), arrays(model)
    assert a.keys() == b.keys()
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


def test_resume_with_other_options_is_refused(tmp_path, small_train):
    model = tmp_path / "m.npz"
    r = ner_rnn("train", small_train, "-o", model, "--resume", "--quiet")
    assert r.returncode == 1 and b"no checkpoint to resume from" in r.stderr


def test_loss_that_becomes_nan_stops_cleanly(tmp_path, small_train):
    model = tmp_path / "m.npz"
    r = ner_rnn("train", small_train, "-o", model, "--lr", "1e38", "--epochs", "3", "--quiet")
    assert r.returncode == 1
    stderr = r.stderr.decode()
    assert stderr.startswith("ner-rnn: error: the loss became") and "smaller --lr" in stderr, stderr
    assert stderr.count("\n") == 1
    assert not model.exists()  # no epoch finished: nothing to keep, nothing half-written
    assert [p.name for p in tmp_path.iterdir()] == []


def test_merged_members_resume_in_the_second_network_bit_for_bit(tmp_path, small_train, small_dev):
    """--members: the merged network is the members trained alone, each from its own seed;
    a run stopped while the second trains goes on from its checkpoint to the same bits."""
    from dataclasses import replace

    from ner_rnn import rnn
    from ner_rnn.checkpoint import load_checkpoint, save_checkpoint
    from ner_rnn.corpus import read_conll
    from ner_rnn.train import Checkpoint, EpochReport, fit, train

    train_s, dev_s = read_conll(small_train), read_conll(small_dev)
    config = plain_config(hidden=8, members=2, epochs=4, patience=10, batch_size=8, lr=0.01, seed=1)
    reference = train(train_s, dev_s, config)
    alone = [train(train_s, dev_s, replace(config, members=1, seed=s), decoding=False) for s in (2, 3)]
    expected = rnn.merge([r.tagger.params for r in alone])
    assert reference.best_epochs == [r.best_epochs[0] for r in alone]
    assert [(r.member, r.epoch) for r in reference.history] == [(k, e) for k in (0, 1) for e in range(1, 5)]
    assert [r.last for r in reference.history] == [e == 4 for k in (0, 1) for e in range(1, 5)]  # each ends

    checkpoint = tmp_path / "run.checkpoint"

    for event in fit(train_s, dev_s, config):  # stopped at the end of network 2's epoch 2
        if isinstance(event, Checkpoint):
            save_checkpoint(checkpoint, event.state, {})
        if isinstance(event, EpochReport) and (event.member, event.epoch) == (1, 2):
            break
    state, _ = load_checkpoint(checkpoint)
    assert (state.member, state.epoch, len(state.finished)) == (1, 1, 1)
    resumed = train(train_s, dev_s, config, resume=state)
    assert resumed.best_epochs == reference.best_epochs
    assert [(r.member, r.epoch) for r in resumed.history] == [(r.member, r.epoch) for r in reference.history]
    for k, v in reference.tagger.params.items():
        np.testing.assert_array_equal(resumed.tagger.params[k], v, err_msg=k)
        np.testing.assert_array_equal(expected[k], v, err_msg=k)
    assert reference.tagger.params["Waa"].shape == (16, 16)
