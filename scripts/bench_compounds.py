"""A probe of the course's warning: a first name that starts a compound ("Teddy bears") is no name.

    python scripts/bench_compounds.py [--model PATH ...]

Twenty sentences that begin with a compound whose first word is a first name or another
name-like word ("Teddy bears are cute.", "Jack rabbits are fast.", "Ferris wheels are fun."),
where no one is named, and ten where the same first words are people ("Teddy bears the cost
of the trip.", "Bobby pins the blame on his brother."). Each is tagged alone, as a line given
to ``ner-rnn tag``; prints P(name) of the first word and what was found, and the count right
in each group.

Written for this project before the {G} frames of compounds were added to
data/styles-train-templates.txt. None of its sentences is a frame there; its nouns are not
those of the {G} frames ("Daisy chains" and "... cakes" are in the older {W} frames), though a
{G} slot may draw "Bobby" or "Jack" before another noun; "Teddy" and "bears" are in no
training sentence. A probe to look at, not a dev set: too small to choose on.
"""

from __future__ import annotations

from bench_surnames import each_model  # scripts/bench_surnames.py: --model PATH ..., each loaded

NO_NAME = (
    "Teddy bears are cute.",
    "Teddy bears make great gifts.",
    "Teddy bears were invented in 1902.",
    "Teddy bears are on sale!",
    "Jack rabbits are fast.",
    "Tommy guns were banned in the city.",
    "Bobby pins are cheap.",
    "Billy goats are stubborn animals.",
    "Johnny cakes are made with cornmeal.",
    "Jenny wrens nest in hedges.",
    "Ferris wheels are fun.",
    "Bunsen burners get very hot.",
    "Caesar salads are popular.",
    "Tiffany lamps sell for thousands.",
    "Barbie dolls were everywhere that year.",
    "Granny Smith apples are sour.",
    "Venn diagrams are useful.",
    "Jersey cows give rich milk.",
    "Rose bushes need pruning.",
    "Daisy chains are pretty.",
)
NAMED = (
    "Teddy bears the cost of the trip.",
    "Teddy likes bears.",
    "Anna gardens every weekend.",
    "Peter runs fast.",
    "Mary sells flowers at the market.",
    "Jack loves cats.",
    "Teddy was here yesterday.",
    "Bobby pins the blame on his brother.",
    "Tommy guns the engine and drives off.",
    "Teddy hugs his mother.",
)


def main() -> None:
    for tagger in each_model(__doc__.split("\n")[0]):
        for label, sentences, named in (("no one named", NO_NAME, False), ("a person named", NAMED, True)):
            right = 0
            for text, doc in zip(sentences, tagger.tag_texts(list(sentences))):
                ok = bool(doc.entities) == named
                right += ok
                found = ", ".join(e.text for e in doc.entities) or "-"
                print(f"  {'  ' if ok else '! '}{float(doc.p_name[0]):.2f}  {text:42} {found}")
            print(f"{label}: {right}/{len(sentences)} right")


if __name__ == "__main__":
    main()
