"""Names -> replacements: the text of a tagged document with each person name replaced.

Only the characters of a name change; every other character of the text, line breaks and
spacing included, is kept as it was. The styles:

- ``label``:     ``[PERSON]`` for every name
- ``numbered``:  ``[PERSON_1]``, ``[PERSON_2]``, ... one number per person within a record:
                 a mention whose words are all among an earlier mention's ("Merkel" after
                 "Angela Merkel"), or the other way round, is the same person
- ``mask``:      the name's characters, each replaced by ``mask_char`` (same length)
- ``pseudonym``: a made-up name from the model's name lexicon (a built-in list when it has
                 none), the same for the same word everywhere and for the same ``seed``:
                 "Angela Merkel" -> "Ilse Brandvold" and a later "Merkel" -> "Brandvold"

:func:`redact` also gives, for each name, where its replacement is in the new text, so a
``--mapping`` file can undo the redaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .tagger import Doc


class Style(str, Enum):
    label = "label"
    numbered = "numbered"
    mask = "mask"
    pseudonym = "pseudonym"


@dataclass(frozen=True)
class Redaction:
    """How names are replaced (see the module's text)."""

    style: Style = Style.label
    mask_char: str = "*"
    seed: int = 0


@dataclass(frozen=True)
class Replaced:
    """One name that was replaced: ``original`` was at ``start`` in the input text, its
    ``replacement`` is at ``new_start`` in the output text."""

    original: str
    replacement: str
    start: int
    new_start: int

    def to_dict(self) -> dict:
        return {"original": self.original, "replacement": self.replacement, "start": self.start,
                "end": self.start + len(self.original), "new_start": self.new_start,
                "new_end": self.new_start + len(self.replacement)}  # fmt: skip


def placeholder(label: str) -> str:
    """The word in ``[PERSON]``: PERSON for person names (PER), else the model's label."""
    return "PERSON" if label in ("PER", "PERSON") else label


def redact(doc: Doc, how: Redaction, pools: "Pools | None" = None) -> tuple[str, list[Replaced]]:
    """``doc``'s text with each of its names replaced, and what replaced what."""
    label = placeholder(doc.label)
    people: list[set[str]] = []  # for numbered: the words of each person so far
    out: list[str] = []
    replaced: list[Replaced] = []
    pos = new = 0
    for e in doc.entities:
        before = doc.text[pos : e.start]
        out.append(before)
        new += len(before)
        if how.style is Style.label:
            replacement = f"[{label}]"
        elif how.style is Style.mask:
            replacement = how.mask_char * len(e.text)
        elif how.style is Style.numbered:
            replacement = f"[{label}_{_person(people, e.text)}]"
        else:
            replacement = (pools or default_pools()).pseudonym(e.text, how.seed)
        out.append(replacement)
        replaced.append(Replaced(e.text, replacement, e.start, new))
        new += len(replacement)
        pos = e.end
    out.append(doc.text[pos:])
    return "".join(out), replaced


def _words(name: str) -> set[str]:
    """A name's words for telling who it is: lower case, initials and dots left out."""
    return {w.strip(".").lower() for w in name.split() if len(w.strip(".")) > 1}


def _person(people: list[set[str]], name: str) -> int:
    """The number (from 1) of the person ``name`` is: the latest whose words contain its
    words or are contained in them, else a new person."""
    words = _words(name) or {name.lower()}
    for n in range(len(people) - 1, -1, -1):
        if words <= people[n] or people[n] <= words:
            people[n] |= words
            return n + 1
    people.append(set(words))
    return len(people)


# ---- pseudonyms -----------------------------------------------------------------------------

# used when a model has no name lexicon (trained with --lexicon none)
FALLBACK_FIRST = ("Alex Ada Arno Bea Cato Dana Edda Emil Fenna Gus Hana Ivo Jana Kai Lene Milo Nora Otto "
                  "Pia Rafe Sina Tove Uma Vito Wren Yara Zeno").split()  # fmt: skip
FALLBACK_LAST = ("Abbott Brandt Castell Dunmore Ellery Falk Garland Hollis Iverson Jarrow Kessler Lindqvist "
                 "Marlow Norberg Osgood Pennick Quill Rudd Stroud Thorne Upton Vance Wexley Yarrow Zeller").split()  # fmt: skip


@dataclass(frozen=True)
class Pools:
    """First names and surnames to make pseudonyms from."""

    first: tuple[str, ...]
    last: tuple[str, ...]

    @classmethod
    def from_lexicon(cls, lexicon: dict[str, int]) -> "Pools":
        """The plain Latin-letter names of a model's lexicon (1 first, 2 surname, 3 both)."""

        def pool(code: int) -> tuple[str, ...]:
            names = sorted(w for w, c in lexicon.items() if c & code and w.isascii() and w.isalpha() and 3 <= len(w) <= 9)
            return tuple(w.capitalize() for w in names)

        first, last = pool(1), pool(2)
        if len(first) < 100 or len(last) < 100:
            return default_pools()
        return cls(first, last)

    def pseudonym(self, name: str, seed: int) -> str:
        """A made-up name for ``name``, word by word: the last word a surname, the others
        first names, an initial ("F.") another initial; the same word always gets the same
        replacement (for ``seed``), never itself; an all-capitals name stays in capitals."""
        words = name.split(" ")
        return " ".join(self._fake(word, i == len(words) - 1, seed) for i, word in enumerate(words))

    def _fake(self, word: str, last: bool, seed: int) -> str:
        core = word.rstrip(".")
        dots = word[len(core) :]
        if len(core) <= 1:  # an initial ("F."), or nothing
            return _pick(INITIALS, core.upper(), seed, "initial") + dots if core else word
        pool, kind = (self.last, "last") if last else (self.first, "first")
        fake = _pick(pool, core.lower(), seed, kind)
        return (fake.upper() if core.isupper() else fake) + dots


INITIALS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _pick(pool, key: str, seed: int, kind: str) -> str:
    """An item of ``pool`` chosen by a hash of (seed, kind, key); never ``key`` itself."""
    digest = hashlib.blake2b(f"{seed}\0{kind}\0{key}".encode(), digest_size=8).digest()
    n = int.from_bytes(digest, "big") % len(pool)
    if pool[n].lower() == key.lower():
        n = (n + 1) % len(pool)
    return pool[n]


def pools_of(tagger) -> Pools:
    """The pseudonyms' names for a tagger's model, made once per tagger."""
    pools = getattr(tagger, "_pools", None)
    if pools is None:
        pools = tagger._pools = Pools.from_lexicon(tagger.features.lexicon)
    return pools


_default_pools: list[Pools] = []


def default_pools() -> Pools:
    if not _default_pools:
        _default_pools.append(Pools(tuple(FALLBACK_FIRST), tuple(FALLBACK_LAST)))
    return _default_pools[0]
