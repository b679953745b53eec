"""`ner-rnn serve`, started for real on a free port of 127.0.0.1 and spoken to over HTTP:
each endpoint, each error status, the token, the caps, concurrent requests, SIGTERM with a
request in flight."""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
import threading
import time

import pytest
from conftest import PROGRAM, ner_rnn

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")


class Server:
    """A `ner-rnn serve` process; its stderr is read all along (the access log)."""

    def __init__(self, *args):
        self.proc = subprocess.Popen([*PROGRAM, "serve", "--port", "0", *map(str, args)], stderr=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)  # fmt: skip
        self.lines: list[str] = []
        first = self.proc.stderr.readline()
        self.lines.append(first)
        assert "serving" in first, first + self.proc.stderr.read()
        self.port = int(first.split("http://127.0.0.1:")[1].split()[0])
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line)

    def request(self, method, path, body=None, headers=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
        conn.request(method, path, body=data, headers=headers or {})
        r = conn.getresponse()
        raw = r.read()
        conn.close()
        return r.status, dict(r.getheaders()), raw

    def json(self, method, path, body=None, headers=None):
        status, _, raw = self.request(method, path, body, headers)
        return status, json.loads(raw)

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=60)
        self._reader.join(timeout=10)
        return code


@pytest.fixture(scope="module")
def server():
    s = Server("-w", "2")
    yield s
    assert s.stop() == 0


@pytest.fixture(scope="module")
def locked():
    s = Server("--token", "s3cret", "--max-bytes", "2000", "--max-texts", "3", "--quiet")
    yield s
    assert s.stop() == 0


def cli_jsonl(*texts) -> list[dict]:
    r = ner_rnn("tag", "-f", "jsonl", *texts)
    assert r.returncode == 0
    return [json.loads(line) for line in r.stdout.decode().splitlines()]


TEXTS = ["Angela Merkel met Joe Biden in Berlin.", "Teddy bears are on sale!", "", "Mr Smith said so, and É. Zola agreed."]


def test_tag_gives_the_records_of_the_command_line(server):
    status, record = server.json("POST", "/tag", {"text": TEXTS[0]})
    assert status == 200 and record == cli_jsonl(TEXTS[0])[0]
    status, body = server.json("POST", "/tag", {"texts": TEXTS})
    assert status == 200 and body == {"records": cli_jsonl(*TEXTS)}
    status, body = server.json("POST", "/tag", {"texts": TEXTS, "min_score": 0.999, "token_scores": True})
    r = ner_rnn("tag", "-f", "jsonl", "--min-score", "0.999", "--token-scores", *TEXTS)
    assert body == {"records": [json.loads(line) for line in r.stdout.decode().splitlines()]}


def test_handles_option_is_the_command_lines(server):
    text = "Thanks @elonmusk and Angela Merkel"
    for flag, option in (("--handles", True), ("--no-handles", False)):
        status, record = server.json("POST", "/tag", {"text": text, "handles": option})
        assert status == 200 and record == json.loads(ner_rnn("tag", "-f", "jsonl", flag, text).stdout)
    status, record = server.json("POST", "/tag", {"text": text})  # on by default, as on the command line
    assert [e["text"] for e in record["entities"]] == ["@elonmusk", "Angela Merkel"]


def test_redact_gives_what_the_command_gives(server):
    text = "Angela Merkel met Joe Biden. Merkel left."
    status, body = server.json("POST", "/redact", {"text": text, "style": "numbered"})
    assert status == 200
    assert body["text"] + "\n" == ner_rnn("redact", "--style", "numbered", text).stdout.decode()
    assert [r["original"] for r in body["replacements"]] == ["Angela Merkel", "Joe Biden", "Merkel"]
    status, body = server.json("POST", "/redact", {"texts": [text, "x"], "style": "mask", "mask_char": "#"})
    assert [r["text"] for r in body["records"]] == ["############# met #########. ###### left.", "x"]


def test_health_info_and_the_page(server):
    assert server.json("GET", "/health") == (200, {"status": "ok"})
    status, info = server.json("GET", "/info")
    cli = json.loads(ner_rnn("info", "-f", "json").stdout)
    assert status == 200 and info == cli
    status, headers, page = server.request("GET", "/")
    assert status == 200 and headers["content-type"].startswith("text/html") and b"<form" in page
    status, _, page = server.request("POST", "/", b"text=Angela+Merkel+%3Cb%3Ehi",
                                     {"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert status == 200 and b">Angela Merkel</mark> &lt;b&gt;hi</p>" in page and b"<script" not in page
    assert server.request("GET", "/?text=Angela+Merkel")[2] == server.request("POST", "/", b"text=Angela+Merkel")[2]


@pytest.mark.parametrize(
    "body, status, needle",
    [
        (b"not json", 400, "not JSON"),
        (b'{"text": "a\xff"}', 400, "not UTF-8"),
        (b'{"text": "a", "min_score": NaN}', 400, "NaN is Python's"),
        (b"[1]", 400, "must be a JSON object"),
        ({"text": "a", "texts": ["b"]}, 400, "exactly one of"),
        ({}, 400, "exactly one of"),
        ({"text": 3}, 400, '"text" must be a string'),
        ({"texts": ["a", None]}, 400, '"texts" must be a list of strings'),
        ({"text": "a", "min_scor": 0.5}, 400, "unknown field 'min_scor'"),
        ({"text": "a", "min_score": 2}, 400, "min_score"),
        ({"text": "a", "token_scores": "yes"}, 400, "token_scores"),
        ({"text": "a", "handles": 1}, 400, '"handles" must be true or false'),
        (b'{"text": "a\\ud800"}', 400, "lone surrogate (U+D800 at character 1)"),  # JSON allows it; UTF-8 cannot
    ],
)
def test_bad_requests_get_a_one_line_json_error(server, body, status, needle):
    got, headers, raw = server.request("POST", "/tag", body)
    assert got == status, raw
    if status != 200:
        assert headers["content-type"] == "application/json" and raw.count(b"\n") == 0
        assert needle in json.loads(raw)["error"] and b"Traceback" not in raw


def test_wrong_paths_and_methods(server):
    status, headers, raw = server.request("GET", "/tag")
    assert status == 405 and headers["allow"] == "POST" and "not allowed" in json.loads(raw)["error"]
    assert server.request("DELETE", "/health")[0] == 405
    status, _, raw = server.request("GET", "/nowhere")
    assert status == 404 and "no such endpoint" in json.loads(raw)["error"]
    status, _, raw = server.request("POST", "/redact", {"text": "a", "style": "blur"})
    assert status == 400 and "style" in json.loads(raw)["error"]


def test_the_access_log_is_one_line_per_request_on_stderr(server):
    marker = f"/nowhere-{time.monotonic_ns()}"
    server.request("GET", marker)
    server.request("GET", "/health")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(marker in line for line in server.lines):
        time.sleep(0.05)
    (line,) = [line for line in server.lines if marker in line]
    assert line.startswith("127.0.0.1:") and f'"GET {marker}" 404 ' in line and line.endswith(" B\n")


def test_concurrent_requests_are_never_mixed(server):
    texts = [f"Mr Smith{i} met Angela Merkel{i} on day {i}." for i in range(48)]
    results: dict = {}

    def client(i):
        results[i] = server.json("POST", "/tag", {"text": texts[i]})

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for i, (status, record) in results.items():
        assert status == 200 and record["text"] == texts[i]
        assert f"Smith{i}" in [e["text"] for e in record["entities"]]
    assert len(results) == len(texts)


def test_the_token_is_required_except_for_health(locked):
    assert locked.json("GET", "/health") == (200, {"status": "ok"})
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"}):
        status, hdrs, raw = locked.request("POST", "/tag", {"text": "a"}, headers)
        assert status == 401 and hdrs["www-authenticate"] == "Bearer" and "token" in json.loads(raw)["error"]
    assert locked.request("GET", "/info")[0] == 401 and locked.request("GET", "/")[0] == 401
    ok = {"Authorization": "Bearer s3cret"}
    assert locked.json("POST", "/tag", {"text": "Mr Smith."}, ok)[0] == 200
    assert not locked.lines[1:]  # --quiet: no access log


def test_the_caps(locked):
    ok = {"Authorization": "Bearer s3cret"}
    status, _, raw = locked.request("POST", "/tag", {"text": "x" * 3000}, ok)
    assert status == 413 and "--max-bytes" in json.loads(raw)["error"]
    status, _, raw = locked.request("POST", "/tag", {"texts": ["a"] * 4}, ok)
    assert status == 413 and "--max-texts" in json.loads(raw)["error"]
    # a body sent in chunks without a length is counted as it comes
    conn = http.client.HTTPConnection("127.0.0.1", locked.port, timeout=30)
    conn.request("POST", "/tag", body=iter([b'{"text": "', b"y" * 1500, b"z" * 1500, b'"}']), headers=ok,
                 encode_chunked=True)  # fmt: skip
    r = conn.getresponse()
    assert r.status == 413
    conn.close()


def test_sigterm_finishes_the_request_in_flight_then_exits_0():
    s = Server()
    long = ["Angela Merkel met Mr Smith in Paris, and Joe Biden said so. " * 20] * 300
    result = {}

    def client():
        result["r"] = s.json("POST", "/tag", {"texts": long})

    t = threading.Thread(target=client)
    t.start()
    time.sleep(0.5)  # the request is being tagged
    assert s.stop(signal.SIGTERM) == 0
    t.join(60)
    status, body = result["r"]
    assert status == 200 and len(body["records"]) == 300
    assert s.lines[-1].strip() == "ner-rnn: stopped"
    assert "Traceback" not in "".join(s.lines)


def test_a_port_in_use_is_one_line(server):
    r = subprocess.run([*PROGRAM, "serve", "--port", str(server.port)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert r.stderr.strip().startswith(f"ner-rnn: error: cannot listen on 127.0.0.1:{server.port}:")
    assert len(r.stderr.strip().splitlines()) == 1


def test_another_address_than_loopback_is_said_on_stderr():
    """127.0.0.2 stands in for a public address here: any host but 127.0.0.1 and ::1 is said."""
    proc = subprocess.Popen([*PROGRAM, "serve", "--host", "127.0.0.2", "--port", "0"], stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stderr.readline()
        assert first.startswith("ner-rnn: warning: listening on 127.0.0.2, reachable from other machines")
        assert "set --token" in first
        assert "serving" in proc.stderr.readline()
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
