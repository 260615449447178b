"""A private CUPS server for the printing tests, with a cups-pdf virtual printer.

Everything is the test's own: ``cupsd`` runs on a free loopback port with its configuration,
spool, cache, state and logs in a temporary folder (``cupsd -c ... -s ...``), never the
system's. The virtual printer is Debian's cups-pdf backend (printer-driver-cups-pdf): CUPS's
filters turn the job into PostScript for it, and it distils that into a PDF with Ghostscript,
so what it writes is what a real printer would have been sent, after CUPS.

One thing needed care: cups-pdf reads its settings (where to write the PDF, its spool, its log)
only from ``/etc/cups/cups-pdf.conf`` (or ``cups-pdf-<queue>.conf`` beside it); the path is
compiled in, and the backend runs as root (it is installed mode 0700, so cupsd runs it as root)
and writes to the job owner's ``~/PDF`` by default. So that it writes into the test's folder and
no file of the system is touched, cupsd is started in a private mount namespace
(``unshare --mount``, which root may do) where the test's configuration folder is bind-mounted
over ``/etc/cups``: cupsd and the backends it starts see the test's cups-pdf.conf, the rest of
the machine sees its own ``/etc/cups``. The namespace goes away with cupsd.

The folder must be readable by the ``lp`` user (CUPS runs filters as lp), so it is made under
the system's temporary folder with mode 0755, not under pytest's private tmp_path.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd")
BACKEND = Path("/usr/lib/cups/backend/cups-pdf")


def wait_for(check, timeout: float, what: str, interval: float = 0.1):
    """Poll ``check()`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:g} s for {what}")
        time.sleep(interval)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateCups:
    """``start()`` a cupsd of our own; ``add_pdf_printer(name)``; ``arrivals()``; ``stop()``."""

    def __init__(self):
        self.base = Path(tempfile.mkdtemp(prefix="broadsheet-cups-"))
        os.chmod(self.base, 0o755)
        self.etc, self.out = self.base / "etc", self.base / "pdf"
        for d in ("etc/ppd", "spool/tmp", "cache", "state", "log", "pdf", "cups-pdf-spool", "cups-pdf-log"):
            (self.base / d).mkdir(parents=True)
        self.port = 0
        self.proc: subprocess.Popen | None = None

    @property
    def server(self) -> str:
        return f"127.0.0.1:{self.port}"

    def env(self) -> dict:
        return {**os.environ, "CUPS_SERVER": self.server}

    def _configure(self) -> None:
        b = self.base
        (self.etc / "cups-files.conf").write_text(f"""\
ServerRoot {self.etc}
RequestRoot {b / 'spool'}
TempDir {b / 'spool/tmp'}
CacheDir {b / 'cache'}
StateDir {b / 'state'}
ErrorLog {b / 'log/error_log'}
AccessLog {b / 'log/access_log'}
PageLog {b / 'log/page_log'}
ServerBin /usr/lib/cups
DataDir /usr/share/cups
Sandboxing Relaxed
""")
        (self.etc / "cupsd.conf").write_text(f"""\
Listen 127.0.0.1:{self.port}
Listen {b / 'cups.sock'}
LogLevel info
Browsing No
WebInterface No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow 127.0.0.1
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
""")
        (self.etc / "cups-pdf.conf").write_text(f"""\
Out {self.out}
AnonDirName {self.out}
Spool {b / 'cups-pdf-spool'}
Log {b / 'cups-pdf-log'}
Grp root
Label 2
""")

    def start(self, timeout: float = 30.0) -> "PrivateCups":
        for _ in range(3):  # a port taken between choosing and binding: choose again
            self.port = _free_port()
            self._configure()
            log = open(self.base / "log" / "cupsd.out", "ab")
            self.proc = subprocess.Popen(
                ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                 'mount --bind "$1" /etc/cups && exec cupsd -f -c "$1/cupsd.conf" -s "$1/cups-files.conf"',
                 "sh", str(self.etc)],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            log.close()

            def up():
                if self.proc.poll() is not None:
                    return "exited"
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                        return "up"
                except OSError:
                    return None

            try:
                if wait_for(up, timeout, "cupsd to listen") == "up":
                    return self
            except TimeoutError:  # running but not listening on the port (taken meanwhile): try another
                self._end()
        raise RuntimeError("cupsd did not start: " + self.log())

    def log(self) -> str:
        text = ""
        for f in ("cupsd.out", "error_log"):
            p = self.base / "log" / f
            if p.exists():
                text += p.read_text(errors="replace")[-3000:]
        return text

    def connection(self):
        import cups

        cups.setServer("127.0.0.1")
        cups.setPort(self.port)
        return cups.Connection()

    def add_pdf_printer(self, name: str) -> None:
        conn = self.connection()
        conn.addPrinter(name, filename=str(PPD), device="cups-pdf:/", info="broadsheet test PDF printer")
        conn.enablePrinter(name)
        conn.acceptJobs(name)

    def arrivals(self) -> set[Path]:
        return set(self.out.glob("*.pdf"))

    def arrived_after(self, before: set[Path], timeout: float = 60.0) -> Path:
        """The PDF the virtual printer wrote since ``before``, once it is whole."""
        import pikepdf

        def new_pdf():
            for p in sorted(self.arrivals() - before):
                try:
                    with pikepdf.open(p):
                        return p
                except Exception:  # noqa: BLE001 - still being written
                    return None
            return None

        return wait_for(new_pdf, timeout, "the virtual printer's PDF")

    def _end(self) -> None:
        """Stop our cupsd (its process group: the namespace's cupsd and the filters it started)."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)

    def stop(self) -> None:
        self._end()
        shutil.rmtree(self.base, ignore_errors=True)


def can_run() -> str:
    """Why a private CUPS server cannot run here ('' if it can)."""
    missing = [t for t in ("cupsd", "unshare", "gs") if not shutil.which(t)]
    if missing:
        return f"missing {', '.join(missing)} (the set-up installs cups and printer-driver-cups-pdf)"
    if not PPD.exists() or not BACKEND.exists():
        return "cups-pdf is not installed (printer-driver-cups-pdf)"
    if os.geteuid() != 0:
        return "cups-pdf's backend and the private mount namespace need root"
    return ""
