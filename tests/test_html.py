"""`tag -f html` and `evaluate --html`: one self-contained page, the text escaped; and, where
Chromium is installed, what a real browser reads from it (scripts/check_html.py)."""

from __future__ import annotations

import html
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, ner_rnn, one_error_line

ROOT = Path(__file__).resolve().parents[1]


def test_the_page_is_self_contained_and_escapes_the_text():
    lines = ["Angela Merkel met <script>alert(1)</script> & \"Joe Biden\".", "", "Nobody."]
    r = ner_rnn("tag", "-f", "html", input=("\n".join(lines) + "\n").encode())
    assert r.returncode == 0, r.stderr
    page = r.stdout.decode()
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</body></html>\n")
    assert "<script" not in page and "http" not in page and "src=" not in page
    paragraphs = re.findall(r"<p>(.*?)</p>", page)
    assert [html.unescape(re.sub("<[^>]+>", "", p)) for p in paragraphs] == lines
    assert re.findall(r'<mark title="PER \d\.\d\d" data-score="[\d.]+">([^<]*)</mark>', paragraphs[0]) == ["Angela Merkel", "Joe Biden"]


def test_evaluate_html_writes_the_errors_and_never_overwrites(tmp_path):
    page = tmp_path / "errors.html"
    r = ner_rnn("evaluate", DATA / "names-dev.conll", "--html", page, "-f", "json")
    assert r.returncode == 0, r.stderr
    text = page.read_text()
    assert "<table>" in text and 'class="missed"' in text and text.endswith("</body></html>\n")
    r = ner_rnn("evaluate", DATA / "names-dev.conll", "--html", page)
    assert r.returncode == 1
    one_error_line(r.stderr, str(page), "--force")
    assert page.read_text() == text


@pytest.mark.skipif(not shutil.which("chromium"), reason="Chromium is not installed (apt-get install chromium)")
def test_a_real_browser_reads_the_pages(tmp_path):
    serve = ["--serve"] if importlib.util.find_spec("uvicorn") else []
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_html.py"), "--out", str(tmp_path), *serve],
                       capture_output=True, text=True, timeout=300)  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.endswith("ok\n")
    for shot in ["tagged.png", "errors.png"] + (["serve.png"] if serve else []):
        assert (tmp_path / shot).stat().st_size > 2000, shot
