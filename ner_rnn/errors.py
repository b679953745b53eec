"""The exceptions ner-rnn raises for a user's mistake.

Library code raises these; the command line prints them as one line on stderr and
exits with 1 (runtime problem) or 2 (bad usage). Anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations


class NerRnnError(Exception):
    """Base class: a problem the user can fix, described in one line."""

    exit_code = 1

    def __init__(self, message: str, path: object = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return where + self.message


class InputError(NerRnnError):
    """Text to tag could not be read (missing file, bad encoding)."""


class OutputError(NerRnnError):
    """Output could not be written (full disk, read-only folder, closed stream ...)."""


class CorpusError(NerRnnError):
    """A CoNLL file is malformed; carries the file and line number."""


class ModelFileError(NerRnnError):
    """A model file is missing, damaged, unsafe, or of another format version."""


class TrainingError(NerRnnError):
    """Training cannot go on (for example the loss became NaN)."""


class ConfigError(NerRnnError):
    """Options that contradict each other or are out of range (a usage error)."""

    exit_code = 2
