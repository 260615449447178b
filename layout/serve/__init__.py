"""``broadsheet serve``: the editor's loop in a browser, and the HTTP API a CMS builds through.

A consumer of the build's results only (the report, the display list, the PDF): it composes
nothing itself. ``session`` keeps the preview's warm state and rebuilds on every save,
``overlay`` turns a display list and its report into what the browser draws over the page,
``workers`` runs the API's builds in long-lived processes behind a bounded queue, ``app`` is the
Starlette application, run here by uvicorn.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from msgspec import Struct

from layout.errors import UsageError

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class ServeOptions(Struct, kw_only=True):
    file: Path | None = Path("content.yaml")
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    jobs: int | None = None
    queue: int = 8
    timeout: float = 60.0
    max_upload: int = 64 * 1024 * 1024
    open_browser: bool = False
    cache_dir: Path | None = None


def serve(options: ServeOptions) -> int:
    """Run the server until interrupted (Ctrl-C)."""
    import uvicorn

    from layout.serve.app import AppOptions, create_app, editor_from_environment

    if options.host not in LOOPBACK_HOSTS and not options.host.startswith("127.") and not options.token:
        raise UsageError(f"--host {options.host} lets other machines in: give a --token (or $BROADSHEET_TOKEN) "
                         "that their requests must carry")
    if options.file is not None and not Path(options.file).is_file():
        from layout.model.source import load_file

        load_file(options.file)  # a missing file or a folder: the error now (a malformed page is shown in the browser)
    for name, value, low, high in (("--queue", options.queue, 0, 10_000), ("--jobs", options.jobs or 1, 1, 64),
                                   ("--timeout", options.timeout, 1, 3600), ("--port", options.port, 0, 65535)):
        if not low <= value <= high:
            raise UsageError(f"{name} must be between {low} and {high}")
    jobs = options.jobs or max(1, min(os.cpu_count() or 1, 4))
    app = create_app(AppOptions(file=options.file, token=options.token, jobs=jobs, queue=options.queue,
                                timeout=options.timeout, max_upload=options.max_upload, cache_dir=options.cache_dir,
                                editor=editor_from_environment()))
    config = uvicorn.Config(app, host=options.host, port=options.port, log_level="warning",
                            timeout_graceful_shutdown=2, lifespan="on")
    server = uvicorn.Server(config)
    shown = f"[{options.host}]" if ":" in options.host else options.host

    async def started():
        import asyncio

        while not server.started:
            await asyncio.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1] if server.servers else options.port
        url = f"http://{shown}:{port}/"
        what = (f"preview of {options.file}" if options.file is not None else "API only") + f"; POST {url}build for the CMS"
        print(f"broadsheet serve: {url} ({what}); Ctrl-C to stop", flush=True)
        if options.open_browser and options.file is not None:
            import webbrowser

            webbrowser.open(url)

    import asyncio

    async def main():
        task = asyncio.create_task(started())
        await server.serve()
        task.cancel()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    if not server.started:
        print(f"broadsheet: error: cannot listen on {shown}:{options.port} (in use?)", file=sys.stderr)
        return 1
    return 0
