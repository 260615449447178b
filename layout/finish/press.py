"""What makes a file PDF/X, as data: version keys, dates, Info, XMP, the output intent.

The renderer writes these into the PDF in the same pass that draws the page (ReportLab lets a
document carry extra catalogue entries), so a press build needs no second parse-and-rewrite of
its own output; :mod:`layout.finish.pdfx` uses the same facts to finish a PDF made elsewhere,
and :mod:`layout.preflight` checks any file against them. Nothing here imports a PDF library:
this module decides *what* the press file says, not how it is serialised.

Identity: the trailer ``/ID`` and the XMP DocumentID/InstanceID come from a digest of the
file's content (page streams, font and image names, the profile and these metadata), so the same
input gives byte-identical output; dates come from the caller or ``SOURCE_DATE_EPOCH``.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from datetime import datetime, timedelta, timezone
from typing import Literal

from msgspec import Struct

from layout.finish.errors import FinishError

Variant = Literal["X-4", "X-1a"]

VERSION_KEYS = {
    # Info GTS_PDFXVersion, Info GTS_PDFXConformance, PDF header version
    "X-4": ("PDF/X-4", None, "1.6"),
    "X-1a": ("PDF/X-1:2003", "PDF/X-1a:2003", "1.4"),
}
XMP_NS_PDFXID = "http://www.npes.org/pdfx/ns/id/"


def effective_dates(creation_date: datetime) -> tuple[datetime, datetime]:
    """(CreationDate, ModDate). ``SOURCE_DATE_EPOCH`` (reproducible builds) overrides both;
    otherwise both are ``creation_date`` (a naive datetime is taken as local time), so that
    re-finishing the same input reproduces the same bytes."""
    sde = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if sde:
        try:
            dt = datetime.fromtimestamp(int(sde), timezone.utc)
            return dt, dt
        except ValueError as e:
            raise FinishError(f"SOURCE_DATE_EPOCH is not an integer: {sde!r}") from e
    if creation_date.tzinfo is None:
        creation_date = creation_date.astimezone()
    creation_date = creation_date.replace(microsecond=0)
    return creation_date, creation_date


def pdf_date(dt: datetime) -> str:
    off = dt.utcoffset() or timedelta(0)
    mins = int(off.total_seconds() // 60)
    sign = "+" if mins >= 0 else "-"
    mins = abs(mins)
    return dt.strftime("D:%Y%m%d%H%M%S") + f"{sign}{mins // 60:02d}'{mins % 60:02d}'"


def xmp_date(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def xmp(*, title: str, created: datetime, modified: datetime, producer: str, trapped: bool,
         variant: Variant, doc_id: str, instance_id: str) -> bytes:
    version, conformance, _ = VERSION_KEYS[variant]
    extra = ""
    if conformance:
        # PDF/X-1a consumers read the Adobe pdfx schema
        extra = (f"   <pdfx:GTS_PDFXVersion>{version}</pdfx:GTS_PDFXVersion>\n"
                 f"   <pdfx:GTS_PDFXConformance>{conformance}</pdfx:GTS_PDFXConformance>\n")
    escape = _xml_escape
    body = f"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="{XMP_NS_PDFXID}"
    xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
   <xmp:CreateDate>{xmp_date(created)}</xmp:CreateDate>
   <xmp:ModifyDate>{xmp_date(modified)}</xmp:ModifyDate>
   <xmp:MetadataDate>{xmp_date(modified)}</xmp:MetadataDate>
   <xmp:CreatorTool>broadsheet</xmp:CreatorTool>
   <pdf:Producer>{escape(producer)}</pdf:Producer>
   <pdf:Trapped>{"True" if trapped else "False"}</pdf:Trapped>
   <xmpMM:DocumentID>{doc_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{instance_id}</xmpMM:InstanceID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>
{extra}  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>"""
    padding = ("\n" + " " * 99) * 20  # room for in-place edits by later tools
    packet = ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' + body + padding
              + '\n<?xpacket end="w"?>')
    return packet.encode("utf-8")


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class PressIdentity(Struct, frozen=True):
    """Everything a press file says about itself besides its pages (see the module doc)."""

    variant: Variant
    title: str
    created: datetime
    modified: datetime
    producer: str
    profile_data: bytes
    condition_id: str
    condition: str
    description: str
    registry: str | None = None
    trapped: bool = False
    profile_flate: bytes | None = None  # profile_data deflated (cached by the build: 10 ms a page)

    @property
    def pdf_version(self) -> tuple[int, int]:
        major, minor = VERSION_KEYS[self.variant][2].split(".")
        return int(major), int(minor)

    def info(self) -> dict[str, str]:
        """The Info dictionary: PDF/X-4 wants it to agree with the XMP, so nothing else goes in."""
        version, conformance, _ = VERSION_KEYS[self.variant]
        d = {"Title": self.title, "Creator": "broadsheet", "Producer": self.producer,
             "CreationDate": pdf_date(self.created), "ModDate": pdf_date(self.modified),
             "GTS_PDFXVersion": version}
        if conformance:
            d["GTS_PDFXConformance"] = conformance
        return d

    def digest(self, content_digest: bytes) -> bytes:
        """The file's identity: the content's digest combined with every metadata fact."""
        from layout.finish.profile import sha256_of

        h = hashlib.sha256()
        for part in (content_digest, self.profile_data, self.variant.encode(), self.title.encode("utf-8"),
                     xmp_date(self.created).encode(), b"T" if self.trapped else b"F", self.producer.encode()):
            h.update(sha256_of(part))
        return h.digest()

    def xmp(self, digest: bytes) -> bytes:
        doc_id, instance_id = identity_ids(digest)
        return xmp(title=self.title, created=self.created, modified=self.modified, producer=self.producer,
                   trapped=self.trapped, variant=self.variant, doc_id=doc_id, instance_id=instance_id)


def identity_ids(digest: bytes) -> tuple[str, str]:
    """XMP DocumentID and InstanceID (uuid: URNs) from a 32-byte digest."""
    return (f"uuid:{uuid.UUID(bytes=digest[:16], version=4)}",
            f"uuid:{uuid.UUID(bytes=digest[16:32], version=4)}")


def press_identity(variant: Variant, profile, *, title: str, creation_date: datetime, producer: str,
                   trapped: bool = False, deflate=None) -> PressIdentity:
    """The identity of a press file finished with ``profile`` (a layout.finish.profile.ProfileInfo).
    ``deflate(data) -> bytes``, when given, supplies the compressed profile (e.g. from a cache)."""
    if variant not in VERSION_KEYS:
        raise FinishError(f"unknown PDF/X variant {variant!r} (X-4 or X-1a)")
    from layout.finish.profile import icc_header

    data = profile.data()
    head = icc_header(data)
    if head["color_space"] != "CMYK" or head["device_class"] != "prtr":
        raise FinishError(f"{profile.path} is not a CMYK output profile")
    created, modified = effective_dates(creation_date)
    return PressIdentity(variant=variant, title=title, created=created, modified=modified, producer=producer,
                         profile_data=data, condition_id=profile.condition_id,
                         condition=profile.condition or profile.description, description=profile.description,
                         registry=profile.registry or None, trapped=trapped,
                         profile_flate=deflate(data) if deflate else None)
