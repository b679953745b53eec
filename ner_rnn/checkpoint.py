"""Training checkpoints: the whole state of an interrupted run, so that ``--resume`` goes on
bit for bit.

``ner-rnn train -o MODEL`` keeps ``MODEL.checkpoint`` beside the model while it runs: one
``.npz`` of float32 arrays (the parameters, their running average, the best parameters so
far unless they are that average, Adam's moments, and the networks of ``--members`` already
trained) with the JSON
metadata inside it (epoch, Adam's step, the random generator's state, the history, and
what identifies the run). It is written atomically after every epoch, read with
``allow_pickle=False``, and removed when the run ends well.
"""

from __future__ import annotations

import json
import math
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .errors import ModelFileError
from .evaluate import Scores
from .files import atomic_write
from .modelfile import FORMAT_VERSION, parse_metadata
from .train import EpochReport, TrainState

CHECKPOINT = "ner-rnn training checkpoint"


def checkpoint_path(model_path: str | Path) -> Path:
    """Where ``ner-rnn train -o MODEL`` keeps the state it can ``--resume`` from."""
    return Path(str(model_path) + ".checkpoint")


def save_checkpoint(path: Path, state, info: dict) -> None:
    """The whole training state (float32, exact), atomically; ``info`` identifies the run."""
    arrays = {}
    # after an epoch that was the best so far, the best weights are the average: stored once
    best_is_avg = state.best_epoch == state.epoch and all(
        np.array_equal(state.best_params[k], state.avg[k]) for k in state.avg
    )
    groups = [("params", state.params), ("avg", state.avg), ("adam_m", state.adam["m"]), ("adam_v", state.adam["v"])]
    if not best_is_avg:
        groups.append(("best", state.best_params))
    for group, params in groups:
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
        "best_is_avg": best_is_avg,
        "history": [_report_json(r) for r in state.history],
        **info,
    }
    arrays["__meta__"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    atomic_write(path, lambda f: np.savez(f, **arrays))


def load_checkpoint(path: Path):
    """Read a checkpoint: (TrainState, the info it was saved with)."""
    if not path.is_file():
        raise ModelFileError("no checkpoint to resume from (was the run started with this -o?)", path)
    try:
        with np.load(path, allow_pickle=False) as npz:
            if "__meta__" not in npz.files:
                raise ModelFileError("not a checkpoint of this ner-rnn version", path)
            meta = parse_metadata(npz["__meta__"].tobytes(), path)
            if not isinstance(meta, dict) or meta.get("format") != CHECKPOINT:
                raise ModelFileError("not a checkpoint of this ner-rnn version", path)
            if meta.get("format_version") != FORMAT_VERSION:
                raise ModelFileError("not a checkpoint of this ner-rnn version", path)
            arrays: dict[str, dict] = {"params": {}, "avg": {}, "best": {}, "adam_m": {}, "adam_v": {}}
            for name in npz.files:
                if name != "__meta__":
                    group, key = name.split(".", 1)
                    a = npz[name]
                    arrays.setdefault(group, {})[key] = np.asfortranarray(a) if key.startswith("Wax") else a
            if meta.get("best_is_avg") is True:
                arrays["best"] = {k: v.copy(order="K") for k, v in arrays["avg"].items()}
            finished = [arrays[f"member{i}"] for i in range(meta.get("member", 0))]
        history = [
            EpochReport(h["epoch"], math.nan if h["loss"] is None else h["loss"], Scores(**h["dev"]) if h.get("dev") else None, h["seconds"],
                        h["tokens_per_second"], h["best"], h.get("last", False), h.get("member", 0))
            for h in meta["history"]
        ]  # fmt: skip
        state = TrainState(
            meta["epoch"],
            arrays["params"],
            arrays["avg"],
            {"t": meta["adam_t"], "m": arrays["adam_m"], "v": arrays["adam_v"]},
            meta["rng"],
            arrays["best"],
            meta["best_f1"],
            meta["best_epoch"],
            history,
            meta.get("member", 0),
            finished,
        )
        if not state.params:
            raise KeyError("params")
        shapes = {k: v.shape for k, v in state.params.items()}
        for group in ("avg", "best", "adam_m", "adam_v"):
            if {k: v.shape for k, v in arrays[group].items()} != shapes:
                raise ValueError(f"its {group} arrays do not match its parameters")
    except ModelFileError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
        raise ModelFileError(
            f"damaged checkpoint ({type(e).__name__}: {e}); start again without --resume", path
        ) from None
    return state, meta


def _report_json(r) -> dict:
    return {
        "epoch": r.epoch,
        "loss": r.loss if math.isfinite(r.loss) else None,  # epoch 0 of fine-tuning: no training, no loss
        "dev": r.dev.to_dict() if r.dev else None,
        "seconds": r.seconds,
        "tokens_per_second": r.tokens_per_second,
        "best": r.best,
        "last": r.last,
        "member": r.member,
    }
