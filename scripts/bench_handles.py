"""A probe of @-handles: which handles of people and of organisations are tagged as names.

    python scripts/bench_handles.py [--model PATH ...]

Thirty handles of well-known people and forty of companies, newspapers, broadcasters and
leagues, each in three frames of a post, every line tagged alone through ``Tagger.tag``.
A handle counts as tagged when it is a name of its own; the handles tagged wrongly in
any frame are listed. People should be tagged, organisations should not (README: "@-handles"). The lists were written after finding that "@Reuters"
and "@comcast" were tagged, so this is a probe, not a dev set: choose on
data/styles-dev.txt.
"""

from __future__ import annotations

from bench_surnames import each_model  # scripts/bench_surnames.py: --model PATH ..., each with a heading

PEOPLE = (
    "@BarackObama @elonmusk @taylorswift13 @KimKardashian @rihanna @Cristiano @justinbieber @katyperry"
    " @narendramodi @jack @BillGates @JeffBezos @sundarpichai @satyanadella @tim_cook @Oprah @TheRock"
    " @neiltyson @AOC @SenSanders @JoeBiden @KamalaHarris @EmmanuelMacron @jk_rowling @StephenKing"
    " @serenawilliams @KingJames @neymarjr @ladygaga @ArianaGrande"
).split()
ORGANISATIONS = (
    "@Reuters @comcast @nytimes @NASA @BBCWorld @CNN @AP @FCBarcelona @Google @Apple @Microsoft @amazon"
    " @Tesla @SpaceX @netflix @Spotify @YouTube @WHO @UN @NatGeo @espn @NBA @NFL @Starbucks @McDonalds"
    " @Nike @Uber @Airbnb @github @Twitter @WSJ @guardian @TheEconomist @FoxNews @washingtonpost @Delta"
    " @AmericanAir @Walmart @Target @Verizon"
).split()
FRAMES = ("Thanks {h} for the update!", "RT {h}: big news coming tomorrow", "Anyone else annoyed with {h} today?")


def tagged(tagger, handle: str) -> int:
    """In how many of the frames the handle is a name of its own."""
    found = 0
    for frame in FRAMES:
        text = frame.format(h=handle)
        start = text.index(handle)
        found += any(e.start == start and e.end == start + len(handle) for e in tagger.tag(text).entities)
    return found


def main() -> None:
    n = len(FRAMES)
    for tagger in each_model(__doc__.split("\n")[0]):
        people = {h: tagged(tagger, h) for h in PEOPLE}
        organisations = {h: tagged(tagger, h) for h in ORGANISATIONS}
        print(f"people tagged: {sum(people.values())}/{n * len(PEOPLE)}")
        print("  missed:", " ".join(f"{h} ({n - k}/{n})" for h, k in people.items() if k < n) or "-")
        print(f"organisations tagged: {sum(organisations.values())}/{n * len(ORGANISATIONS)}")
        print("  tagged:", " ".join(f"{h} ({k}/{n})" for h, k in organisations.items() if k) or "-")


if __name__ == "__main__":
    main()
