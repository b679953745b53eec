"""Model files: one ``.npz`` of plain numeric arrays with the JSON metadata inside it.

The archive holds the parameters under their names in :mod:`ner_rnn.rnn` (``Waa``,
``Wax``, ...) and one more array, ``__meta__``: the UTF-8 bytes of a JSON object with the
format version, the sizes, the feature vocabulary and how the model was trained. It is
read with ``allow_pickle=False``, so no file can make ner-rnn run code; every array is
checked against the metadata before use. Writing goes to a temporary file in the same
folder, renamed into place only when complete, and never replaces a file without ``force``.
"""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import context, rnn
from .decode import Decoding
from .errors import ModelFileError
from .features import KNOWN_EVIDENCE_BUCKETS, Features
from .wordclass import WordClasses
from .files import atomic_write
from .tagger import Tagger
from .tags import DEFAULT_LABEL

FORMAT = "ner-rnn model"
FORMAT_VERSION = 1
DEFAULT_MODEL = Path(__file__).parent / "models" / "default.npz"
HALF = ("Wax", "Wax_b")  # the large lookup tables are stored as float16, used as float32


def expected_shapes(meta: dict) -> dict[str, tuple[int, ...]]:
    n_x, n_a, n_y = meta["n_x"], meta["hidden"], meta["n_y"]
    directions = ["", "_b"] if meta["bidirectional"] else [""]
    shapes = {}
    for d in directions:
        shapes |= {"Waa" + d: (n_a, n_a), "Wax" + d: (n_a, n_x), "ba" + d: (n_a, 1)}
    return shapes | {"Wya": (n_y, n_a * len(directions)), "by": (n_y, 1)}


def save_model(path: str | Path, tagger: Tagger, info: dict | None = None, force: bool = False) -> Path:
    """Write ``tagger`` to ``path`` atomically; ``info`` goes into the metadata as is."""
    path = Path(path)
    p = tagger.params
    meta = {  # how the model was made (info, or what it was loaded with), then what it is
        **(info if info is not None else tagger.meta),
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "scheme": tagger.scheme,
        "labels": tagger.labels,
        "doc_context": tagger.doc_context,
        "context_window": tagger.context_window,
        "label": tagger.label,
        **tagger.decoding.to_json(),
        "bidirectional": rnn.is_bidirectional(p),
        "hidden": int(p["Waa"].shape[0]),
        "n_x": int(p["Wax"].shape[1]),
        "n_y": int(p["Wya"].shape[0]),
        "features": tagger.features.to_json(),
    }
    arrays = {k: v.astype(np.float16 if k in HALF else np.float32) for k, v in p.items()}
    arrays |= tagger.features.arrays()
    arrays["__meta__"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    atomic_write(path, lambda f: np.savez(f, **arrays), force)
    return path


LABEL = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")  # it is written into tags and XML elements
MAX_META_BYTES = 1 << 26  # 64 MiB of JSON metadata (the shipped model's is 1.2 MB)
MAX_OUTPUTS = 64


def load_model(path: str | Path | None = None) -> Tagger:
    """Read a model file (the shipped default when ``path`` is None) and check it.

    Nothing is read before it is checked: the metadata's declared size first, then the
    sizes it gives, then each array's header (dtype and shape) against them, so a damaged
    or hostile file is refused before it can make ner-rnn allocate more than it holds.
    """
    path = Path(path) if path is not None else DEFAULT_MODEL
    if not path.exists():
        raise ModelFileError("no such model file", path)
    if path.is_dir():
        raise ModelFileError("is a directory, expected a model file", path)
    try:
        with open(path, "rb") as f:
            if f.read(4) not in (b"PK\x03\x04", b"PK\x05\x06"):  # np.load would try other formats
                raise ModelFileError("not a ner-rnn model file (not an .npz archive)", path)
        with zipfile.ZipFile(path) as archive:
            members = {name[:-4]: info for name, info in ((i.filename, i) for i in archive.infolist())}
            if "__meta__" not in members or any(not i.filename.endswith(".npy") for i in members.values()):
                raise ModelFileError("not a ner-rnn model file (no __meta__ entry)", path)
            disk = path.stat().st_size
            checked = ModelMeta.from_json(
                parse_metadata(_read_member(archive, members["__meta__"], None, path).tobytes(), path), path
            )
            meta = checked.raw
            shapes = expected_shapes(meta)
            tables = _expected_tables(meta, path)
            if set(members) != set(shapes) | set(tables) | {"__meta__"}:
                expected = sorted(shapes) + sorted(tables)
                raise ModelFileError(f"holds arrays {sorted(members)}, expected {expected} and __meta__", path)
            declared = sum(i.file_size for i in members.values())
            if declared > 1100 * disk:  # more than even the best compression could hold
                raise ModelFileError(f"damaged: its arrays claim {declared:,} bytes in a file of {disk:,}", path)
            for k, shape in shapes.items():  # every header checked before any data is read
                _read_member(archive, members[k], shape, path, header_only=True)
            for k, spec in tables.items():
                _read_member(archive, members[k], spec, path, header_only=True)
            features = _read_features(
                meta, path, {k: _read_member(archive, members[k], spec, path) for k, spec in tables.items()}
            )
            params = {}
            for k, shape in shapes.items():
                a = _read_member(archive, members[k], shape, path).astype(np.float32)
                if not np.isfinite(a).all():
                    raise ModelFileError(f"array {k} holds NaN or infinite values", path)
                params[k] = np.asfortranarray(a) if k.startswith("Wax") else a
    except ModelFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, KeyError) as e:
        raise ModelFileError(f"damaged or not a ner-rnn model file ({type(e).__name__}: {e})", path) from None
    return Tagger(
        params,
        features,
        scheme=checked.scheme,
        meta=meta,
        doc_context=checked.doc_context,
        labels=list(checked.labels),
        context_window=checked.context_window,
        decoding=checked.decoding,
        label=checked.label,
    )


def _read_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    shape: tuple[int, ...] | tuple[tuple[int, ...], np.dtype] | None,
    path: Path,
    header_only=False,
):
    """One ``.npy`` member, its header checked before its data is read: a float array of
    ``shape``; an array of exactly (shape, dtype); or (``shape`` None) the metadata, uint8
    bytes of at most ``MAX_META_BYTES``."""
    name = info.filename[:-4]
    with archive.open(info) as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            header = np.lib.format.read_array_header_1_0(f)
        elif version in ((2, 0), (3, 0)):
            header = np.lib.format.read_array_header_2_0(f)
        else:
            raise ModelFileError(f"array {name} has an unknown .npy version {version}", path)
        got, fortran, dtype = header
        if dtype.hasobject:
            raise ModelFileError("refused: it holds pickled Python objects, which could run code", path)
        if shape is None:
            if dtype != np.uint8 or len(got) != 1:
                raise ModelFileError("not a ner-rnn model file (__meta__ is not JSON bytes)", path)
            if got[0] > MAX_META_BYTES:
                raise ModelFileError(f"damaged metadata ({got[0]:,} bytes, more than {MAX_META_BYTES:,})", path)
        elif isinstance(shape[-1], np.dtype):  # a table: shape and dtype exactly
            if tuple(got) != shape[0] or dtype != shape[1] or fortran:
                raise ModelFileError(f"array {name} is {dtype}{tuple(got)}, expected {shape[1]}{shape[0]}", path)
        elif tuple(got) != shape or dtype.kind != "f" or dtype.itemsize > 8:
            raise ModelFileError(f"array {name} is {dtype}{tuple(got)}, expected float{shape}", path)
        count = int(np.prod(got, dtype=np.int64))
        if header_only:
            return None
        data = f.read(count * dtype.itemsize)
        if len(data) != count * dtype.itemsize:
            raise ModelFileError(f"array {name} is truncated", path)
    a = np.frombuffer(data, dtype=dtype)
    return a.reshape(got, order="F" if fortran else "C")


def _expected_tables(meta: dict, path: Path) -> dict[str, tuple[tuple[int, ...], np.dtype]]:
    """The lookup tables the metadata says the file holds beside the network (word classes)."""
    d = meta["features"].get("word_classes") if isinstance(meta.get("features"), dict) else None
    if d is None:
        return {}
    try:
        return WordClasses.array_specs(d)
    except (KeyError, TypeError, ValueError) as e:
        raise ModelFileError(f"damaged metadata (features: {e})", path) from None


def _read_features(meta: dict, path: Path, tables: dict[str, np.ndarray]) -> Features:
    """The feature vocabulary of the metadata and its tables, every field checked."""
    d = meta["features"]
    try:
        # (checks at C speed, for a vocabulary of tens of thousands of words: str.join takes
        # strings only; JSON's keys are always strings; a lexicon code outside 0-3 would index
        # another block of x)
        lists = [d[k] for k in ("words", "shapes", "ngrams")]
        if not all(isinstance(x, list) and x for x in lists):
            raise ValueError("the vocabularies must be non-empty lists of strings")
        try:
            for x in lists:
                "".join(x)
        except TypeError:
            raise ValueError("the vocabularies must be non-empty lists of strings") from None
        lexicon = d.get("lexicon", {})
        if not isinstance(lexicon, dict) or not set(lexicon.values()) <= {0, 1, 2, 3}:
            raise ValueError("the lexicon must map words to 0-3")
        buckets = d.get("evidence_buckets", KNOWN_EVIDENCE_BUCKETS[0])
        if buckets not in KNOWN_EVIDENCE_BUCKETS or isinstance(buckets, bool):
            raise ValueError(f"{buckets!r} evidence buckets")
        cfg = d["config"]
        sizes = cfg.get("ngram_sizes") if isinstance(cfg, dict) else None
        if not isinstance(sizes, list) or not all(isinstance(n, int) and 1 <= n <= 32 for n in sizes):
            raise ValueError("ngram_sizes must be a list of small positive numbers")
        features = Features.from_json(d, tables)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ModelFileError(f"damaged metadata (features: {e})", path) from None
    if features.n_x != meta["n_x"]:
        raise ModelFileError(f"its vocabulary gives {features.n_x} input columns, its arrays {meta['n_x']}", path)
    return features


@dataclass(frozen=True)
class ModelMeta:
    """A model file's metadata, checked: what the network is, how it decodes, and (as read,
    for ``ner-rnn info``) how it was made. :meth:`from_json` refuses anything malformed;
    the provenance accessors never fail, whatever the file holds."""

    scheme: str  # io or bio
    labels: tuple[str, ...]  # the output classes
    bidirectional: bool
    hidden: int  # n_a per direction
    n_x: int
    n_y: int
    doc_context: bool
    context_window: int
    decoding: Decoding
    label: str  # the entity type of the names it finds (PER unless trained with --entity)
    raw: dict = field(repr=False)  # the whole JSON object, the features and the provenance in it

    @classmethod
    def from_json(cls, meta, path: Path) -> "ModelMeta":
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise ModelFileError("not a ner-rnn model file (wrong format name)", path)
        version = meta.get("format_version")
        if version != FORMAT_VERSION:
            raise ModelFileError(
                f"model format version {version}, but this ner-rnn reads version {FORMAT_VERSION}; "
                "retrain it or use the ner-rnn release that wrote it",
                path,
            )
        required = {"scheme": str, "bidirectional": bool, "hidden": int, "n_x": int, "n_y": int, "features": dict}
        for key, typ in required.items():
            if not isinstance(meta.get(key), typ):
                raise ModelFileError(f"damaged metadata ({key!r} missing or not {typ.__name__})", path)
        labels = meta.setdefault("labels", ["O", "PER"] if meta["scheme"] == "io" else ["O", "B-PER", "I-PER"])
        person = {"io": ["O", "PER"], "bio": ["O", "B-PER", "I-PER"]}.get(meta["scheme"])
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise ModelFileError(f"damaged metadata (labels {labels!r})", path)
        if person is None or labels[: len(person)] != person or meta["n_y"] != len(labels):
            raise ModelFileError(
                f"damaged metadata (scheme {meta['scheme']!r}, labels {labels}, {meta['n_y']} outputs)", path
            )
        if min(meta["hidden"], meta["n_x"]) < 1 or meta["hidden"] > rnn.MAX_HIDDEN or meta["n_y"] > MAX_OUTPUTS:
            raise ModelFileError(
                f"damaged metadata (sizes hidden {meta['hidden']}, n_x {meta['n_x']}, n_y {meta['n_y']})", path
            )
        for key in Decoding.KEYS.values():  # decoding thresholds; absent in older models
            value = meta.get(key)
            if value is not None and not (isinstance(value, (int, float)) and 0 < value < 1):
                raise ModelFileError(f"damaged metadata ({key} {value!r} is not a probability)", path)
        window = meta.get("context_window", context.WINDOW)
        if not isinstance(window, int) or window < 0:
            raise ModelFileError(f"damaged metadata (context_window {window!r})", path)
        label = meta.get("label", DEFAULT_LABEL)
        if not isinstance(label, str) or not LABEL.fullmatch(label):
            raise ModelFileError(f"damaged metadata (label {label!r})", path)
        return cls(
            scheme=meta["scheme"],
            labels=tuple(labels),
            bidirectional=meta["bidirectional"],
            hidden=meta["hidden"],
            n_x=meta["n_x"],
            n_y=meta["n_y"],
            doc_context=bool(meta.get("doc_context", False)),
            context_window=window,
            decoding=Decoding.from_json(meta),
            label=label,
            raw=meta,
        )

    # -- provenance: what the file says of how the model was made, whatever its form --------

    def _get(self, key: str, typ, default):
        value = self.raw.get(key)
        return value if isinstance(value, typ) else default

    @property
    def format_version(self) -> int:
        return self.raw["format_version"]

    @property
    def command(self) -> str:
        return str(self.raw.get("command", "?"))

    @property
    def config(self) -> dict:
        return self._get("config", dict, {})

    @property
    def members(self) -> int:
        members = self.config.get("members", 1)
        return members if isinstance(members, int) and members >= 1 else 1

    @property
    def seed(self) -> str:
        return str(self.config.get("seed", "?"))

    @property
    def lexicon_source(self) -> str | None:
        source = self._get("lexicon", dict, {}).get("source")
        return str(source) if source else None

    @property
    def data(self) -> dict[str, str]:
        """Checksums of the files it was trained and scored on."""
        return {str(k): str(v) for k, v in self._get("data", dict, {}).items()}

    def scores(self, split: str) -> dict | None:
        """The stored precision/recall/F1 of ``split`` (dev, test, conllpp), if well formed."""
        return _scores(self.raw.get(split))

    @property
    def history(self) -> list[dict]:
        """The epochs with a well-formed dev score."""
        return [
            h
            for h in self._get("history", list, [])
            if isinstance(h, dict) and _scores(h.get("dev")) and isinstance(h.get("epoch"), int)
        ]

    @property
    def tests(self) -> dict[str, dict]:
        """The scores of each test file (``--test``), by file name."""
        found = self._get("tests", dict, {})
        return {str(k): v for k, v in found.items() if _scores(v)}

    @property
    def best_epochs(self) -> list:
        kept = self.raw.get("best_epochs") or [self.raw.get("best_epoch")]
        return kept if isinstance(kept, list) else []


def model_info(tagger: Tagger, path: str | Path) -> dict:
    """What ``ner-rnn info -f json`` prints (and a server's ``/info``): the network, its
    inputs, how it decodes, the ``jsonl`` schema version it writes, and its provenance as
    the file records it (``meta``: command, recipe, data checksums, scores, history; not
    the vocabularies, which ``inputs`` counts)."""
    from .formats import JSONL_SCHEMA

    m, f = ModelMeta.from_json(tagger.meta, Path(path)), tagger.features
    return {
        "model": str(path),
        "format_version": m.format_version,
        "jsonl_schema": JSONL_SCHEMA,
        "label": m.label,
        "scheme": m.scheme,
        "network": {"bidirectional": m.bidirectional, "hidden": m.hidden, "members": m.members, "n_x": m.n_x, "n_y": m.n_y},
        "inputs": {"words": len(f.words), "shapes": len(f.shapes), "ngrams": len(f.ngrams), "lexicon": len(f.lexicon),
                   "lexicon_source": m.lexicon_source, "context": f.evidence_buckets,
                   "word_classes": len(f.word_classes) if f.word_classes is not None else 0,
                   "word_classes_source": f.word_classes.source if f.word_classes is not None else None},  # fmt: skip
        "document_context": m.context_window if m.doc_context else None,
        "decoding": m.decoding.describe(),
        "dev": m.scores("dev"),
        "tests": m.tests,
        "meta": {k: v for k, v in tagger.meta.items() if k != "features"},
    }


def _scores(s) -> dict | None:
    """A stored score record, if it is one (precision, recall and F1 as numbers in [0, 1])."""
    keys = ("precision", "recall", "f1")
    if isinstance(s, dict) and all(isinstance(s.get(k), (int, float)) and 0 <= s[k] <= 1 for k in keys):
        return s
    return None


def parse_metadata(data: bytes, path: Path):
    """Parse JSON metadata; anything that is not valid JSON is one clear error."""
    try:
        return json.loads(data.decode("utf-8"))
    except ValueError:  # not UTF-8, not JSON, or an integer longer than Python reads
        raise ModelFileError("damaged metadata (not valid JSON)", path) from None
    except RecursionError:
        raise ModelFileError("damaged metadata (nested too deeply)", path) from None
