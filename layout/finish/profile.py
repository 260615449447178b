"""The CMYK output profile that press files are separated for and tagged with.

Why a profile is built here: a newspaper prints coldset on newsprint, a greyish paper (CIELAB
L* about 80) with high tone value increase (about 25 % at a 40 % tone) and a low ink limit (about
220 %). Ghostscript's ``default_cmyk.icc`` (SWOP, coated paper) turns sRGB black into about 298 %
ink, which smears and sets off on newsprint, and it prints newsprint mid-tones far too dark.

The data: Debian's ``icc-profiles-free`` ships ``TR002.ti3``, the characterisation data of
ANSI CGATS/SNAP TR 002-2007, "Color Characterization Data for Coldset Printing on Newsprint"
(IT8.7/3 target, 928 patches, the average of 102 sets of measurements, D50/2 degrees, 0:45,
black backing). It is measured newsprint, so it is used as it is, without adapting data made
for another paper. Measured from the file itself (:func:`ti3_summary`; tone value by
Murray-Davies on CIE Y, see :func:`tone_value_increase`): paper L* 80.1, a* 0.0, b* 3.5; solid
K L* 36.7; tone value increase at 40 % of K 25.0 % (C, M, Y 24-26 %, with X, Y, Z standing in
for their density filters). For comparison, ISO 12647-3:2013 (the condition of WAN-IFRA's
newspaper26v5 profile) aims at paper L* 82, a* 0, b* 3 and 26 % at 40 %: TR 002 is a little
darker and within a point of that curve, and it is a real printed condition, not an
approximation of one. Its licence (comment in the file) lets derived profiles be distributed
if TR 002 is named as the source of the data, which the description and copyright of the built
profile do. (``FOGRA29L.ti3``, which earlier versions used, is uncoated offset paper: L* 96,
22 % at 40 %; not newsprint.)

The separation: argyll's ``colprof`` (quality medium, v2 profile, about 35 s) with

* a 220 % total ink limit (``-l220``), the limit of WAN-IFRA's newspaper26v5 profile and the low
  end of what coldset printers ask for (220-240 %): coldset ink dries by absorption only;
* a 95 % black limit (``-L95``);
* maximum black generation (``-kx``, maximum GCR): every colour is printed with as much K as can
  reproduce it, so greys and the grey component of colours sit on the K plate. Newspaper practice
  (WAN-IFRA's profiles included) uses heavy GCR because a coldset press's ink film and register
  vary over a run: a grey carried by K does not shift colour when C, M or Y drift, and it needs
  the least ink (less set-off, faster drying). On this data argyll's default ramp (``-kr``)
  happens to give nearly the same tables (mean K of random sRGB colours 17.2 % either way), so
  ``-kx`` mostly states the intent; half K (``-kh``) would print a mid-dark grey as 50 % K plus
  30-40 % each of C, M and Y, exactly the mix that drifts.

Where it lives: package data, ``layout/finish/data/`` beside this module (gitignored), built by
the set-up (``python -m layout.finish.profile``), so the editable install and any user, whatever
their HOME or cache folder, find the same file. Beside the profile a small JSON build record
(description, sha256 and size of the .icc, source data, parameters) lets :func:`output_profile`
check the file before using it.

No fallback: with no configured profile and no valid built profile, :func:`output_profile`
raises :class:`FinishError` naming the path and the fix. A press file separated for the wrong
paper is worse than no press file, and a warning in a build report is easy to miss.

The output intent names the condition: TR 002 is registered in the ICC characterization data
registry as "CGATS TR 002", so the built profile's OutputConditionIdentifier is that name with
RegistryName http://www.color.org (PDF/X allows a registered name with an embedded profile; the
ink limit and GCR are separation choices within that printing condition). A printer's own
profile (e.g. WAN-IFRA newspaper26v5) named in the config is recognised from its description
(IFRA26, FOGRA..., CGATS TR 002) or else called "Custom".
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from msgspec import Struct

from layout.finish.errors import FinishError
from layout.finish.ink import tac_of

#: the characterisation data set (Debian icc-profiles-free) and the limits of the built profile
TI3_NAME = "TR002.ti3"
TI3_PACKAGE = "icc-profiles-free"
SOURCE_TITLE = "ANSI CGATS/SNAP TR 002-2007, Color Characterization Data for Coldset Printing on Newsprint"
BUILT_TAC = 220
BUILT_BLACK_LIMIT = 95
BUILT_BLACK_GENERATION = "x"  # colprof -kx: maximum K (see the module doc)
BUILT_CONDITION_ID = "CGATS TR 002"
#: the folder of the built profile: package data beside this module
DATA_DIR = Path(__file__).resolve().parent / "data"
#: bump when the build record's fields change (an older record then means "rebuild")
RECORD_FORMAT = 1


def built_description(tac: int = BUILT_TAC, black_limit: int = BUILT_BLACK_LIMIT) -> str:
    """The description ('desc' tag, and the OutputIntent's Info) of the built profile."""
    return (f"broadsheet coldset newsprint (CGATS TR 002 data), {tac}% TAC, "
            f"{black_limit}% K, max GCR")


def built_condition(tac: int = BUILT_TAC, black_limit: int = BUILT_BLACK_LIMIT) -> str:
    """The OutputCondition text of the built profile: the printing condition, then the separation."""
    return ("Coldset offset printing on newsprint (ANSI CGATS/SNAP TR 002-2007 characterization data); "
            f"separations limited to {tac}% total ink, {black_limit}% black, maximum GCR")


BUILT_DESCRIPTION = built_description()
BUILT_CONDITION = built_condition()
BUILT_COPYRIGHT = (
    "Made by broadsheet with ArgyllCMS colprof. Source of the characterization data: "
    "ANSI CGATS/SNAP TR 002-2007 (Copyright 2007 NPES), Coldset Printing on Newsprint"
)

#: registered characterizations (ICC registry, http://www.color.org) recognised from a profile's
#: description, so that a RIP can match the OutputIntent by name. Anything else is "Custom",
#: which PDF/X allows as long as the profile is embedded (a press build always embeds it). Keys are
#: matched against the description lower-cased without spaces.
_REGISTERED = (
    ("newspaper26", "IFRA26"),
    ("ifra26", "IFRA26"),
    ("cgatstr002", "CGATS TR 002"),
    ("snap2007", "CGATS TR 002"),
    ("fogra39", "FOGRA39"),
    ("fogra29", "FOGRA29"),
    ("fogra28", "FOGRA28"),
    ("fogra27", "FOGRA27"),
)
REGISTRY = "http://www.color.org"


class ProfileInfo(Struct, frozen=True):
    """An output profile and how a PDF/X OutputIntent should name it.

    ``tac_limit`` is the total ink limit in percent that separations through this profile keep
    to (by construction for the built profile, measured for others). ``condition_id`` is the
    OutputConditionIdentifier: a registered name or "Custom". ``source`` says where it came from
    ("config" or "built").
    """

    path: Path
    description: str
    condition_id: str
    tac_limit: float
    condition: str = ""
    registry: str | None = None
    source: str = "config"
    sha256: str = ""  # of the bytes checked when the profile was chosen ("": not recorded)

    def data(self) -> bytes:
        """The profile's bytes, as they were when it was checked: a file changed or damaged
        since (between the check and the embedding) is refused, never embedded."""
        try:
            data = Path(self.path).read_bytes()
        except OSError as e:
            raise FinishError(f"cannot read output profile {self.path}: {e.strerror or e}") from None
        if self.sha256 and sha256_of(data).hex() != self.sha256:
            raise FinishError(f"output profile {self.path} changed since it was checked (sha256 differs)")
        return data


def sha256_of(data: bytes) -> bytes:
    """``hashlib.sha256(data).digest()``, remembered for the last few large inputs: a press build
    hashes the same output profile (~170 KB) five times over (checked against its record, read
    back before embedding, named in the file's identity and the photo cache); the bytes are
    compared whole with the ones remembered (a comparison costs a tenth of a hash)."""
    if len(data) < 65536:
        return hashlib.sha256(data).digest()
    hit = _DIGESTS.get(len(data))
    if hit is not None and hit[0] == data:
        return hit[1]
    digest = hashlib.sha256(data).digest()
    if len(_DIGESTS) >= 8:
        _DIGESTS.pop(next(iter(_DIGESTS)))
    _DIGESTS[len(data)] = (bytes(data), digest)
    return digest


#: length -> (bytes, their sha256) of large inputs hashed in this process
_DIGESTS: dict[int, tuple[bytes, bytes]] = {}


# --------------------------------------------------------------------------------------------
# where things are


def built_profile_path(tac: int = BUILT_TAC) -> Path:
    """Where the set-up builds the newsprint profile: package data, not the cache (a cache can be
    per user, per HOME or wiped by ``make clean``; the profile is part of the installation)."""
    return DATA_DIR / f"broadsheet-newsprint-tr002-{tac}.icc"


def build_record_path(icc: Path) -> Path:
    """The JSON build record beside a built profile."""
    return Path(icc).with_suffix(".json")


def find_ti3(name: str = TI3_NAME) -> Path | None:
    """The characterisation data shipped by Debian's icc-profiles-free."""
    for cand in (Path("/usr/share/color/icc") / name,):
        if cand.is_file():
            return cand
    import subprocess  # (here and below: only finding or building the profile runs programs)

    try:
        out = subprocess.run(
            ["dpkg", "-L", TI3_PACKAGE], capture_output=True, text=True, check=False
        ).stdout
        for line in out.splitlines():
            if line.endswith("/" + name) and Path(line).is_file():
                return Path(line)
    except OSError:
        pass
    hits = glob.glob(f"/usr/share/**/{name}", recursive=True)
    return Path(hits[0]) if hits else None


# --------------------------------------------------------------------------------------------
# reading a profile


def icc_header(data: bytes) -> dict:
    """The fields of the 128-byte ICC header that decide whether a profile can be an output
    intent: device class ('prtr'), colour space ('CMYK'), version (X-1a:2003 needs v2)."""
    if len(data) < 132 or data[36:40] != b"acsp":
        raise FinishError("not an ICC profile")
    return {
        "size": int.from_bytes(data[0:4], "big"),
        "version": (data[8], data[9] >> 4),
        "device_class": data[12:16].decode("latin-1"),
        "color_space": data[16:20].decode("latin-1").strip(),
        "pcs": data[20:24].decode("latin-1").strip(),
    }


def description_tag(data: bytes) -> str | None:
    """The profile description read from the ICC tag table: 'desc' (v2 textDescriptionType) or
    'mluc' (v4, first record). Reading 40 bytes here saves loading lcms (~17 ms) on every build."""
    try:
        count = int.from_bytes(data[128:132], "big")
        for i in range(min(count, 200)):
            entry = data[132 + 12 * i: 144 + 12 * i]
            if entry[:4] != b"desc":
                continue
            off, size = int.from_bytes(entry[4:8], "big"), int.from_bytes(entry[8:12], "big")
            tag = data[off: off + size]
            if tag[:4] == b"desc":
                n = int.from_bytes(tag[8:12], "big")
                return tag[12: 12 + n].split(b"\0", 1)[0].decode("latin-1")
            if tag[:4] == b"mluc" and int.from_bytes(tag[8:12], "big") >= 1:
                length, start = int.from_bytes(tag[20:24], "big"), int.from_bytes(tag[24:28], "big")
                return tag[start: start + length].decode("utf-16-be").split("\0", 1)[0]
    except (ValueError, UnicodeDecodeError):
        return None
    return None


def profile_description(path: Path) -> str:
    try:
        desc = description_tag(Path(path).read_bytes())
    except OSError:
        desc = None
    if desc is None:
        from PIL import ImageCms

        try:
            desc = ImageCms.getProfileDescription(ImageCms.getOpenProfile(str(path)))
        except Exception:  # noqa: BLE001 - a profile lcms cannot read has no usable description
            desc = ""
    return (desc or Path(path).stem).strip()


def measure_tac(path: Path) -> float:
    """The highest total ink (percent) that sRGB colours reach through the profile's perceptual
    table: the profile's effective ink limit, for profiles whose limit is not known."""
    from PIL import Image, ImageCms

    steps = [0, 32, 64, 96, 128, 160, 192, 224, 255]
    px = [(r, g, b) for r in steps for g in steps for b in steps]
    im = Image.new("RGB", (len(px), 1))
    im.putdata(px)
    tr = ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(path)), "RGB", "CMYK",
        renderingIntent=ImageCms.Intent.PERCEPTUAL,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
    )
    out = ImageCms.applyTransform(im, tr)
    return tac_of(out)


def condition_for(description: str) -> tuple[str, str | None]:
    low = description.lower().replace(" ", "")
    for key, ident in _REGISTERED:
        if key in low:
            return ident, REGISTRY
    return "Custom", None


def _parses(data: bytes) -> bool:
    """Whether lcms reads the profile and can build a transform into it."""
    import io

    from PIL import ImageCms

    try:
        prof = ImageCms.ImageCmsProfile(io.BytesIO(data))
        ImageCms.buildTransform(ImageCms.createProfile("sRGB"), prof, "RGB", "CMYK")
    except Exception:  # noqa: BLE001 - whatever lcms refuses
        return False
    return True


def _check_output_profile(path: Path, data: bytes | None = None, *, parse: bool = True) -> dict:
    """The header of a CMYK output profile after checking it can be one: its size as its header
    says, its profile ID (when it has one) matching, and (``parse``) lcms reading it; FinishError
    otherwise. (The built profile skips the parse, ~18 ms: its sha256 is checked against its
    build record.)"""
    try:
        data = path.read_bytes() if data is None else data
        head = icc_header(data)
    except OSError as e:
        raise FinishError(f"cannot read output profile {path}: {e.strerror or e}") from None
    except FinishError as e:
        raise FinishError(f"{path} is not an ICC profile") from e
    problems = []
    if head["size"] != len(data):  # (a profile cut short, by a full disk or a copy, still has its header)
        problems.append(f"its header says {head['size']} bytes, the file has {len(data)} (cut short or damaged)")
    elif any(data[84:100]) and hashlib.md5(data[:44] + b"\0" * 4 + data[48:64] + b"\0" * 4 + data[68:84] + b"\0" * 16
                                            + data[100:]).digest() != data[84:100]:
        problems.append("its profile ID (the MD5 in its header) does not match its content (damaged)")
    elif parse and not _parses(data):
        problems.append("the colour management engine (lcms) cannot read it (damaged)")
    if head["color_space"] != "CMYK":
        problems.append(f"colour space is {head['color_space']}, not CMYK")
    if head["device_class"] != "prtr":
        problems.append(f"device class is '{head['device_class']}', not an output ('prtr') profile")
    if problems:
        raise FinishError(f"{path} cannot be a press output profile", problems)
    return head


# --------------------------------------------------------------------------------------------
# tone values


def _y_of_lstar(lstar: float) -> float:
    """CIE Y (0..1, relative to the white the L* is relative to) of a CIE L*."""
    f = (lstar + 16) / 116
    return f ** 3 if f ** 3 > 216 / 24389 else lstar * 27 / 24389


def tone_value_increase(paper_y: float, tint_y: float, solid_y: float, nominal: float) -> float:
    """Tone value increase in percent points of a ``nominal`` percent tint, by Murray-Davies with
    CIE Y as the reflectance (the visual filter: right for K, an approximation for C, M, Y):

        printed tone = 100 * (Y_paper - Y_tint) / (Y_paper - Y_solid);  TVI = printed - nominal

    which is ISO 12647's (1 - 10^-Dt) / (1 - 10^-Ds) with densities relative to the paper."""
    return 100 * (paper_y - tint_y) / (paper_y - solid_y) - nominal


def read_ti3(path: Path) -> list[dict[str, float]]:
    """The patches of a CGATS .ti3 file as dicts of their numeric fields (CMYK_C .. LAB_B)."""
    text = Path(path).read_bytes().decode("latin-1").replace("\r", "")
    fields: list[str] = []
    rows: list[dict[str, float]] = []
    lines = iter(text.splitlines())
    for line in lines:
        if line.strip() == "BEGIN_DATA_FORMAT":
            fields = next(lines).split()
        elif line.strip() == "BEGIN_DATA":
            for row in lines:
                if row.strip() == "END_DATA":
                    break
                parts = row.split()
                if len(parts) == len(fields):
                    rows.append({f: float(v) for f, v in zip(fields[1:], parts[1:])})
            break
    if not rows or "XYZ_Y" not in rows[0]:
        raise FinishError(f"{path}: no CMYK/XYZ measurements found")
    return rows


def ti3_summary(path: Path) -> dict:
    """What the characterisation data says about the paper and the K plate: paper CIELAB, the
    solid K lightness and the K tone value increase at 40 % (patches averaged per tone)."""
    rows = read_ti3(path)
    ramp: dict[float, list[dict[str, float]]] = {}
    for r in rows:
        if r["CMYK_C"] == r["CMYK_M"] == r["CMYK_Y"] == 0:
            ramp.setdefault(r["CMYK_K"], []).append(r)

    def mean(tone: float, field: str) -> float:
        got = ramp.get(tone)
        if not got:
            raise FinishError(f"{path}: no K-only patch at {tone:g} %")
        return sum(r[field] for r in got) / len(got)

    return {
        "paper_lab": [round(mean(0, f), 2) for f in ("LAB_L", "LAB_A", "LAB_B")],
        "k_solid_lstar": round(mean(100, "LAB_L"), 2),
        "k_tvi_40": round(tone_value_increase(*(mean(t, "XYZ_Y") for t in (0, 40, 100)), 40), 2),
    }


def profile_summary(path: Path) -> dict:
    """The same figures as :func:`ti3_summary`, read from a profile through lcms (absolute
    colorimetric, so the paper keeps its own L*), plus its measured ink limit."""
    from PIL import Image, ImageCms

    im = Image.new("CMYK", (3, 1))
    im.putdata([(0, 0, 0, 0), (0, 0, 0, 102), (0, 0, 0, 255)])  # paper, K 40 %, solid K
    tr = ImageCms.buildTransform(ImageCms.getOpenProfile(str(path)), ImageCms.createProfile("LAB", 5000),
                                 "CMYK", "LAB", renderingIntent=ImageCms.Intent.ABSOLUTE_COLORIMETRIC)
    lab = ImageCms.applyTransform(im, tr)
    px = [lab.getpixel((i, 0)) for i in range(3)]
    lstar = [p[0] / 255 * 100 for p in px]
    return {
        "paper_lab": [round(lstar[0], 1), px[0][1] - 128, px[0][2] - 128],
        "k_solid_lstar": round(lstar[2], 1),
        "k_tvi_40": round(tone_value_increase(*(_y_of_lstar(v) for v in lstar), 40), 1),
        "max_tac_srgb": round(measure_tac(path), 1),
    }


# --------------------------------------------------------------------------------------------
# the built profile and its record


#: what to do about a missing or damaged built profile (every such error says it)
_FIX = ("build it with `make setup` or `python -m layout.finish.profile`, "
        "or name the printer's profile in press.profile")


def verify_built_profile(path: Path | None = None) -> dict:
    """The build record of the built profile at ``path`` after checking the file against it:
    record readable and of this format, size and sha256 equal, an ICC output ('prtr') CMYK
    profile whose description is the recorded one. Raises FinishError listing what is wrong."""
    path = Path(path) if path else built_profile_path()
    record_path = build_record_path(path)
    if not path.is_file():
        raise FinishError(f"the newsprint output profile is not built: {path} is missing; {_FIX}")
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise FinishError(f"the newsprint output profile {path} has no valid build record "
                          f"({record_path}: {e}); {_FIX}") from None
    try:
        data = path.read_bytes()
    except OSError as e:
        raise FinishError(f"cannot read the newsprint output profile {path}: {e}") from None
    problems = []
    if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
        problems.append(f"{record_path.name} is not a build record of format {RECORD_FORMAT}")
        record = record if isinstance(record, dict) else {}
    if len(data) != record.get("size"):
        problems.append(f"size is {len(data)} bytes, the build record says {record.get('size')}")
    if sha256_of(data).hex() != record.get("sha256"):
        problems.append("sha256 differs from the build record (the file was changed or damaged)")
    try:
        _check_output_profile(path, data, parse=False)
    except FinishError as e:
        problems.append(str(e).replace("\n", " "))
    else:
        desc = description_tag(data)
        if desc is not None and desc != record.get("description"):
            problems.append(f"description {desc!r} is not the recorded {record.get('description')!r}")
    for key in ("description", "condition_id", "condition", "tac"):
        if key not in record:
            problems.append(f"the build record has no {key!r}")
    if problems:
        raise FinishError(f"the newsprint output profile {path} is not usable ({_FIX})", problems)
    return record


def output_profile(
    config_path: str | os.PathLike | None,
    *,
    condition_id: str | None = None,
    tac_limit: float | None = None,
) -> ProfileInfo:
    """The output profile to separate for and embed.

    ``config_path`` is the user's configured profile (a printer's .icc): it must exist and be a
    CMYK output profile, else FinishError (a typo in the config must not silently change the
    separation). With no config, the built newsprint profile (:func:`built_profile_path`), checked
    against its build record (:func:`verify_built_profile`); if it is missing or does not match,
    FinishError naming the path and the fix. There is no other fallback.
    ``condition_id``/``tac_limit`` override what is derived from the profile; an overridden
    condition identifier drops the RegistryName (it no longer names the registered condition).
    """
    if config_path:
        path = Path(config_path).expanduser()
        if not path.is_file():
            raise FinishError(f"configured output profile not found: {path}")
        try:
            data = path.read_bytes()
        except OSError as e:
            raise FinishError(f"cannot read output profile {path}: {e.strerror or e}") from None
        _check_output_profile(path, data)
        desc = profile_description(path)
        cid, reg = condition_for(desc)
        return ProfileInfo(
            path=path.resolve(),
            description=desc,
            condition_id=condition_id or cid,
            tac_limit=float(tac_limit if tac_limit is not None else round(measure_tac(path))),
            condition=desc,
            registry=reg if condition_id in (None, cid) else None,
            source="config",
            sha256=sha256_of(data).hex(),
        )
    built = built_profile_path()
    record = verify_built_profile(built)
    cid = record["condition_id"]
    return ProfileInfo(
        path=built.resolve(),
        description=record["description"],
        condition_id=condition_id or cid,
        tac_limit=float(tac_limit if tac_limit is not None else record["tac"]),
        condition=record["condition"],
        registry=record.get("registry") if condition_id in (None, cid) else None,
        source="built",
        sha256=record["sha256"],
    )


# --------------------------------------------------------------------------------------------
# building


def _package_version(name: str) -> str | None:
    import subprocess

    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name],
                             capture_output=True, text=True, check=False)
    except OSError:
        return None
    return (out.stdout.strip() or None) if out.returncode == 0 else None


def build_newsprint_profile(
    dest: Path | None = None,
    *,
    tac: int = BUILT_TAC,
    black_limit: int = BUILT_BLACK_LIMIT,
    quality: str = "m",
    force: bool = False,
) -> Path:
    """Build the newsprint profile and its build record with argyll's colprof, unless a valid
    one (:func:`verify_built_profile`) is already there.

    colprof writes ``NAME.icc`` beside its ``NAME.ti3``, so the read-only Debian data is copied to
    a temporary folder first. The result is moved into place with os.replace from a temporary
    name in the destination folder, profile first and record second, so a concurrent reader (or
    an interrupted build) never sees half a file, only at worst a record that does not match yet
    (which the reader reports).
    """
    import shutil
    import subprocess

    dest = Path(dest) if dest else built_profile_path(tac)
    if not force:
        try:
            verify_built_profile(dest)
            return dest
        except FinishError:
            pass
    colprof = shutil.which("colprof")
    ti3 = find_ti3()
    missing = []
    if not colprof:
        missing.append("argyll's colprof (Debian package 'argyll')")
    if not ti3:
        missing.append(f"{TI3_NAME} (Debian package '{TI3_PACKAGE}')")
    if missing:
        raise FinishError("cannot build the newsprint profile; missing", missing)
    description = built_description(tac, black_limit)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="broadsheet-icc-") as tmp:
        work = Path(tmp) / ti3.name
        shutil.copyfile(ti3, work)
        base = work.with_suffix("")
        args = [f"-q{quality}", f"-k{BUILT_BLACK_GENERATION}", f"-l{tac}", f"-L{black_limit}",
                "-D", description, "-C", BUILT_COPYRIGHT, "-A", "broadsheet", "-Zp"]
        proc = subprocess.run([colprof, *args, str(base)], capture_output=True, text=True, check=False)
        out = base.with_suffix(".icc")
        if proc.returncode != 0 or not out.is_file():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
            raise FinishError("colprof failed", tail or [f"exit status {proc.returncode}"])
        _check_output_profile(out)
        data = _fixed_date(out.read_bytes())
        measured = profile_summary(out)
    seconds = time.monotonic() - started
    record = {
        "format": RECORD_FORMAT,
        "file": dest.name,
        "description": description,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "condition_id": BUILT_CONDITION_ID,
        "condition": built_condition(tac, black_limit),
        "registry": REGISTRY,
        "tac": tac,
        "source": {
            "title": SOURCE_TITLE,
            "file": str(ti3),
            "sha256": hashlib.sha256(ti3.read_bytes()).hexdigest(),
            "package": f"{TI3_PACKAGE} {_package_version(TI3_PACKAGE) or '(version unknown)'}",
            "measured": ti3_summary(ti3),
        },
        "parameters": {
            "program": "colprof (ArgyllCMS)",
            "argyll": _package_version("argyll"),
            "arguments": args,
            "total_ink_limit": tac,
            "black_limit": black_limit,
            "black_generation": "maximum K (-kx)",
            "quality": quality,
        },
        "measured": measured,
        "build_seconds": round(seconds, 1),
    }
    from layout.cache import atomic_write

    atomic_write(dest, data, durable=True)  # ~35 s of colprof: worth an fsync
    atomic_write(build_record_path(dest), (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode(),
                 durable=True)
    return dest


def _fixed_date(data: bytes) -> bytes:
    """colprof's output differs between runs only in the header's creation date; pinning it to
    2000-01-01 (the profile's content does not depend on when it was built) makes the profile,
    and so every PDF embedding it, byte-identical across machines. Only done when the header has
    no profile ID (v2 profiles), since an ID is an MD5 over the header that would then need
    recomputing."""
    if len(data) < 128 or any(data[84:100]):
        return data
    stamp = b"".join(v.to_bytes(2, "big") for v in (2000, 1, 1, 0, 0, 0))
    return data[:24] + stamp + data[36:]


def main(argv: list[str] | None = None) -> int:
    """``python -m layout.finish.profile``: build the newsprint profile (and its build record)
    unless a valid one exists, and print where it is."""
    ap = argparse.ArgumentParser(prog="python -m layout.finish.profile", description=main.__doc__)
    ap.add_argument("--force", action="store_true", help="rebuild even if a valid one exists")
    ap.add_argument("--quality", choices="lmhu", default="m", help="colprof quality (default m)")
    ap.add_argument("--check", action="store_true",
                    help="only check the built profile against its record; exit 1 if it is not usable")
    args = ap.parse_args(argv)
    dest = built_profile_path()
    try:
        if args.check or not args.force:
            try:
                verify_built_profile(dest)
                print(dest)
                return 0
            except FinishError:
                if args.check:
                    raise
        print(f"building the newsprint profile from {TI3_NAME} (about 35 s): {dest}", file=sys.stderr)
        path = build_newsprint_profile(dest, quality=args.quality, force=True)
    except FinishError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except OSError as e:  # e.g. the package folder is read-only for this user
        print(f"error: cannot write {dest}: {e}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
