"""The web app of ``broadsheet serve``: the live preview's pages and events, and the CMS's API.

Routes (docs/api.md):

- ``GET /``: the preview (a page, or an edition's flatplan); ``GET /api/state``, ``GET
  /api/page/{n}`` (the overlay of page n), ``GET /page/{n}/v{version}/tile/{level}/{x}/{y}.png``,
  ``GET /page/{n}/v{version}/thumb.png``, ``GET /page/{n}/pdf``; ``GET /events``: server-sent
  events, one per build; ``POST /api/open``: open a place of content.yaml in ``$EDITOR``
  (loopback only).
- ``POST /build``: a page as multipart form data (``content``: the YAML, other fields named by
  relative path: its images and fonts) built in a worker; the PDF, or ``?format=json`` the
  report, ``?format=png`` a picture. ``GET /health``: the queue's state.

Requests from other machines than this one must carry the bearer token when one is set
(``--token``); ``serve`` refuses to listen beyond loopback without one.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from msgspec import Struct
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

STATIC = Path(__file__).parent / "static"
LOOPBACK = ("127.", "::1", "localhost")
MAX_FILES = 200  # files in one POST /build


class AppOptions(Struct, kw_only=True):
    file: Path | None = None
    token: str | None = None
    jobs: int = 2
    queue: int = 8
    timeout: float = 60.0
    max_upload: int = 64 * 1024 * 1024
    cache_dir: Path | None = None
    editor: str = ""  # $VISUAL or $EDITOR, for the "open in editor" command


class TooLarge(Exception):
    pass


def safe_path(name: str) -> PurePosixPath | None:
    """A field name as a path inside the upload folder, or None when it could leave it or is not
    a plain relative path (absolute, ``..``, backslashes, drive letters, hidden or control
    characters)."""
    if not name or len(name) > 255 or "\\" in name or "\0" in name or any(ord(c) < 0x20 for c in name):
        return None
    p = PurePosixPath(name)
    if p.is_absolute() or ":" in p.parts[0] or len(p.parts) > 8:
        return None
    if any(part in ("", ".", "..") or part.startswith(".") for part in p.parts):
        return None
    return p


def _is_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    return host.startswith(LOOPBACK)


def _error(status: int, message: str, **headers) -> JSONResponse:
    return JSONResponse({"type": "failure", "version": 1, "ok": False, "error": message, "diagnostics": []},
                        status_code=status, headers=headers or None)


def create_app(options: AppOptions) -> Starlette:
    from layout.serve.workers import BuildPool, Busy, Job

    state: dict = {"session": None, "pool": BuildPool(options.jobs, options.queue, options.timeout),
                   "stop": asyncio.Event(), "tasks": []}
    upload_root = Path(tempfile.mkdtemp(prefix="broadsheet-uploads-"))

    def authorised(request: Request) -> bool:
        if not options.token or _is_loopback(request):
            return True
        given = ""
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        given = given or request.query_params.get("token", "") or request.cookies.get("broadsheet_token", "")
        return hmac.compare_digest(given.encode(), options.token.encode())

    def session():
        s = state["session"]
        if s is None:
            raise LookupError
        return s

    # -- the preview ---------------------------------------------------------------------
    async def index(request: Request) -> Response:
        if state["session"] is None:
            return Response("broadsheet serve --api-only: POST /build (docs/api.md)\n", media_type="text/plain")
        response = FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})
        if options.token and request.query_params.get("token") == options.token:
            response.set_cookie("broadsheet_token", options.token, httponly=True, samesite="strict")
        return response

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ("app.js", "app.css"):
            return Response(status_code=404)
        return FileResponse(STATIC / name, headers={"Cache-Control": "no-cache"})

    async def api_state(request: Request) -> Response:
        return JSONResponse(session().state())

    async def api_page(request: Request) -> Response:
        s = session()
        data = s.overlay(int(request.path_params["n"]))
        if data is None:
            return _error(404, "no such page, or not built yet")
        if data.get("content"):
            from layout.serve.overlay import editor_links

            data["editor"] = {"available": bool(options.editor), "name": options.editor}
            for story in data.get("stories", []):
                w = story.get("where") or {"line": 1, "column": 1}
                story["links"] = editor_links(data["content"], w["line"], w["column"], options.editor)
        return JSONResponse(data)

    async def tile(request: Request) -> Response:
        p = request.path_params
        loop = asyncio.get_running_loop()
        data = await loop.run_in_executor(None, session().tile, int(p["n"]), int(p["version"]), float(p["level"]),
                                          int(p["x"]), int(p["y"]))
        if data is None:
            return Response(status_code=404)
        return Response(data, media_type="image/png", headers={"Cache-Control": "max-age=3600, immutable"})

    async def thumb(request: Request) -> Response:
        p = request.path_params
        loop = asyncio.get_running_loop()
        data = await loop.run_in_executor(None, session().thumbnail, int(p["n"]), int(p["version"]))
        if data is None:
            return Response(status_code=404)
        return Response(data, media_type="image/png", headers={"Cache-Control": "max-age=3600, immutable"})

    async def page_pdf(request: Request) -> Response:
        pdf = session().pdf(int(request.path_params["n"]))
        if pdf is None:
            return Response(status_code=404)
        return FileResponse(pdf, media_type="application/pdf", filename=f"p{int(request.path_params['n']):02d}-proof.pdf")

    async def events(request: Request) -> Response:
        s = session()
        queue: asyncio.Queue = asyncio.Queue(maxsize=100)
        loop = asyncio.get_running_loop()

        def listener(event: dict) -> None:  # (called on the build thread)
            loop.call_soon_threadsafe(lambda: queue.full() or queue.put_nowait(event))

        async def stream():
            s.listeners.add(listener)
            try:
                yield f"event: hello\ndata: {json.dumps(s.state(), ensure_ascii=False)}\n\n"
                while not state["stop"].is_set():
                    try:
                        event = await asyncio.wait_for(queue.get(), timeout=10)
                    except asyncio.TimeoutError:
                        yield ": keep-alive\n\n"
                        continue
                    yield f"event: {event['type']}\ndata: {json.dumps(event, ensure_ascii=False)}\n\n"
            finally:
                s.listeners.discard(listener)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    async def open_editor(request: Request) -> Response:
        """Run ``$EDITOR`` on a content file of this preview (from this machine only)."""
        import shlex
        import subprocess

        from layout.serve.overlay import editor_links

        if not _is_loopback(request):
            return _error(403, "the editor opens only for a browser on this machine")
        if not options.editor:
            return _error(409, "neither $VISUAL nor $EDITOR is set where `broadsheet serve` runs")
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return _error(415, "send {file, line, column} as application/json")
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "the body is not JSON")
        files = {str(t.file) for t in session().targets}
        if body.get("file") not in files:
            return _error(403, "not a content file of this preview")
        command = editor_links(body["file"], int(body.get("line", 1)), int(body.get("column", 1)), options.editor)["command"]
        subprocess.Popen(shlex.split(command), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
        return JSONResponse({"ok": True, "command": command})

    # -- the API -------------------------------------------------------------------------
    async def build(request: Request) -> Response:
        fmt = request.query_params.get("format", "pdf")
        if fmt not in ("pdf", "json", "png"):
            return _error(400, f"format must be pdf, json or png, not {fmt!r}")
        try:
            dpi = float(request.query_params.get("dpi", "50"))
        except ValueError:
            return _error(400, "dpi must be a number")
        if not 5 <= dpi <= 300:
            return _error(400, "dpi must be between 5 and 300")
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > options.max_upload):
            return _error(413, f"the request is larger than {options.max_upload // (1024 * 1024)} MB")
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            return _error(415, "send the page as multipart/form-data: a field `content` (the YAML) and its images")
        received = 0
        receive = request.receive

        async def counted():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > options.max_upload:
                raise TooLarge
            return message

        folder = Path(tempfile.mkdtemp(prefix="job-", dir=upload_root))
        try:  # (the folder goes when the answer is made: the answer holds the bytes)
            try:
                form = await Request(request.scope, counted).form(max_files=MAX_FILES, max_fields=MAX_FILES + 10)
            except TooLarge:
                return _error(413, f"the request is larger than {options.max_upload // (1024 * 1024)} MB",
                              Connection="close")
            except Exception as exc:  # malformed multipart, too many parts
                return _error(400, f"cannot read the form data: {getattr(exc, 'detail', exc)}")
            try:
                if "content" not in form:
                    return _error(400, "no field `content`: send the page's YAML as the field `content`")
                for name, value in form.multi_items():
                    data = await value.read() if hasattr(value, "read") else value.encode("utf-8")
                    if name == "content":
                        (folder / "content.yaml").write_bytes(data)
                        continue
                    rel = safe_path(name)
                    target = (folder / rel).resolve() if rel is not None else None
                    if target is None or not target.is_relative_to(folder.resolve()) or rel.as_posix() == "content.yaml":
                        return _error(400, f"field {name!r}: a file's field is its path relative to content.yaml "
                                           "(e.g. images/photo.jpg), inside the page's folder")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
            finally:
                await form.close()
            job = Job(folder=str(folder), format=fmt, proof=request.query_params.get("proof") in ("1", "true", "yes"),
                      strict=request.query_params.get("strict") in ("1", "true", "yes"), dpi=dpi,
                      cache_dir=str(options.cache_dir) if options.cache_dir else None)
            try:
                result = await state["pool"].submit(job)
            except Busy as busy:
                return _error(429, f"{busy.args[0]}: the build queue is full", **{"Retry-After": str(busy.retry_after)})
            status, report = result["status"], result["report"]
            headers = {"X-Broadsheet-Seconds": f"{report.get('seconds', 0):.3f}"}
            if report.get("type") == "page":
                headers["X-Broadsheet-Overset-Lines"] = str(sum(f["lines"] for f in report["findings"] if f["kind"] == "overset"))
            if fmt == "json" or "file" not in result or status != 200:
                return JSONResponse(report, status_code=status, headers=headers)
            data = Path(result["file"]).read_bytes()
            return Response(data, media_type="application/pdf" if fmt == "pdf" else "image/png", headers=headers)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True, "preview": state["session"] is not None, **state["pool"].stats()})

    # -- the frame -----------------------------------------------------------------------
    async def guard(request: Request, handler) -> Response:
        origin = request.headers.get("origin")
        if request.method == "POST" and origin and origin.split("://", 1)[-1] != request.headers.get("host", ""):
            return _error(403, "a request from another site's page is refused")  # (a CMS sends no Origin)
        if not authorised(request):
            return _error(401, "this server needs a bearer token (Authorization: Bearer ...)",
                          **{"WWW-Authenticate": "Bearer"})
        try:
            return await handler(request)
        except LookupError:
            return _error(404, "no page is being previewed (--api-only)")

    def route(path, handler, methods=("GET",)):
        async def endpoint(request: Request) -> Response:
            return await guard(request, handler)

        return Route(path, endpoint, methods=list(methods))

    @contextlib.asynccontextmanager
    async def lifespan(app):
        from layout.serve.session import Session

        await state["pool"].start()
        if options.file is not None:
            s = await asyncio.get_running_loop().run_in_executor(None, lambda: Session(options.file,
                                                                                       cache_dir=options.cache_dir))
            state["session"] = s
            state["tasks"].append(asyncio.create_task(s.rebuild()))
            state["tasks"].append(asyncio.create_task(s.watch(state["stop"])))
        try:
            yield
        finally:
            state["stop"].set()
            for t in state["tasks"]:
                t.cancel()
            await state["pool"].stop()
            if state["session"] is not None:
                state["session"].close()
            shutil.rmtree(upload_root, ignore_errors=True)

    routes = [
        route("/", index),
        route("/static/{name}", static),
        route("/api/state", api_state),
        route("/api/page/{n:int}", api_page),
        route("/page/{n:int}/v{version:int}/tile/{level}/{x:int}/{y:int}.png", tile),
        route("/page/{n:int}/v{version:int}/thumb.png", thumb),
        route("/page/{n:int}/pdf", page_pdf),
        route("/events", events),
        route("/api/open", open_editor, methods=("POST",)),
        route("/build", build, methods=("POST",)),
        route("/health", health),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.broadsheet = state
    return app


def editor_from_environment() -> str:
    return os.environ.get("VISUAL") or os.environ.get("EDITOR") or ""
