"""Everyday use through the real program: at a terminal, in pipes, with full disks, closed
streams, special files, signals and slow input. Each failure is one line and an exit code;
no output is lost and nothing a user has is overwritten or left behind."""

from __future__ import annotations

import json
import os
import pty
import resource
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import PROGRAM, ner_rnn, one_error_line

from ner_rnn.stream import CHUNK_LINES

SENTENCES = ["Angela Merkel met Emmanuel Macron in Paris.", "Teddy bears are on sale!", "Grace Hopper wrote it."]


def lines(n: int) -> str:
    return "".join(SENTENCES[i % len(SENTENCES)] + "\n" for i in range(n))


def at_terminal(args: list[str], stdout: Path, stdin=None, typed: bytes | None = None, timeout: float = 120):
    """Run the program with stderr (and with ``typed``, stdin too) on a pseudo-terminal and
    stdout into a file, as `ner-rnn ... > file` typed at a terminal; returns (code, screen)."""
    master, slave = pty.openpty()
    with open(stdout, "wb") as out:
        p = subprocess.Popen(
            [*PROGRAM, *args], stdin=slave if typed is not None else stdin, stdout=out, stderr=slave, close_fds=True
        )
    os.close(slave)
    screen = b""
    if typed is not None:
        os.write(master, typed)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                data = os.read(master, 1 << 16)
            except OSError:  # the program closed its end
                break
            if not data:
                break
            screen += data
        elif p.poll() is not None:
            break
    code = p.wait(timeout=timeout)
    os.close(master)
    return code, screen.decode(errors="replace")


# ---- the terminal ---------------------------------------------------------------------------


def test_at_a_terminal_every_record_goes_to_the_redirected_stdout(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text(lines(3 * CHUNK_LINES), encoding="utf-8")  # several chunks: the bar shows, workers run
    for how in ("stdin", "-i", "args"):
        out = tmp_path / f"out-{how}.jsonl"
        if how == "stdin":
            with open(src, "rb") as f:
                code, screen = at_terminal(["tag", "-f", "jsonl"], out, stdin=f)
        elif how == "-i":
            code, screen = at_terminal(["tag", "-f", "jsonl", "-i", str(src)], out, stdin=subprocess.DEVNULL)
        else:
            code, screen = at_terminal(["tag", "-f", "jsonl", *SENTENCES], out, stdin=subprocess.DEVNULL)
        records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert code == 0, screen
        assert len(records) == (3 * CHUNK_LINES if how != "args" else 3), how
        assert "Traceback" not in screen and '"entities"' not in screen  # nothing of the data on the screen


def on_a_terminal(args: list[str], env: dict | None = None, timeout: float = 120) -> tuple[int, str]:
    """Run the program with stdout and stderr both on a pseudo-terminal, as typed there."""
    master, slave = pty.openpty()
    p = subprocess.Popen([*PROGRAM, *args], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, close_fds=True,
                         env={**os.environ, **(env or {})})  # fmt: skip
    os.close(slave)
    screen = b""
    while True:
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            break
        try:
            data = os.read(master, 1 << 16)
        except OSError:
            break
        if not data:
            break
        screen += data
    code = p.wait(timeout=timeout)
    os.close(master)
    return code, screen.decode(errors="replace")


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        ([], ["[Angela Merkel]", "[Emmanuel Macron]", "Teddy bears are on sale!"]),
        (["--min-score", "0.5"], ["[Angela Merkel]"]),
        (["-f", "inline"], ["<PERSON>Angela Merkel</PERSON>"]),
    ],
)
def test_names_are_shown_in_colour_at_a_terminal(args, shown):
    code, screen = on_a_terminal(["tag", *args, *SENTENCES[:2]])
    assert code == 0 and "Traceback" not in screen, screen
    assert "\x1b[" in screen  # in colour
    for piece in shown:
        assert piece in screen, screen
    code, plain = on_a_terminal(["tag", *args, *SENTENCES[:2]], env={"NO_COLOR": "1"})
    assert code == 0 and "\x1b[1" not in plain and shown[0] in plain, plain


def test_lines_typed_at_a_terminal_are_tagged_to_the_redirected_stdout(tmp_path):
    out = tmp_path / "out.txt"
    code, screen = at_terminal(["tag"], out, typed=b"Angela Merkel met Joe Biden.\nTeddy bears are on sale!\n\x04")
    assert code == 0, screen
    assert out.read_text(encoding="utf-8") == "[Angela Merkel] met [Joe Biden].\nTeddy bears are on sale!\n"
    assert "Ctrl-D" in screen  # a hint on stderr that it is reading the terminal


def test_train_progress_at_a_terminal_leaves_stdout_alone(tmp_path, small_train, small_dev):
    out = tmp_path / "stdout.txt"
    model = tmp_path / "m.npz"
    code, screen = at_terminal(
        ["train", str(small_train), "--dev", str(small_dev), "-o", str(model), "--epochs", "2", "--hidden", "4"], out
    )
    assert code == 0, screen
    assert out.read_bytes() == b"" and "epoch" in screen and model.is_file()


# ---- failing writes and closed streams --------------------------------------------------------


def test_stdout_on_a_full_disk_is_one_line():
    with open("/dev/full", "wb") as full:
        r = subprocess.run([*PROGRAM, "tag", "Bill Gates spoke."], stdout=full, stderr=subprocess.PIPE, timeout=120)
    assert r.returncode == 1
    one_error_line(r.stderr, "<stdout>", "No space left on device")


def test_output_file_on_a_full_device_is_one_line_and_nothing_replaced():
    r = ner_rnn("tag", "-o", "/dev/full", "Bill Gates spoke.")
    assert r.returncode == 1
    one_error_line(r.stderr, "/dev/full", "No space left on device")
    assert Path("/dev/full").is_char_device()


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_temporary_file(tmp_path):
    out = tmp_path / "out.conll"
    out.write_text("previous results\n", encoding="utf-8")

    def small_files():  # writes past 64 kB fail, as on a full disk (EFBIG instead of ENOSPC)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 16, 1 << 16))

    r = subprocess.run(
        [*PROGRAM, "tag", "-f", "conll", "-o", str(out), "--force"],
        input=lines(3000).encode(),
        capture_output=True,
        preexec_fn=small_files,
        timeout=300,
    )
    assert r.returncode == 1
    one_error_line(r.stderr, str(out), "File too large")
    assert out.read_text(encoding="utf-8") == "previous results\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.conll"]


@pytest.mark.parametrize("closed", ["stdout", "stdin"])
def test_a_closed_standard_stream_is_one_line(closed):
    fd = 1 if closed == "stdout" else 0
    r = subprocess.run(
        ["bash", "-c", f'"$@" {fd}>&-', "bash", *PROGRAM, "tag", *(["Bill Gates"] if closed == "stdout" else [])],
        capture_output=True,
        timeout=120,
    )
    assert r.returncode == 1
    one_error_line(r.stderr, f"standard {'output' if closed == 'stdout' else 'input'} is closed")


def test_closed_stdout_is_not_reused_by_the_output_file(tmp_path):
    out = tmp_path / "out.txt"
    r = subprocess.run(
        ["bash", "-c", '"$@" >&-', "bash", *PROGRAM, "tag", "-o", str(out), "Bill Gates"],
        capture_output=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8") == "[Bill Gates]\n"


@pytest.mark.parametrize(
    "target, needle",
    [("{tmp}", "is a directory"), ("{tmp}/no/such/folder/out.txt", "the folder does not exist"),
     ("/proc/ner-rnn-test.txt", "cannot write")],
)  # fmt: skip
def test_unwritable_output_is_refused_before_any_work(tmp_path, target, needle):
    r = ner_rnn("tag", "-o", target.format(tmp=tmp_path), "Bill Gates")
    assert r.returncode == 1
    one_error_line(r.stderr, needle)


def test_train_into_an_unwritable_place_fails_before_the_first_epoch(tmp_path, small_train):
    t = time.monotonic()
    r = ner_rnn("train", small_train, "-o", "/proc/ner-rnn-test.npz", "--epochs", "50", "--patience", "50")
    assert r.returncode == 1 and time.monotonic() - t < 60
    one_error_line(r.stderr, "/proc/ner-rnn-test.npz", "cannot write")
    assert "epoch" not in r.stderr.decode()


def test_reading_a_file_that_stdout_appends_to_is_refused(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Bill Gates\n", encoding="utf-8")
    r = subprocess.run(["bash", "-c", '"$@" < "$F" >> "$F"', "bash", *PROGRAM, "tag"],
                       env={**os.environ, "F": str(src)}, capture_output=True, timeout=120)  # fmt: skip
    assert r.returncode == 1
    one_error_line(r.stderr, "standard output")
    assert src.read_text(encoding="utf-8") == "Bill Gates\n"


# ---- pipes and special files ----------------------------------------------------------------


def test_a_reader_that_stops_early_ends_the_command_quietly_with_status_0(tmp_path):
    src = tmp_path / "big.txt"
    src.write_text(lines(6 * CHUNK_LINES), encoding="utf-8")
    for workers in ("1", "2"):
        r = subprocess.run(
            ["bash", "-o", "pipefail", "-c", '"$@" < "$F" | head -1', "bash", *PROGRAM, "tag", "-w", workers],
            env={**os.environ, "F": str(src)},
            capture_output=True,
            timeout=300,
        )
        assert r.returncode == 0, r.stderr
        assert r.stdout.decode() == "[Angela Merkel] met [Emmanuel Macron] in [Paris].\n" or r.stdout.count(b"\n") == 1
        assert r.stderr == b""


def test_input_from_pipes_dev_stdin_and_process_substitution(tmp_path):
    text = "Bill Gates spoke.\nSteve Jobs spoke.\n"
    r = ner_rnn("tag", "-i", "/dev/stdin", input=text.encode())
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode() == "[Bill Gates] spoke.\n[Steve Jobs] spoke.\n"
    r = subprocess.run(["bash", "-c", '"$@" -i <(printf "Bill Gates spoke.\\n")', "bash", *PROGRAM, "tag"],
                       capture_output=True, timeout=120)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode() == "[Bill Gates] spoke.\n"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["bash", "-c", f"printf 'Steve Jobs spoke.\\n' > '{fifo}'"])
    r = ner_rnn("tag", "-i", fifo)
    writer.wait(timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode() == "[Steve Jobs] spoke.\n"


def test_output_to_a_named_pipe_writes_into_it_and_keeps_it(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    r = ner_rnn("tag", "-o", fifo, "--force", "Bill Gates spoke.")
    assert r.returncode == 0, r.stderr
    assert reader.communicate(timeout=60)[0] == b"[Bill Gates] spoke.\n"
    assert fifo.is_fifo() and sorted(p.name for p in tmp_path.iterdir()) == ["fifo"]


def test_output_through_a_symbolic_link_replaces_its_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old\n", encoding="utf-8")
    os.chmod(target, 0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    r = ner_rnn("tag", "-o", link, "--force", "Bill Gates spoke.")
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "[Bill Gates] spoke.\n"
    assert target.stat().st_mode & 0o777 == 0o640  # the file keeps its permissions


# ---- signals --------------------------------------------------------------------------------


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_during_tag_leaves_no_temporary_file_and_no_traceback(tmp_path, signum, code):
    out = tmp_path / "out.jsonl"
    out.write_text("previous results\n", encoding="utf-8")
    p = subprocess.Popen(
        [*PROGRAM, "tag", "-f", "jsonl", "-w", "2", "-o", str(out), "--force"],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a process group of its own, as a job at a terminal
    )
    p.stdin.write(lines(4 * CHUNK_LINES).encode())  # workers start; the input stays open
    p.stdin.flush()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(tmp_path.iterdir())) < 2:
        time.sleep(0.05)
    time.sleep(1.0)
    os.killpg(p.pid, signum)  # the whole group, as Ctrl-C at a terminal does
    _, err = p.communicate(timeout=120)
    assert p.returncode == code
    one_error_line(err, "terminated" if signum == signal.SIGTERM else "interrupted")
    assert out.read_text(encoding="utf-8") == "previous results\n"
    assert [q.name for q in tmp_path.iterdir()] == ["out.jsonl"]


# ---- slow input -----------------------------------------------------------------------------


class Lines:
    """Lines from a pipe as they arrive, each waited for at most ``timeout`` seconds."""

    def __init__(self, stream):
        self.fd = stream.fileno()
        self.buffer = b""

    def next(self, timeout: float = 60) -> bytes:  # generous: a fraction of a second here
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, f"no answer within {timeout} s"
            data = os.read(self.fd, 1 << 16)
            assert data, "the program ended its output"
            self.buffer += data
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line + b"\n"


def test_a_line_on_an_open_pipe_is_answered_before_the_input_ends():
    p = subprocess.Popen([*PROGRAM, "tag", "-f", "jsonl"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        p.stdin.write(b"Bill Gates spoke.\n")
        p.stdin.flush()
        out = Lines(p.stdout)
        first = json.loads(out.next())
        assert [e["text"] for e in first["entities"]] == ["Bill Gates"]
        p.stdin.write(b"Steve Jobs spoke.\n")
        p.stdin.flush()
        second = json.loads(out.next())
        assert [e["text"] for e in second["entities"]] == ["Steve Jobs"]
        p.stdin.close()
        assert p.wait(timeout=60) == 0
    finally:
        p.kill()


def test_paragraphs_on_an_open_pipe_are_answered_at_their_blank_line():
    p = subprocess.Popen([*PROGRAM, "tag", "--paragraphs"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        p.stdin.write(b"Paul Ince signed for Newcastle on Monday.\nInce said the move was right.\n\n")
        p.stdin.flush()
        out = Lines(p.stdout)
        assert out.next() == b"[Paul Ince] signed for Newcastle on Monday.\n"
        assert out.next() == b"[Ince] said the move was right.\n"
        assert out.next() == b"\n"
        p.stdin.close()
        assert p.wait(timeout=60) == 0
    finally:
        p.kill()


# ---- encodings ------------------------------------------------------------------------------


def test_utf8_in_and_out_in_an_ascii_locale(tmp_path):
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""}
    text = "Владимир Путин met Angela Merkel in Zürich"
    r = ner_rnn("tag", text, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode("utf-8") == "[Владимир Путин] met [Angela Merkel] in Zürich\n"
    out = tmp_path / "out.jsonl"
    r = ner_rnn("tag", "-f", "jsonl", "-o", out, env=env, input=(text + "\n").encode())
    assert r.returncode == 0, r.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["text"] == text
    r = ner_rnn("tag", "-i", tmp_path / "Путин.txt", env=env)
    assert r.returncode == 1
    one_error_line(r.stderr, "no such file")


def test_a_text_argument_that_is_not_utf8_is_one_line():
    r = subprocess.run([*PROGRAM, "tag", b"\xff Bill Gates"], capture_output=True, timeout=120)
    assert r.returncode == 1
    one_error_line(r.stderr, "TEXT argument 1", "not valid UTF-8")
    r = subprocess.run([*PROGRAM, "tag", "--replace-invalid", b"\xff Bill Gates"], capture_output=True, timeout=120)
    assert r.returncode == 0 and r.stdout.decode() == "\ufffd [Bill Gates]\n"


@pytest.mark.parametrize("args", [["info"], ["evaluate", "{dev}"], ["evaluate", "-f", "json", "{dev}"], ["--help"],
                                  ["tag", "--help"], ["--version"]])  # fmt: skip
def test_every_command_on_a_full_disk_or_a_short_reader(args, small_dev):
    args = [a.format(dev=small_dev) for a in args]
    with open("/dev/full", "wb") as full:
        r = subprocess.run([*PROGRAM, *args], stdout=full, stderr=subprocess.PIPE, timeout=120)
    assert r.returncode == 1
    one_error_line(r.stderr, "<stdout>", "No space left on device")
    r = subprocess.run(["bash", "-o", "pipefail", "-c", '"$@" | head -c 1', "bash", *PROGRAM, *args],
                       capture_output=True, timeout=120)  # fmt: skip
    assert r.returncode == 0 and r.stderr == b"", r.stderr  # rich's console would exit 1 on its own


def test_a_hang_up_during_tag_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "out.txt"
    p = subprocess.Popen([*PROGRAM, "tag", "-o", str(out)], stdin=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True)  # fmt: skip
    p.stdin.write(lines(10).encode())
    p.stdin.flush()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(tmp_path.iterdir()):
        time.sleep(0.05)
    time.sleep(0.5)
    os.killpg(p.pid, signal.SIGHUP)  # the terminal went away
    _, err = p.communicate(timeout=120)
    assert p.returncode == 129
    one_error_line(err, "hung up")
    assert list(tmp_path.iterdir()) == []


def test_a_byte_order_mark_is_not_text(tmp_path):
    r = ner_rnn("tag", "-f", "jsonl", input=b"\xef\xbb\xbfAngela Merkel met Joe Biden.\n")
    record = json.loads(r.stdout)
    assert record["text"] == "Angela Merkel met Joe Biden."
    assert [e["text"] for e in record["entities"]] == ["Angela Merkel", "Joe Biden"]
    conll = tmp_path / "bom.conll"
    conll.write_bytes(b"\xef\xbb\xbfAnna B-PER\nsang O\n")
    from ner_rnn.corpus import read_conll

    assert read_conll(conll)[0].words == ["Anna", "sang"]


def test_training_goes_on_when_the_reader_of_its_log_goes_away(tmp_path, small_train):
    model = tmp_path / "m.npz"
    r = subprocess.run(
        ["bash", "-c", '"$@" 2>&1 | head -1', "bash", *PROGRAM, "train", str(small_train), "-o", str(model),
         "--epochs", "3", "--hidden", "8"],
        capture_output=True, timeout=300,
    )  # fmt: skip
    assert r.stdout.decode().startswith("training on")
    assert model.is_file() and not (tmp_path / ".m.npz.lock").exists()


def test_a_worker_killed_from_outside_is_one_line_and_leaves_nothing(tmp_path):
    out = tmp_path / "out.jsonl"
    p = subprocess.Popen([*PROGRAM, "tag", "-f", "jsonl", "-w", "2", "-o", str(out)], stdin=subprocess.PIPE,
                         stderr=subprocess.PIPE)  # fmt: skip
    p.stdin.write(lines(4 * CHUNK_LINES).encode())
    p.stdin.flush()
    workers: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(workers) < 1:
        ps = subprocess.run(["pgrep", "-P", str(p.pid), "-f", "multiprocessing.spawn"], capture_output=True, text=True)
        workers = ps.stdout.split()
        time.sleep(0.1)
    time.sleep(1.0)
    os.kill(int(workers[0]), signal.SIGKILL)  # as the out-of-memory killer would
    for step in (lambda: p.stdin.write(lines(4 * CHUNK_LINES).encode()), p.stdin.close):
        try:
            step()
        except (BrokenPipeError, ValueError):  # it may stop reading first
            pass
    err = p.stderr.read()
    assert p.wait(timeout=120) == 1
    one_error_line(err, "a worker process died")
    assert list(tmp_path.iterdir()) == []


def test_a_model_is_never_saved_over_a_special_file(tmp_path, small_train, tiny_model):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    r = ner_rnn("train", small_train, "-o", fifo, "--force", "--epochs", "1")
    assert r.returncode == 1
    one_error_line(r.stderr, "is not a regular file")
    assert fifo.is_fifo() and sorted(p.name for p in tmp_path.iterdir()) == ["fifo"]
    from ner_rnn.modelfile import load_model, save_model

    copy = tmp_path / "copy.npz"
    with open(copy, "wb") as out:
        reader = subprocess.Popen(["cat", str(fifo)], stdout=out)
        save_model(fifo, load_model(tiny_model), force=True)  # the library writes into it, as tag -o does
        reader.wait(timeout=60)
    assert fifo.is_fifo() and load_model(copy).meta["hidden"] == load_model(tiny_model).meta["hidden"]
