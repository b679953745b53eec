"""The README's examples run as written (and those of docs/cli.md): each `console` block's
commands give the output shown under them, and each format's example is what
`ner-rnn tag -f FORMAT` prints."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = [README, (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")]
# `ner-rnn` as installed beside this interpreter, as the README's reader has it
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def console_examples() -> list[tuple[str, str]]:
    """(command, expected output) of every `$ ` line in the README's console blocks."""
    out = []
    for block in re.findall(r"```console\n(.*?)```", "\n".join(DOCS), re.S):
        for cmd, shown in re.findall(r"^\$ (.*)\n((?:(?!\$ ).*\n)*)", block, re.M):
            out.append((cmd, shown))
    return out


@pytest.mark.parametrize("command, shown", console_examples())
def test_console_examples(command, shown):
    r = subprocess.run(["bash", "-c", command], capture_output=True, env=ENV, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode() == shown


def test_the_format_examples():
    section = README[README.index("for the input `Angela Merkel met Emmanuel Macron.`") :]
    section = section[: section.index("## Recipes")]
    blocks = [textwrap_dedent(b) for b in re.findall(r"  ```\w*\n(.*?)  ```", section, re.S)]
    assert len(blocks) == 4
    for fmt, shown in zip(("text", "inline", "conll", "jsonl"), blocks):
        r = subprocess.run([sys.executable, "-m", "ner_rnn", "tag", "-f", fmt, "Angela Merkel met Emmanuel Macron."],
                           capture_output=True, timeout=300)  # fmt: skip
        assert r.stdout.decode().rstrip("\n") == shown.rstrip("\n"), fmt


def textwrap_dedent(block: str) -> str:
    return "\n".join(line[2:] if line.startswith("  ") else line for line in block.split("\n"))


def test_the_python_example():
    block = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    namespace: dict = {}
    exec(block, namespace)  # the README's own code, as a reader pastes it
    shown = re.search(r"# (\[\(.*\)\])", block).group(1)
    assert repr([(e.text, e.start, e.end, e.score) for e in namespace["doc"].entities]) == shown
    assert "# " + repr(namespace["doc"]) + "\n" in block
    assert namespace["record"] == namespace["doc"].to_dict() and set(namespace["record"]) == {"text", "entities", "tokens"}
    assert [[e.text for e in d.entities] for d in namespace["docs"]] == [["Angela Merkel", "Joe Biden"], []]
