"""Benchmarks (not tests): medians of repeated runs, each beside its Typst counterpart measured in
the same run, interleaved round by round, since absolute times drift between machines and, on a
shared 2-core machine, from minute to minute.

    make bench                                   # every section
    .venv/bin/python tools/bench.py --only edition,live [--runs N] [--rounds N]

Sections (``--only``), each printed and written to ``output/bench.json``:

- ``seed``: the seed page as a whole process, run in turn with the Typst reference page of
  ``../shared/bench/``: with warm caches, with every paragraph new to the paragraph memo, and after
  an edit (one paragraph new); ratios to Typst on wall and on CPU time (user + system, which
  other tenants of the machine disturb less);
- ``imports``: the imports alone (the floor under any build), and the slowest modules of
  ``python -X importtime -m layout build``;
- ``cold``: the first build after install (empty font, paragraph and photo caches; what the
  set-up prepared stays), in turn with Typst's page;
- ``live``: the in-process rebuild after a one-paragraph edit (what ``watch`` and ``serve`` do),
  and after a save that changed nothing, in turn with Typst's incremental compile of its page
  after the same kind of edit (``typst.Compiler`` kept alive);
- ``preview``: ``serve``'s live preview: from writing content.yaml to the build's event (what the
  browser hears over SSE), and to the new version's tile under the edited paragraph being ready;
- ``edition``: 24 distinct pages (``../shared/bench/edition24``: every page's paragraphs rotated,
  a new rotation each round, the paragraph memo empty) on all cores, in turn with Typst setting
  the same 24 pages' text in one document; pages per second, peak memory of each worker;
- ``scaling``: editions of 1, 4, 16 and 64 distinct pages (Typst: the same pages in one
  document), and the seed page with 4x its text, all paragraphs new: time per page should stay flat.

Every build uses a private cache folder (warmed once at the start), so other builds on the
machine neither help nor hinder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SHARED = ROOT.parent / "shared" / "bench"
SECTIONS = ("seed", "imports", "cold", "live", "preview", "edition", "scaling")


class Run:
    """One child process: wall seconds, CPU seconds (user + system, with its children), peak
    RSS of the largest process (MiB), and the peak RSS of each of its child processes."""

    def __init__(self, wall: float, cpu: float, peak: float, children: list[float]):
        self.wall, self.cpu, self.peak, self.children = wall, cpu, peak, children


def _hwm_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            out += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return out


def run(cmd: list[str], env=None, cwd=None, watch_children: bool = False) -> Run:
    """Run ``cmd`` to the end; raise SystemExit when it fails. ``watch_children``: sample the
    peak RSS of its child processes (an edition's workers) while it runs."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks: dict[int, float] = {}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            for c in _children(proc.pid):
                m = _hwm_mib(c)
                if m is not None:
                    peaks[c] = max(peaks.get(c, 0.0), m)
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True) if watch_children else None
    if sampler:
        sampler.start()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    if sampler:
        sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n"
                         f"{err.decode(errors='replace')}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, sorted(peaks.values()))


def med(values) -> float:
    return statistics.median(values)


def ms(s: float) -> str:
    return f"{s * 1000:7.0f} ms"


def fresh_memo(warm: Path, base: Path) -> Path:
    """A cache folder sharing the warm one's fonts, photos and profiles, with an empty paragraph
    memo: every paragraph is composed anew."""
    d = Path(tempfile.mkdtemp(prefix="memo-", dir=base))
    for sub in warm.iterdir():
        if sub.is_dir() and sub.name not in ("compose", "parts"):
            os.symlink(sub, d / sub.name)
    return d


def rot(s: str, k: int) -> str:
    """(as ../shared/bench/edition24/make_edition.py rotates a paragraph)"""
    k %= max(len(s), 1)
    return s[k:] + s[:k]


def make_pages(out: Path, typ_ref: Path, n: int, rnd: int, times: int = 1) -> tuple[Path, Path]:
    """An edition of ``n`` distinct pages for both systems, as make_edition.py makes 24 (each
    body paragraph rotated by 7 page + 3 paragraph + 101 round characters); ``times``: each
    paragraph ``times`` times over (rotated again), for a page with more text. Returns the
    broadsheet edition file and Typst's compile script."""
    import yaml

    bs, ty = out / "bs", out / "typ"
    for d in (bs, ty):
        shutil.rmtree(d, ignore_errors=True)
    bs.mkdir(parents=True)
    shutil.copytree(ROOT / "images", bs / "images")
    page = yaml.safe_load((ROOT / "content.yaml").read_text(encoding="utf-8"))

    def turn(text: str, k: int) -> str:
        return "".join(rot(text, k + 13 * t) for t in range(times))

    names = []
    for p in range(n):
        d = yaml.safe_load(yaml.safe_dump(page, allow_unicode=True))
        i = 0
        for art in d.get("articles", []):
            body = art.get("body") or []
            for j, para in enumerate(body):
                if isinstance(para, str):
                    body[j] = turn(para, 7 * p + 3 * i + 101 * rnd)
                    i += 1
                elif isinstance(para, dict) and isinstance(para.get("text"), str):
                    para["text"] = turn(para["text"], 7 * p + 3 * i + 101 * rnd)
                    i += 1
        name = f"page_{p:02d}.yaml"
        (bs / name).write_text(yaml.safe_dump(d, allow_unicode=True, sort_keys=False), encoding="utf-8")
        names.append(name)
    (bs / "edition.yaml").write_text(yaml.safe_dump({"paper": "株洲日报", "date": "2024-10-31", "pages": names},
                                                    allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copytree(typ_ref, ty)
    src = (typ_ref / "page.typ").read_text(encoding="utf-8").splitlines()
    start = next(k for k, ln in enumerate(src) if ln.startswith("#balanced-columns("))
    end = next(k for k in range(start + 1, len(src)) if src[k].strip() == "]")
    incl = []
    for p in range(n):
        lines = list(src)
        i = 0
        for k in range(start + 1, end):
            ln = lines[k]
            if ln.strip() and not ln.lstrip().startswith("#"):
                lines[k] = turn(ln, 7 * p + 3 * i + 101 * rnd)
                i += 1
        (ty / f"page_{p:02d}.typ").write_text("\n".join(lines) + "\n", encoding="utf-8")
        incl.append(f'#include "page_{p:02d}.typ"')
    (ty / "edition.typ").write_text("\n".join(incl) + "\n", encoding="utf-8")
    script = ty / "compile_edition.py"
    script.write_text("import os, sys, typst\nh = os.path.dirname(os.path.abspath(__file__))\n"
                      "typst.compile(os.path.join(h, 'edition.typ'), root=h, output=sys.argv[1])\n")
    return bs / "edition.yaml", script


class Bench:
    def __init__(self, args):
        self.args = args
        self.out = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
        self.results: dict = {}
        self.cache = self.out / "cache"  # the warm cache of every build here
        self.env = {**os.environ, "BROADSHEET_CACHE": str(self.cache)}
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.typ = None  # the Typst reference page's folder (with its photos), or None
        self.typ_cmd = None

    def say(self, line: str = "") -> None:
        print(line, flush=True)

    def record(self, section: str, **values) -> None:
        self.results.setdefault(section, {}).update(values)

    def setup(self) -> None:
        import compileall

        # byte-compile the package as an installation would (PYTHONDONTWRITEBYTECODE, set in some
        # shells, would otherwise make every run recompile it: ~0.1 s that no user pays)
        compileall.compile_dir(str(ROOT / "layout"), quiet=1)
        self.say(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
                 f"{platform.platform()}; load average {os.getloadavg()[0]:.1f}")
        self.record("machine", cores=os.cpu_count(), python=platform.python_version(), platform=platform.platform(),
                    load=os.getloadavg()[0])
        try:
            import typst

            version = getattr(typst, "__version__", "?")
        except ImportError:
            version = None
        ref = SHARED / "typst-reference"
        if version and ref.is_dir():
            self.typ = self.out / "typst-reference"
            shutil.copytree(ref, self.typ)
            os.chmod(self.typ, 0o755)
            subprocess.run([PY, str(self.typ / "make_images.py")], check=True, cwd=self.typ, capture_output=True)
            self.typ_cmd = [PY, str(self.typ / "compile.py"), str(self.out / "typst.pdf")]
            run(self.typ_cmd, cwd=self.typ)
            self.say(f"Typst {version} (the `typst` package), reference page {ref}")
        else:
            self.say("Typst not measured (pip install typst; ../shared/bench/ must exist): no ratios")
        self.record("machine", typst=version)
        self.page = self.out / "page"  # a copy of the seed page to edit
        self.page.mkdir()
        shutil.copytree(ROOT / "images", self.page / "images")
        self.base = (ROOT / "content.yaml").read_text(encoding="utf-8")
        (self.page / "content.yaml").write_text(self.base, encoding="utf-8")
        self.seed_cmd = [PY, "-m", "layout", "build", str(ROOT / "content.yaml"), "-o", str(self.out / "seed.pdf"), "-q"]
        t = time.perf_counter()
        run(self.seed_cmd, env=self.env)  # the warm cache
        self.say(f"(cache warmed in {time.perf_counter() - t:.1f} s)\n")

    def ratio_line(self, name: str, ours: list[Run], theirs: list[Run] | None) -> dict:
        w = med([r.wall for r in ours])
        c = med([r.cpu for r in ours])
        peak = max(r.peak for r in ours)
        out = {"ms": round(w * 1000, 1), "cpu_ms": round(c * 1000, 1), "peak_mib": round(peak, 1)}
        line = f"{name:<44}{ms(w)}  (CPU {c * 1000:5.0f} ms, peak RSS {peak:4.0f} MiB)"
        if theirs:
            tw, tc = med([r.wall for r in theirs]), med([r.cpu for r in theirs])
            out.update(typst_ms=round(tw * 1000, 1), typst_cpu_ms=round(tc * 1000, 1), ratio=round(w / tw, 3),
                       ratio_cpu=round(c / tc, 3))
            line += f"   {w / tw:4.2f}x Typst ({c / tc:4.2f}x on CPU)"
        self.say(line)
        return out

    # -- sections ----------------------------------------------------------------------------

    def seed(self) -> None:
        n = self.args.runs
        self.say(f"== the seed page, whole process ({n} rounds; each round runs all four in turn)")
        edit_cmd = [PY, "-m", "layout", "build", str(self.page / "content.yaml"), "-o", str(self.out / "edit.pdf"), "-q"]
        runs: dict[str, list[Run]] = {"warm": [], "new": [], "edit": [], "typst": []}
        for i in range(n):
            runs["warm"].append(run(self.seed_cmd, env=self.env))
            memo = fresh_memo(self.cache, self.out)
            runs["new"].append(run(self.seed_cmd, env={**self.env, "BROADSHEET_CACHE": str(memo)}))
            shutil.rmtree(memo, ignore_errors=True)
            (self.page / "content.yaml").write_text(self.base.replace("天元区发布", "天元区发布" + "株洲" * (i + 1), 1),
                                                    encoding="utf-8")
            runs["edit"].append(run(edit_cmd, env=self.env))
            if self.typ_cmd:
                runs["typst"].append(run(self.typ_cmd, cwd=self.typ))
        (self.page / "content.yaml").write_text(self.base, encoding="utf-8")
        typ = runs["typst"] or None
        if typ:
            self.record("seed", typst_ms=round(med([r.wall for r in typ]) * 1000, 1),
                        typst_cpu_ms=round(med([r.cpu for r in typ]) * 1000, 1),
                        typst_peak_mib=round(max(r.peak for r in typ), 1))
            self.say(f"{'Typst reference page':<44}{ms(med([r.wall for r in typ]))}  "
                     f"(CPU {med([r.cpu for r in typ]) * 1000:5.0f} ms, peak RSS {max(r.peak for r in typ):4.0f} MiB)")
        self.record("seed", warm=self.ratio_line("warm caches", runs["warm"], typ),
                    all_new=self.ratio_line("every paragraph new to the memo", runs["new"], typ),
                    edit=self.ratio_line("after an edit (one paragraph new)", runs["edit"], typ))
        self.say()

    def imports(self) -> None:
        n = self.args.runs
        self.say("== imports")
        floor_cmd = [PY, "-c", "import layout.cli, layout.build, layout.model.validate, layout.render.pdf"]
        floor = [run(floor_cmd, env=self.env) for _ in range(n)]
        f = med([r.wall for r in floor])
        self.say(f"{'imports of a build (interpreter included)':<44}{ms(f)}")
        out = subprocess.run([PY, "-X", "importtime", *self.seed_cmd[1:]], env=self.env, capture_output=True, text=True)
        tops = []
        for line in out.stderr.splitlines():
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
            if m and len(m.group(3)) == 1:  # top-level imports
                tops.append((int(m.group(2)), m.group(4)))
        tops.sort(reverse=True)
        total = sum(t for t, _ in tops)
        self.say(f"  -X importtime of `build`: {total / 1000:.0f} ms of imports; the largest: " +
                 ", ".join(f"{name} {t / 1000:.0f}" for t, name in tops[:8]))
        self.record("imports", ms=round(f * 1000, 1), importtime_ms=round(total / 1000, 1),
                    largest={name: round(t / 1000, 1) for t, name in tops[:12]})
        self.say()

    def cold(self) -> None:
        n = max(1, min(self.args.runs, 3))
        self.say(f"== the first build after install: empty caches ({n} rounds, in turn with Typst's page)")
        ours, theirs = [], []
        for _ in range(n):
            empty = Path(tempfile.mkdtemp(prefix="cold-", dir=self.out))
            try:
                ours.append(run(self.seed_cmd, env={**self.env, "BROADSHEET_CACHE": str(empty)}))
            finally:
                shutil.rmtree(empty, ignore_errors=True)
            if self.typ_cmd:
                theirs.append(run(self.typ_cmd, cwd=self.typ))
        self.record("cold", **self.ratio_line("seed page, empty caches", ours, theirs or None))
        self.say()

    def live(self) -> None:
        n = self.args.runs
        self.say(f"== the live loop, in process ({n} edits; each followed by a save that changed nothing)")
        code = f"""
import json, os, random, statistics, sys, time
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from layout.build import BuildOptions, build
page, out, base, n = Path({str(self.page)!r}), Path({str(self.out)!r}), {self.base!r}, {n}
typ = {str(self.typ) if self.typ else None!r}
opts = BuildOptions(output=out / "live.pdf")
(page / "content.yaml").write_text(base, encoding="utf-8")
build(page / "content.yaml", opts)
comp = None
if typ:
    import typst
    src = Path(typ) / "page.typ"
    tbase = src.read_text(encoding="utf-8")
    src.write_text(tbase, encoding="utf-8")
    comp = typst.Compiler(str(src), root=typ)
    comp.compile(output=str(out / "live-typst.pdf"))
edited, same, stages, typst_edit = [], [], [], []
# each edit new to this run (a number of its own): the edited paragraph is broken again, never
# read from the paragraph store an earlier bench run left
nonce = random.randrange(10 ** 8, 10 ** 9)
for i in range(n):
    edit = "株洲高新区" * (i % 3 + 1) + f"第{{nonce + i}}号"
    for extra, bucket in ((edit, edited), ("", same)):
        (page / "content.yaml").write_text(base.replace("天元区发布", "天元区发布" + extra, 1), encoding="utf-8")
        t = time.perf_counter()
        r = build(page / "content.yaml", opts)
        bucket.append(time.perf_counter() - t)
        if extra:
            stages.append(r.timings)
    if comp is not None:
        src.write_text(tbase.replace("城市品牌，也叫城市IP", "城市品牌，也叫城市IP" + edit, 1), encoding="utf-8")
        t = time.perf_counter()
        comp.compile(output=str(out / "live-typst.pdf"))
        typst_edit.append(time.perf_counter() - t)
if typ:
    src.write_text(tbase, encoding="utf-8")
stage = {{k: statistics.median(s.get(k, 0.0) for s in stages) for k in stages[0]}}
print(json.dumps({{"edited": edited, "same": same, "typst": typst_edit, "stages": stage}}))
"""
        res = subprocess.run([PY, "-c", code], env=self.env, capture_output=True, text=True)
        if res.returncode:
            raise SystemExit(f"live loop failed:\n{res.stderr}")
        d = json.loads(res.stdout.strip().splitlines()[-1])
        e, s = med(d["edited"]), med(d["same"])
        line = f"{'rebuild after a one-paragraph edit':<44}{ms(e)}"
        rec = {"edit_ms": round(e * 1000, 1), "unchanged_ms": round(s * 1000, 1),
               "stages_ms": {k: round(v * 1000, 1) for k, v in d["stages"].items()}}
        if d["typst"]:
            t = med(d["typst"])
            line += f"   Typst's incremental compile {t * 1000:.0f} ms ({e / t:.1f}x)"
            rec.update(typst_ms=round(t * 1000, 1), ratio=round(e / t, 2))
        self.say(line)
        self.say(f"{'rebuild after a save that changed nothing':<44}{ms(s)}")
        self.say("  stages of the edited rebuild: " + ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in d["stages"].items()))
        self.record("live", **rec)
        self.say()

    def preview(self) -> None:
        n = self.args.runs
        self.say(f"== serve's live preview ({n} saves, watched as `serve` watches them)")
        code = f"""
import asyncio, json, sys, time
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from layout.build import BuildOptions, display_list
from layout.display import Glyphs
from layout.serve.session import Session, TILE
page, base, n = Path({str(self.page)!r}), {self.base!r}, {n}
(page / "content.yaml").write_text(base, encoding="utf-8")
# the tile under the edited paragraph, at the level a browser at 100 % asks for
level = 1.0
dl = display_list(page / "content.yaml", BuildOptions(proof=True, guides=True))
import yaml
doc = yaml.safe_load(base)
source = next(f"{{a['id']}}:body[{{i}}]" for a in doc["articles"] for i, b in enumerate(a.get("body") or [])
              if isinstance(b, str) and "天元区发布" in b)
mine = [it for it in dl.items if isinstance(it, Glyphs) and it.source == source]
run = next((it for it in mine if "发布" in it.text), mine[0])
tx, ty = int(run.x * level // TILE), int(run.y * level // TILE)

async def main():
    loop = asyncio.get_running_loop()
    s = Session(page / "content.yaml")
    await s.rebuild()
    got = asyncio.Queue()
    s.listeners.add(lambda ev: ev.get("type") == "page" and loop.call_soon_threadsafe(got.put_nowait, (time.perf_counter(), ev)))
    heard = []
    affected = s.affected
    def noticed(paths):  # (the moment the watcher reports the save to the server)
        heard.append(time.perf_counter())
        return affected(paths)
    s.affected = noticed
    stop = asyncio.Event()
    watcher = asyncio.create_task(s.watch(stop))
    await asyncio.sleep(0.5)
    # the browser shows the page at 100 %: every tile of it at that level is there before the edits
    w, h = s.built[1].overlay["width"], s.built[1].overlay["height"]
    grid = [(x, y) for x in range(int(w * level // TILE) + 1) for y in range(int(h * level // TILE) + 1)]
    for x, y in grid:
        s.tile(1, s.built[1].version, level, x, y)
    events, tiles, builds, after, alltiles, kept = [], [], [], [], [], []
    for i in range(n):
        text = base.replace("天元区发布", "天元区发布" + "株洲" * (i + 1), 1)
        heard.clear()
        t0 = time.perf_counter()
        (page / "content.yaml").write_text(text, encoding="utf-8")
        t1, ev = await asyncio.wait_for(got.get(), 30)
        events.append(t1 - t0)
        builds.append(s.built[1].seconds)
        kept.append(len(s.built[1].tiles))
        data = await loop.run_in_executor(None, s.tile, 1, ev["version"], level, tx, ty)
        assert data, "no tile"
        t2 = time.perf_counter()
        tiles.append(t2 - t0)
        after.append((t1 - heard[0], t2 - heard[0]))
        for x, y in grid:  # the rest of the page, as the browser asks for it
            await loop.run_in_executor(None, s.tile, 1, ev["version"], level, x, y)
        alltiles.append(time.perf_counter() - t0)
        await asyncio.sleep(0.3)
    stop.set()
    await watcher
    s.close()
    print(json.dumps({{"event": events, "tile": tiles, "build": builds, "after": after, "all": alltiles,
                      "kept": kept, "tiles": len(grid)}}))

asyncio.run(main())
"""
        res = subprocess.run([PY, "-c", code], env=self.env, capture_output=True, text=True)
        (self.page / "content.yaml").write_text(self.base, encoding="utf-8")
        if res.returncode:
            raise SystemExit(f"preview bench failed:\n{res.stderr}")
        d = json.loads(res.stdout.strip().splitlines()[-1])
        ev, tile, b = med(d["event"]), med(d["tile"]), med(d["build"])
        ev2, tile2 = med([a for a, _ in d["after"]]), med([t for _, t in d["after"]])
        whole = med(d["all"])
        self.say(f"{'save -> the page event (SSE)':<44}{ms(ev)}  (of which the build: {b * 1000:.0f} ms)")
        self.say(f"{'save -> the edited tile ready':<44}{ms(tile)}")
        self.say(f"{'change reported -> event / edited tile':<44}{ms(ev2)} / {tile2 * 1000:.0f} ms  (from the watcher's report)")
        self.say(f"{'save -> every tile of the page at 100 %':<44}{ms(whole)}  ({med(d['kept']):.0f} of {d['tiles']} tiles "
                 "kept from the last build)")
        self.record("preview", event_ms=round(ev * 1000, 1), tile_ms=round(tile * 1000, 1), build_ms=round(b * 1000, 1),
                    reported_to_event_ms=round(ev2 * 1000, 1), reported_to_tile_ms=round(tile2 * 1000, 1),
                    all_tiles_ms=round(whole * 1000, 1), tiles=d["tiles"], tiles_kept=med(d["kept"]))
        self.say()

    def edition(self) -> None:
        n = self.args.rounds
        cores = os.cpu_count()
        self.say(f"== an edition of 24 distinct pages ({n} rounds, a new rotation each; {cores} cores)")
        ours, theirs = [], []
        make = SHARED / "edition24" / "make_edition.py"
        for r in range(n):
            work = self.out / "ed24"
            if make.is_file() and self.typ:
                subprocess.run([PY, str(make), str(ROOT), str(self.typ), str(work), str(1000 + r)], check=True,
                               capture_output=True)
                edition, script = work / "bs" / "edition.yaml", work / "typ" / "compile_edition.py"
            else:
                edition, script = make_pages(work, self.typ or SHARED / "typst-reference", 24, 1000 + r)
            memo = fresh_memo(self.cache, self.out)
            ours.append(run([PY, "-m", "layout", "build", str(edition), "-o", str(work / "out"), "-q"],
                            env={**self.env, "BROADSHEET_CACHE": str(memo)}, watch_children=True))
            shutil.rmtree(memo, ignore_errors=True)
            if self.typ:
                theirs.append(run([PY, str(script), str(work / "typst.pdf")], cwd=script.parent))
        rec = self.ratio_line("24 pages", ours, theirs or None)
        w = med([r.wall for r in ours])
        workers = [m for r in ours for m in r.children]
        per_worker = max(workers) if workers else 0.0
        line = f"  {24 / w:.1f} pages/s; peak RSS per worker {per_worker:.0f} MiB (the driver's process {max(r.peak for r in ours):.0f} MiB at most)"
        if theirs:
            tw = med([r.wall for r in theirs])
            line += f"; Typst {24 / tw:.1f} pages/s, {max(r.peak for r in theirs):.0f} MiB"
        self.say(line)
        self.record("edition", **rec, pages_per_s=round(24 / w, 2), worker_peak_mib=round(per_worker, 1))
        self.say()

    def scaling(self) -> None:
        self.say("== scaling: distinct pages, every paragraph new (one run each, Typst in turn)")
        rows = {}
        for n in (1, 4, 16, 64):
            work = self.out / f"scale{n}"
            edition, script = make_pages(work, self.typ or SHARED / "typst-reference", n, 2000 + n)
            memo = fresh_memo(self.cache, self.out)
            ours = run([PY, "-m", "layout", "build", str(edition), "-o", str(work / "out"), "-q"],
                       env={**self.env, "BROADSHEET_CACHE": str(memo)})
            shutil.rmtree(memo, ignore_errors=True)
            theirs = run([PY, str(script), str(work / "typst.pdf")], cwd=script.parent) if self.typ else None
            shutil.rmtree(work, ignore_errors=True)
            # the time of one more page, past the first (process start-up and warm-up excluded)
            rows[n] = {"ms": round(ours.wall * 1000, 1), "ms_per_page": round(ours.wall * 1000 / n, 1)}
            line = f"  {n:3d} pages: {ms(ours.wall)} ({ours.wall * 1000 / n:6.1f} ms a page)"
            if theirs:
                rows[n].update(typst_ms=round(theirs.wall * 1000, 1), ratio=round(ours.wall / theirs.wall, 2))
                line += f"   Typst {ms(theirs.wall)} ({theirs.wall * 1000 / n:6.1f} ms a page)   {ours.wall / theirs.wall:4.2f}x"
            self.say(line)
        slope = (rows[64]["ms"] - rows[16]["ms"]) / 48
        self.say(f"  time of one more page (16 -> 64): {slope:.0f} ms")
        # a page with 4x the text (each paragraph four times over), every paragraph new
        text = {}
        for times in (1, 4):
            work = self.out / f"text{times}"
            edition, script = make_pages(work, self.typ or SHARED / "typst-reference", 1, 3000 + times, times=times)
            page = edition.parent / "page_00.yaml"
            ts, tt = [], []
            for r in range(max(1, min(3, self.args.runs))):
                if r:
                    make_pages(work, self.typ or SHARED / "typst-reference", 1, 3000 + 10 * r + times, times=times)
                memo = fresh_memo(self.cache, self.out)
                ts.append(run([PY, "-m", "layout", "build", str(page), "-o", str(work / "p.pdf"), "-q"],
                              env={**self.env, "BROADSHEET_CACHE": str(memo)}).wall)
                shutil.rmtree(memo, ignore_errors=True)
                if self.typ:
                    tt.append(run([PY, str(script), str(work / "typst.pdf")], cwd=script.parent).wall)
            text[times] = (med(ts), med(tt) if tt else None)
            shutil.rmtree(work, ignore_errors=True)
        (o1, t1), (o4, t4) = text[1], text[4]
        line = f"  the seed page with 4x its text: {ms(o4)} ({o4 / o1:.2f}x the page with 1x: {o1 * 1000:.0f} ms)"
        if t1 and t4:
            line += f"   Typst {t4 * 1000:.0f} ms ({t4 / t1:.2f}x of {t1 * 1000:.0f} ms)"
        self.say(line)
        # the composer alone against text length (in process, the memo bypassed)
        code = f"""
import json, statistics, sys, time
sys.path.insert(0, {str(ROOT)!r})
import yaml
from layout.cache import cache_root
from layout.fonts.faces import page_fonts
from layout.text.api import ParagraphStyle
from layout.text.compose import compose_uncached
body = [b for b in yaml.safe_load(open({str(ROOT / "content.yaml")!r}, encoding="utf-8"))["articles"][0]["body"] if isinstance(b, str)]
metrics = page_fonts(__import__("pathlib").Path({str(ROOT)!r}), {{}}, cache_root()).metrics("body")
style = ParagraphStyle(size=9.0)
out = {{}}
for k in (1, 4, 16):
    paras = [p * k for p in body]  # each paragraph k times as long
    ts = []
    for _ in range(5):
        t = time.perf_counter()
        for p in paras:
            compose_uncached(p, 117.0, style, metrics)
        ts.append(time.perf_counter() - t)
    out[k] = (statistics.median(ts), sum(map(len, paras)))
print(json.dumps(out))
"""
        res = subprocess.run([PY, "-c", code], env=self.env, capture_output=True, text=True)
        if res.returncode:
            raise SystemExit(f"composer bench failed:\n{res.stderr}")
        comp = {int(k): v for k, v in json.loads(res.stdout.strip().splitlines()[-1]).items()}
        self.say("  the composer alone, paragraphs k times as long: " + ", ".join(
            f"x{k} {t * 1000:.0f} ms ({t * 1e6 / n:.1f} us a character)" for k, (t, n) in comp.items()))
        self.record("scaling", pages=rows, ms_per_extra_page=round(slope, 1),
                    composer={k: {"ms": round(t * 1000, 1), "us_per_char": round(t * 1e6 / n, 2)} for k, (t, n) in comp.items()},
                    text_4x={"ms": round(o4 * 1000, 1), "ms_1x": round(o1 * 1000, 1), "ratio_to_1x": round(o4 / o1, 2),
                             "typst_ms": round(t4 * 1000, 1) if t4 else None,
                             "typst_ms_1x": round(t1 * 1000, 1) if t1 else None})
        self.say()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=11, help="rounds of the whole-process and live figures (medians)")
    ap.add_argument("--rounds", type=int, default=5, help="rounds of the 24-page edition")
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"sections to run, of {','.join(SECTIONS)}")
    ap.add_argument("--json", default=str(ROOT / "output" / "bench.json"), help="where to write the figures")
    args = ap.parse_args()
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    bad = [s for s in only if s not in SECTIONS]
    if bad:
        ap.error(f"unknown section(s) {', '.join(bad)}; choose from {', '.join(SECTIONS)}")
    b = Bench(args)
    try:
        b.setup()
        for s in SECTIONS:
            if s in only:
                getattr(b, s)()
    finally:
        shutil.rmtree(b.out, ignore_errors=True)
    out = Path(args.json)
    previous = {}
    if out.is_file() and set(only) != set(SECTIONS):
        try:
            previous = json.loads(out.read_text(encoding="utf-8"))  # (a partial run keeps the other sections)
        except ValueError:
            previous = {}
    out.parent.mkdir(parents=True, exist_ok=True)
    b.results["when"] = time.strftime("%Y-%m-%d %H:%M:%S")
    out.write_text(json.dumps({**previous, **b.results}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"figures written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
