"""A probe of lone famous surnames: does the model find a name it sees without its first name?

    python scripts/bench_surnames.py [--model PATH ...]

30 surnames of famous people, each alone in three frames written for this project
("He met X in Moscow.", "X was born in 1840.", "The works of X are still read."), tagged
one sentence at a time. Prints, per frame, how many have P(name) >= 0.5, and the surnames
below that. Seven of them ("Beethoven", "Stalin", "Picasso", ...) share a Brown cluster
with countries (docs/accuracy.md). A probe to look at, not a dev set: too small and too
narrow to choose a recipe on.
"""

from __future__ import annotations

import argparse

from ner_rnn.modelfile import load_model

SURNAMES = (
    "Tchaikovsky Dostoevsky Beethoven Mozart Shakespeare Einstein Gandhi Picasso Tolstoy Obama Merkel Napoleon "
    "Darwin Newton Freud Churchill Lincoln Stalin Hitler Mandela Bach Chopin Rembrandt Goethe Kafka Mao Lenin "
    "Trump Putin Messi"
).split()
FRAMES = ("He met {} in Moscow.", "{} was born in 1840.", "The works of {} are still read.")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--model", nargs="*", default=[None], help="model files (default: the shipped one)")
    args = ap.parse_args()
    for path in args.model:
        tagger = load_model(path)
        total = 0
        print(f"## {path or 'shipped model'}")
        for frame in FRAMES:
            docs = tagger.tag_texts([frame.format(n) for n in SURNAMES])
            p = [float(d.p_name[d.words.index(n)]) for n, d in zip(SURNAMES, docs)]
            found = sum(x >= 0.5 for x in p)
            total += found
            missed = ", ".join(f"{n} {x:.2f}" for n, x in zip(SURNAMES, p) if x < 0.5)
            print(f"{frame:34} {found:2}/{len(SURNAMES)}  below 0.5: {missed or '-'}")
        print(f"{'all':34} {total:2}/{len(SURNAMES) * len(FRAMES)}")


if __name__ == "__main__":
    main()
