"""Time and memory of `ner-rnn tag` on adversarial inputs, and how fast it answers a slow pipe.

    python scripts/bench_hostile.py [--mb 4] [--repeat 3]

1. Each adversarial input (one long line of a repeated unit, a line of one repeated word,
   an input without any newline, a whole file of short lines) at --mb/4 and --mb
   megabytes, piped through `ner-rnn tag -f conll`; median seconds, MB/s and peak RSS (of
   the process and its workers, from wait4). Linear time shows as the same MB/s at both
   sizes; bounded memory as the same peak RSS.
2. Streaming: one line written to an open pipe, the time until its record comes back
   (median of --repeat lines, the program kept running in between).

Inputs are generated in a temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NER_RNN = [sys.executable, "-m", "ner_rnn"]
SENTENCE = "Marie Curie met Albert Einstein in Brussels in 1911. "

# name -> (what it is, a function of the size in bytes giving the input)
INPUTS = {
    "e-mail-like run": ("'abcdefghij.' repeated, one line (was quadratic)", lambda n: "abcdefghij." * (n // 11) + "\n"),
    "at-signs": ("'a@' repeated, one line", lambda n: "a@" * (n // 2) + "\n"),
    "one word": ("'Shearer ' repeated, one line (was quadratic)", lambda n: "Shearer " * (n // 8) + "\n"),
    "no newline": ("sentences without any newline", lambda n: SENTENCE * (n // len(SENTENCE))),
    "one token": ("one token of n letters", lambda n: "a" * n + "\n"),
    "initials": ("'J . R . R . Tolkien , ' repeated, one line (read as one word each run)",
                 lambda n: "J . R . R . Tolkien , " * (n // 22) + "\n"),
    "short lines": ("the same sentences one per line", lambda n: (SENTENCE.strip() + "\n") * (n // len(SENTENCE))),
}


def run(args, infile: Path) -> tuple[float, float]:
    t0 = time.perf_counter()
    with open(infile, "rb") as fin:
        proc = subprocess.Popen(args, stdin=fin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(args)} failed: {proc.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def streaming_latency(repeat: int) -> list[float]:
    """Seconds from writing one line to an open pipe until its record is read back."""
    p = subprocess.Popen([*NER_RNN, "tag", "-f", "jsonl"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    out = p.stdout.fileno()
    latencies = []
    try:
        for i in range(repeat + 1):
            t0 = time.perf_counter()
            p.stdin.write(f"Line {i}: Bill Gates met Steve Jobs.\n".encode())
            p.stdin.flush()
            data = b""
            while not data.endswith(b"\n"):
                ready, _, _ = select.select([out], [], [], 30)
                if not ready:
                    sys.exit("no answer within 30 s")
                data += os.read(out, 1 << 16)
            json.loads(data)
            if i:  # the first includes loading the model
                latencies.append(time.perf_counter() - t0)
            time.sleep(0.2)
    finally:
        p.stdin.close()
        p.wait(timeout=60)
    return latencies


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=4.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ner-rnn-hostile-"))
    try:
        print(f"{'input':<16} {'MB':>6} {'median s':>9} {'MB/s':>7} {'peak RSS MB':>12}   what")
        for name, (what, make) in INPUTS.items():
            for mb in (args.mb / 4, args.mb):
                path = tmp / "in.txt"
                path.write_text(make(int(mb * 1e6)), encoding="utf-8")
                size = path.stat().st_size / 1e6
                runs = [run([*NER_RNN, "tag", "-f", "conll"], path) for _ in range(args.repeat)]
                seconds = statistics.median(r[0] for r in runs)
                rss = max(r[1] for r in runs)
                print(
                    f"{name:<16} {size:>6.1f} {seconds:>9.2f} {size / seconds:>7.2f} {rss:>12.0f}   {what}", flush=True
                )
        lat = streaming_latency(max(args.repeat, 5))
        print(f"\nstreaming: a line on an open pipe answered in a median of {1000 * statistics.median(lat):.1f} ms "
              f"(max {1000 * max(lat):.1f} ms, {len(lat)} lines)")  # fmt: skip
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
