"""Speed and memory of the real `ner-rnn` command, as medians of repeated runs.

    python scripts/bench_speed.py [--tokens 1000000] [--repeat 3] [--model PATH] [--against DIR]

1. Batch tagging: a text file of about --tokens tokens, built from the CoNLL-2003
   sentences (one per line, repeated) in a temporary folder, piped through
   `ner-rnn tag -f FORMAT [-w N] < in > out`; tokens/s and the peak RSS of the process
   (and of its workers) from wait4's resource usage.
   `redact` rows time `ner-rnn redact` (with ``--against``, against that release's
   `tag -f jsonl`, the throughput it must keep).
2. Cold start: `ner-rnn tag "Teddy Roosevelt was a great President."`, wall time.
3. Training: tokens/s of one epoch on eng.train with the default model's settings.

With ``--against DIR`` (a checkout of an earlier release, e.g. ``git worktree add /tmp/old
v0.1``), each batch and cold-start run of this release is followed by the same run of that
one (its package first on PYTHONPATH, same interpreter and model), and both medians are
printed with their ratio: the machine is shared, so only runs taken in turn compare.

The corpus is read from NER_RNN_CONLL_DIR (default ../shared/data/conll2003); nothing is
written outside the temporary folder.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONLL = Path(os.environ.get("NER_RNN_CONLL_DIR", ROOT.parent / "shared" / "data" / "conll2003"))
NER_RNN = [sys.executable, "-m", "ner_rnn"]


def build_input(path: Path, tokens: int) -> int:
    from ner_rnn.corpus import read_conll

    lines = [" ".join(s.words) for name in ("eng.train", "eng.testa", "eng.testb") for s in read_conll(CONLL / name)]
    count = 0
    with open(path, "w", encoding="utf-8") as f:
        while count < tokens:
            for line in lines:
                f.write(line + "\n")
                count += len(line.split())
                if count >= tokens:
                    break
    return count


def run(args: list[str], stdin=None, stdout=subprocess.DEVNULL, env=None, cwd=None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB (the process, or its largest worker), exit code.

    Run in ``cwd``, never in a checkout: `python -m` puts its working folder first on
    sys.path, ahead of PYTHONPATH, so run from this checkout both releases would be this one."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, env=env, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} failed: {proc.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024, proc.returncode


def tag_speed(model_args, infile: Path, outfile: Path, fmt: str, workers: int, repeat: int, envs, cwd: Path):
    """Median seconds and the largest peak RSS of `ner-rnn tag -f FMT -w WORKERS < infile`,
    for each environment of ``envs`` (releases), run in turn."""
    times: list[list[float]] = [[] for _ in envs]
    rss: list[list[float]] = [[] for _ in envs]
    for _ in range(repeat):
        for k, env in enumerate(envs):
            # `redact` is timed against the earlier release's `tag -f jsonl`, which it must keep up with
            command = ["redact"] if fmt == "redact" and k == 0 else ["tag", "-f", "jsonl" if fmt == "redact" else fmt]
            with open(infile, "rb") as fin, open(outfile, "wb") as fout:
                seconds, peak, _ = run([*NER_RNN, *command, *model_args, "-w", str(workers)], fin, fout, env, cwd)
            times[k].append(seconds)
            rss[k].append(peak)
    return [(statistics.median(t), max(r)) for t, r in zip(times, rss)]


def count_tokens(conll_output: Path) -> int:
    with open(conll_output, encoding="utf-8") as f:
        return sum(1 for line in f if line.strip())


def training_speed(repeat: int) -> float:
    """Median tokens/s of the shipped recipe's epochs on eng.train (``repeat`` epochs of one
    network, without document context, whose helpers would be timed too)."""
    from ner_rnn.corpus import read_conll
    from ner_rnn.lexicon import faker_lexicon, latin_names
    from ner_rnn.recipe import load_recipe
    from ner_rnn.train import EpochReport, fit

    config = load_recipe(ROOT / "ner_rnn" / "recipes" / "default.toml", epochs=repeat, patience=repeat,
                         members=1, doc_context=False)  # fmt: skip
    events = fit(read_conll(CONLL / "eng.train"), None, config, faker_lexicon(), latin_names(), decoding=False)
    return statistics.median(e.tokens_per_second for e in events if isinstance(e, EpochReport))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tokens", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--model", type=Path)
    ap.add_argument("--skip-training", action="store_true")
    ap.add_argument("--against", type=Path, help="a checkout of an earlier release, timed in turn with this one")
    args = ap.parse_args()
    model_args = (
        ["-m", str(args.model or ROOT / "ner_rnn" / "models" / "default.npz")]
        if args.against
        else (["-m", str(args.model)] if args.model else [])
    )
    here = {**os.environ, "PYTHONPATH": str(ROOT)}
    envs = [here] + ([{**os.environ, "PYTHONPATH": str(args.against.resolve())}] if args.against else [])
    machine = platform.processor() or platform.machine()
    print(f"machine: {machine}, {os.cpu_count()} cores, Python {platform.python_version()}")
    tmp = Path(tempfile.mkdtemp(prefix="ner-rnn-bench-"))
    try:
        infile, outfile = tmp / "in.txt", tmp / "out"
        words = build_input(infile, args.tokens)
        packages = [
            subprocess.run([sys.executable, "-c", "import ner_rnn; print(ner_rnn.__file__)"], env=env, cwd=tmp,
                           capture_output=True, text=True, check=True).stdout.strip()
            for env in envs
        ]  # fmt: skip
        print("package: " + " against ".join(packages))
        if len(set(packages)) < len(envs):
            sys.exit(f"--against {args.against} imports this checkout's package too; nothing to compare")
        print(f"input: {infile.stat().st_size / 1e6:.1f} MB, {words:,} whitespace-separated words\n")
        against = f"  {'earlier s':>9} {'ratio':>6} {'earlier MB':>10}" if args.against else ""
        print(
            f"{'format':<7} {'workers':>7} {'tokens':>10} {'median s':>9} {'tokens/s':>10} {'peak RSS MB':>12}{against}"
        )
        n = 0
        for fmt, workers in (("conll", 1), ("conll", 2), ("jsonl", 1), ("jsonl", 2), ("text", 2), ("redact", 1), ("redact", 2)):
            results = tag_speed(model_args, infile, outfile, fmt, workers, args.repeat, envs, tmp)
            (seconds, rss), n = results[0], n or count_tokens(outfile)  # the first run is conll
            row = f"{fmt:<7} {workers:>7} {n:>10,} {seconds:>9.2f} {n / seconds:>10,.0f} {rss:>12.0f}"
            if args.against:
                old_seconds, old_rss = results[1]
                row += f"  {old_seconds:>9.2f} {seconds / old_seconds:>6.3f} {old_rss:>10.0f}"
            print(row, flush=True)
        # the installed console script, as a user runs it (beside this interpreter in a venv)
        script = Path(sys.executable).with_name("ner-rnn")
        command = [str(script)] if script.exists() and not args.against else NER_RNN
        cold: list[list[float]] = [[] for _ in envs]
        for _ in range(9):
            for k, env in enumerate(envs):
                cold[k].append(
                    run([*command, "tag", *model_args, "Teddy Roosevelt was a great President."], env=env, cwd=tmp)[0]
                )
        print(f"\ncold start, `ner-rnn tag \"Teddy Roosevelt was a great President.\"`: "
              f"median {statistics.median(cold[0]):.3f} s of 9 ({', '.join(f'{c:.3f}' for c in cold[0])})")  # fmt: skip
        if args.against:
            print(f"  earlier release, in turn: median {statistics.median(cold[1]):.3f} s of 9")
        if not args.skip_training:
            print(f"training, default settings, batch 32: {training_speed(args.repeat):,.0f} tokens/s (median of "
                  f"{args.repeat} epochs)")  # fmt: skip
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
