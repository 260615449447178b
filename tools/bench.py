"""Benchmarks (not tests): print medians of repeated runs and ratios to a baseline measured in
the same run, since absolute times drift between machines.

    make bench            # or: .venv/bin/python tools/bench.py [--runs N]

Measures, each with peak RSS where it is a process of its own:
- the seed page as a whole process: with warm caches, and after an edit (one paragraph new to
  the memo); each round runs these two and the Typst reference page of ../shared/bench/ (when
  the `typst` package is installed) in turn, and the ratios to Typst are given on wall time and
  on CPU time (which other tenants of a shared machine disturb less);
- the imports alone (the floor under any build);
- an empty cache (font subsets cut, photos prepared, every paragraph composed);
- the in-process rebuild after an edit (what `watch` does);
- a 24-page edition on all cores;
- composition cost against text length (1x, 4x, 16x the seed's body text).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


#: CPU seconds (user + system) of each child run, by its command: the ratio is also given on
#: CPU time, which other tenants of a shared machine disturb less than wall time
CPU: dict[tuple, list[float]] = {}


def timed_child(cmd: list[str], env=None, cwd=None) -> tuple[float, float]:
    """Run ``cmd`` under a tiny wrapper that reports its wall time, its own peak RSS (ru_maxrss
    of the child) and its CPU time; returns (wall seconds, peak MiB)."""
    wrapper = ("import resource,subprocess,sys,time;t=time.perf_counter();"
               "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE);"
               "dt=time.perf_counter()-t;"
               "u=resource.getrusage(resource.RUSAGE_CHILDREN);m=u.ru_maxrss/1024;"
               "sys.stderr.write(r.stderr.decode(errors='replace')) if r.returncode else None;"
               "print(dt,m,r.returncode,u.ru_utime+u.ru_stime)")
    out = subprocess.run([PY, "-c", wrapper, *cmd], env=env, cwd=cwd, capture_output=True, text=True)
    parts = out.stdout.split()
    if len(parts) != 4 or parts[2] != "0":
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{out.stderr}")
    CPU.setdefault(tuple(cmd), []).append(float(parts[3]))
    return float(parts[0]), float(parts[1])


def median_of(runs: int, fn) -> tuple[float, float, list[float]]:
    times, mems = [], []
    for _ in range(runs):
        t, m = fn()
        times.append(t)
        mems.append(m)
    return statistics.median(times), max(mems), times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=11)
    args = ap.parse_args()
    out_dir = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    # byte-compile the package as an installation would (PYTHONDONTWRITEBYTECODE, set in some
    # shells, would otherwise make every run recompile it: ~0.1 s that no user pays)
    import compileall

    compileall.compile_dir(str(ROOT / "layout"), quiet=1)
    env = dict(os.environ)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    print(f"runs: {args.runs} (medians)\n")
    seed_cmd = [PY, "-m", "layout", "build", str(ROOT / "content.yaml"), "-o", str(out_dir / "seed.pdf"), "-q"]
    timed_child(seed_cmd, env=env)  # warm the caches once

    # the Typst reference page, run alternately with the seed page so that drift of the machine
    # (these 2-core machines vary by ±20 % over minutes) falls on both alike
    typst_cmd = typst_cwd = None
    ref = ROOT.parent / "shared" / "bench" / "typst-reference"
    try:
        import typst  # noqa: F401
        have_typst = True
    except ImportError:
        have_typst = False
    if have_typst and ref.is_dir():
        typst_cwd = out_dir / "typst-reference"
        shutil.copytree(ref, typst_cwd)
        subprocess.run([PY, str(typst_cwd / "make_images.py")], check=True, cwd=typst_cwd)
        typst_cmd = [PY, str(typst_cwd / "compile.py"), str(out_dir / "typst.pdf")]
        timed_child(typst_cmd, cwd=typst_cwd)
    # two cold processes of the seed page: warm caches; after the editor's edit (one paragraph
    # new to the paragraph memo). Each round runs both and Typst's page, so that the machine's
    # drift (these 2-core machines vary by ±20 % over minutes) falls on all of them alike.
    page = out_dir / "page"
    page.mkdir()
    shutil.copytree(ROOT / "images", page / "images")
    base = (ROOT / "content.yaml").read_text(encoding="utf-8")
    edit_cmd = [PY, "-m", "layout", "build", str(page / "content.yaml"), "-o", str(out_dir / "edit.pdf"), "-q"]
    runs: dict[str, list[tuple[float, float]]] = {"seed": [], "edit": [], "typst": []}
    for i in range(args.runs):
        runs["seed"].append(timed_child(seed_cmd, env=env))
        (page / "content.yaml").write_text(base.replace("天元区发布", "天元区发布" + "株洲" * (i + 1), 1), encoding="utf-8")
        runs["edit"].append(timed_child(edit_cmd, env=env))
        if typst_cmd:
            runs["typst"].append(timed_child(typst_cmd, cwd=typst_cwd))

    n = args.runs  # (CPU times of the rounds: the last n runs of each command so far)
    cpu = {k: statistics.median(CPU[tuple(c)][-n:]) for k, c in
           (("seed", seed_cmd), ("edit", edit_cmd), ("typst", typst_cmd)) if c}

    def med(key):
        return statistics.median(t for t, _ in runs[key]), max(m for _, m in runs[key])

    warm, warm_mem = med("seed")
    edit_t, edit_mem = med("edit")
    print(f"seed page, whole process, warm caches: {warm * 1000:7.0f} ms   peak RSS {warm_mem:6.0f} MiB")
    print(f"seed page, whole process, after an edit: {edit_t * 1000:6.0f} ms   peak RSS {edit_mem:6.0f} MiB  (one paragraph composed anew)")
    if typst_cmd:
        typst_t, typst_mem = med("typst")
        print(f"Typst reference page, whole process:    {typst_t * 1000:7.0f} ms   peak RSS {typst_mem:6.0f} MiB  "
              "(the three run in turn, round by round)")
    # the floor under any build: the interpreter and the modules a build of a valid page loads
    floor_cmd = [PY, "-c", "import yaml, reportlab.pdfgen.canvas, layout.build, layout.model.validate, layout.render.pdf"]
    floor, _, _ = median_of(args.runs, lambda: timed_child(floor_cmd, env=env))
    print(f"imports alone (Python, PyYAML, ReportLab, broadsheet): {floor * 1000:.0f} ms")

    cold_runs = max(1, min(3, args.runs))
    def cold():
        cache = Path(tempfile.mkdtemp(prefix="broadsheet-cold-"))
        try:
            return timed_child(seed_cmd, env={**env, "BROADSHEET_CACHE": str(cache)})
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    cold_t, cold_mem, _ = median_of(cold_runs, cold)
    print(f"seed page, whole process, empty cache:  {cold_t * 1000:7.0f} ms   peak RSS {cold_mem:6.0f} MiB  ({cold_runs} runs)")

    # in-process rebuild (what `watch` does): fonts and images cached in memory and on disk
    sys.path.insert(0, str(ROOT))
    from layout.build import BuildOptions, build

    # an editor's save changes a paragraph: each rebuild gets a page whose lead paragraph has one
    # more character than the last (a character the fonts already hold, and one new to them)
    (page / "content.yaml").write_text(base, encoding="utf-8")
    build(page / "content.yaml", BuildOptions(output=out_dir / "warm.pdf"))
    inproc, same = [], []
    for i in range(args.runs):
        for extra, bucket in (("株洲高新区" * (i + 1), inproc), ("", same)):
            (page / "content.yaml").write_text(base.replace("天元区发布", "天元区发布" + extra, 1), encoding="utf-8")
            t = time.perf_counter()
            build(page / "content.yaml", BuildOptions(output=out_dir / "warm.pdf"))
            bucket.append(time.perf_counter() - t)
    print(f"seed page, in-process rebuild (edited): {statistics.median(inproc) * 1000:7.0f} ms   "
          f"(unchanged file: {statistics.median(same) * 1000:.0f} ms)")

    # a 24-page edition, pages in parallel processes
    edition = ROOT / "examples" / "edition" / "edition.yaml"
    ed_cmd = [PY, "-m", "layout", "build", str(edition), "-o", str(out_dir / "edition"), "-q"]
    ed_runs = max(1, min(3, args.runs))
    ed_t, ed_mem, _ = median_of(ed_runs, lambda: timed_child(ed_cmd, env=env))
    print(f"24-page edition, {os.cpu_count()} workers:          {ed_t * 1000:7.0f} ms   peak RSS {ed_mem:6.0f} MiB (largest process)  ({ed_runs} runs)")

    # cost against text length: the seed's body composed 1x, 4x, 16x (in process, memo bypassed)
    import yaml

    from layout.fonts.faces import page_fonts
    from layout.cache import cache_root
    from layout.text.api import ParagraphStyle
    from layout.text.compose import compose_uncached as compose_paragraph  # the composer itself, not its memo

    body = [b for b in yaml.safe_load((ROOT / "content.yaml").read_text(encoding="utf-8"))["articles"][0]["body"] if isinstance(b, str)]
    faces = page_fonts(ROOT, {}, cache_root())
    metrics = faces.metrics("body")
    style = ParagraphStyle(size=9.0)
    base = None
    for k in (1, 4, 16):
        paras = body * k
        ts = []
        for _ in range(max(3, args.runs // 2)):
            t = time.perf_counter()
            for p in paras:
                compose_paragraph(p, 117.0, style, metrics)
            ts.append(time.perf_counter() - t)
        m = statistics.median(ts)
        base = base or m
        chars = sum(len(p) for p in paras)
        print(f"compose body text x{k:<2} ({chars:6d} chars):    {m * 1000:7.1f} ms   ({m / base:5.2f}x of x1)")

    if typst_cmd:
        print(f"\nratio seed/Typst on CPU time (user + system): warm {cpu['seed'] / cpu['typst']:.2f}x   "
              f"after an edit: {cpu['edit'] / cpu['typst']:.2f}x")
        print(f"ratio seed/Typst (warm, whole process): {warm / typst_t:.2f}x   after an edit: {edit_t / typst_t:.2f}x   "
              f"(imports alone: {floor / typst_t:.2f}x of Typst's whole page)")
    else:
        print("\nTypst reference not measured (pip install typst, and ../shared/bench/ must exist)")
    shutil.rmtree(out_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
