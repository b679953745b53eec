"""Turn data/sentences.txt (names in [brackets]) into the CoNLL files the tests use.

    python scripts/make_data.py

Writes data/names-train.conll and data/names-dev.conll (IOB2, "word TAG" per line);
every fifth sentence goes to dev. The tokenization is ner-rnn's own.
"""

from __future__ import annotations

import re
from pathlib import Path

from ner_rnn.tokenize import tokenize

DATA = Path(__file__).resolve().parents[1] / "data"
BRACKET = re.compile(r"\[([^\[\]]+)\]")


def unbracket(line: str) -> tuple[str, list[tuple[int, int]]]:
    """A line with its names in [brackets] -> the plain text and the names' character spans
    (also used by scripts/bench_styles.py)."""
    text, spans, last = "", [], 0
    for m in BRACKET.finditer(line):
        text += line[last : m.start()]
        spans.append((len(text), len(text) + len(m.group(1))))
        text += m.group(1)
        last = m.end()
    return text + line[last:], spans


def to_conll(line: str) -> str:
    plain, names = unbracket(line)
    rows = []
    for tok in tokenize(plain):
        tag = "O"
        for a, b in names:
            if a <= tok.start and tok.end <= b:
                tag = "B-PER" if tok.start == a else "I-PER"
        rows.append(f"{tok.text} {tag}\n")
    return "".join(rows) + "\n"


def main() -> None:
    lines = [ln.strip() for ln in (DATA / "sentences.txt").read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    train = [to_conll(ln) for i, ln in enumerate(lines) if i % 5 != 4]
    dev = [to_conll(ln) for i, ln in enumerate(lines) if i % 5 == 4]
    (DATA / "names-train.conll").write_text("".join(train), encoding="utf-8")
    (DATA / "names-dev.conll").write_text("".join(dev), encoding="utf-8")
    print(f"{len(train)} training and {len(dev)} dev sentences")


if __name__ == "__main__":
    main()
