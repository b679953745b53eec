"""Fill the frames of data/styles-train-templates.txt with Faker's names: a CoNLL file of
tweets, chat, e-mail, contract and encyclopedic sentences to train on beside eng.train.

    pip install -e '.[train]'              # Faker
    python scripts/make_styles_train.py [-o data/styles-train.conll] [--copies 12] [--seed 0]

Each frame with a slot is written ``--copies`` times, each time with other names (or, in a
``{W}`` slot, another word that is also a first name but no name there: "Rose gardens are
open"; in a ``{G}`` slot, another first name as the first word of a compound, as "Teddy" is in
"Teddy bears"); a frame without one, once. Every sentence is a document of its own (as a line given to
``ner-rnn tag`` is), so document context never links two of them. The names are Faker's
Latin-letter first names and surnames of every locale (MIT licence), the pool the name
swap of training draws from. The same seed gives the same file.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np

from ner_rnn.files import atomic_write
from ner_rnn.lexicon import latin_names
from ner_rnn.tokenize import token_spans

ROOT = Path(__file__).resolve().parents[1]
SLOT = re.compile(r"\{([FLNflnWG])\}")
HELD_OUT = {"Teddy"}  # never drawn for a {W} or {G} slot: the course's "Teddy bears" stays out of training


def fill(
    frame: str, first: list[str], last: list[str], words: list[str], rng
) -> tuple[str, list[tuple[int, int]]]:
    """The frame with names (and name-like common words) in its slots, and the character span of each name."""
    out, spans, at = [], [], 0
    for m in SLOT.finditer(frame):
        out.append(frame[at : m.start()])
        kind = m.group(1)
        if kind in "WG":  # a common word, or a first name as the first word of a compound: not a name
            pool = words if kind == "W" else first
            word = str(rng.choice(pool))
            while word in HELD_OUT:
                word = str(rng.choice(pool))
            out.append(word)
            at = m.end()
            continue
        name = {"f": first, "l": last}.get(kind.lower())
        text = f"{rng.choice(first)} {rng.choice(last)}" if name is None else str(rng.choice(name))
        text = text.lower() if kind.islower() else text
        start = sum(map(len, out))
        out.append(text)
        spans.append((start, start + len(text)))
        at = m.end()
    out.append(frame[at:])
    return "".join(out), spans


def conll(text: str, names: list[tuple[int, int]]) -> list[str]:
    lines, previous = [], None
    for a, b in token_spans(text):
        name = next((n for n in names if n[0] <= a and b <= n[1]), None)
        tag = "O" if name is None else ("I-PER" if name == previous else "B-PER")
        # two names side by side ("{F} {L}") are one name: the frames mean a full name there
        if name is not None and previous is not None and tag == "B-PER" and text[previous[1] : name[0]] == " ":
            tag = "I-PER"
        lines.append(f"{text[a:b]} {tag}")
        previous = name
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--templates", type=Path, default=ROOT / "data" / "styles-train-templates.txt")
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "data" / "styles-train.conll")
    ap.add_argument("--copies", type=int, default=12)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    first, last = latin_names()
    rng = np.random.default_rng(args.seed)
    lines = args.templates.read_text(encoding="utf-8").splitlines()
    words = [w for line in lines if line.startswith("W:") for w in line[2:].split()]
    frames = [line for line in lines if line and line[0] != "#" and not line.startswith("W:")]
    out = []
    for frame in frames:
        for _ in range(args.copies if SLOT.search(frame) else 1):
            text, names = fill(frame, first, last, words, rng)
            out += ["-DOCSTART- O", "", *conll(text, names), ""]
    atomic_write(args.output, lambda f: f.write("\n".join(out).encode("utf-8")), force=True)
    print(f"{args.output}: {sum(1 for x in out if x == '') // 2:,} sentences from {len(frames)} frames")


if __name__ == "__main__":
    main()
