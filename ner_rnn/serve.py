"""``ner-rnn serve``: the tagger as a local HTTP service (Starlette on Uvicorn; the ``serve`` extra).

One server process holds the HTTP connections in an asyncio event loop; the tagging, which
is CPU-bound NumPy and Python, runs in ``workers`` processes that have each loaded the model
once (:mod:`concurrent.futures`, as ``tag -w`` does), so a long request never holds up
another one or ``/health``. Each request is one job, submitted and awaited on its own, so
results cannot be mixed.

Endpoints (every body JSON, every error ``{"error": "one line"}``):

- ``POST /tag``: ``{"text": "..."}`` -> the ``jsonl`` record of the text (docs/jsonl.md),
  or ``{"texts": [...]}`` -> ``{"records": [...]}``; options ``min_score``, ``token_scores``, ``handles``
- ``POST /redact``: the same bodies -> ``{"text": ..., "replacements": [...]}`` (or
  ``{"records": [...]}`` of those); options ``style``, ``mask_char``, ``seed``, ``min_score``, ``handles``
- ``GET /health`` -> ``{"status": "ok"}``; ``GET /info`` -> what ``info -f json`` prints
- ``GET /`` -> a page to paste text into; the form posts to ``/`` and the answer is the
  page with the names highlighted (the HTML of ``-f html``; no script); ``GET /?text=...``
  gives the same answer

A text is one document, as a line of ``--input-format jsonl`` is: names never cross its
line breaks, document context reaches across them.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Optional
from urllib.parse import parse_qs

from . import BLAS_THREADS
from .errors import NerRnnError
from .formats import (
    HTML_TAIL,
    Format,
    JsonProblem,
    Output,
    html_escape,
    html_head,
    read_json,
    surrogate_problem,
    to_html,
)
from .redact import Redaction, Style, pools_of

MAX_BYTES = 1 << 20  # a request body larger than this is refused (413)
MAX_TEXTS = 1000  # and so is a request of more texts than this
TAG_OPTIONS = {"min_score", "token_scores", "handles"}
REDACT_OPTIONS = {"min_score", "style", "mask_char", "seed", "handles"}


@dataclass(frozen=True)
class ServeConfig:
    model: Optional[Path] = None  # None: the shipped model
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    token: Optional[str] = None  # every request but /health must carry "Authorization: Bearer TOKEN"
    max_bytes: int = MAX_BYTES
    max_texts: int = MAX_TEXTS
    quiet: bool = False  # no access log


class Problem(Exception):
    """A request that cannot be served: its HTTP status and a one-line reason."""

    def __init__(self, status: int, message: str, headers: Optional[dict] = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


# ---- in the worker processes ------------------------------------------------------------------


def _job(kind: str, options: dict, requests: list[list[str]]) -> list[bytes]:
    """Tag or redact the texts of several requests with the same options, in one pass of
    the worker's tagger: for each request, the JSON list of its records."""
    from .stream import _worker

    tagger = _worker["tagger"]
    min_score = float(options.get("min_score", 0.0))
    tagger.handles = bool(options.get("handles", True))
    docs = tagger.tag_texts([t for texts in requests for t in texts])
    if min_score > 0:
        docs = [d.above(min_score) for d in docs]
    if kind == "tag":
        token_scores = bool(options.get("token_scores", False))
        records = [d.to_dict(token_scores) for d in docs]
    else:
        from .redact import redact

        how = Redaction(Style(options.get("style", "label")), options.get("mask_char", "*"), int(options.get("seed", 0)))
        pools = pools_of(tagger)
        records = []
        for doc in docs:
            text, replaced = redact(doc, how, pools)
            records.append({"text": text, "replacements": [r.to_dict() for r in replaced]})
    out, start = [], 0
    for texts in requests:
        out.append(json.dumps(records[start : start + len(texts)], ensure_ascii=False).encode())
        start += len(texts)
    return out


def _page_job(text: str) -> str:
    from .stream import _worker

    return to_html(_worker["tagger"].tag(text))


def _info_job(path: str) -> dict:
    from .modelfile import model_info
    from .stream import _worker

    return model_info(_worker["tagger"], path)


# ---- the pool ---------------------------------------------------------------------------------


class Workers:
    """``n`` processes with the model loaded; a pool broken by a worker that died (killed, out
    of memory) is replaced by a new one, and the requests it held get a 503."""

    def __init__(self, n: int, model_path: Path):
        self.n, self.model_path = n, model_path
        self.pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        import multiprocessing

        from .stream import STOP_SIGNALS, _blocked, _init_worker, _start_resource_tracker

        saved = {k: os.environ.get(k) for k in BLAS_THREADS}
        os.environ.update({k: "1" for k in BLAS_THREADS})  # one BLAS thread per worker (see stream._pool)
        _start_resource_tracker()
        try:
            with _blocked(STOP_SIGNALS):  # workers start in a process group of their own, signals ignored
                pool = ProcessPoolExecutor(self.n, multiprocessing.get_context("spawn"), _init_worker,
                                           (self.model_path, Output(Format.jsonl), False))  # fmt: skip
                # start them all now, and fail now if the model cannot be read
                for future in [pool.submit(os.getpid) for _ in range(self.n)]:
                    future.result()
        finally:
            for k, v in saved.items():
                os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
        return pool

    async def run(self, function, *args):
        pool = self.pool
        try:
            return await asyncio.wrap_future(pool.submit(function, *args))
        except BrokenProcessPool:
            if self.pool is pool:
                self.pool = self._start()
            raise Problem(503, "a worker process died while tagging this request (out of memory?); try again") from None

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


BATCH_TEXTS = 4000  # at most this many texts of waiting requests go to a worker together


class Batcher:
    """Requests that come while every worker is busy wait, and go to the next free worker
    together, as one job (continuous batching): under load, one pass of the network tags
    many requests, and a lone request still goes at once, with no delay added. Each
    request gets back exactly its own records."""

    def __init__(self, workers: Workers):
        self.workers = workers
        self.waiting: dict[tuple, list] = {}  # (kind, options) -> [(texts, future)]
        self.busy = 0

    async def run(self, kind: str, texts: list[str], options: dict) -> bytes:
        future = asyncio.get_running_loop().create_future()
        key = (kind, json.dumps(options, sort_keys=True))
        self.waiting.setdefault(key, []).append((texts, future))
        self._dispatch()
        return await future

    def _dispatch(self) -> None:
        while self.waiting and self.busy < self.workers.n:
            key = next(iter(self.waiting))
            queue = self.waiting[key]
            batch, size = [], 0
            while queue and (not batch or size + len(queue[0][0]) <= BATCH_TEXTS):
                texts, future = queue.pop(0)
                if not future.cancelled():  # its client went away
                    batch.append((texts, future))
                    size += len(texts)
            if not queue:
                del self.waiting[key]
            if batch:
                self.busy += 1
                asyncio.ensure_future(self._send(key, batch))

    async def _send(self, key: tuple, batch: list) -> None:
        kind, options = key[0], json.loads(key[1])
        try:
            bodies = await self.workers.run(_job, kind, options, [texts for texts, _ in batch])
            for (_, future), body in zip(batch, bodies):
                if not future.done():
                    future.set_result(body)
        except BaseException as e:  # a Problem (a worker died), or anything else: each request gets it
            for _, future in batch:
                if not future.done():
                    future.set_exception(e)
        finally:
            self.busy -= 1
            self._dispatch()


# ---- the application ----------------------------------------------------------------------------


def make_app(config: ServeConfig, workers: Workers, model_path: Path):
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    info_cache: dict = {}
    batcher = Batcher(workers)

    def error(status: int, message: str, headers: Optional[dict] = None) -> Response:
        return JSONResponse({"error": message}, status, headers=headers)

    def check_token(request: Request) -> None:
        if config.token is None:
            return
        given = request.headers.get("authorization", "")
        expected = f"Bearer {config.token}"
        if not hmac.compare_digest(given.encode(), expected.encode()):  # constant time
            raise Problem(401, "missing or wrong bearer token (Authorization: Bearer TOKEN)", {"WWW-Authenticate": "Bearer"})

    async def body_of(request: Request) -> bytes:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > config.max_bytes:
            raise Problem(413, f"the body is {int(length):,} bytes; at most {config.max_bytes:,} (--max-bytes)")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > config.max_bytes:
                raise Problem(413, f"the body is over {config.max_bytes:,} bytes (--max-bytes)")
        return bytes(body)

    async def json_body(request: Request, allowed: set) -> tuple[list[str], bool, dict]:
        """(texts, one text rather than a list, options) of a request, checked."""
        try:
            payload = read_json(await body_of(request))
        except JsonProblem as e:
            raise Problem(400, f"the body: {e} (send {{\"text\": \"...\"}} or {{\"texts\": [...]}})") from None
        if not isinstance(payload, dict):
            raise Problem(400, "the body must be a JSON object: {\"text\": \"...\"} or {\"texts\": [...]}")
        unknown = sorted(set(payload) - allowed - {"text", "texts"})
        if unknown:
            raise Problem(400, f"unknown field {unknown[0]!r} (known: text, texts, {', '.join(sorted(allowed))})")
        if ("text" in payload) == ("texts" in payload):
            raise Problem(400, 'give exactly one of "text" (a string) and "texts" (a list of strings)')
        single = "text" in payload
        texts = [payload["text"]] if single else payload["texts"]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise Problem(400, '"text" must be a string' if single else '"texts" must be a list of strings')
        for n, t in enumerate(texts):
            problem = surrogate_problem(t, '"text"' if single else f'"texts"[{n}]')
            if problem:
                raise Problem(400, problem)
        if len(texts) > config.max_texts:
            raise Problem(413, f"{len(texts):,} texts; at most {config.max_texts:,} per request (--max-texts)")
        options = {k: payload[k] for k in allowed if k in payload}
        check_options(options)
        return texts, single, options

    async def tag(request: Request) -> Response:
        check_token(request)
        texts, single, options = await json_body(request, TAG_OPTIONS)
        body = await batcher.run("tag", texts, options)
        return json_response(body, single)

    async def redact(request: Request) -> Response:
        check_token(request)
        texts, single, options = await json_body(request, REDACT_OPTIONS)
        body = await batcher.run("redact", texts, options)
        return json_response(body, single)

    def json_response(body: bytes, single: bool) -> Response:
        # the worker wrote the list of records; one text gets its record alone
        if single:
            body = body[1:-1]
        else:
            body = b'{"records": ' + body + b"}"
        return Response(body, media_type="application/json")

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def info(request: Request) -> Response:
        check_token(request)
        if not info_cache:
            info_cache.update(await workers.run(_info_job, str(model_path)))
        return Response(json.dumps(info_cache, ensure_ascii=False, allow_nan=False), media_type="application/json")

    async def page(request: Request) -> Response:
        check_token(request)
        if request.method == "POST":
            form = parse_qs((await body_of(request)).decode("utf-8", "replace"), max_num_fields=10)
            text = form.get("text", [""])[0]
        else:  # GET /?text=... gives the same page, for links
            text = request.query_params.get("text", "")
            if len(text.encode()) > config.max_bytes:
                raise Problem(413, f"the text is over {config.max_bytes:,} bytes (--max-bytes)")
        result = await workers.run(_page_job, text) if text else ""
        return HTMLResponse(page_html(text, result))

    async def on_problem(request: Request, exc: Problem) -> Response:
        return error(exc.status, exc.message, exc.headers)

    async def on_http(request: Request, exc: HTTPException) -> Response:
        reason = {404: "no such endpoint (POST /tag, POST /redact, GET /health, GET /info, GET /)",
                  405: f"method {request.method} is not allowed here"}.get(exc.status_code, str(exc.detail))  # fmt: skip
        return error(exc.status_code, reason, getattr(exc, "headers", None))

    async def on_error(request: Request, exc: Exception) -> Response:
        log(f"ner-rnn: error: {request.method} {request.url.path}: {type(exc).__name__}: {exc}")
        return error(500, "internal error; the server's log says more")

    routes = [
        Route("/tag", tag, methods=["POST"]),
        Route("/redact", redact, methods=["POST"]),
        Route("/health", health, methods=["GET"]),
        Route("/info", info, methods=["GET"]),
        Route("/", page, methods=["GET", "POST"]),
    ]
    app = Starlette(routes=routes, exception_handlers={Problem: on_problem, HTTPException: on_http, Exception: on_error})
    return app if config.quiet else AccessLog(app)


def check_options(options: dict) -> None:
    """Each option's type and range, as 400s."""
    if "min_score" in options:
        x = options["min_score"]
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not 0 <= x <= 1:
            raise Problem(400, '"min_score" must be a number from 0 to 1')
    for flag in ("token_scores", "handles"):
        if flag in options and not isinstance(options[flag], bool):
            raise Problem(400, f'"{flag}" must be true or false')
    if "style" in options and options["style"] not in {s.value for s in Style}:
        raise Problem(400, f'"style" must be one of {", ".join(s.value for s in Style)}')
    if "mask_char" in options and not (isinstance(options["mask_char"], str) and len(options["mask_char"]) == 1):
        raise Problem(400, '"mask_char" must be one character')
    if "seed" in options and (isinstance(options["seed"], bool) or not isinstance(options["seed"], int)):
        raise Problem(400, '"seed" must be an integer')


def page_html(text: str, result: str) -> str:
    """The page of ``GET /``: a form, and below it the text tagged (``result``, already HTML)."""
    form = (
        '<form method="post" action="/">\n'
        '<textarea name="text" rows="8" style="width:100%;font:inherit" placeholder="Paste text here" autofocus>'
        f"{html_escape(text)}</textarea>\n"
        '<p><button type="submit">Find names</button></p>\n</form>\n'
    )
    return html_head("ner-rnn: find person names") + form + (f"<h2>Names</h2>\n{result}" if result else "") + HTML_TAIL


def log(line: str) -> None:
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


class AccessLog:
    """One line per request on stderr: client, method, path, status, milliseconds, bytes out."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        status, size = [0], [0]

        async def sending(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            elif message["type"] == "http.response.body":
                size[0] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            client = scope.get("client") or ("-", 0)
            ms = 1000 * (time.perf_counter() - start)
            log(f'{client[0]}:{client[1]} "{scope["method"]} {scope["path"]}" {status[0]} {ms:.1f} ms {size[0]} B')


# ---- running it -------------------------------------------------------------------------------


def serve(config: ServeConfig) -> None:
    """Listen, serve until SIGTERM or Ctrl-C, then finish the requests in flight and return."""
    import signal
    import socket

    try:
        import uvicorn
    except ImportError:
        raise NerRnnError("ner-rnn serve needs the serve extra: pip install 'ner-rnn[serve]'") from None
    from .modelfile import DEFAULT_MODEL, load_model

    model_path = Path(config.model) if config.model else DEFAULT_MODEL
    load_model(model_path)  # a bad model file is one line here, before any worker starts
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    # IPPROTO_TCP said outright: asyncio sets TCP_NODELAY only on sockets that say it, and
    # without it each answer waits ~40 ms for the client's delayed ACK (Nagle's algorithm)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((config.host, config.port))
    except OSError as e:
        sock.close()
        raise NerRnnError(f"cannot listen on {config.host}:{config.port}: {e.strerror or e}") from None
    sock.listen(2048)
    host, port = sock.getsockname()[:2]
    workers = Workers(config.workers, model_path)
    try:
        app = make_app(config, workers, model_path)
        uconfig = uvicorn.Config(app, log_config=None, log_level="warning", access_log=False, lifespan="off",
                                 timeout_graceful_shutdown=30, limit_concurrency=64 * config.workers + 64)  # fmt: skip
        server = uvicorn.Server(uconfig)
        # Uvicorn finishes the requests in flight on SIGTERM/SIGINT, then raises the signal
        # again under the handlers it found: those only ask the server to stop, so that the
        # end is exit 0, and a signal that comes before Uvicorn's own handlers stops it too
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: setattr(server, "should_exit", True))
        if host not in ("127.0.0.1", "::1", "localhost"):
            log(f"ner-rnn: warning: listening on {host}, reachable from other machines"
                + ("" if config.token else "; anyone who can reach it can use it (set --token)"))  # fmt: skip
        shown = f"[{host}]" if ":" in host else host
        log(f"ner-rnn: serving {model_path.name} on http://{shown}:{port} with {config.workers} worker"
            f"{'s' if config.workers > 1 else ''}{', token required' if config.token else ''}; Ctrl-C stops")  # fmt: skip
        server.run(sockets=[sock])
    finally:
        workers.close()
        sock.close()
    log("ner-rnn: stopped")
