"""The CMYK output profile that press files are separated for and tagged with.

Why a profile is built here: a newspaper prints on newsprint (ISO 12647-3, about 26 % dot gain,
220-240 % total ink). Debian ships no newsprint profile, and Ghostscript's ``default_cmyk.icc``
(SWOP) turns sRGB black into about 298 % ink, which smears and sets off on newsprint. Debian's
``icc-profiles-free`` does ship FOGRA29L, the measured characterisation of uncoated offset paper,
the closest free data to newsprint; argyll's ``colprof`` turns it into a profile whose separation
tables respect a total ink limit (220 %) and a black limit (95 %), with a ramp black generation
(``-kr``) that puts greys mostly on the K plate. Building takes about 40 s, so it is done once by
the project's set-up (``python -m layout.finish.profile``) into the cache folder, and reused.

A user who has the printer's own profile (e.g. WAN-IFRAnewspaper26v5) names it in the config;
:func:`output_profile` then returns that one. Only when neither a configured nor a built profile
exists does it fall back to Ghostscript's SWOP profile, with a warning, because a wrong-but-working
profile is better than no PDF at all for a proof, and the warning says it is not fit for press.
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
import tempfile
import warnings
from pathlib import Path

from msgspec import Struct

from layout.finish.errors import FinishError

#: the characterisation data set and the limits of the built profile
TI3_NAME = "FOGRA29L.ti3"
BUILT_TAC = 220
BUILT_BLACK_LIMIT = 95
BUILT_DESCRIPTION = "broadsheet newsprint CMYK (FOGRA29L data, 220% TAC, K ramp)"
GS_DEFAULT_CMYK_DIRS = ("/usr/share/color/icc/ghostscript", "/usr/share/ghostscript")

#: registered characterisations (ICC registry, http://www.color.org) recognised from a profile's
#: description, so that a RIP can match the OutputIntent by name. Anything else is "Custom",
#: which PDF/X allows as long as the profile is embedded (make_pdfx always embeds it).
_REGISTERED = (
    ("newspaper26", "IFRA26"),
    ("ifra26", "IFRA26"),
    ("fogra39", "FOGRA39"),
    ("fogra29", "FOGRA29"),
    ("fogra28", "FOGRA28"),
    ("fogra27", "FOGRA27"),
)
REGISTRY = "http://www.color.org"


class ProfileWarning(UserWarning):
    """The output profile in use is not fit for press (the SWOP fallback)."""


class ProfileInfo(Struct, frozen=True):
    """An output profile and how a PDF/X OutputIntent should name it.

    ``tac_limit`` is the total ink limit in percent that separations through this profile keep
    to (by construction for the built profile, measured for others). ``condition_id`` is the
    OutputConditionIdentifier: a registered name or "Custom". ``source`` says where it came from
    ("config", "built" or "fallback"); ``warning`` is non-empty when it is not fit for press.
    """

    path: Path
    description: str
    condition_id: str
    tac_limit: float
    condition: str = ""
    registry: str | None = None
    source: str = "config"
    warning: str = ""

    def data(self) -> bytes:
        return Path(self.path).read_bytes()


# --------------------------------------------------------------------------------------------
# where things are


def cache_root() -> Path:
    """The cache root (:func:`layout.cache.cache_root`)."""
    from layout.cache import cache_root as root

    return root()


def built_profile_path(tac: int = BUILT_TAC) -> Path:
    return cache_root() / "icc" / f"broadsheet-newsprint-fogra29l-{tac}.icc"


def find_ti3(name: str = TI3_NAME) -> Path | None:
    """The characterisation data shipped by Debian's icc-profiles-free."""
    for cand in (Path("/usr/share/color/icc") / name,):
        if cand.is_file():
            return cand
    import subprocess  # (here and below: only finding or building the profile runs programs)

    try:
        out = subprocess.run(
            ["dpkg", "-L", "icc-profiles-free"], capture_output=True, text=True, check=False
        ).stdout
        for line in out.splitlines():
            if line.endswith("/" + name) and Path(line).is_file():
                return Path(line)
    except OSError:
        pass
    hits = glob.glob(f"/usr/share/**/{name}", recursive=True)
    return Path(hits[0]) if hits else None


def find_gs_default_cmyk() -> Path | None:
    for d in GS_DEFAULT_CMYK_DIRS:
        hits = sorted(glob.glob(f"{d}/**/default_cmyk.icc", recursive=True))
        if hits:
            return Path(hits[0])
    return None


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


def _desc_tag(data: bytes) -> str | None:
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
        desc = _desc_tag(Path(path).read_bytes())
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
    from layout.finish.color import tac_of

    return tac_of(out)


def _condition_for(description: str) -> tuple[str, str | None]:
    low = description.lower().replace(" ", "")
    for key, ident in _REGISTERED:
        if key in low:
            return ident, REGISTRY
    return "Custom", None


def _check_output_profile(path: Path) -> dict:
    try:
        head = icc_header(path.read_bytes())
    except OSError as e:
        raise FinishError(f"cannot read output profile {path}: {e}") from e
    except FinishError as e:
        raise FinishError(f"{path} is not an ICC profile") from e
    problems = []
    if head["color_space"] != "CMYK":
        problems.append(f"colour space is {head['color_space']}, not CMYK")
    if head["device_class"] != "prtr":
        problems.append(f"device class is '{head['device_class']}', not an output ('prtr') profile")
    if problems:
        raise FinishError(f"{path} cannot be a press output profile", problems)
    return head


def output_profile(
    config_path: str | os.PathLike | None,
    *,
    condition_id: str | None = None,
    tac_limit: float | None = None,
) -> ProfileInfo:
    """The output profile to separate for and embed.

    ``config_path`` is the user's configured profile (a printer's .icc): it must exist and be a
    CMYK output profile, else FinishError (a typo in the config must not silently change the
    separation). With no config, the built newsprint profile from the cache; if that was never
    built, Ghostscript's SWOP default_cmyk.icc with a :class:`ProfileWarning`.
    ``condition_id``/``tac_limit`` override what is derived from the profile.
    """
    if config_path:
        path = Path(config_path).expanduser()
        if not path.is_file():
            raise FinishError(f"configured output profile not found: {path}")
        _check_output_profile(path)
        desc = profile_description(path)
        cid, reg = _condition_for(desc)
        return ProfileInfo(
            path=path.resolve(),
            description=desc,
            condition_id=condition_id or cid,
            tac_limit=float(tac_limit if tac_limit is not None else round(measure_tac(path))),
            condition=desc,
            registry=reg if condition_id in (None, cid) else None,
            source="config",
        )
    built = built_profile_path()
    if built.is_file():
        return ProfileInfo(
            path=built.resolve(),
            description=profile_description(built),
            condition_id=condition_id or "Custom",
            tac_limit=float(tac_limit if tac_limit is not None else BUILT_TAC),
            condition="Newsprint approximation: uncoated offset (FOGRA29L data), "
            f"{BUILT_TAC}% total ink, {BUILT_BLACK_LIMIT}% black",
            registry=None,
            source="built",
        )
    gs = find_gs_default_cmyk()
    if gs is None:
        raise FinishError(
            "no output profile: none configured, the newsprint profile was not built "
            "(run `python -m layout.finish.profile`) and Ghostscript's default_cmyk.icc is missing"
        )
    msg = (
        f"newsprint profile not built ({built}); using Ghostscript's SWOP profile {gs}, which "
        "puts about 300% ink in shadows: not fit for newsprint. Run scripts/setup.sh or "
        "`python -m layout.finish.profile`."
    )
    warnings.warn(msg, ProfileWarning, stacklevel=2)
    desc = profile_description(gs)
    return ProfileInfo(
        path=gs.resolve(),
        description=desc,
        condition_id=condition_id or "Custom",
        tac_limit=float(tac_limit if tac_limit is not None else round(measure_tac(gs))),
        condition=desc,
        registry=None,
        source="fallback",
        warning=msg,
    )


# --------------------------------------------------------------------------------------------
# building


def build_newsprint_profile(
    dest: Path | None = None,
    *,
    tac: int = BUILT_TAC,
    black_limit: int = BUILT_BLACK_LIMIT,
    quality: str = "m",
    force: bool = False,
) -> Path:
    """Build the newsprint profile with argyll's colprof unless it already exists.

    colprof writes ``NAME.icc`` beside its ``NAME.ti3``, so the read-only Debian data is copied to
    a temporary folder first. The result is moved into place with os.replace from a temporary
    name in the destination folder, so a concurrent reader (or an interrupted build) never sees
    half a profile.
    """
    import shutil
    import subprocess

    dest = Path(dest) if dest else built_profile_path(tac)
    if dest.is_file() and not force:
        return dest
    colprof = shutil.which("colprof")
    ti3 = find_ti3()
    missing = []
    if not colprof:
        missing.append("argyll's colprof (Debian package 'argyll')")
    if not ti3:
        missing.append(f"{TI3_NAME} (Debian package 'icc-profiles-free')")
    if missing:
        raise FinishError("cannot build the newsprint profile; missing", missing)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="broadsheet-icc-") as tmp:
        work = Path(tmp) / ti3.name
        shutil.copyfile(ti3, work)
        base = work.with_suffix("")
        cmd = [
            colprof, f"-q{quality}", "-kr", f"-l{tac}", f"-L{black_limit}",
            "-D", BUILT_DESCRIPTION if tac == BUILT_TAC else
            f"broadsheet newsprint CMYK (FOGRA29L data, {tac}% TAC, K ramp)",
            "-C", "Built by broadsheet from FOGRA29L characterisation data (icc-profiles-free)",
            "-A", "broadsheet", "-Zp",
            str(base),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        out = base.with_suffix(".icc")
        if proc.returncode != 0 or not out.is_file():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
            raise FinishError("colprof failed", tail or [f"exit status {proc.returncode}"])
        _check_output_profile(out)
        data = _fixed_date(out.read_bytes())
        from layout.cache import atomic_write

        atomic_write(dest, data, durable=True)  # ~40 s of colprof: worth an fsync
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
    """``python -m layout.finish.profile``: build the newsprint profile if missing, print where."""
    ap = argparse.ArgumentParser(prog="python -m layout.finish.profile", description=main.__doc__)
    ap.add_argument("--force", action="store_true", help="rebuild even if it exists")
    ap.add_argument("--quality", choices="lmhu", default="m", help="colprof quality (default m)")
    args = ap.parse_args(argv)
    dest = built_profile_path()
    try:
        if dest.is_file() and not args.force:
            print(dest)
            return 0
        print(f"building newsprint profile (about 40 s): {dest}", file=sys.stderr)
        path = build_newsprint_profile(dest, quality=args.quality, force=args.force)
    except FinishError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
