"""Award certificates: A4 landscape, one page per recipient, within a guilloche border.

The border is drawn once per PDF as a form (vectors: a navy rule outside, a band of
interlaced gold waves as on banknotes and diplomas, corner pieces, fine rules inside). Within
it, centred: the titles (Chinese, then English), "This is to certify that", the recipient (an
organisation, a person, or both), the citation, the occasion, and the signature lines: of the
issuing authorities (each signatory's name and title, the authority's names in English and
Chinese, and a dashed circle where its seal goes when it seals) or, for an award without
authorities, of its presenters; the date at the foot on the left, the number on the right. A
certificate not yet approved (``draft``) carries DRAFT across it in both languages.

A certificate is one page: everything shrinks together until the citation has room, the
citation shrinks (from 11 pt down to 7.5 pt) and, if even that is too long, its last line
ends with an ellipsis. ``render_certificate`` returns one certificate; ``write_certificates``
writes many into one PDF, a bookmark for each.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Frame, PageTemplate

from printing.certificate_layout import (
    CONTENT_BOTTOM,
    CONTENT_TOP,
    CONTENT_WIDTH,
    CONTENT_X,
    INNER,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Layout,
)
from printing.documents import CertificateData, DocumentError
from printing.flow import Bookmark, Document, Meta
from printing.formal import (
    GOLD,
    GOLD_LIGHT,
    INK_SOFT,
    NAVY,
    clean,
    font_book,
    join,
)
from printing.typefaces import FontBook, script_of
from printing.wording import N_, Wording

OUTER = 9 * mm  # the outer rule, from the trim
BAND = (10.6 * mm, 15.4 * mm)  # the guilloche band
LABEL_KEYS = (
    N_("Certificate"),
    N_("This is to certify that"),
    N_("Received by"),
    N_("Presented by"),
    N_("No."),
    N_("Date"),
    N_("Seal"),
    N_("No certificates to print."),
)


def _check(data: CertificateData) -> None:
    recipient = data.recipient
    if not (recipient.has_name or clean(recipient.organisation + recipient.organisation_zh)):
        raise DocumentError(
            "certificate %(reference)s names no recipient (a person or an organisation)",
            field="recipient",
            reference=data.reference,
        )
    if not clean(data.reference):
        raise DocumentError("the certificate has no reference number", field="reference")
    if not (clean(data.title_en) or clean(data.title_zh)):
        raise DocumentError(
            "certificate %(reference)s has no title", field="title_en", reference=data.reference
        )


def _waves(canvas: Any, start: float, end: float, fixed: float, horizontal: bool) -> None:
    """Stroke the six interlaced waves of one side of the band."""
    low, high = BAND
    amplitude = (high - low) / 2 - 0.4
    length = end - start
    period = length / max(1, round(length / (5.5 * mm)))
    steps = max(2, int(length / 1.2))
    for phase in range(6):
        shift = phase * math.pi / 3
        scale = amplitude if phase % 2 == 0 else amplitude * 0.55
        path = canvas.beginPath()
        for step in range(steps + 1):
            along = start + length * step / steps
            across = fixed + scale * math.sin(2 * math.pi * (along - start) / period + shift)
            x, y = (along, across) if horizontal else (across, along)
            path.lineTo(x, y) if step else path.moveTo(x, y)
        canvas.drawPath(path, stroke=1, fill=0)


def draw_border(canvas: Any) -> None:
    """Draw the border: outer rule, band of waves, corner pieces, inner rules."""
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(1.8)
    canvas.rect(OUTER, OUTER, PAGE_WIDTH - 2 * OUTER, PAGE_HEIGHT - 2 * OUTER)
    low, high = BAND
    middle = (low + high) / 2
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.35)
    _waves(canvas, low, PAGE_WIDTH - low, middle, True)
    _waves(canvas, low, PAGE_WIDTH - low, PAGE_HEIGHT - middle, True)
    _waves(canvas, low, PAGE_HEIGHT - low, middle, False)
    _waves(canvas, low, PAGE_HEIGHT - low, PAGE_WIDTH - middle, False)
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(0.6)
    canvas.rect(INNER, INNER, PAGE_WIDTH - 2 * INNER, PAGE_HEIGHT - 2 * INNER)
    canvas.setLineWidth(0.25)
    inset = INNER + 1.2 * mm
    canvas.rect(inset, inset, PAGE_WIDTH - 2 * inset, PAGE_HEIGHT - 2 * inset)
    side = high - low + 2.4 * mm
    for cx in (middle, PAGE_WIDTH - middle):
        for cy in (middle, PAGE_HEIGHT - middle):
            canvas.setFillColor(NAVY)
            canvas.rect(cx - side / 2, cy - side / 2, side, side, stroke=0, fill=1)
            canvas.setFillColor(GOLD_LIGHT)
            r = side * 0.3
            path = canvas.beginPath()
            path.moveTo(cx, cy + r)
            for x, y in ((cx + r, cy), (cx, cy - r), (cx - r, cy)):
                path.lineTo(x, y)
            path.close()
            canvas.drawPath(path, stroke=0, fill=1)


def _on_page(canvas: Any, doc: Any) -> None:
    """Draw the border (a form made on the first page) under the page."""
    if not canvas.hasForm("border"):
        canvas.beginForm("border")
        draw_border(canvas)
        canvas.endForm()
    canvas.doForm("border")


def _meta(certificates: list[CertificateData], wording: Wording) -> Meta:
    """Return the metadata: the certificate's title, or the batch's awards and occasion."""
    if not certificates:
        return Meta("Certificates", "launch-events", "No certificates to print", wording.language)
    first = certificates[0]
    issuers = [a.name_en for c in certificates for a in c.authorities if clean(a.name_en)]
    issuers += [p.organisation for c in certificates for p in c.presenters if clean(p.organisation)]
    author = "; ".join(dict.fromkeys(clean(i) for i in issuers)) or "launch-events"
    awards = " / ".join(dict.fromkeys(clean(c.title_en or c.title_zh) for c in certificates))
    draft = any(c.draft for c in certificates)
    occasion = clean(first.occasion_en or first.occasion_zh)
    if len(certificates) == 1:
        title = f"Certificate {clean(first.reference)}: {awards}"
        return Meta(title, author, join(awards, occasion), wording.language, draft)
    title = join("Certificates", awards, occasion, separator=" — ")
    subject = f"{len(certificates)} certificates: {join(awards, occasion)}"
    return Meta(title, author, subject, wording.language, draft)


def _document(out: Any, book: FontBook, meta: Meta) -> Document:
    frame = Frame(
        CONTENT_X, CONTENT_BOTTOM, CONTENT_WIDTH, CONTENT_TOP - CONTENT_BOTTOM,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
    )  # fmt: skip
    template = PageTemplate("certificate", [frame], onPage=_on_page)
    plain = Meta(meta.title, meta.author, meta.subject, meta.lang)  # DRAFT: per certificate
    return Document(out, book, plain, pagesize=landscape(A4), pageTemplates=[template])


def _build(
    certificates: list[CertificateData],
    out: Any,
    wording: Wording,
    progress: Callable[[int], None] | None = None,
) -> None:
    for data in certificates:
        _check(data)
    book = font_book(certificates, wording, LABEL_KEYS)
    doc = _document(out, book, _meta(certificates, wording))
    story: list[Any] = []
    for number, data in enumerate(certificates, start=1):
        layout = Layout(book, data, script_of(data.wording.language))
        layout.tell = (lambda n=number: progress(n)) if progress is not None else None
        if len(certificates) > 1:  # drawn by the page itself: a page full leaves it no room
            recipient = data.recipient
            who = join(recipient.organisation, recipient.name_en) or clean(recipient.name_zh)
            layout.bookmark = Bookmark(join(data.reference, who, separator=" "))
        story.append(layout)
    if not certificates:
        story.append(_nothing(book, wording))
    doc.build(story)


def _nothing(book: FontBook, wording: Wording) -> Any:
    from printing.formal import Label

    said = wording.both(N_("No certificates to print."))
    return Label(book, said, 11, INK_SOFT, align=TA_CENTER, script=script_of(wording.language))


def render_certificate(data: CertificateData) -> bytes:
    """Return one certificate as an A4 landscape PDF (raises DocumentError if impossible)."""
    buffer = io.BytesIO()
    _build([data], buffer, data.wording)
    return buffer.getvalue()


def write_certificates(
    certificates: Iterable[CertificateData],
    out: BinaryIO,
    *,
    wording: Wording,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write certificates, one page each, into one PDF; return how many.

    progress, if given, is called with the number laid out after each certificate. A
    certificate that cannot be made raises DocumentError before anything is written.
    wording gives the Chinese of the page saying there is nothing, and the PDF's language.
    """
    batch = list(certificates)
    _build(batch, out, wording, progress)
    return len(batch)
