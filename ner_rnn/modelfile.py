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
import zipfile
import zlib
from pathlib import Path

import numpy as np

from . import context, rnn
from .errors import ModelFileError
from .features import KNOWN_EVIDENCE_BUCKETS, Features
from .files import atomic_write, check_output
from .tagger import Tagger

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
    check_writable(path, force)
    p = tagger.params
    meta = {  # how the model was made (info, or what it was loaded with), then what it is
        **(info if info is not None else tagger.meta),
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "scheme": tagger.scheme,
        "labels": tagger.labels,
        "doc_context": tagger.doc_context,
        "context_window": tagger.context_window,
        "extend": tagger.extend,
        "caseless_threshold": tagger.caseless_threshold,
        "caseless_extend": tagger.caseless_extend,
        "bidirectional": rnn.is_bidirectional(p),
        "hidden": int(p["Waa"].shape[0]),
        "n_x": int(p["Wax"].shape[1]),
        "n_y": int(p["Wya"].shape[0]),
        "features": tagger.features.to_json(),
    }
    arrays = {k: v.astype(np.float16 if k in HALF else np.float32) for k, v in p.items()}
    arrays["__meta__"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    atomic_write(path, lambda f: np.savez(f, **arrays))
    return path


def check_writable(path: Path, force: bool) -> None:
    """Raise unless a model can be written to ``path`` (see :func:`ner_rnn.files.check_output`)."""
    check_output(Path(path), force)


def load_model(path: str | Path | None = None) -> Tagger:
    """Read a model file (the shipped default when ``path`` is None) and check it."""
    path = Path(path) if path is not None else DEFAULT_MODEL
    if not path.exists():
        raise ModelFileError("no such model file", path)
    if path.is_dir():
        raise ModelFileError("is a directory, expected a model file", path)
    with open(path, "rb") as f:
        if f.read(4) not in (b"PK\x03\x04", b"PK\x05\x06"):  # np.load would try other formats
            raise ModelFileError("not a ner-rnn model file (not an .npz archive)", path)
    try:
        with np.load(path, allow_pickle=False) as npz:
            meta = _read_meta(npz, path)
            shapes = expected_shapes(meta)
            if set(npz.files) != set(shapes) | {"__meta__"}:
                raise ModelFileError(f"holds arrays {sorted(npz.files)}, expected {sorted(shapes)} and __meta__", path)
            params = {}
            for k, shape in shapes.items():
                a = npz[k]
                if a.shape != shape or a.dtype.kind != "f":
                    raise ModelFileError(f"array {k} is {a.dtype}{a.shape}, expected float{shape}", path)
                a = a.astype(np.float32)
                if not np.isfinite(a).all():
                    raise ModelFileError(f"array {k} holds NaN or infinite values", path)
                params[k] = np.asfortranarray(a) if k.startswith("Wax") else a
            features = Features.from_json(meta["features"])
    except ModelFileError:
        raise
    except ValueError as e:
        if "pickle" in str(e):
            raise ModelFileError("refused: it holds pickled Python objects, which could run code", path) from None
        raise ModelFileError(f"not a ner-rnn model file ({e})", path) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, TypeError) as e:
        raise ModelFileError(f"damaged or not a ner-rnn model file ({type(e).__name__}: {e})", path) from None
    if features.evidence_buckets not in KNOWN_EVIDENCE_BUCKETS:
        raise ModelFileError(f"damaged metadata ({features.evidence_buckets} evidence buckets)", path)
    if features.n_x != meta["n_x"]:
        raise ModelFileError(f"its vocabulary gives {features.n_x} input columns, its arrays {meta['n_x']}", path)
    return Tagger(
        params,
        features,
        meta["scheme"],
        meta,
        bool(meta.get("doc_context", False)),
        meta["labels"],
        int(meta.get("context_window", context.WINDOW)),
        meta.get("extend"),
        meta.get("caseless_threshold"),
        meta.get("caseless_extend"),
    )


def _read_meta(npz, path: Path) -> dict:
    if "__meta__" not in npz.files:
        raise ModelFileError("not a ner-rnn model file (no __meta__ entry)", path)
    raw = npz["__meta__"]
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise ModelFileError("not a ner-rnn model file (__meta__ is not JSON bytes)", path)
    try:
        meta = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ModelFileError("damaged metadata (not valid JSON)", path) from None
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
    if person is None or labels[: len(person)] != person or meta["n_y"] != len(labels):
        raise ModelFileError(
            f"damaged metadata (scheme {meta['scheme']!r}, labels {labels}, {meta['n_y']} outputs)", path
        )
    if min(meta["hidden"], meta["n_x"]) < 1:
        raise ModelFileError("damaged metadata (sizes must be positive)", path)
    for key in ("extend", "caseless_threshold", "caseless_extend"):  # decoding thresholds; absent in older models
        value = meta.get(key)
        if value is not None and not (isinstance(value, (int, float)) and 0 < value < 1):
            raise ModelFileError(f"damaged metadata ({key} {value!r} is not a probability)", path)
    window = meta.get("context_window", 0)
    if not isinstance(window, int) or window < 0:
        raise ModelFileError(f"damaged metadata (context_window {window!r})", path)
    return meta


# ---- training checkpoints ------------------------------------------------------------------

CHECKPOINT = "ner-rnn training checkpoint"


def checkpoint_path(model_path: str | Path) -> Path:
    """Where ``ner-rnn train -o MODEL`` keeps the state it can ``--resume`` from."""
    return Path(str(model_path) + ".checkpoint")


def save_checkpoint(path: Path, state, info: dict) -> None:
    """The whole training state (float32, exact), atomically; ``info`` identifies the run."""
    arrays = {}
    for group, params in (
        ("params", state.params),
        ("avg", state.avg),
        ("best", state.best_params),
        ("adam_m", state.adam["m"]),
        ("adam_v", state.adam["v"]),
    ):
        for k, v in params.items():
            arrays[f"{group}.{k}"] = v
    for i, params in enumerate(state.finished):  # the members trained before this one
        for k, v in params.items():
            arrays[f"member{i}.{k}"] = v
    meta = {
        "format": CHECKPOINT,
        "format_version": FORMAT_VERSION,
        "epoch": state.epoch,
        "adam_t": state.adam["t"],
        "rng": state.rng,
        "best_f1": state.best_f1,
        "best_epoch": state.best_epoch,
        "member": state.member,
        "history": [_report_json(r) for r in state.history],
        **info,
    }
    arrays["__meta__"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    atomic_write(path, lambda f: np.savez(f, **arrays))


def load_checkpoint(path: Path):
    """Read a checkpoint: (TrainState, the info it was saved with)."""
    from .evaluate import Scores
    from .train import EpochReport, TrainState

    if not path.is_file():
        raise ModelFileError("no checkpoint to resume from (was the run started with this -o?)", path)
    try:
        with np.load(path, allow_pickle=False) as npz:
            meta = json.loads(npz["__meta__"].tobytes().decode("utf-8"))
            if meta.get("format") != CHECKPOINT or meta.get("format_version") != FORMAT_VERSION:
                raise ModelFileError("not a checkpoint of this ner-rnn version", path)
            groups: dict[str, dict] = {"params": {}, "avg": {}, "best": {}, "adam_m": {}, "adam_v": {}}
            for name in npz.files:
                if name != "__meta__":
                    group, key = name.split(".", 1)
                    a = npz[name]
                    groups.setdefault(group, {})[key] = np.asfortranarray(a) if key.startswith("Wax") else a
            finished = [groups[f"member{i}"] for i in range(meta.get("member", 0))]
    except ModelFileError:
        raise
    except (ValueError, KeyError, zipfile.BadZipFile, zlib.error, EOFError, OSError, UnicodeDecodeError) as e:
        raise ModelFileError(f"damaged checkpoint ({type(e).__name__}: {e})", path) from None
    history = [
        EpochReport(h["epoch"], h["loss"], Scores(**h["dev"]) if h.get("dev") else None, h["seconds"],
                    h["tokens_per_second"], h["best"], h.get("last", False), h.get("member", 0))
        for h in meta["history"]
    ]  # fmt: skip
    state = TrainState(
        meta["epoch"],
        groups["params"],
        groups["avg"],
        {"t": meta["adam_t"], "m": groups["adam_m"], "v": groups["adam_v"]},
        meta["rng"],
        groups["best"],
        meta["best_f1"],
        meta["best_epoch"],
        history,
        meta.get("member", 0),
        finished,
    )
    return state, meta


def _report_json(r) -> dict:
    return {
        "epoch": r.epoch,
        "loss": r.loss,
        "dev": r.dev.to_dict() if r.dev else None,
        "seconds": r.seconds,
        "tokens_per_second": r.tokens_per_second,
        "best": r.best,
        "last": r.last,
        "member": r.member,
    }
