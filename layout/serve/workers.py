"""Builds for the HTTP API: a bounded queue in front of long-lived worker processes.

Each worker is a process of its own that builds one page at a time and stays alive between
builds, so its fonts and paragraph memo stay warm, as the preview's do; a page that takes longer
than the time limit has its worker killed and replaced (a build cannot be interrupted from
inside). The queue holds at most ``queue`` builds waiting; one more is refused at once with the
seconds a client should wait (429 Retry-After), rather than left to time out.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import time
import traceback
from pathlib import Path

from msgspec import Struct


class Busy(Exception):
    """The queue is full: try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"busy: retry after {retry_after} s")
        self.retry_after = retry_after


class Job(Struct, kw_only=True):
    """One API build: the page's folder (uploaded files), what to return and how to build."""

    folder: str
    format: str = "pdf"  # pdf, json or png
    proof: bool = False
    strict: bool = False
    dpi: float = 50.0
    cache_dir: str | None = None


def _run(job: Job) -> dict:
    """Build ``job`` (in a worker process): the report as JSON data, and the file to send."""
    from layout.build import BuildOptions, build
    from layout.errors import BroadsheetError, InputError
    from layout.report import Failure

    import os

    folder = Path(job.folder)
    out = folder / ".out" / ("page-proof.pdf" if job.proof else "page.pdf")
    out.parent.mkdir(exist_ok=True)
    home = os.getcwd()
    os.chdir(folder)  # (a worker builds one page at a time) messages name content.yaml, not the server's folders
    try:
        report = build(Path("content.yaml"), BuildOptions(output=out, proof=job.proof, strict=job.strict,
                                                          write=job.format != "json",
                                                          cache_dir=Path(job.cache_dir) if job.cache_dir else None))
    except InputError as exc:
        return {"status": 422, "report": Failure(diagnostics=exc.diagnostics).to_dict()}
    except BroadsheetError as exc:
        return {"status": 422 if exc.exit_status in (1, 2) else 500,
                "report": Failure(error=str(exc).replace(str(folder), ".")).to_dict()}
    finally:
        os.chdir(home)
    data = report.to_dict()
    data["input"], data["output"] = "content.yaml", Path(report.output).name if report.output else ""
    result = {"status": 200 if report.ok else 422, "report": data}
    if job.format == "pdf" and report.output:
        result["file"] = str(out)
    elif job.format == "png" and report.output:
        from layout.preview import preview

        result["file"] = str(preview(out, out.with_suffix(".png"), dpi=job.dpi))
    return result


def _serve(conn) -> None:
    """A worker's loop: a job in, a result out, until the pipe closes."""
    from layout.collector import tune

    tune()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            result = _run(job)
        except Exception as exc:  # an engine bug: told to the client as a 500, the worker lives on
            result = {"status": 500, "report": {"type": "failure", "version": 1, "ok": False, "diagnostics": [],
                                                "error": f"internal error: {type(exc).__name__}: {exc}"},
                      "trace": traceback.format_exc()}
        try:
            conn.send(result)
        except (EOFError, OSError, BrokenPipeError):
            return


class _Worker:
    def __init__(self, ctx):
        self.ctx = ctx
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child,), daemon=True, name="broadsheet-api-build")
        self.process.start()
        child.close()
        self.builds = 0

    def kill(self) -> None:
        try:
            self.conn.close()
        finally:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(5)


class BuildPool:
    """``jobs`` worker processes behind a queue of at most ``queue`` waiting builds."""

    def __init__(self, jobs: int, queue: int, timeout: float):
        self.jobs, self.queue_size, self.timeout = max(1, jobs), max(0, queue), timeout
        self.ctx = multiprocessing.get_context("spawn")  # no fork of a process with threads and an event loop
        self.queue: asyncio.Queue | None = None
        self.tasks: list[asyncio.Task] = []
        self.workers: list[_Worker] = []
        self.waiting = 0
        self.running = 0
        self.done = 0
        self.failed = 0
        self.timeouts = 0
        self.restarts = 0
        self.seconds: list[float] = []  # recent build times, for Retry-After

    async def start(self) -> None:
        self.queue = asyncio.Queue()
        loop = asyncio.get_running_loop()
        self.workers = await loop.run_in_executor(None, lambda: [_Worker(self.ctx) for _ in range(self.jobs)])
        self.tasks = [asyncio.create_task(self._consume(i)) for i in range(self.jobs)]

    async def stop(self) -> None:
        for t in self.tasks:
            t.cancel()
        for w in self.workers:
            w.kill()

    def retry_after(self) -> int:
        recent = self.seconds[-20:] or [2.0]
        per_build = sorted(recent)[len(recent) // 2]
        return max(1, math.ceil(per_build * (self.waiting + self.running) / self.jobs))

    async def submit(self, job: Job) -> dict:
        """Queue ``job`` and wait for its result; :class:`Busy` when the queue is full."""
        if self.waiting >= self.queue_size + max(0, self.jobs - self.running):
            raise Busy(self.retry_after())
        future = asyncio.get_running_loop().create_future()
        self.waiting += 1
        await self.queue.put((job, future))
        return await future

    async def _consume(self, index: int) -> None:
        loop = asyncio.get_running_loop()
        while True:
            job, future = await self.queue.get()
            self.waiting -= 1
            if future.cancelled():  # the client went away while it waited
                continue
            self.running += 1
            t0 = time.perf_counter()
            try:
                result = await loop.run_in_executor(None, self._call, index, job)
            except Exception as exc:  # (never expected: _call answers every failure)
                result = {"status": 500, "report": {"type": "failure", "version": 1, "ok": False, "diagnostics": [],
                                                    "error": f"internal error: {exc}"}}
            finally:
                self.running -= 1
            seconds = time.perf_counter() - t0
            self.seconds = (self.seconds + [seconds])[-50:]
            if result["status"] >= 500:
                self.failed += 1
            else:
                self.done += 1
            if not future.cancelled():
                future.set_result(result)

    def _call(self, index: int, job: Job) -> dict:
        """Send ``job`` to worker ``index`` and wait at most the time limit (on a thread)."""
        worker = self.workers[index]
        if not worker.process.is_alive():
            worker = self._replace(index)
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.timeout):
                worker.builds += 1
                return worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(index)
            return {"status": 500, "report": {"type": "failure", "version": 1, "ok": False, "diagnostics": [],
                                              "error": "the build's worker died; it has been restarted"}}
        self.timeouts += 1
        self._replace(index)
        return {"status": 504, "report": {"type": "failure", "version": 1, "ok": False, "diagnostics": [],
                                          "error": f"the build took longer than {self.timeout:g} s and was stopped"}}

    def _replace(self, index: int) -> _Worker:
        self.workers[index].kill()
        self.workers[index] = _Worker(self.ctx)
        self.restarts += 1
        return self.workers[index]

    def stats(self) -> dict:
        return {"jobs": self.jobs, "queue": self.queue_size, "waiting": self.waiting, "running": self.running,
                "done": self.done, "failed": self.failed, "timeouts": self.timeouts, "restarts": self.restarts,
                "timeout": self.timeout}
