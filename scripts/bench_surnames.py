"""A probe of lone famous surnames: does the model find a name it sees without its first name?

    python scripts/bench_surnames.py [--model PATH ...]

30 surnames of famous people, each alone in three frames written for this project
("He met X in Moscow.", "X was born in 1840.", "The works of X are still read."), tagged
one sentence at a time. Prints, per frame, how many have P(name) >= 0.5, and the surnames
below that. Seven of them ("Beethoven", "Stalin", "Picasso", ...) share a Brown cluster
with countries (docs/accuracy.md).

Then 30 surnames of people in today's news ("Putin", "Xi", "Musk"), unknown to 1996 news
and many of them without a Brown cluster, in seven frames: five of news and posts ("X said
on Tuesday that talks would resume.", "Is X tweeting again") and the first and last above.

Then the same 30 in three frames of posts ("X scores again!", "Great interview with X last
night"), written beside the training frames of short posts with a lone surname ("{L}
scores again, what a player"), so they show what those frames taught, not how far it
reaches.

Probes to look at, not dev sets: too small and too narrow to choose a recipe on.
"""

from __future__ import annotations

import argparse
from typing import Iterator

from ner_rnn.modelfile import load_model
from ner_rnn.tagger import Tagger

SURNAMES = (
    "Tchaikovsky Dostoevsky Beethoven Mozart Shakespeare Einstein Gandhi Picasso Tolstoy Obama Merkel Napoleon "
    "Darwin Newton Freud Churchill Lincoln Stalin Hitler Mandela Bach Chopin Rembrandt Goethe Kafka Mao Lenin "
    "Trump Putin Messi"
).split()
FRAMES = ("He met {} in Moscow.", "{} was born in 1840.", "The works of {} are still read.")
NEWS_SURNAMES = (
    "Putin Trump Obama Zelensky Macron Biden Erdogan Netanyahu Modi Xi Lavrov Blinken Pompeo Sunak Scholz Meloni "
    "Orban Duterte Bolsonaro Lula Kishida Abe Khamenei Assad Maduro Musk Zuckerberg Bezos Gates Kim"
).split()
NEWS_FRAMES = (
    "{} said on Tuesday that talks would resume.",
    "Officials said {} would visit Kyiv.",
    "{} told reporters the deal was close.",
    "A spokesman for {} declined to comment.",
    "Is {} tweeting again",
    FRAMES[0],
    FRAMES[2],
)
POST_FRAMES = ("{} scores again!", "Great interview with {} last night", "Can't stop watching {} highlights")


def each_model(description: str) -> Iterator[Tagger]:
    """The taggers of ``--model PATH ...`` (default: the shipped model), each loaded in turn
    after a heading with its path; the probes of scripts/bench_*.py share this."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--model", nargs="*", default=[None], help="model files (default: the shipped one)")
    for path in ap.parse_args().model:
        tagger = load_model(path)
        print(f"## {path or 'shipped model'}")
        yield tagger


def main() -> None:
    for tagger in each_model(__doc__.split("\n")[1]):
        for surnames, frames in ((SURNAMES, FRAMES), (NEWS_SURNAMES, NEWS_FRAMES), (NEWS_SURNAMES, POST_FRAMES)):
            total = 0
            for frame in frames:
                docs = tagger.tag_texts([frame.format(n) for n in surnames])
                p = [float(d.p_name[d.words.index(n)]) for n, d in zip(surnames, docs)]
                found = sum(x >= 0.5 for x in p)
                total += found
                missed = ", ".join(f"{n} {x:.2f}" for n, x in zip(surnames, p) if x < 0.5)
                print(f"{frame:45} {found:2}/{len(surnames)}  below 0.5: {missed or '-'}")
            print(f"{'all':45} {total:3}/{len(surnames) * len(frames)}")


if __name__ == "__main__":
    main()
