"""The ``ner-rnn`` command: tag, train, evaluate, info.

Each command only parses options, opens streams, shows progress and maps errors to exit
codes; the work is done by plain functions of the library. stdout carries data only;
progress, logs and errors go to stderr. Exit codes: 0 success, 1 runtime error (bad
input, damaged model, ...), 2 usage error (bad or contradictory options).
"""

from __future__ import annotations

import functools
import os
import shlex
import signal
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from typer.core import TyperGroup

from .errors import ConfigError, InputError, NerRnnError
from .files import STDOUT, silence_stdout
from .formats import Format, dumps, marked
from .redact import Style
from .rnn import MAX_HIDDEN
from .tags import DATA_SCHEMES, SCHEMES
from .train import TrainConfig

if TYPE_CHECKING:  # imported lazily: `tag` should start fast
    from rich.console import Console


class _ExitCodes(TyperGroup):
    """Runs a command and turns every failure into one line on stderr and an exit code."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            code = _policy(lambda: super(_ExitCodes, self).main(args, prog_name, complete_var, False, **extra))
        except typer.TyperException as e:  # click's usage errors: bad option, missing argument ...
            ctx = getattr(e, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            _fail(e.format_message().strip().replace("\n", " ") + hint, getattr(e, "exit_code", 2))
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx):
        # inside click's own handlers too, which would end a closed pipe with status 1 and
        # keep a traceback for any other OSError
        return _policy(lambda: super(_ExitCodes, self).invoke(ctx))


def _policy(run):
    """``run()``, with every failure a user or the system can cause made one line and an exit code."""
    try:
        return run()
    except NerRnnError as e:
        if e.path == STDOUT:
            silence_stdout()
        _fail(str(e), e.exit_code)
    except BrokenPipeError:
        # the reader went away (`ner-rnn tag ... | head`): stop quietly, with status 0, so
        # that a pipeline under `set -o pipefail` reports its reader's status, not ours
        silence_stdout()
        sys.exit(0)
    except KeyboardInterrupt as e:  # Ctrl-C, or SIGTERM or SIGHUP (see main)
        signum = e.args[0] if e.args and isinstance(e.args[0], int) else signal.SIGINT
        _fail({signal.SIGTERM: "terminated", signal.SIGHUP: "hung up"}.get(signum, "interrupted"), 128 + signum)
    except OSError as e:  # anything the system refused that no layer below named
        where = f"{e.filename}: " if e.filename else ""
        _fail(f"{where}{e.strerror or e}", 1)
    except MemoryError:
        _fail("out of memory", 1)


def _fail(message: str, code: int):
    try:
        sys.stderr.write(f"ner-rnn: error: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr itself is gone: the exit code still tells
        pass
    sys.exit(code)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        sys.stdout.write(f"ner-rnn {__version__}\n")
        raise typer.Exit()


app = typer.Typer(
    cls=_ExitCodes,
    name="ner-rnn",
    help="Find person names in text with a recurrent neural network written in NumPy.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,  # help texts are plain text: "ner-rnn[train]" stays as written
)


@app.callback()
def _app(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
):
    """Find person names in text with a recurrent neural network written in NumPy."""


def console(**options) -> "Console":
    """A rich console whose closed pipe ends the command as any other does (rich's own
    exits with status 1); on stderr, a closed pipe only silences it: the logs of a
    training run read by `| head` stop, the run goes on."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            if not self.stderr:
                raise BrokenPipeError
            self.quiet = True

    return _Console(highlight=False, **options)


def err_console(quiet: bool = False) -> "Console":
    return console(stderr=True, quiet=quiet, soft_wrap=True)


# ---- tag --------------------------------------------------------------------------------------


class InputFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"


class OnBadLine(str, Enum):
    error = "error"
    keep = "keep"


# the options `tag` and `redact` share: how they read
TEXTS = typer.Argument(None, help="Texts to tag; each is one record.", show_default=False, metavar="TEXT...")
MODEL = typer.Option(None, "-m", "--model", help="Model file.", show_default="the shipped model")
INPUTS = typer.Option(None, "-i", "--input", help="Read lines from this file ('-' for stdin); repeatable.",
                      show_default=False, metavar="FILE")  # fmt: skip
INPUT_FORMAT = typer.Option(
    InputFormat.text, "--input-format",
    help="text: each line is a text; jsonl: each line is a JSON object whose --text-key field is tagged, "
    "and is written back with the results added (jsonl output) or its text redacted.")  # fmt: skip
TEXT_KEY = typer.Option("text", "--text-key", help="The field of each JSON object that holds its text.")
ON_BAD_LINE = typer.Option(
    OnBadLine.error, "--on-bad-line",
    help="With --input-format jsonl, a line that is not an object with that field: error (stop, naming "
    "the line) or keep (write it back with an \"error\" field, and say so on stderr).")  # fmt: skip
MIN_SCORE = typer.Option(0.0, "--min-score", min=0.0, max=1.0,
                         help="Keep only names whose score is at least this (see the README for what it means).")  # fmt: skip
OUTPUT = typer.Option(None, "-o", "--output", help="Write here (atomically) instead of stdout.")
FORCE = typer.Option(False, "--force", help="Overwrite --output (and --mapping) if they exist.")
REPLACE_INVALID = typer.Option(False, "--replace-invalid", help="Replace bytes that are not UTF-8 by U+FFFD instead of stopping.")
WORKERS = typer.Option(0, "-w", "--workers", min=0, help="Processes for large inputs.", show_default="0: one per core")
PARAGRAPHS = typer.Option(
    False, "--paragraphs",
    help="Let a name's mentions help each other across the lines of a paragraph (up to a blank line), "
    "not just within a line. Output is still one record per line.")  # fmt: skip
QUIET = typer.Option(False, "-q", "--quiet", help="No progress on stderr.")
HANDLES = typer.Option(True, "--handles/--no-handles",
                       help="Tag an @-handle that may be a person's (@AngelaMerkel, not @NASA) as a name.")  # fmt: skip


@app.command("tag")
def tag_cli(
    texts: Optional[list[str]] = TEXTS,
    model: Optional[Path] = MODEL,
    fmt: Optional[Format] = typer.Option(None, "-f", "--format", help="Output format.",
                                         show_default="text; jsonl for JSONL input"),  # fmt: skip
    inputs: Optional[list[Path]] = INPUTS,
    input_format: InputFormat = INPUT_FORMAT,
    text_key: str = TEXT_KEY,
    on_bad_line: OnBadLine = ON_BAD_LINE,
    min_score: float = MIN_SCORE,
    token_scores: bool = typer.Option(False, "--token-scores", help="In jsonl, give each token its P(name) as \"score\"."),
    output: Optional[Path] = OUTPUT,
    force: bool = FORCE,
    replace_invalid: bool = REPLACE_INVALID,
    workers: int = WORKERS,
    paragraphs: bool = PARAGRAPHS,
    handles: bool = HANDLES,
    quiet: bool = QUIET,
):
    """Find person names in TEXT, in --input files, or in standard input (one text per line).

    One output record per input line, in order, blank lines included.

    Examples:

      ner-rnn tag "Teddy Roosevelt was a great President."

      ner-rnn tag -f jsonl < articles.txt > names.jsonl

      ner-rnn tag --input-format jsonl --text-key body < tickets.jsonl > tagged.jsonl
    """
    from .formats import Output

    jsonl_in = input_format is InputFormat.jsonl
    if fmt is None:
        fmt = Format.jsonl if jsonl_in else Format.text
    if jsonl_in and fmt is not Format.jsonl:
        raise ConfigError(f"--input-format jsonl writes the objects back as jsonl; -f {fmt.value} needs text input")
    if token_scores and fmt is not Format.jsonl:
        raise ConfigError("--token-scores needs -f jsonl")
    out = Output(fmt, min_score, token_scores, text_key if jsonl_in else None)
    _tag_lines(texts, model, inputs, out, output, force, replace_invalid, workers, paragraphs, quiet, on_bad_line,
               handles=handles)


def _tag_lines(texts, model, inputs, out, output, force, replace_invalid, workers, paragraphs, quiet,
               on_bad_line=OnBadLine.error, mapping: Optional[Path] = None, handles: bool = True) -> None:  # fmt: skip
    """What `tag` and `redact` share: read TEXT arguments, files or stdin, tag, write ``out``'s records."""
    from .files import STDIN, check_input, check_not_stdout, check_stdin, open_input, open_output, regular_size
    from .modelfile import DEFAULT_MODEL, load_model
    from .stream import RecordWriter, available_cores, json_lines, read_lines, tag_lines, tag_lines_parallel

    if texts and inputs:
        raise ConfigError("give TEXT arguments or --input files, not both")
    if out.text_key is not None and paragraphs:
        raise ConfigError("--paragraphs is for text input; with --input-format jsonl each object is one document")
    cores = available_cores()
    if workers > cores:
        raise ConfigError(f"-w {workers}: {cores} cores are available here; give -w {cores} or fewer (0: one per core)")
    sources = [None if str(p) == "-" else p for p in inputs or ([] if texts else ["-"])]  # None: stdin
    for path in sources:
        check_stdin() if path is None else check_input(path)
        if output is None:
            check_not_stdout(path)
    interactive = not texts and not inputs and sys.stdin.isatty()
    if interactive and not quiet:
        sys.stderr.write("ner-rnn: tagging lines typed here; Ctrl-D ends\n")
    args = [_argument(t, n, replace_invalid) + ("\n" if out.keep_ends else "") for n, t in enumerate(texts or [], start=1)]
    keep = _bad_line_warnings() if on_bad_line is OnBadLine.keep else None

    with open_output(output, force) as sink, _maybe_output(mapping, force) as mapping_sink:
        tagger = load_model(model)
        tagger.handles = handles
        consumed = [0]  # bytes read so far, for the progress bar

        def read(stream, name):
            lines = read_lines(stream, name, replace_invalid, consumed, True, out.whole_lines, out.keep_ends)
            return lines if out.text_key is None else json_lines(lines, name, out.text_key, keep)

        def lines():
            yield from args if out.text_key is None else json_lines(args, "TEXT argument", out.text_key, keep)
            for path in sources:
                if path is None:
                    yield from read(sys.stdin.buffer, STDIN)
                else:
                    with open_input(path) as f:
                        yield from read(f, str(path))

        if output is None and out.text_key is None and out.redaction is None and _colour(sys.stdout) \
                and out.format in (Format.text, Format.inline):  # fmt: skip
            _print_highlighted(tagger, lines(), out, paragraphs)
            return
        if workers == 0:
            workers = min(cores, 8)
        if workers > 1:
            records = tag_lines_parallel(tagger, model or DEFAULT_MODEL, lines(), out, workers, paragraphs)
        else:
            records = tag_lines(tagger, lines(), out, paragraphs)
        sizes = [regular_size(p) if p is not None else None for p in sources]
        total = sum(sizes) if sizes and None not in sizes else None  # type: ignore[arg-type]
        writer = RecordWriter(sink)
        if out.format is Format.html and out.redaction is None:
            from .formats import html_head

            sink.write(html_head(_html_title(texts, sources)))
        with _tag_progress(quiet or bool(texts) or interactive, total) as advance:
            tokens = 0
            record = 0  # records written so far, for the mapping
            try:
                for tagged in records:
                    writer.write(tagged.parts)
                    if mapping_sink is not None:
                        mapping_sink.write(_mapping_lines(tagged.replaced, record))
                    record += len(tagged.replaced)
                    if tagged.flush:
                        sink.flush()
                    tokens += tagged.tokens
                    advance(consumed[0], tokens)
            finally:  # stop the workers now, not when the generator is collected
                records.close()
                writer.close()
        if out.format is Format.html and out.redaction is None:
            from .formats import HTML_TAIL

            sink.write(HTML_TAIL)


def _html_title(texts, sources) -> str:
    if texts:
        return "ner-rnn: person names"
    names = ", ".join("standard input" if p is None else str(p) for p in sources)
    return f"ner-rnn: person names in {names}"


@contextmanager
def _maybe_output(path: Optional[Path], force: bool):
    """:func:`files.open_output` for an optional second output; None when there is none."""
    if path is None:
        yield None
        return
    from .files import open_output

    with open_output(path, force) as sink:
        yield sink


def _mapping_lines(replaced: list, first: int) -> str:
    """The --mapping file's lines for records ``first + 1, ...``: one JSON object per name."""
    return "".join(
        dumps({"record": first + n, **name.to_dict()}) + "\n"
        for n, names in enumerate(replaced, start=1)
        for name in names
    )


def _bad_line_warnings(most: int = 20):
    """A function that warns on stderr of a bad line kept, the first ``most`` times."""
    count = [0]

    def warn(message: str) -> None:
        count[0] += 1
        if count[0] <= most:
            tail = "; further bad lines are kept without a word" if count[0] == most else ""
            try:
                sys.stderr.write(f"ner-rnn: warning: {message}{tail}\n")
            except (OSError, ValueError):
                pass

    return warn


@app.command("redact")
def redact_cli(
    texts: Optional[list[str]] = TEXTS,
    model: Optional[Path] = MODEL,
    style: Style = typer.Option(Style.label, "--style", help="label: [PERSON]; numbered: [PERSON_1], one number per "
                                "person in a record; mask: each character of a name replaced by --mask-char; "
                                "pseudonym: a made-up name, the same for the same name (with --seed)."),  # fmt: skip
    mask_char: str = typer.Option("*", "--mask-char", help="The character of --style mask."),
    seed: int = typer.Option(0, "--seed", help="Which pseudonyms --style pseudonym makes."),
    mapping: Optional[Path] = typer.Option(None, "--mapping", help="Write, as JSONL, which name became which "
                                           "replacement, and where, so that it can be undone.", metavar="FILE"),  # fmt: skip
    inputs: Optional[list[Path]] = INPUTS,
    input_format: InputFormat = INPUT_FORMAT,
    text_key: str = TEXT_KEY,
    on_bad_line: OnBadLine = ON_BAD_LINE,
    min_score: float = MIN_SCORE,
    output: Optional[Path] = OUTPUT,
    force: bool = FORCE,
    replace_invalid: bool = REPLACE_INVALID,
    workers: int = WORKERS,
    paragraphs: bool = PARAGRAPHS,
    handles: bool = HANDLES,
    quiet: bool = QUIET,
):
    """Write TEXT, --input files or standard input with every person name replaced.

    Only the names change: every other character, line and byte is written as it was
    read. With --input-format jsonl, the --text-key field of each object is redacted and
    every other field kept.

    Examples:

      ner-rnn redact < interview.txt > interview-redacted.txt

      ner-rnn redact --style numbered --mapping key.jsonl -i interview.txt -o shared.txt
    """
    from .formats import Output
    from .redact import Redaction

    if len(mask_char) != 1:
        raise ConfigError(f"--mask-char takes one character, not {mask_char!r}")
    if mapping is not None and output is not None and mapping.resolve() == output.resolve():
        raise ConfigError("--mapping and --output are the same file")
    out = Output(Format.text, min_score, False, text_key if input_format is InputFormat.jsonl else None,
                 Redaction(style, mask_char, seed))  # fmt: skip
    _tag_lines(texts, model, inputs, out, output, force, replace_invalid, workers, paragraphs, quiet, on_bad_line,
               mapping, handles)


def _argument(text: str, n: int, replace_invalid: bool) -> str:
    """A TEXT argument as UTF-8, whatever the locale decoded it as."""
    raw = os.fsencode(text)
    try:
        return raw.decode("utf-8", "replace" if replace_invalid else "strict")
    except UnicodeDecodeError as e:
        raise InputError(
            f"TEXT argument {n}: byte {e.start + 1} is not valid UTF-8 (pass --replace-invalid to tag it anyway)"
        ) from None


@contextmanager
def _tag_progress(off: bool, total_bytes: int | None):
    """A progress bar on stderr (bytes read, tokens, tokens/s, time left) while tagging,
    when stderr is a terminal; yields ``advance(bytes_read, tokens)``."""
    if off or not sys.stderr.isatty():
        yield lambda done, tokens: None  # and rich is not even imported
        return
    import time

    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("tagging"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[tokens]:,} tokens  {task.fields[rate]:,.0f} tokens/s"),
        TimeRemainingColumn(),
        console=err_console(),
        transient=True,
        redirect_stdout=False,  # records go to stdout untouched, whatever the bar does
        redirect_stderr=False,
    )
    start = time.perf_counter()
    with progress:
        task = progress.add_task("tag", total=total_bytes, tokens=0, rate=0.0)

        def advance(done: int, tokens: int) -> None:
            rate = tokens / max(time.perf_counter() - start, 1e-9)
            progress.update(task, completed=done, tokens=tokens, rate=rate)

        yield advance


def _colour(stream) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


def _print_highlighted(tagger, lines, out, paragraphs: bool) -> None:
    """On a terminal: each name marked as in the format, and in bold colour."""
    from rich.text import Text

    from .formats import escape
    from .stream import chunks, ends_line, tag_docs

    from .formats import inline_tag

    screen = console(soft_wrap=True)

    tag = inline_tag(tagger.label)
    before, after = ("[", "]") if out.format is Format.text else (f"<{tag}>", f"</{tag}>")
    quote = (lambda piece: piece) if out.format is Format.text else escape
    for chunk in chunks(lines, paragraphs):
        for doc, item in zip(tag_docs(tagger, chunk, True, paragraphs), chunk):
            doc = doc.above(out.min_score)
            text = Text()
            for piece, is_name in marked(doc, "", ""):
                if is_name:
                    text.append(before + quote(piece) + after, style="bold magenta")
                else:
                    text.append(quote(piece))
            screen.print(text, end="\n" if ends_line(item) else "")


# ---- train ------------------------------------------------------------------------------------


# the choices come from ner_rnn.tags, which defines what each scheme means
ModelScheme = Enum("ModelScheme", {name: name for name in SCHEMES}, type=str)
DataScheme = Enum("DataScheme", {name: name for name in DATA_SCHEMES}, type=str)


def read_data(path: Path, scheme: str):
    """A CoNLL file's sentences, checked against a declared tag scheme."""
    from .run import read_data

    return read_data(path, scheme)


def _one_run_per_output(command):
    """Run a command that writes ``--output`` holding its lock (:func:`ner_rnn.files.exclusive`)."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        from .errors import OutputError
        from .files import exclusive, is_special

        if is_special(kwargs["output"]):  # saved again and again, with a checkpoint beside it
            raise OutputError("is not a regular file; a model is saved to a file", kwargs["output"])
        with exclusive(kwargs["output"]):
            return command(*args, **kwargs)

    return run


DEFAULTS = TrainConfig()  # the one source of the training defaults, shown in --help


def _default(name: str) -> str:
    return str(getattr(DEFAULTS, name))


@app.command("train")
@_one_run_per_output
def train_cli(
    train_files: list[Path] = typer.Argument(
        ..., help="Training data, CoNLL format; several files are one corpus.", show_default=False,
        metavar="TRAIN_FILE...",
    ),
    output: Path = typer.Option(..., "-o", "--output", help="Where to write the model (.npz).", show_default=False),
    dev: Optional[Path] = typer.Option(None, "--dev", help="Dev data for early stopping (CoNLL)."),
    test: Optional[list[Path]] = typer.Option(
        None, "--test", help="Test data: scored once at the end and recorded, never used for choices; repeatable."
    ),
    recipe: Optional[str] = typer.Option(
        None,
        "--recipe",
        help="A recipe file (TOML) of training settings, or 'shipped' for the shipped model's; "
        "the options below override single settings.",
        show_default="the defaults below",
    ),
    from_model: Optional[str] = typer.Option(
        None,
        "--from-model",
        help="Fine-tune this model ('default': the shipped one) on the data instead of starting afresh: "
        "its network, features and tags, the data's new words added.",
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite --output if it exists."),
    resume: bool = typer.Option(
        False, "--resume", help="Continue an interrupted run from its checkpoint (same command otherwise)."
    ),
    epochs: Optional[str] = typer.Option(
        None, "--epochs", help="At most this many passes over the data ('auto': by its size).",
        show_default=_default("epochs"),
    ),
    patience: Optional[str] = typer.Option(
        None, "--patience", help="Stop after this many epochs without better dev F1 ('auto': a quarter of --epochs).",
        show_default=_default("patience"),
    ),
    seed: Optional[int] = typer.Option(
        None, "--seed", min=0, help="Random seed; the same seed gives the same model, bit for bit.",
        show_default=_default("seed"),
    ),
    hidden: Optional[int] = typer.Option(
        None, "--hidden", min=1, max=MAX_HIDDEN, help="Size n_a of the hidden state, per direction (and network).",
        show_default=_default("hidden"),
    ),
    members: Optional[int] = typer.Option(
        None,
        "--members",
        min=1,
        max=16,
        help="Train this many networks of --hidden units, each from its own seed, and merge them into one "
        "(an ensemble that tags as fast as one network of members × hidden units).",
        show_default=_default("members"),
    ),
    unidirectional: Optional[bool] = typer.Option(
        None, "--unidirectional", help="Left-to-right only: the plain equations.", show_default=False
    ),
    scheme: Optional[ModelScheme] = typer.Option(
        None, "--scheme", help="The model's tags: io (O/PER) or bio (O/B-PER/I-PER).", show_default=_default("scheme")
    ),
    batch_size: Optional[int] = typer.Option(
        None, "--batch-size", min=1, max=4096, help="Sentences per update.", show_default=_default("batch_size")
    ),
    lr: Optional[float] = typer.Option(None, "--lr", help="Adam learning rate.", show_default=_default("lr")),
    dropout: Optional[float] = typer.Option(
        None, "--dropout", help="Dropout on the states.", show_default=_default("dropout")
    ),
    word_dropout: Optional[float] = typer.Option(
        None, "--word-dropout", help="Chance a word is shown as <UNK>.", show_default=_default("word_dropout")
    ),
    input_dropout: Optional[float] = typer.Option(
        None, "--input-dropout", help="Dropout on Wax · x<t>.", show_default=_default("input_dropout")
    ),
    case_augment: Optional[float] = typer.Option(
        None,
        "--case-augment",
        help="Share of sentences shown all lower-case or ALL CAPS (of those whose names --name-augment keeps).",
        show_default=_default("case_augment"),
    ),
    lexicon: Optional[str] = typer.Option(
        None,
        "--lexicon",
        help="Name lexicon: faker (needs ner-rnn[train]), none, or a file of name<TAB>first|last|both.",
        show_default=_default("lexicon"),
    ),
    lexicon_dropout: Optional[float] = typer.Option(
        None, "--lexicon-dropout", help="Chance a word's lexicon entry is hidden.",
        show_default=_default("lexicon_dropout"),
    ),
    word_classes: Optional[str] = typer.Option(
        None,
        "--word-classes",
        help="Clusters and capitalisation of 200,000 English words: spacy (needs ner-rnn[train]), "
        "spacy-cased (capitalised forms with clusters of their own too) or none.",
        show_default=_default("word_classes"),
    ),
    name_augment: Optional[float] = typer.Option(
        None, "--name-augment", help="Share of sentences whose person names are swapped for Faker names.",
        show_default=_default("name_augment"),
    ),
    doc_context: Optional[bool] = typer.Option(
        None,
        "--doc-context/--no-doc-context",
        help="Learn to use a name's other mentions nearby (two passes when tagging; two helper networks).",
        show_default=_default("doc_context"),
    ),
    context_window: Optional[int] = typer.Option(
        None,
        "--context-window",
        min=0,
        help="With --doc-context: how many sentences either side are a mention's context.",
        show_default=_default("context_window"),
    ),
    entity: Optional[str] = typer.Option(
        None, "--entity", help="The tag type that counts as a person name; the model's names carry it.",
        show_default="PER or PERSON",
    ),
    data_scheme: DataScheme = typer.Option(
        DataScheme.auto, "--data-scheme", help="Check the files' tags against this scheme (auto: accept any)."
    ),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress or logs on stderr."),
):
    """Train a tagger on CoNLL files (several are one corpus) and write it to --output.

    Prints, per epoch, the training loss and the dev precision, recall and F1 (before the
    decoding is chosen); keeps the epoch with the best dev F1; then chooses the decoding
    on dev and prints the dev F1 as evaluate gives it.

    Examples:

      ner-rnn train data/names-train.conll --dev data/names-dev.conll -o my-model.npz

      ner-rnn train mine.conll --dev mine-dev.conll --from-model default -o mine.npz

      ner-rnn train eng.train data/styles-train.conll --dev eng.testa -o both.npz
    """
    from .recipe import SHIPPED_RECIPE, load_recipe
    from .run import TrainFiles, run

    overrides = dict(
        epochs=_count(epochs, "--epochs"),
        patience=_count(patience, "--patience"),
        seed=seed,
        hidden=hidden,
        members=members,
        bidirectional=None if unidirectional is None else not unidirectional,
        scheme=scheme.value if scheme else None,
        batch_size=batch_size,
        lr=lr,
        dropout=dropout,
        word_dropout=word_dropout,
        input_dropout=input_dropout,
        case_augment=case_augment,
        lexicon=lexicon,
        lexicon_dropout=lexicon_dropout,
        name_augment=name_augment,
        word_classes=word_classes,
        doc_context=doc_context,
        context_window=context_window,
        entity=entity,
        from_model=from_model,
    )
    config = load_recipe(SHIPPED_RECIPE if recipe == "shipped" else recipe, **overrides)
    reporter = _TrainProgress(err_console(quiet), quiet)
    try:
        with reporter.progress:
            result = run(
                TrainFiles(train_files, dev, test or ()),
                output,
                config,
                data_scheme=data_scheme.value,
                resume=resume,
                force=force,
                command="ner-rnn " + shlex.join(sys.argv[1:]),
                reporter=reporter,
            )
    except KeyboardInterrupt as e:  # before the run began, or after it saved
        signum = e.args[0] if e.args else signal.SIGINT
        raise typer.Exit(128 + signum) from None
    kept = ", ".join(map(str, result.info["best_epochs"]))
    n = len(result.info["best_epochs"])
    saved = str(output)
    reporter.log(f"saved {saved} (epoch {kept})" if n == 1 else f"saved {saved} ({n} networks, epochs {kept})")


def _count(value: str | None, option: str) -> int | str | None:
    """--epochs and --patience: a positive number or 'auto'."""
    if value is None or value == "auto":
        return value
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{option} must be a positive whole number or auto, got {value!r}")
    return int(value)


class _TrainProgress:
    """Training's reporter at a terminal: a progress bar per stage and a log line per epoch."""

    def __init__(self, log: "Console", quiet: bool):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.console = log
        self.stage = ""
        self.progress = Progress(
            TextColumn("{task.fields[stage]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("tokens"),
            TimeRemainingColumn(),
            console=log,
            transient=True,
            disable=quiet or not log.is_terminal,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self.task = None

    def log(self, text: str) -> None:
        from rich.text import Text

        self.console.print(Text(text))

    def event(self, event) -> None:
        from rich.text import Text

        from .train import EpochReport, Stage, Step

        if isinstance(event, Step):
            if self.task is not None:
                self.progress.advance(self.task, event.tokens)
        elif isinstance(event, Stage):
            self.stage = event.name
            if self.task is None:
                self.task = self.progress.add_task("train", total=event.tokens or None, stage=event.name)
            else:
                self.progress.reset(self.task, total=event.tokens or None, stage=event.name)
        elif isinstance(event, EpochReport):
            r = event
            dev = f"dev P {r.dev.precision:.4f} R {r.dev.recall:.4f} F1 {r.dev.f1:.4f}" if r.dev else ""
            who = self.stage.rpartition(", epoch")[0]  # "network 1/2", "helper 1/2 (...)" or ""
            if r.epoch == 0:  # fine-tuning: the start model, before any training
                text = f"epoch  0  the start model   {dev}"
            else:
                text = f"epoch {r.epoch:>2}  loss {r.loss:8.4f}  {dev}  {r.seconds:5.1f} s  {r.tokens_per_second:,.0f} tokens/s"
            line = Text((f"{who}  " if who else "") + text, style="dim" if r.helper else "")
            if r.best and r.dev and not r.helper:
                line.append("  best", style="green")
            self.console.print(line)


# ---- evaluate ---------------------------------------------------------------------------------


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    conlleval = "conlleval"


@app.command("evaluate")
def evaluate_cli(
    data: Path = typer.Argument(
        ..., help="Gold data, CoNLL format (any of IOB1, IOB2, IOBES, IO).", show_default=False
    ),
    model: Optional[Path] = typer.Option(None, "-m", "--model", help="Model file.", show_default="the shipped model"),
    entity: Optional[str] = typer.Option(
        None, "--entity", help="The tag type in the file that counts as a person name.",
        show_default="the model's: PER or PERSON unless trained with --entity",
    ),
    fmt: ReportFormat = typer.Option(ReportFormat.table, "-f", "--format", help="Report format."),
    errors: bool = typer.Option(False, "--errors", help="Also list the sentences with misses and false alarms."),
    data_scheme: DataScheme = typer.Option(
        DataScheme.auto, "--data-scheme", help="Check the file's tags against this scheme (auto: accept any)."
    ),
    html: Optional[Path] = typer.Option(None, "--html", metavar="FILE", help="Also write the sentences with "
                                        "errors as a web page, gold and predicted names side by side."),  # fmt: skip
    force: bool = typer.Option(False, "--force", help="Overwrite the --html file if it exists."),
):
    """Score the model on gold data: span precision, recall, F1 and token accuracy.

    Examples:

      ner-rnn evaluate ../shared/data/conll2003/eng.testb

      ner-rnn evaluate gold.conll -f conlleval --errors

      ner-rnn evaluate gold.conll --html errors.html
    """

    from .evaluate import conlleval_report, evaluate
    from .modelfile import load_model
    from .tags import DEFAULT_LABEL, entity_types, spans_from_tags

    sentences = read_data(data, data_scheme.value)
    tagger = load_model(model)
    types = entity_types(entity if entity is not None else None if tagger.label == DEFAULT_LABEL else tagger.label)
    if not any(spans_from_tags(s.tags, types) for s in sentences):
        from .errors import CorpusError

        raise CorpusError(
            f"holds no names of type {' or '.join(sorted(types))}, which the model finds; "
            "give the type the file uses with --entity",
            data,
        )
    result = evaluate(tagger, sentences, types)
    s = result.scores
    if html is not None:
        from .files import open_output
        from .formats import errors_page

        with open_output(html, force) as sink:
            sink.write(errors_page(str(data), s, result.errors(sentences), tagger.label))
    wrong = result.errors(sentences) if errors else []
    if fmt is ReportFormat.json:
        record = s.to_dict()
        if errors:
            record["errors"] = [
                {
                    "line": e.line,
                    "text": " ".join(e.words),
                    "missed": [" ".join(e.words[a:b]) for a, b in e.missed],
                    "spurious": [" ".join(e.words[a:b]) for a, b in e.spurious],
                }
                for e in wrong
            ]
        sys.stdout.write(dumps(record) + "\n")
        return
    if fmt is ReportFormat.conlleval:
        sys.stdout.write(conlleval_report(s, tagger.label))
    else:
        from rich.markup import escape
        from rich.table import Table

        table = Table(title=f"person names in {escape(data.name)}", title_justify="left")
        for col in ("precision", "recall", "F1", "token acc.", "gold", "predicted", "correct"):
            table.add_column(col, justify="right")
        table.add_row(
            f"{s.precision:.4f}", f"{s.recall:.4f}", f"{s.f1:.4f}", f"{s.token_accuracy:.4f}",
            f"{s.gold_entities:,}", f"{s.predicted_entities:,}", f"{s.correct:,}",
        )  # fmt: skip
        console().print(table)
    for e in wrong:
        missed = ", ".join(" ".join(e.words[a:b]) for a, b in e.missed) or "-"
        spurious = ", ".join(" ".join(e.words[a:b]) for a, b in e.spurious) or "-"
        sys.stdout.write(f"{data}:{e.line}\tmissed: {missed}\tfalse: {spurious}\t{' '.join(e.words)}\n")


# ---- serve ------------------------------------------------------------------------------------


@app.command("serve")
def serve_cli(
    model: Optional[Path] = MODEL,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; another than 127.0.0.1 is said on stderr."),
    port: int = typer.Option(8080, "--port", min=0, max=65535, help="Port (0: any free one, said on stderr)."),
    workers: int = typer.Option(1, "-w", "--workers", min=1, help="Processes that tag, each with the model loaded."),
    token: Optional[str] = typer.Option(None, "--token", envvar="NER_RNN_TOKEN", show_default=False,
                                        help="Require 'Authorization: Bearer TOKEN' on every request but /health."),  # fmt: skip
    max_bytes: int = typer.Option(1 << 20, "--max-bytes", min=1, help="Largest request body; beyond, 413."),
    max_texts: int = typer.Option(1000, "--max-texts", min=1, help="Most texts in one request; beyond, 413."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No access log on stderr."),
):
    """Serve the tagger over HTTP: POST /tag, POST /redact, GET /health, GET /info, GET / (a page).

    Needs the serve extra: pip install 'ner-rnn[serve]'. Stops on Ctrl-C or SIGTERM once
    the requests in flight are answered.

    Examples:

      ner-rnn serve --port 8080

      curl -s localhost:8080/tag -d '{"text": "Angela Merkel met Joe Biden."}'
    """
    from .serve import ServeConfig, serve

    cores = __import__("ner_rnn.stream", fromlist=["available_cores"]).available_cores()
    if workers > cores:
        raise ConfigError(f"-w {workers}: {cores} cores are available here; give -w {cores} or fewer")
    if token is not None and not token.strip():
        raise ConfigError("--token is empty")
    serve(ServeConfig(model, host, port, workers, token, max_bytes, max_texts, quiet))


# ---- info -------------------------------------------------------------------------------------


class InfoFormat(str, Enum):
    table = "table"
    json = "json"


def _json_line(obj) -> str:
    return dumps(obj, allow_nan=False) + "\n"


@app.command("info")
def info_cli(
    model: Optional[Path] = typer.Argument(None, help="Model file.", show_default="the shipped model"),
    recipe: bool = typer.Option(
        False, "--recipe", help="Print the model's training recipe (TOML) for train --recipe, and nothing else."
    ),
    fmt: InfoFormat = typer.Option(InfoFormat.table, "-f", "--format",
                                   help="table: for people; json: one JSON object, for programs."),  # fmt: skip
):
    """Show what a model is and how it was trained: sizes, data checksum, scores, dev F1 per epoch.

    Examples:

      ner-rnn info my-model.npz

      ner-rnn info -f json | jq .dev

      ner-rnn info my-model.npz --recipe > recipe.toml
    """
    from rich.table import Table
    from rich.text import Text

    from .modelfile import DEFAULT_MODEL, ModelMeta, load_model

    tagger = load_model(model)
    path = model or DEFAULT_MODEL
    m, f = ModelMeta.from_json(tagger.meta, path), tagger.features
    if recipe:
        from .recipe import to_toml

        if not m.config:
            raise NerRnnError("records no training recipe", path)
        try:
            text = to_toml(m.config, f"the recipe of {path.name}, as it was trained by:\n{m.command}")
        except (TypeError, ValueError) as e:
            raise NerRnnError(f"its recipe cannot be written as TOML ({e})", path) from None
        sys.stdout.write(text)
        return
    if fmt is InfoFormat.json:
        from .modelfile import model_info

        sys.stdout.write(_json_line(model_info(tagger, path)))
        return
    out = console()
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    rows = [
        ("model", str(path)),
        ("format version", str(m.format_version)),
        (
            "network",
            ("bidirectional" if m.bidirectional else "unidirectional")
            + f" RNN, n_a = {m.hidden}"
            + (f" ({m.members} networks merged)" if m.members > 1 else ""),
        ),
        ("tags", m.scheme),
        ("label", m.label),
        (
            "x<t> columns",
            f"{m.n_x:,}: {len(f.words):,} words, {len(f.shapes):,} shapes, {len(f.ngrams):,} "
            f"n-grams, 4 lexicon, {f.evidence_buckets} context"
            + (f", {f.n_x - f.class_offset:,} word classes" if f.word_classes is not None else ""),
        ),  # fmt: skip
        ("lexicon", f"{len(f.lexicon):,} names" + (f", {m.lexicon_source}" if m.lexicon_source else "")),
        (
            "word classes",
            f"{len(f.word_classes):,} words, {f.word_classes.source}" if f.word_classes is not None else "none",
        ),
        (
            "document context",
            f"used: mentions up to {m.context_window} sentences away" if m.doc_context else "not used",
        ),
        ("decoding", m.decoding.describe()),
        ("trained with", m.command),
        ("seed", m.seed),
    ]
    rows += [(f"sha256 {name}", digest) for name, digest in m.data.items()]
    def scores(s: dict) -> str:
        return f"P {s['precision']:.4f}  R {s['recall']:.4f}  F1 {s['f1']:.4f}"

    tests = m.tests
    for split in ("dev", "test", "conllpp"):
        s = m.scores(split)
        if s and not (split == "test" and tests):
            rows.append((f"{split} scores", scores(s)))
    rows += [(f"test {name}", scores(s)) for name, s in tests.items()]
    if m.config:
        rows.append(("recipe", "ner-rnn info --recipe prints it"))
    for key, value in rows:
        table.add_row(Text(key), Text(value))  # Text: what the file says is never read as markup
    out.print(table)
    history = m.history
    if history:
        out.print("\n[bold]dev F1 per epoch[/] (before the decoding was chosen; the dev scores above are after)")
        lo = min(h["dev"]["f1"] for h in history)
        kept = m.best_epochs
        for h in history:
            f1 = h["dev"]["f1"]
            width = 1 + int(40 * (f1 - lo) / max(1e-9, 1 - lo))
            member = h.get("member", 0) if isinstance(h.get("member"), int) else 0
            best = "  best" if 0 <= member < len(kept) and h["epoch"] == kept[member] else ""
            network = f"network {member + 1}  " if len(kept) > 1 else ""
            out.print(f"  {network}{h['epoch']:>3}  {f1:.4f}  [cyan]{'█' * min(width, 41)}[/]{best}")


def main() -> None:
    """Entry point of the ``ner-rnn`` console script."""
    from .files import guard_standard_streams

    guard_standard_streams()
    for stream, encoding in ((sys.stdout, "utf-8"), (sys.stderr, None)):
        # data out is UTF-8 whatever the locale; messages in the locale's, never failing
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(**({"encoding": encoding} if encoding else {}), errors="backslashreplace")

    def terminate(signum, frame):  # SIGTERM and SIGHUP end a command the way Ctrl-C does: cleaned up
        raise KeyboardInterrupt(signum)

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    app(prog_name="ner-rnn")
