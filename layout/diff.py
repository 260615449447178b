"""What changed between two proofs: ``broadsheet diff OLD NEW``, for two PDFs or two builds of an
edition (their output folders).

An edition's build leaves, beside each page's PDF, a record of what the page holds
(:func:`page_record`, ``p03.json``): each story's text by paragraph and where it stands, each
photo's file and its content's hash, each ad, overset per story, and a digest of the whole
display list; beside them ``edition.json``, the build's report. Where both builds have records,
the comparison is made on them: a page whose digest is unchanged is unchanged (nothing is
rendered); on a changed page it names the story that changed, the text added and removed,
overset that changed, photos replaced, ads added, moved or removed. Without records (any two
PDFs) the text of each page is compared line by line (pdfium's text layer).

Every changed page gets a picture: the old and new page side by side (rendered with pdfium at a
low resolution, trim box only), the regions whose pixels differ outlined in red and the changed
stories' areas in orange. Unchanged pages cost a comparison of two digests (records) or of two
content streams (PDFs).

Exit statuses, like ``diff``: 0 nothing changed, 1 something did, 2 trouble (a file missing or
unreadable, a usage error).
"""

from __future__ import annotations

import difflib
import hashlib
import json
from pathlib import Path

from msgspec import Struct, field

RECORD_VERSION = 2  # 2: the display list's digest over its items' exact values (1: over trace lines)


# -- what a build leaves for diff ----------------------------------------------------------------


def _story(source: str) -> str:
    """The story a display item belongs to: ``main:body[3]`` -> ``main``, ``ad:x`` -> ``ad:x``."""
    head, _, rest = source.partition(":")
    return f"ad:{rest.split(':')[0]}" if head == "ad" else head


_SHAS: dict[tuple, str] = {}


def _sha(path: Path) -> str:
    """The first 16 hex digits of a file's sha256 (remembered per file state: an edition's pages
    often place the same photos)."""
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
        if key not in _SHAS:
            _SHAS[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        return _SHAS[key]
    except OSError:
        return ""


def _float(v):
    if isinstance(v, float):  # (a type size read from content.yaml is a float of its own class)
        return float(v)
    raise TypeError(f"cannot digest {type(v).__name__}")


_ENCODER = None


def display_digest(items) -> str:
    """The sha256 of a display list's items, exactly as they are (msgpack): two builds of one page
    by the same code give the same digest. (Built on another machine, a page may differ in float
    noise: it is then compared on its record's stories and its picture, as a changed page is.)"""
    global _ENCODER
    if _ENCODER is None:
        from msgspec.msgpack import Encoder

        _ENCODER = Encoder(enc_hook=_float)
    return hashlib.sha256(_ENCODER.encode(items)).hexdigest()


def page_record(page, report, folder: Path) -> dict:
    """What ``diff`` compares of a built page: its display list's digest, its stories' text by
    paragraph (and boxes, in points from the trim's top-left), photos with the hash of their
    files, ads, and overset/underset per story (from the build's report)."""
    from layout.display import Glyphs, Image, Vector

    stories: dict[str, dict] = {}
    photos: dict[str, dict] = {}
    for it in page.items:
        src = getattr(it, "source", "")
        if not src:
            continue
        key = _story(src)
        box = (it.x, it.y - it.size, (it.right - it.x), it.size * 1.2) if isinstance(it, Glyphs) else \
            (it.x, it.y, it.w, it.h) if isinstance(it, (Image, Vector)) else None
        s = stories.setdefault(key, {"box": None, "text": {}})
        if box is not None:
            s["box"] = _union(s["box"], box)
        if isinstance(it, Glyphs) and not it.vertical:
            s["text"][src] = s["text"].get(src, "") + it.text
        elif isinstance(it, Glyphs):
            s["text"][src] = s["text"].get(src, "") + it.text
        if isinstance(it, (Image, Vector)):
            photos[src] = {"file": it.file, "sha256": _sha(folder / it.file), "box": [round(v, 2) for v in box]}
    for s in stories.values():
        s["box"] = [round(v, 2) for v in s["box"]] if s["box"] else None
    return {
        "version": RECORD_VERSION, "width": round(page.width, 2), "height": round(page.height, 2),
        "digest": display_digest(page.items), "section": report.section,
        "stories": stories, "photos": photos,
        "ads": {a.id: {"box": list(a.box), "file": a.file, "kind": a.kind, "booked": a.booked} for a in report.ads},
        "overset": {o.article: o.lines for o in report.overset},
        "underset": {u.article: u.lines for u in report.underset},
    }


def write_record(record: dict, pdf: Path) -> Path:
    """The record beside its PDF (``p03.pdf`` -> ``p03.json``), written whole or not at all."""
    from layout.cache import atomic_write

    out = Path(pdf).with_suffix(".json")
    atomic_write(out, json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return out


def _union(a, b):
    if a is None:
        return b
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return (x0, y0, x1 - x0, y1 - y0)


# -- the comparison ---------------------------------------------------------------------------------


class Change(Struct, kw_only=True):
    """One thing that changed on a page: ``what`` is ``text`` (a story's text: ``added`` and
    ``removed`` pieces), ``story-added``, ``story-removed``, ``story-moved``, ``overset``
    (``before`` and ``after`` in lines), ``photo-replaced``, ``photo-added``, ``photo-removed``,
    ``ad-added``, ``ad-removed``, ``ad-moved``, ``ad-replaced`` or ``drawing`` (pixels changed
    that no record explains: rules, tints, marks)."""

    what: str
    story: str = ""
    paragraph: str = ""
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    before: str = ""
    after: str = ""
    box: list[float] | None = None  # where on the new page (points from the trim's top-left)


class PageDiff(Struct, kw_only=True):
    page: int
    status: str  # changed, added, removed
    old: str = ""
    new: str = ""
    changes: list[Change] = field(default_factory=list)
    regions: list[list[float]] = field(default_factory=list)  # changed pixels, points from the trim's top-left
    picture: str = ""
    seconds: float = 0.0


class DiffReport(Struct, kw_only=True):
    old: str
    new: str
    pages: int = 0  # pages compared
    changed: list[PageDiff] = field(default_factory=list)
    basis: str = "records"  # or "pdf"
    seconds: float = 0.0

    @property
    def same(self) -> bool:
        return not self.changed

    def lines(self) -> list[str]:
        if self.same:
            return []
        out = []
        for p in self.changed:
            if p.status != "changed":
                out.append(f"page {p.page}: {p.status} ({p.new or p.old})")
                continue
            out.append(f"page {p.page}: changed" + (f" -> {p.picture}" if p.picture else ""))
            for c in p.changes:
                out.append("  " + describe_change(c))
        return out


def _clip(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def describe_change(c: Change) -> str:
    who = f"story {c.story!r}" if c.story and not c.story.startswith("ad:") else f"ad {c.story[3:]!r}" if c.story else ""
    if c.what == "text":
        parts = [(f"{who}: " if who else "") + "text changed" + (f" in {c.paragraph}" if c.paragraph else "")]
        parts += [f"    - {_clip(t)}" for t in c.removed]
        parts += [f"    + {_clip(t)}" for t in c.added]
        return "\n  ".join(parts)
    if c.what == "overset":
        return f"{who}: overset {c.before or '0'} -> {c.after or '0'} lines"
    if c.what in ("photo-replaced", "ad-replaced"):
        return f"{who}: {c.what.split('-')[0]} replaced: {c.before} -> {c.after}"
    if c.what == "drawing":
        return f"drawing changed at {c.after}"
    return f"{who}: {c.what.replace('-', ' ')}" + (f" ({c.before} -> {c.after})" if c.before or c.after else "")


def _text_pieces(a: str, b: str) -> tuple[list[str], list[str]]:
    """The pieces of text removed from ``a`` and added in ``b`` (characters: Chinese has no
    spaces to split words at)."""
    added, removed = [], []

    def word(c: str) -> bool:
        return c.isascii() and (c.isalnum() or c in ".%")

    def widen(s: str, i: int, j: int) -> tuple[int, int]:
        """A change inside a number or a Latin word is shown as the whole of it (186 -> 188, not 6 -> 8)."""
        while i > 0 and word(s[i - 1]) and (i == j or word(s[i]) or word(s[i - 1])):
            i -= 1
        while j < len(s) and word(s[j]) and (i == j or word(s[j - 1])):
            j += 1
        return i, j

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        i1, i2 = widen(a, i1, i2)
        j1, j2 = widen(b, j1, j2)
        if a[i1:i2].strip() and (not removed or removed[-1] != a[i1:i2]):
            removed.append(a[i1:i2])
        if b[j1:j2].strip() and (not added or added[-1] != b[j1:j2]):
            added.append(b[j1:j2])
    return added, removed


def _moved(a, b, tol: float = 1.0) -> bool:
    return a is not None and b is not None and any(abs(x - y) > tol for x, y in zip(a, b))


def compare_records(old: dict, new: dict) -> list[Change]:
    """What changed between two records of one page."""
    out: list[Change] = []
    so, sn = old.get("stories", {}), new.get("stories", {})
    for sid in sorted(set(so) | set(sn)):
        if sid.startswith("ad:"):
            continue  # ads are compared below, by the report's list
        a, b = so.get(sid), sn.get(sid)
        if a is None:
            out.append(Change(what="story-added", story=sid, box=b["box"]))
            continue
        if b is None:
            out.append(Change(what="story-removed", story=sid, box=a["box"]))
            continue
        ta, tb = a["text"], b["text"]
        for para in sorted(set(ta) | set(tb), key=_paragraph_order):
            if ta.get(para, "") != tb.get(para, ""):
                added, removed = _text_pieces(ta.get(para, ""), tb.get(para, ""))
                out.append(Change(what="text", story=sid, paragraph=para.partition(":")[2], added=added, removed=removed,
                                  box=b["box"]))
        if _moved(a["box"], b["box"], tol=2.0) and not any(c.story == sid for c in out):
            out.append(Change(what="story-moved", story=sid, box=b["box"]))
    for sid in sorted(set(old.get("overset", {})) | set(new.get("overset", {}))):
        x, y = old.get("overset", {}).get(sid, 0), new.get("overset", {}).get(sid, 0)
        if x != y:
            out.append(Change(what="overset", story=sid, before=str(x), after=str(y),
                              box=(sn.get(sid) or {}).get("box")))
    po, pn = old.get("photos", {}), new.get("photos", {})
    for key in sorted(set(po) | set(pn)):
        if key.startswith("ad:"):
            continue
        a, b = po.get(key), pn.get(key)
        story = _story(key)
        if a is None:
            out.append(Change(what="photo-added", story=story, after=b["file"], box=b["box"]))
        elif b is None:
            out.append(Change(what="photo-removed", story=story, before=a["file"], box=a["box"]))
        elif (a["file"], a["sha256"]) != (b["file"], b["sha256"]):
            out.append(Change(what="photo-replaced", story=story, before=a["file"], after=b["file"]
                              + ("" if a["file"] != b["file"] else " (new picture)"), box=b["box"]))
    ao, an = old.get("ads", {}), new.get("ads", {})
    for aid in sorted(set(ao) | set(an)):
        a, b = ao.get(aid), an.get(aid)
        if a is None:
            out.append(Change(what="ad-added", story=f"ad:{aid}", box=b["box"]))
        elif b is None:
            out.append(Change(what="ad-removed", story=f"ad:{aid}", box=a["box"]))
        elif _moved(a["box"], b["box"]):
            out.append(Change(what="ad-moved", story=f"ad:{aid}", box=b["box"]))
        else:
            fa, fb = po.get(f"ad:{aid}"), pn.get(f"ad:{aid}")
            if fa and fb and (fa["file"], fa["sha256"]) != (fb["file"], fb["sha256"]):
                out.append(Change(what="ad-replaced", story=f"ad:{aid}", before=fa["file"], after=fb["file"], box=b["box"]))
            elif so.get(f"ad:{aid}", {}).get("text") != sn.get(f"ad:{aid}", {}).get("text"):
                out.append(Change(what="text", story=f"ad:{aid}", box=b["box"]))
    return out


def _paragraph_order(source: str):
    import re

    m = re.search(r"\[(\d+)\]", source)
    return (source.split("[")[0], int(m.group(1)) if m else -1, source)


# -- pages, pictures ------------------------------------------------------------------------------------


class _Side(Struct, kw_only=True):
    """One page of one side: its PDF (and page index), its record when the build left one."""

    pdf: Path
    index: int = 0
    record: dict | None = None


def _pages_of(path: Path) -> tuple[dict[int, _Side], str]:
    """Page number -> side for a build folder (its ``p03.pdf`` files, preferring press over
    proofs only when there are no proofs: the same kind of build is compared) or a PDF."""
    import re

    import pikepdf

    if path.is_dir():
        found: dict[int, _Side] = {}
        files = sorted(path.glob("p*.pdf"))
        proofs = [f for f in files if f.stem.endswith("-proof")]
        for f in (proofs or files):
            m = re.fullmatch(r"p(\d+)(-proof)?", f.stem)
            if not m:
                continue
            rec = f.with_suffix(".json")
            found[int(m.group(1))] = _Side(pdf=f, record=_read_record(rec))
        if not found:
            raise FileNotFoundError(f"{path} holds no page PDFs (p01.pdf ...): is it an edition's output folder?")
        return found, "folder"
    try:
        with pikepdf.open(path) as pdf:
            n = len(pdf.pages)
    except (pikepdf.PdfError, OSError) as exc:
        raise FileNotFoundError(f"{path}: not a readable PDF ({exc})") from None
    rec = _read_record(path.with_suffix(".json")) if n == 1 else None
    return {i + 1: _Side(pdf=path, index=i, record=rec) for i in range(n)}, "pdf"


def _read_record(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == RECORD_VERSION and "digest" in data else None


def _content(side: _Side) -> bytes:
    """The page's content streams and the bytes of what it draws (fonts, images, forms): equal
    for two equal pages, whatever the file's identity (dates, IDs)."""
    import pikepdf

    h = hashlib.sha256()
    with pikepdf.open(side.pdf) as pdf:
        page = pdf.pages[side.index]
        h.update(page.obj.Contents.read_bytes() if isinstance(page.obj.Contents, pikepdf.Stream)
                 else b"".join(s.read_bytes() for s in page.obj.Contents))
        for key in ("/TrimBox", "/MediaBox"):
            if key in page.obj:
                h.update(repr([float(v) for v in page.obj[key]]).encode())
        seen = set()

        def resources(res):
            if res is None:
                return
            for group in ("/XObject", "/Font"):
                for name, obj in (res.get(group) or {}).items():
                    if obj.objgen in seen:
                        continue
                    seen.add(obj.objgen)
                    h.update(name.encode())
                    if isinstance(obj, pikepdf.Stream):
                        h.update(obj.read_raw_bytes())
                        resources(obj.get("/Resources"))
                    else:
                        for sub in ("/FontFile", "/FontFile2", "/FontFile3"):
                            fd = obj.get("/FontDescriptor") or (obj.get("/DescendantFonts") or [{}])[0].get("/FontDescriptor")
                            if fd is not None and sub in fd:
                                h.update(fd[sub].read_raw_bytes())

        resources(page.obj.get("/Resources"))
    return h.digest()


def _text(side: _Side) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(side.pdf))
    try:
        tp = pdf[side.index].get_textpage()
        text = tp.get_text_range()
    finally:
        pdf.close()
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]


def _render(side: _Side, dpi: float):
    """The page's trim box as a picture, and points per pixel."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(side.pdf))
    try:
        page = pdf[side.index]
        mb = page.get_mediabox()
        tb = page.get_trimbox()
        crop = (tb[0] - mb[0], tb[1] - mb[1], mb[2] - tb[2], mb[3] - tb[3])
        image = page.render(scale=dpi / 72.0, crop=crop, optimize_mode="print").to_pil()
    finally:
        pdf.close()
    return image.convert("RGB"), 72.0 / dpi


def regions(a, b, cell: int = 6, pad: int = 1) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1, in pixels) around the pixels that differ between two pictures,
    found on a grid of ``cell`` pixels and joined where they touch."""
    from PIL import ImageChops

    w, h = max(a.width, b.width), max(a.height, b.height)
    if a.size != (w, h) or b.size != (w, h):
        from PIL import Image

        a2, b2 = Image.new("RGB", (w, h), "white"), Image.new("RGB", (w, h), "white")
        a2.paste(a, (0, 0))
        b2.paste(b, (0, 0))
        a, b = a2, b2
    diff = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 40 else 0)
    if diff.getbbox() is None:
        return []
    gw, gh = -(-w // cell), -(-h // cell)
    small = diff.resize((gw, gh), resample=3)  # (BOX) any changed pixel leaves a trace in its cell
    data = small.load()
    marked = {(x, y) for y in range(gh) for x in range(gw) if data[x, y] > 0}
    out = []
    while marked:
        start = marked.pop()
        stack, comp = [start], [start]
        while stack:
            x, y = stack.pop()
            for dx in (-2, -1, 0, 1, 2):
                for dy in (-2, -1, 0, 1, 2):
                    q = (x + dx, y + dy)
                    if q in marked:
                        marked.remove(q)
                        stack.append(q)
                        comp.append(q)
        xs, ys = [p[0] for p in comp], [p[1] for p in comp]
        out.append((max(0, (min(xs) - pad) * cell), max(0, (min(ys) - pad) * cell),
                    min(w, (max(xs) + 1 + pad) * cell), min(h, (max(ys) + 1 + pad) * cell)))
    return sorted(out, key=lambda r: (r[1], r[0]))


def picture(old_img, new_img, boxes: list, story_boxes: list, out: Path, *, title: str = "") -> None:
    """Old and new side by side, changed pixels outlined in red, changed stories in orange."""
    from PIL import Image, ImageDraw

    w, h = max(old_img.width, new_img.width), max(old_img.height, new_img.height)
    gap, head = 16, 26
    sheet = Image.new("RGB", (2 * w + 3 * gap, h + head + gap), (235, 235, 235))
    for k, (img, label) in enumerate(((old_img, "old"), (new_img, "new"))):
        x0 = gap + k * (w + gap)
        layer = img.convert("RGBA")
        shade = Image.new("RGBA", layer.size, (0, 0, 0, 0))
        d = ImageDraw.Draw(shade)
        for (sx0, sy0, sx1, sy1) in story_boxes:
            d.rectangle((sx0, sy0, sx1, sy1), fill=(255, 150, 0, 40), outline=(240, 120, 0, 255), width=3)
        for (bx0, by0, bx1, by1) in boxes:
            d.rectangle((bx0, by0, bx1, by1), fill=(255, 0, 0, 50), outline=(220, 0, 0, 255), width=3)
        sheet.paste(Image.alpha_composite(layer, shade).convert("RGB"), (x0, head))
        ImageDraw.Draw(sheet).text((x0, 6), f"{label}: {title}" if title else label, fill=(0, 0, 0))
    sheet.save(out, format="PNG", compress_level=3)


def diff(old: Path, new: Path, out_dir: Path | None = None, *, dpi: float = 40.0, pictures: bool = True) -> DiffReport:
    """Compare two builds (folders) or two PDFs; write a picture per changed page into
    ``out_dir``. Raises FileNotFoundError for a missing or unreadable input."""
    import time

    t0 = time.perf_counter()
    old, new = Path(old), Path(new)
    for p in (old, new):
        if not p.exists():
            raise FileNotFoundError(f"{p}: no such file or folder")
    a, kind_a = _pages_of(old)
    b, kind_b = _pages_of(new)
    report = DiffReport(old=str(old), new=str(new), pages=len(set(a) | set(b)))
    records = all(s.record is not None for s in list(a.values()) + list(b.values()))
    report.basis = "records" if records else "pdf"
    if out_dir is None:
        out_dir = (new.parent / f"{new.name}-diff") if new.is_dir() else new.with_name(f"{new.stem}-diff")
    for n in sorted(set(a) | set(b)):
        t = time.perf_counter()
        if n not in b:
            report.changed.append(PageDiff(page=n, status="removed", old=str(a[n].pdf)))
            continue
        if n not in a:
            report.changed.append(PageDiff(page=n, status="added", new=str(b[n].pdf)))
            continue
        sa, sb = a[n], b[n]
        if sa.record is not None and sb.record is not None:
            if sa.record["digest"] == sb.record["digest"] and not compare_records(sa.record, sb.record):
                continue
            changes = compare_records(sa.record, sb.record)
        else:
            if _content(sa) == _content(sb):
                continue
            ta, tb = _text(sa), _text(sb)
            changes = []
            if ta != tb:
                added, removed = [], []
                for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
                    if op != "equal":
                        plus, minus = _text_pieces("\n".join(ta[i1:i2]), "\n".join(tb[j1:j2]))
                        removed += [x.strip() for x in minus if x.strip()]
                        added += [x.strip() for x in plus if x.strip()]
                changes.append(Change(what="text", added=added, removed=removed))
        page = PageDiff(page=n, status="changed", old=str(sa.pdf), new=str(sb.pdf), changes=changes)
        if pictures:
            oi, ppx = _render(sa, dpi)
            ni, _ = _render(sb, dpi)
            boxes = regions(oi, ni)
            page.regions = [[round(v * ppx, 1) for v in bx] for bx in boxes]
            if not changes and boxes:
                for bx in page.regions:
                    page.changes.append(Change(what="drawing", after=f"{bx[0] * 25.4 / 72:.0f}, {bx[1] * 25.4 / 72:.0f} mm"))
            if not boxes and not changes:
                continue  # the same picture and nothing the records tell apart
            story_boxes = [tuple(v / ppx for v in (c.box[0], c.box[1], c.box[0] + c.box[2], c.box[1] + c.box[3]))
                           for c in page.changes if c.box]
            out_dir.mkdir(parents=True, exist_ok=True)
            target = out_dir / f"diff-p{n:02d}.png"
            picture(oi, ni, boxes, story_boxes, target, title=f"page {n}")
            page.picture = str(target)
        elif not changes:
            continue
        page.seconds = round(time.perf_counter() - t, 3)
        report.changed.append(page)
    report.seconds = round(time.perf_counter() - t0, 3)
    return report
