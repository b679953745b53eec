"""ner-rnn: find person names in text with a recurrent network written in NumPy.

    >>> import ner_rnn
    >>> doc = ner_rnn.tag("Teddy Roosevelt was a great President.")
    >>> [(e.text, e.start, e.end) for e in doc.entities]
    [('Teddy Roosevelt', 0, 15)]

``ner_rnn.load(path)`` reads a model file (the shipped model without a path) and returns
a :class:`Tagger`: ``tagger.tag(text)`` tags one text, ``tagger.pipe(texts)`` a stream of
them in batches. Each result is a :class:`Doc` (its ``entities``, ``tokens``,
``to_dict()``). The pieces (tokenizer, features, the RNN, training, evaluation) are plain
modules of this package; nothing is imported until it is used, so the command line starts
fast.
"""

import os
import typing

if typing.TYPE_CHECKING:  # imported when used (see __getattr__), so `ner-rnn --help` is fast
    from .tagger import Doc, Entity, Tagger

__version__ = "0.1.0"
__all__ = ["Doc", "Entity", "Tagger", "load", "tag", "__version__"]

_default = None
# the environment variables that set the threads of NumPy's BLAS
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def load(path: "str | os.PathLike[str] | None" = None) -> "Tagger":
    """A :class:`Tagger` from a model file; the model shipped with the package when
    ``path`` is None. A missing, damaged or foreign file raises
    :class:`ner_rnn.errors.ModelFileError` naming it."""
    from .modelfile import load_model

    return load_model(path)


def tag(text: str) -> "Doc":
    """Tag one text with the shipped model (loaded once, on the first call): a :class:`Doc`."""
    global _default
    if not isinstance(text, str):
        raise TypeError(f"tag() takes a str, not {type(text).__name__}")
    if _default is None:
        _default = load()
    return _default.tag(text)


def __getattr__(name: str):
    if name in ("Doc", "Entity", "Tagger"):
        from . import tagger

        return getattr(tagger, name)
    raise AttributeError(f"module 'ner_rnn' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
