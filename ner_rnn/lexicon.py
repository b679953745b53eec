"""Name lexicons: which words are known first names or surnames.

The lexicon is one more one-hot block of x<t> (see :mod:`ner_rnn.features`): for the
lower-cased word, 0 = not a known name, 1 = first name, 2 = surname, 3 = both. It is
stored inside the model file, so tagging needs nothing beyond the model.

Sources:

- a file of your own: one name per line, ``name<TAB>first|last|both`` (``read_lexicon``);
- Faker's person providers (``faker_lexicon``), MIT-licensed, ~31,000 first names and
  ~29,000 surnames from 86 locales in their own scripts. Faker is needed only to train
  (``pip install 'ner-rnn[train]'``), never to tag.

A name in the lexicon is a hint, not a verdict: "Paris", "Will" and "Ford" are in it,
and the network learns from context when to trust it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .errors import CorpusError, NerRnnError
from .features import normalize

CODES = {"first": 1, "last": 2, "both": 3}


def add(lexicon: dict[str, int], name: str, code: int) -> None:
    for part in name.split():  # "Ana Carolina" -> both parts; the tagger sees words
        key = normalize(part)
        if len(key) > 1:
            lexicon[key] = lexicon.get(key, 0) | code


def read_lexicon(path: str | Path) -> dict[str, int]:
    """Read ``name<TAB>first|last|both`` lines; errors name the file and line."""
    lexicon: dict[str, int] = {}
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                if not line.strip() or line.startswith("#"):
                    continue
                name, _, kind = line.rstrip("\r\n").rpartition("\t")
                if kind not in CODES or not name.strip():
                    raise CorpusError("expected 'name<TAB>first|last|both'", path, number)
                add(lexicon, name, CODES[kind])
    except FileNotFoundError:
        raise CorpusError("no such file", path) from None
    except UnicodeDecodeError:
        raise CorpusError("not valid UTF-8", path) from None
    return lexicon


def faker_names(locales: Iterable[str] | None = None) -> tuple[set[str], set[str]]:
    """All first names and surnames of Faker's person providers, of every locale or of
    ``locales`` ("en_US", ...)."""
    try:
        import importlib
        import pkgutil

        import faker.providers.person as person
    except ImportError:
        raise NerRnnError(
            "the Faker lexicon needs Faker, which is not installed: pip install 'ner-rnn[train]'"
        ) from None
    first: set[str] = set()
    last: set[str] = set()
    wanted = None if locales is None else set(locales)
    for module in pkgutil.iter_modules(person.__path__):
        if wanted is not None and module.name not in wanted:
            continue
        provider = getattr(importlib.import_module(f"{person.__name__}.{module.name}"), "Provider", None)
        if provider is None:
            continue
        for attr, names in (
            ("first_names", first),
            ("first_names_male", first),
            ("first_names_female", first),
            ("last_names", last),
            # the Latin spellings of the Chinese and Japanese locales ("Chia-hao", "Tanaka"),
            # which their first_names and last_names write in Han and kana
            ("first_romanized_names", first),
            ("first_romanized_names_male", first),
            ("first_romanized_names_female", first),
            ("last_romanized_names", last),
        ):
            value = provider.__dict__.get(attr)  # class attributes only, not properties
            if isinstance(value, (dict, tuple, list, set, frozenset)) or hasattr(value, "keys"):
                found = value.keys() if hasattr(value, "keys") else value
                names.update(n.capitalize() if n.isupper() else n for n in found)  # zh_TW's "CHIA-HAO"
    return first, last


def faker_lexicon() -> dict[str, int]:
    first, last = faker_names()
    lexicon: dict[str, int] = {}
    for name in sorted(first):
        add(lexicon, name, CODES["first"])
    for name in sorted(last):
        add(lexicon, name, CODES["last"])
    return lexicon


def load_lexicon(spec: str | None) -> tuple[dict[str, int] | None, str | None]:
    """``--lexicon``: "none" (or None), "faker", or a file; returns the lexicon and where it came from."""
    if spec is None or spec == "none":
        return None, None
    if spec == "faker":
        return faker_lexicon(), f"Faker {faker_version()} person providers (MIT licence), all locales"
    return read_lexicon(spec), spec


def faker_installed() -> bool:
    from importlib.util import find_spec

    return find_spec("faker") is not None


def faker_version() -> str:
    from importlib.metadata import version

    return version("faker")


def latin_names() -> tuple[list[str], list[str]]:
    """Faker's first names and surnames written in the Latin alphabet (accents allowed),
    one word each (hyphens allowed: "Chia-hao"), sorted: the pool for replacing names in
    training sentences."""
    import unicodedata

    def latin(name: str) -> bool:
        letters = name.replace("-", "")
        return (
            letters.isalpha()
            and "-" not in (name[0], name[-1])
            and all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in letters)
        )

    first, last = faker_names()
    return sorted(n for n in first if latin(n)), sorted(n for n in last if latin(n))
