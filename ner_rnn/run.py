"""One training run, from files to a model file: what ``ner-rnn train`` does, as a function.

:func:`run` owns everything around :func:`ner_rnn.train.fit`:

- the checks (held-out files are not the training file, the output is none of them,
  a person name is in the training data);
- the extras (the Faker lexicon; without Faker it says what that costs and goes on
  without it);
- fine-tuning from a model (``from_model``);
- provenance (the command, the resolved recipe, the SHA-256 of every file, the lexicon's
  source, per-epoch history);
- saving the model whenever dev F1 improves, and a checkpoint after every epoch that
  ``resume`` goes on from bit for bit;
- what an interrupted run leaves (:class:`Interrupted`);
- the final dev and test scores of the model as saved.

It prints nothing: a :class:`Reporter` is told of every event and line of log, which the
command line shows as a progress bar and log lines.
"""

from __future__ import annotations

import json
import math
import signal
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from . import lexicon as lexicons
from . import wordclass
from .checkpoint import checkpoint_path, load_checkpoint, save_checkpoint
from .corpus import Sentence, check_scheme, file_sha256, read_conll
from .errors import ConfigError, CorpusError, ModelFileError, NerRnnError
from .evaluate import evaluate
from .files import check_output
from .modelfile import DEFAULT_MODEL, load_model, save_model
from .tagger import Tagger
from .tags import entity_types, spans_from_tags
from .train import Best, Checkpoint, EpochReport, TrainConfig, TrainResult, fine_tuning, fit, resolve

# what training without Faker costs, measured on the README's example (data/names-*.conll,
# the default recipe, dev F1 as evaluate gives it); see docs/accuracy.md
WITHOUT_FAKER = "no name lexicon and no name swapping (on the README's example, dev F1 {without} instead of {with_})"
WITHOUT_FAKER_FIGURES = {"without": "0.86", "with_": "0.87"}


@dataclass
class TrainFiles:
    train: Path | Sequence[Path]  # one file, or several trained on as one corpus
    dev: Path | None = None
    test: Sequence[Path] = ()  # scored once at the end and recorded, never used for a choice

    @property
    def trains(self) -> list[Path]:
        return [Path(self.train)] if isinstance(self.train, (str, Path)) else [Path(p) for p in self.train]


class Reporter:
    """What a run tells as it goes; the default tells no one."""

    def log(self, text: str) -> None:
        """A line for the user (plain text)."""

    def event(self, event) -> None:
        """A :mod:`ner_rnn.train` event: Stage, Step or EpochReport."""


class Interrupted(NerRnnError):
    """Ctrl-C or a signal stopped the run; what is kept, and how to go on, is the message."""

    def __init__(self, message: str, signum: int):
        super().__init__(message)
        self.exit_code = 128 + signum


@dataclass
class RunResult:
    tagger: Tagger
    info: dict  # the model's metadata as saved
    output: Path


def read_data(path: Path, scheme: str) -> list[Sentence]:
    """A CoNLL file's sentences, checked against a declared tag scheme."""
    sentences = read_conll(path)
    check_scheme(sentences, scheme, path)
    return sentences


def read_training(paths: Sequence[Path], scheme: str) -> list[Sentence]:
    """The sentences of every training file, as one corpus; each file's documents stay its own
    (a file without -DOCSTART- lines is one document, which no other file's sentences join)."""
    sentences: list[Sentence] = []
    for path in paths:
        first = sentences[-1].doc + 1 if sentences else 0
        sentences += [replace(s, doc=first + s.doc) for s in read_data(path, scheme)]
    return sentences


def start_model(spec: str) -> tuple[Tagger, Path]:
    """``from_model``: "default" (the shipped model) or a model file's path."""
    path = DEFAULT_MODEL if spec == "default" else Path(spec)
    return load_model(path), path


def run(
    files: TrainFiles,
    output: Path,
    config: TrainConfig,
    *,
    data_scheme: str = "auto",
    resume: bool = False,
    force: bool = False,
    command: str = "",
    reporter: Reporter | None = None,
) -> RunResult:
    """Train a model by ``config`` on ``files`` and write it to ``output`` (see the module)."""
    reporter = reporter or Reporter()
    _check_files(files, output)
    state = saved = None
    if not resume:
        check_output(output, force)
    else:  # read first: a damaged checkpoint is found before any work
        state, saved = load_checkpoint(checkpoint_path(output))
    config.check()
    start = base_path = None
    if config.from_model is not None:
        start, base_path = start_model(config.from_model)
        config = fine_tuning(config, start)
    train_sents = read_training(files.trains, data_scheme)
    dev_sents = read_data(files.dev, data_scheme) if files.dev else None
    test_sets = [(p, read_data(p, data_scheme)) for p in files.test]
    types = entity_types(config.entity)
    if not any(spans_from_tags(s.tags, types) for s in train_sents):
        raise CorpusError(
            f"holds no names of type {' or '.join(sorted(types))}; is the entity right (--entity)?",
            files.trains[0] if len(files.trains) == 1 else ", ".join(map(str, files.trains)),
        )
    config = resolve(config, len(train_sents))
    n_tokens = sum(len(s.words) for s in train_sents)
    reporter.log(
        f"training on {len(train_sents):,} sentences ({n_tokens:,} tokens)"
        + (f", early stopping on {len(dev_sents):,} dev sentences" if dev_sents else ", no dev set")
        + (f"; fine-tuning {config.from_model}" if start is not None else "")
        + f"; at most {config.epochs} epochs, patience {config.patience}"
    )
    config, lexicon, names, lexicon_source = _extras(config, start, reporter)
    data_files = [*files.trains, *([files.dev] if files.dev else []), *files.test]
    info = {
        "command": command,
        "config": config.to_json(),
        "data": {p.name: file_sha256(p) for p in data_files}
        | ({"from_model": file_sha256(base_path)} if start else {}),
        "history": [],
    }
    if lexicon_source is not None:
        info["lexicon"] = {"source": lexicon_source, "names": len(lexicon or start.features.lexicon)}
    ckpt = checkpoint_path(output)
    run_id = json.loads(json.dumps({"config": info["config"], "data": info["data"], "lexicon": info.get("lexicon")}))
    if resume:
        for key, value in run_id.items():
            if saved.get(key) != value:
                raise ConfigError(f"--resume: the {key} differs from the interrupted run's; give the same options")
        info = saved.get("info")  # the run's metadata so far: its command, history, best epoch
        if not isinstance(info, dict) or not isinstance(info.get("history"), list):
            raise ModelFileError("damaged checkpoint (no run metadata); start again without --resume", ckpt)
        reporter.log(f"resuming after epoch {state.epoch} (best so far: epoch {state.best_epoch})")
    done = state.epoch if state else 0  # epochs safely in the checkpoint
    try:
        for event in fit(train_sents, dev_sents, config, lexicon, names, state, start):
            if isinstance(event, EpochReport) and not event.helper:
                info["history"].append(_epoch_json(event, config.members > 1 and start is None))
            if isinstance(event, Best):
                info["best_epoch"] = event.report.epoch
                save_model(output, event.tagger, info, force=True)
            elif isinstance(event, Checkpoint):
                save_checkpoint(ckpt, event.state, run_id | {"info": info})
                done = event.state.epoch
            elif isinstance(event, TrainResult):
                result = event
            else:
                reporter.event(event)
    except KeyboardInterrupt as e:
        where = f"the best model so far is in {output}" if output.exists() else "no epoch had finished"
        signum = e.args[0] if e.args else signal.SIGINT
        raise Interrupted(
            f"interrupted after {done} epochs: {where}; the same command with --resume goes on from there", signum
        ) from None
    if dev_sents is not None:
        reporter.log(f"decoding, chosen on dev: {result.tagger.decoding.describe()}")
    info["best_epochs"] = result.best_epochs
    info.pop("best_epoch", None)  # the first network's, written while it was the model so far
    save_model(output, result.tagger, info, force=True)
    # the scores of the model as saved (its lookup tables are float16), as evaluate gives them
    tagger = load_model(output)
    if dev_sents is not None:
        info["dev"] = evaluate(tagger, dev_sents, types).scores.to_dict()
        reporter.log(_scores_line("dev ", info["dev"]))
    for i, (path, sents) in enumerate(test_sets):
        scores = evaluate(tagger, sents, types).scores.to_dict()
        info.setdefault("tests", {})[path.name] = scores
        if i == 0:
            info["test"] = scores
        reporter.log(_scores_line(f"test {path.name}" if len(test_sets) > 1 else "test", scores))
    save_model(output, tagger, info, force=True)
    ckpt.unlink(missing_ok=True)
    return RunResult(tagger, info, output)


def _check_files(files: TrainFiles, output: Path) -> None:
    train = {p.resolve() for p in files.trains}
    if files.dev is not None and files.dev.resolve() in train:
        raise ConfigError("--dev is a training file; early stopping needs held-out data")
    held = train | {files.dev.resolve() if files.dev else None}
    for p in files.test:
        if p.resolve() in held:
            raise ConfigError("--test must be held-out data, not a training or dev file")
    if output.resolve() in [p.resolve() for p in (*files.trains, files.dev, *files.test) if p is not None]:
        raise ConfigError(f"-o {output} is one of the data files; give another name for the model")


def _extras(config: TrainConfig, start: Tagger | None, reporter: Reporter):
    """The lexicon and the pool of names, or, without Faker, the recipe without them; and
    without spacy-lookups-data, the recipe without word classes."""
    wants_faker = config.lexicon == "faker" or (config.name_augment > 0 and start is None)
    if config.name_augment > 0 and config.lexicon not in ("faker", "none") and start is None:
        raise ConfigError("--name-augment draws its names from Faker: use --lexicon faker, or --name-augment 0")
    if wants_faker and not lexicons.faker_installed():
        reporter.log(
            "Faker is not installed (pip install 'ner-rnn[train]'), so this model is trained with "
            + WITHOUT_FAKER.format(**WITHOUT_FAKER_FIGURES)
        )
        config = replace(config, lexicon="none" if config.lexicon == "faker" else config.lexicon, name_augment=0.0)
    if config.word_classes in wordclass.SPECS and start is None and not wordclass.installed():
        reporter.log(
            "spacy-lookups-data is not installed (pip install 'ner-rnn[train]'), so this model is trained "
            "without word classes (clusters and capitalisation of English words; see docs/model.md)"
        )
        config = replace(config, word_classes="none")
    if start is not None:  # the start model's lexicon is in its features already
        source = start.meta.get("lexicon", {}).get("source") if isinstance(start.meta.get("lexicon"), dict) else None
        names = lexicons.latin_names() if config.name_augment else None
        return config, None, names, source
    lexicon, source = lexicons.load_lexicon(config.lexicon)
    names = lexicons.latin_names() if config.name_augment else None
    return config, lexicon, names, source


def _epoch_json(r: EpochReport, members: bool) -> dict:
    return (
        {"epoch": r.epoch, "loss": round(r.loss, 5) if math.isfinite(r.loss) else None, "seconds": round(r.seconds, 2)}
        | ({"member": r.member} if members else {})
        | ({"dev": r.dev.to_dict()} if r.dev else {})
    )


def _scores_line(name: str, s: dict) -> str:
    return f"{name}  P {s['precision']:.4f} R {s['recall']:.4f} F1 {s['f1']:.4f}"

