"""Open the pages of `ner-rnn tag -f html` and `ner-rnn evaluate --html` in headless Chromium:
take a screenshot of each, and check the text the browser reads from them.

    python scripts/check_html.py [--out DIR] [--chromium /usr/bin/chromium] [--serve]

Chromium comes from Debian's package (`apt-get install chromium`). For each page, the
browser's DOM after loading (--dump-dom) must hold the input text exactly, escaped text
included (a `<b>` typed in the input is text, not markup), each name in one <mark> with
its score as its title, and no script; the screenshot (PNG) is written to DIR and its
size printed. With ``--serve``, the same for the page of `ner-rnn serve` (``GET /?text=``),
fetched by the browser over HTTP. Exit status 0 when every check holds; tests/test_html.py runs it when
Chromium is there.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
LINES = [
    "Angela Merkel met Joe Biden in Berlin.",
    'A <b>bold</b> "quote" & an ampersand, with Émile Zola.',
    "",
    "Teddy bears are on sale!",
]


def browse(chromium: str, page, shot: Path, profile: Path) -> str:
    """The DOM Chromium built from ``page`` (a file, or a URL), and its screenshot written to ``shot``."""
    common = [chromium, *FLAGS, f"--user-data-dir={profile}"]
    url = page if isinstance(page, str) else page.as_uri()
    dom = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True, timeout=120)
    if dom.returncode != 0:
        sys.exit(f"chromium failed on {url}: {dom.stderr.strip()[-300:]}")
    subprocess.run([*common, f"--screenshot={shot}", "--window-size=1000,700", url],
                   capture_output=True, timeout=120, check=True)  # fmt: skip
    if not shot.is_file() or shot.stat().st_size < 2000:
        sys.exit(f"no screenshot of {url}")
    print(f"{url[:60]}: screenshot {shot} ({shot.stat().st_size:,} bytes)")
    return dom.stdout


def text_of(dom: str, element: str) -> list[str]:
    """The text of each ``element`` in the DOM, tags dropped and entities read."""
    return [html.unescape(re.sub(r"<[^>]+>", "", inner)) for inner in re.findall(rf"<{element}\b[^>]*>(.*?)</{element}>", dom, re.S)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=None, help="where the pages and screenshots go (default: a temporary folder)")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    ap.add_argument("--serve", action="store_true", help="also the page of `ner-rnn serve` (needs the serve extra)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        page = out / "tagged.html"
        text_in = out / "input.txt"
        text_in.write_text("\n".join(LINES) + "\n", encoding="utf-8")
        program = [sys.executable, "-m", "ner_rnn"]
        subprocess.run([*program, "tag", "-f", "html", "-i", text_in, "-o", page, "--force"], check=True)
        dom = browse(args.chromium, page, out / "tagged.png", Path(tmp) / "profile")
        paragraphs = text_of(dom, "p")
        assert paragraphs == LINES, paragraphs
        marks = re.findall(r'<mark title="PER (\d\.\d\d)"[^>]*>(.*?)</mark>', dom)
        assert [html.unescape(name) for _, name in marks] == ["Angela Merkel", "Joe Biden", "Émile Zola"], marks
        assert "<script" not in dom and "<b>" not in dom
        print(f"  the browser reads {len(paragraphs)} paragraphs, the input exactly; names: {[n for _, n in marks]}")

        errors = out / "errors.html"
        subprocess.run([*program, "evaluate", ROOT / "data" / "names-dev.conll", "--html", errors, "--force", "-f", "json"],
                       check=True, capture_output=True)  # fmt: skip
        dom = browse(args.chromium, errors, out / "errors.png", Path(tmp) / "profile")
        rows = re.findall(r"<tr><td class=\"where\">(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", dom, re.S)
        assert rows and all(re.sub("<[^>]+>", "", g) == re.sub("<[^>]+>", "", p) for _, g, p in rows)
        assert any('class="missed"' in g for _, g, _ in rows) and any('class="false"' in p for _, _, p in rows)
        print(f"  the browser reads {len(rows)} sentences with errors, gold beside predicted")

        if args.serve:  # the page of `ner-rnn serve`, as a browser gets it over HTTP
            from urllib.parse import quote

            server = subprocess.Popen([*program, "serve", "--port", "0", "--quiet"], stderr=subprocess.PIPE, text=True)
            try:
                port = int(server.stderr.readline().split("http://127.0.0.1:")[1].split()[0])
                url = f"http://127.0.0.1:{port}/?text={quote(LINES[0] + ' ' + LINES[1])}"
                dom = browse(args.chromium, url, out / "serve.png", Path(tmp) / "profile")
                assert "<form" in dom and "<textarea" in dom and "<script" not in dom
                assert text_of(dom, "textarea") == [LINES[0] + " " + LINES[1]]
                names = [html.unescape(n) for n in re.findall(r"<mark[^>]*>(.*?)</mark>", dom)]
                assert names == ["Angela Merkel", "Joe Biden", "Émile Zola"], names
                print(f"  the browser reads the form, the text, and the names {names}")
            finally:
                server.terminate()
                server.wait(timeout=60)
    print("ok")


if __name__ == "__main__":
    main()
