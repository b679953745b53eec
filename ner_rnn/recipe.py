"""Training recipes: every setting of a run as a TOML file.

A recipe holds the fields of :class:`~ner_rnn.train.TrainConfig` by name, the feature
settings in a ``[features]`` table; a field it leaves out keeps its default::

    # the shipped model's recipe (ner_rnn/recipes/default.toml)
    hidden = 32
    members = 2
    epochs = 15
    ...

    [features]
    min_word_count = 2

``ner-rnn train --recipe FILE`` runs one; options given on the command line override single
fields. The model file records the whole recipe as it was run, with nothing left to a
default (``epochs = "auto"`` resolved too), and ``ner-rnn info --recipe`` prints it back as
TOML, so ``ner-rnn train --recipe`` on that output trains the same model, bit for bit.
TOML has no null: a setting that is unset (``entity``, ``lexicon``, ``from_model``) is left
out, or written as a comment.
"""

from __future__ import annotations

import math
import tomllib
import typing
from dataclasses import asdict, fields
from pathlib import Path

from .errors import ConfigError
from .features import FeatureConfig
from .train import TrainConfig

RECIPES = Path(__file__).parent / "recipes"
SHIPPED_RECIPE = RECIPES / "default.toml"  # how ner_rnn/models/default.npz is trained


def _types(cls) -> dict[str, tuple[type, ...]]:
    """Each field's accepted TOML value types (None dropped: TOML has no null)."""
    hints = typing.get_type_hints(cls)
    out = {}
    for f in fields(cls):
        hint = hints[f.name]
        args = (tuple,) if typing.get_origin(hint) is tuple else typing.get_args(hint) or (hint,)
        out[f.name] = tuple(a for a in args if a is not type(None) and isinstance(a, type))
    return out


def _check(values: dict, cls, path: Path, where: str = "") -> dict:
    types = _types(cls)
    out = {}
    for key, value in values.items():
        name = where + key
        if key not in types:
            raise ConfigError(f"{path}: unknown setting {name!r}")
        accepted = types[key]
        if key == "features" and cls is TrainConfig:
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: [features] must be a table")
            out[key] = FeatureConfig(**_check(value, FeatureConfig, path, "features."))
            continue
        if tuple in accepted:  # a list of ints in TOML
            if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
                raise ConfigError(f"{path}: {name} must be a list of integers, got {value!r}")
            out[key] = tuple(value)
            continue
        ok = any(isinstance(value, t) and not (t in (int, float) and isinstance(value, bool)) for t in accepted) or (
            float in accepted and isinstance(value, int) and not isinstance(value, bool)
        )
        if not ok:
            kinds = " or ".join(t.__name__ for t in accepted)
            raise ConfigError(f"{path}: {name} must be {kinds}, got {value!r}")
        out[key] = float(value) if accepted == (float,) else value
    return out


def read_recipe(path: str | Path) -> dict:
    """The settings a recipe file gives, checked (names and types), as TrainConfig keywords."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            values = tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such recipe file") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, expected a recipe file (TOML)") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not a valid TOML recipe: {e}") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror}") from None
    return _check(values, TrainConfig, path)


def load_recipe(path: str | Path | None = None, **overrides) -> TrainConfig:
    """A :class:`TrainConfig`: the defaults, then what the recipe file gives, then
    ``overrides`` (the command line's options; None means not given)."""
    settings = read_recipe(path) if path is not None else {}
    settings |= {k: v for k, v in overrides.items() if v is not None}
    config = TrainConfig(**settings)
    config.check()
    return config


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"{v} has no TOML form here")
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, int):
        return str(v)
    # a TOML basic string: JSON's escapes are TOML's for everything json.dumps writes
    import json

    return json.dumps(str(v), ensure_ascii=False)


def to_toml(config: TrainConfig | dict, comment: str = "") -> str:
    """``config`` as a recipe file that :func:`load_recipe` reads back to the same config."""
    d = config if isinstance(config, dict) else asdict(config)
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    tables = {k: v for k, v in d.items() if isinstance(v, dict)}
    for key, value in d.items():
        if key in tables:
            continue
        lines.append(f"# {key}: not set" if value is None else f"{key} = {_value(value)}")
    for name, table in tables.items():
        lines += ["", f"[{name}]"]
        lines += [f"{k} = {_value(v)}" for k, v in table.items() if v is not None]
    return "\n".join(lines) + "\n"
