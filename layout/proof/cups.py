"""Sending proof sheets to a printer through a CUPS server, over IPP, with pycups.

pycups is OpenPrinting's Python binding of libcups, the client library every CUPS tool uses
(``lp``, ``lpstat``): it speaks IPP to the scheduler and reads the same settings (the server
from ``$CUPS_SERVER`` or client.conf, else the local scheduler). It is synchronous, which suits
a command that sends one job and, with ``--wait``, watches it.

What is sent: the sheets' PDF (layout.proof.impose) as one job, so an edition's sheets come out
in page order, with ``media`` set to the sheet (so CUPS picks that paper and does not scale the
sheet to another), ``print-scaling=none`` (a 1:1 tile must stay 1:1; the sheets keep the margin
a printer cannot print) and ``copies``.

Before anything is built or sent the printer is asked for its state, so a wrong name or a
stopped printer is said at once, not after a build. Every failure is one line, with an exit
status of its own:

====  ===========================================================================================
5     no CUPS server answers (``$CUPS_SERVER``, ``--server``, or the local scheduler)
6     no such printer on that server, or no printer named and no default printer
7     the server refused the job: the queue is not accepting jobs, the request was forbidden
      (authentication) or its attributes were refused
8     the printer is stopped, paused or offline (nothing was sent); or, with ``--wait``, the job
      was stopped, held, cancelled or aborted before it printed
9     ``--wait``: the job was still queued or printing when the time ran out
====  ===========================================================================================
"""

from __future__ import annotations

import os
import re
import time

from msgspec import Struct, field

from layout.errors import BroadsheetError, SetupError

EXIT_NO_SERVER, EXIT_NO_PRINTER, EXIT_REFUSED, EXIT_OFFLINE, EXIT_TIMEOUT = 5, 6, 7, 8, 9

#: IPP job states (RFC 8011 5.3.7)
JOB_STATES = {3: "pending", 4: "held", 5: "processing", 6: "stopped", 7: "canceled", 8: "aborted", 9: "completed"}
PRINTER_STOPPED = 5
#: printer-state-reasons (less their -report, -warning, -error suffix) that mean it will not print
OFFLINE_REASONS = ("offline", "paused", "shutdown")


class PrintError(BroadsheetError):
    """A printing failure the CLI reports in one line (the exit status says which kind)."""

    exit_status = EXIT_NO_SERVER


class NoServer(PrintError):
    exit_status = EXIT_NO_SERVER


class UnknownPrinter(PrintError):
    exit_status = EXIT_NO_PRINTER


class JobRefused(PrintError):
    exit_status = EXIT_REFUSED


class PrinterOffline(PrintError):
    exit_status = EXIT_OFFLINE


class WaitTimeout(PrintError):
    exit_status = EXIT_TIMEOUT


class Printer(Struct):
    """A queue as the server describes it."""

    name: str
    server: str
    media_default: str = ""
    state: int = 3
    reasons: list[str] = field(default_factory=list)
    message: str = ""


class Job(Struct):
    id: int
    printer: str
    server: str
    state: str = "pending"
    message: str = ""


def _cups():
    try:
        import cups
    except ImportError:
        raise SetupError("printing needs pycups, which is not installed",
                         hint="run `make setup` (it installs libcups2-dev and pycups)") from None
    return cups


def _use_server(cups, server: str | None) -> str:
    """Point libcups at ``server`` ('host', 'host:port', '[::1]:631' or a socket path), else
    $CUPS_SERVER, else its default; return how to name the server in messages."""
    server = server or os.environ.get("CUPS_SERVER") or ""
    if server:
        host, port = server, None
        m = re.fullmatch(r"\[?([^\[\]]+?)\]?:(\d+)", server)
        if not server.startswith("/") and m:
            host, port = m.group(1), int(m.group(2))
        cups.setServer(host)
        if port:
            cups.setPort(port)
    host = cups.getServer()
    return host if host.startswith("/") else f"{host}:{cups.getPort()}"


class Client:
    """A connection to one CUPS server."""

    def __init__(self, server: str | None = None):
        cups = self.cups = _cups()
        self.server = _use_server(cups, server)
        try:
            self.conn = cups.Connection()
        except RuntimeError as exc:
            raise NoServer(f"no CUPS server answers at {self.server} ({exc}); start cupsd, or name the "
                           "server with --server HOST:PORT or CUPS_SERVER") from None

    def _names(self) -> str:
        try:
            names = sorted(self.conn.getPrinters())
        except (self.cups.IPPError, self.cups.HTTPError):
            return "?"
        return ", ".join(names) or "none"

    def printer(self, name: str | None) -> Printer:
        """The queue ``name`` (else the server's default) and its state; UnknownPrinter when
        there is none, JobRefused when it does not accept jobs, PrinterOffline when stopped."""
        cups = self.cups
        if not name:
            name = self.conn.getDefault()
            if not name:
                raise UnknownPrinter(f"no printer named and {self.server} has no default printer; name one "
                                     f"with --printer (printers there: {self._names()})")
        try:
            a = self.conn.getPrinterAttributes(name, requested_attributes=[
                "printer-state", "printer-state-reasons", "printer-state-message", "printer-is-accepting-jobs",
                "media-default"])
        except cups.IPPError as exc:
            status, text = exc.args[0], exc.args[1] if len(exc.args) > 1 else ""
            if status == cups.IPP_NOT_FOUND:
                raise UnknownPrinter(f"no printer {name!r} on {self.server} (printers there: {self._names()})") from None
            raise JobRefused(f"{self.server} will not describe printer {name!r}: {text} (IPP status 0x{status:04x})") from None
        except cups.HTTPError as exc:
            raise JobRefused(f"{self.server} refused to talk about printer {name!r} (HTTP {exc.args[0]})") from None
        reasons = [r for r in a.get("printer-state-reasons", []) if r != "none"]
        p = Printer(name, self.server, a.get("media-default", ""), int(a.get("printer-state", 3)), reasons,
                    a.get("printer-state-message", "") or "")
        why = "; ".join(filter(None, [", ".join(reasons), p.message]))
        if not a.get("printer-is-accepting-jobs", True):
            raise JobRefused(f"printer {name!r} on {self.server} is not accepting jobs" + (f" ({why})" if why else ""))
        if p.state == PRINTER_STOPPED or any(re.sub(r"-(report|warning|error)$", "", r) in OFFLINE_REASONS for r in reasons):
            raise PrinterOffline(f"printer {name!r} on {self.server} is stopped or offline" + (f" ({why})" if why else "")
                                 + "; nothing sent (resume it with `cupsenable`)")
        return p

    def submit(self, printer: Printer, pdf: str, *, title: str, media: str, copies: int = 1) -> Job:
        """Send ``pdf`` as one job; JobRefused if the server will not take it."""
        cups = self.cups
        options = {"media": media, "copies": str(copies), "print-scaling": "none"}
        try:
            job_id = self.conn.printFile(printer.name, pdf, title, options)
        except cups.IPPError as exc:
            status, text = exc.args[0], exc.args[1] if len(exc.args) > 1 else ""
            if status == cups.IPP_NOT_FOUND:
                raise UnknownPrinter(f"no printer {printer.name!r} on {self.server}") from None
            raise JobRefused(f"{self.server} refused the job for {printer.name!r}: {text} (IPP status 0x{status:04x})") from None
        except cups.HTTPError as exc:
            raise JobRefused(f"{self.server} refused the job for {printer.name!r} (HTTP {exc.args[0]})") from None
        return Job(job_id, printer.name, self.server)

    def job_state(self, job: Job) -> Job:
        a = self.conn.getJobAttributes(job.id, requested_attributes=[
            "job-state", "job-state-reasons", "job-printer-state-message"])
        reasons = [r for r in (a.get("job-state-reasons") or []) if r != "none"]
        if isinstance(a.get("job-state-reasons"), str):
            reasons = [a["job-state-reasons"]]
        message = "; ".join(filter(None, [", ".join(reasons), a.get("job-printer-state-message", "") or ""]))
        return Job(job.id, job.printer, job.server, JOB_STATES.get(int(a.get("job-state", 3)), "pending"), message)

    def wait(self, job: Job, timeout: float = 600.0, poll: float = 0.2) -> Job:
        """Until the job is completed: PrinterOffline when it stops, is held, cancelled or
        aborted (or its printer stops); WaitTimeout when ``timeout`` seconds pass first."""
        deadline = time.monotonic() + timeout
        while True:
            job = self.job_state(job)
            if job.state == "completed":
                return job
            if job.state in ("stopped", "held", "canceled", "aborted"):
                raise PrinterOffline(f"job {job.id} on {job.printer!r} was {job.state}"
                                     + (f" ({job.message})" if job.message else ""))
            if job.state == "pending":
                a = self.conn.getPrinterAttributes(job.printer, requested_attributes=["printer-state",
                                                                                      "printer-state-message"])
                if int(a.get("printer-state", 3)) == PRINTER_STOPPED:
                    raise PrinterOffline(f"job {job.id} waits: printer {job.printer!r} is stopped"
                                         + (f" ({a.get('printer-state-message')})" if a.get("printer-state-message") else ""))
            if time.monotonic() >= deadline:
                raise WaitTimeout(f"job {job.id} on {job.printer!r} is still {job.state} after {timeout:g} s")
            time.sleep(poll)
