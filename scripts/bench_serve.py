"""Load on `ner-rnn serve`: concurrent clients on 127.0.0.1, every answer checked.

    python scripts/bench_serve.py [--clients 16] [--seconds 20] [--workers 2] [--requests 20000]

Starts the real server (`python -m ner_rnn serve --port 0 -w WORKERS --quiet`), then runs
three phases, each bounded by --seconds and --requests:

1. **mixed**: CLIENTS threads, each on its own keep-alive connection, send requests drawn
   at random: 85% one sentence, 5% a long text (20 consecutive sentences), 10% bad requests
   (not JSON, a missing field, a wrong method), each of which must get its 400 or 405.
2. **one sentence each**: every request one sentence, the latency target's case.
3. **batched**: CLIENTS threads send `{"texts": [100 sentences]}`.

Every 200 answer is compared with the record `ner-rnn tag -f jsonl` writes for the same
text (computed once before, through the command line). It prints requests/s, tokens/s,
p50/p99 latency by kind, the count of answers by status, unexpected answers, and the peak
resident memory of the server and its workers (VmHWM). The texts are CoNLL-2003 dev
sentences (NER_RNN_CONLL_DIR), read, never written anywhere.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONLL = Path(os.environ.get("NER_RNN_CONLL_DIR", ROOT.parent / "shared" / "data" / "conll2003"))
PROGRAM = [sys.executable, "-m", "ner_rnn"]


def texts_from_dev() -> tuple[list[str], list[str]]:
    """Dev sentences (one per text), and runs of 20 consecutive dev sentences (one text
    each, about 300 tokens), words joined by spaces."""
    from ner_rnn.corpus import read_conll

    sentences = read_conll(CONLL / "eng.testa")
    one = [" ".join(s.words) for s in sentences if 5 <= len(s.words) <= 40]
    long = [" ".join(w for s in sentences[i : i + 20] for w in s.words) for i in range(0, len(sentences) - 20, 20)]
    return one, long


def expected(texts: list[str]) -> dict[str, dict]:
    r = subprocess.run([*PROGRAM, "tag", "-f", "jsonl", "-q"], input="\n".join(texts) + "\n", capture_output=True,
                       text=True, check=True)  # fmt: skip
    return {t: json.loads(line) for t, line in zip(texts, r.stdout.splitlines())}


def cpu_seconds(pid: int) -> dict[int, float]:
    """User + system CPU seconds of ``pid`` and of each of its children, by pid."""
    out = {}
    pids = [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while pids:
        p = pids.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            out[p] = (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                pids += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError):
            pass
    return out


def peak_mb(pid: int) -> float:
    """VmHWM of ``pid`` and of each of its descendants, summed, in MB."""
    total = 0.0
    pids = [pid]
    while pids:
        p = pids.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(status.split("VmHWM:")[1].split()[0]) / 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                pids += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError):
            pass
    return total


class Client:
    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def send(self, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
        try:
            self.conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
            r = self.conn.getresponse()
            return r.status, r.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return -1, b""


def phase(name, port, clients, seconds, limit, make_request, check):
    """Run ``clients`` threads until ``seconds`` pass or ``limit`` requests are done."""
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {}
    statuses: Counter = Counter()
    unexpected: list[str] = []
    tokens = [0]
    count = [0]
    deadline = time.perf_counter() + seconds

    def run(seed: int):
        rng = random.Random(seed)
        client = Client(port)
        while time.perf_counter() < deadline:
            with lock:
                if count[0] >= limit:
                    return
                count[0] += 1
            kind, method, path, body, expect = make_request(rng)
            t0 = time.perf_counter()
            status, raw = client.send(method, path, body)
            ms = 1000 * (time.perf_counter() - t0)
            problem, n = check(kind, status, raw, expect)
            with lock:
                latencies.setdefault(kind, []).append(ms)
                statuses[status] += 1
                tokens[0] += n
                if problem:
                    unexpected.append(f"{kind}: {problem}")

    start = time.perf_counter()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    total = sum(statuses.values())
    print(f"\n{name}: {total:,} requests in {wall:.1f} s, {total / wall:,.0f} requests/s, {tokens[0] / wall:,.0f} tokens/s")
    for kind, ms in sorted(latencies.items()):
        ms.sort()
        p99 = ms[min(len(ms) - 1, int(0.99 * len(ms)))]
        print(f"  {kind:<10} {len(ms):>7,} requests  p50 {statistics.median(ms):7.1f} ms  p99 {p99:7.1f} ms")
    print(f"  answers by status: {dict(sorted(statuses.items()))}")
    print(f"  unexpected: {len(unexpected)}" + "".join(f"\n    {u}" for u in unexpected[:10]))
    return tokens[0] / wall, unexpected


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    one, long = texts_from_dev()
    one, long = one[:1500], long[:40]
    truth = expected(one + long)
    server = subprocess.Popen([*PROGRAM, "serve", "--port", "0", "-w", str(args.workers), "--quiet"],
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        first = server.stderr.readline()
        port = int(first.split("http://127.0.0.1:")[1].split()[0])
        print(f"server: {first.strip()}; {args.clients} clients, at most {args.seconds:g} s or {args.requests:,} requests a phase")
        bad = [(b"not json", 400, "POST"), (b'{"txt": "a"}', 400, "POST"), (None, 405, "GET")]

        def mixed(rng):
            roll = rng.random()
            if roll < 0.10:
                body, status, method = rng.choice(bad)
                return "bad", method, "/tag", body, status
            text = rng.choice(long) if roll < 0.15 else rng.choice(one)
            kind = "long" if roll < 0.15 else "sentence"
            return kind, "POST", "/tag", json.dumps({"text": text}).encode(), truth[text]

        def sentences(rng):
            text = rng.choice(one)
            return "sentence", "POST", "/tag", json.dumps({"text": text}).encode(), truth[text]

        def batched(rng):
            texts = rng.sample(one, 100)
            return "batch100", "POST", "/tag", json.dumps({"texts": texts}).encode(), [truth[t] for t in texts]

        def check(kind, status, raw, expect):
            if kind == "bad":
                ok = status == expect and "error" in json.loads(raw or b"{}")
                return (None if ok else f"status {status}, {raw[:80]!r}"), 0
            if status != 200:
                return f"status {status}, {raw[:80]!r}", 0
            got = json.loads(raw)
            got = got["records"] if kind == "batch100" else got
            if got != expect:
                return "an answer differs from `ner-rnn tag -f jsonl`", 0
            records = got if isinstance(got, list) else [got]
            return None, sum(len(r["tokens"]) for r in records)

        before, t0 = cpu_seconds(server.pid), os.times()
        _, bad1 = phase("mixed", port, args.clients, args.seconds, args.requests, mixed, check)
        after, t1 = cpu_seconds(server.pid), os.times()
        used = {p: after[p] - before.get(p, 0.0) for p in after}
        print(f"  CPU seconds: server {used.pop(server.pid, 0):.1f}, workers {', '.join(f'{v:.1f}' for v in used.values())}, "
              f"these clients {t1.user + t1.system - t0.user - t0.system:.1f}")
        _, bad3 = phase("one sentence each", port, args.clients, args.seconds, args.requests, sentences, check)
        rate, bad2 = phase("batched", port, args.clients, args.seconds, args.requests // 20, batched, check)
        print(f"\npeak resident memory, server and workers: {peak_mb(server.pid):,.0f} MB")
        print(f"unexpected answers in all: {len(bad1) + len(bad2) + len(bad3)}")
    finally:
        server.terminate()
        code = server.wait(timeout=60)
        print(f"server exit status after SIGTERM: {code}")


if __name__ == "__main__":
    main()
