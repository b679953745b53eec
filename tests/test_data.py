"""The project's own data: the training sentences of other styles are made from their frames,
and none of them is a line of the dev set they are chosen on, nor of the blind sets."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ner_rnn.corpus import read_conll

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SLOT = re.compile(r"\\\{[FLNflnWG]\\\}")  # a slot, as re.escape writes it
NAME = r"[^\s,.!?]+(?: [^\s,.!?]+){0,3}"  # what may stand in a slot: up to four words


def frames() -> list[str]:
    lines = (DATA / "styles-train-templates.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and line[0] != "#" and not line.startswith("W:")]


def dev_lines(blind: bool = True) -> list[str]:
    """The lines of the dev set, and of the blind sets unless not ``blind``, brackets removed."""
    blinds = ["styles-blind.txt", "styles-blind-2.txt", "styles-blind-3.txt", "styles-blind-4.txt",
              "styles-blind-5.txt", "styles-blind-6.txt"]
    names = ["styles-dev.txt"] + (blinds if blind else [])
    lines = [line for name in names for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    return [re.sub(r"\[([^\[\]]+)\]", r"\1", line) for line in lines if line and line[0] != "#"]


def test_no_training_frame_can_make_a_line_of_the_dev_set():
    dev = dev_lines()
    assert len(dev) > 200
    words = set(" ".join(dev).lower().split())
    for frame in frames():
        if len(re.sub(r"\{\w\}", " ", frame).split()) < 3:  # a signature line, "Dear {N},": too short to say
            continue
        pattern = re.compile(SLOT.sub(lambda _: NAME, re.escape(frame)), re.I)
        hits = [line for line in dev if pattern.fullmatch(line)]
        assert not hits, (frame, hits)
    assert "teddy" not in " ".join(frames()).lower()  # the course's example stays out of training
    assert words  # (the dev set was read)


def _five_grams(text: str) -> set[tuple[str, ...]]:
    w = re.findall(r"[\w']+|\{\w\}", text.lower())
    return {tuple(w[i : i + 5]) for i in range(len(w) - 4)}


def test_no_training_frame_shares_five_words_in_a_row_with_the_dev_set():
    # (the blind set was written without looking at the frames: one line of it shares "the
    # report was prepared by", followed by an institute where the frame has a name)
    dev = set().union(*map(_five_grams, dev_lines(blind=False)))
    for frame in frames():
        shared = {g for g in _five_grams(frame) if not any(w[0] == "{" for w in g)} & dev
        assert not shared, (frame, shared)


def test_the_training_file_is_what_the_script_makes_from_the_frames(tmp_path):
    pytest.importorskip("faker")
    out = tmp_path / "styles-train.conll"
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_styles_train.py"), "-o", str(out)],
                       capture_output=True, cwd=ROOT)  # fmt: skip
    assert r.returncode == 0, r.stderr.decode()
    assert out.read_bytes() == (DATA / "styles-train.conll").read_bytes()


def test_the_course_example_stays_out_of_the_training_file():
    """'Teddy bears' is held out of the compounds the frames make ("Bobby socks are warm"),
    so the model's "Teddy bears are on sale!" is a measure, not a memory."""
    sentences = read_conll(DATA / "styles-train.conll")
    assert len(sentences) > 1000  # the file was read
    words = {w.lower() for s in sentences for w in s.words}
    assert "teddy" not in words and "bears" not in words
