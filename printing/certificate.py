"""Award certificates: A4 landscape, one page per recipient, within a guilloche border.

The border is drawn as vectors: a navy rule outside, a band of interlaced gold waves (a
guilloche, as on banknotes and diplomas), corner pieces, and fine rules inside. Within it,
centred: the titles (Chinese, then English), "This is to certify that", the recipient (an
organisation, a person, or both), the citation, the occasion, and the presenters above their
signature rules; the date at the foot on the left and the reference number on the right.

A certificate is one page: the citation shrinks to fit (from 11 pt down to 7.5 pt) and, if
even that is too long, its last line ends with an ellipsis. ``render_certificate`` returns one
certificate; ``write_certificates`` streams many into one PDF.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable, Iterable
from typing import BinaryIO

from printing.documents import CertificateData, DocumentError, Person
from printing.layout import (
    A4_LANDSCAPE,
    GOLD,
    GOLD_LIGHT,
    INK,
    INK_MUTED,
    INK_SOFT,
    NAVY,
    Style,
    Typesetter,
    baseline,
    join,
    label,
    new_writer,
)
from printing.pdf import Content, PdfWriter, mm
from printing.textfit import clean_text, paragraphs
from printing.wording import N_, Wording

PAGE_WIDTH, PAGE_HEIGHT = A4_LANDSCAPE
OUTER = mm(9)  # the outer rule, from the trim
BAND = (mm(10.6), mm(15.4))  # the guilloche band
INNER = mm(16.6)  # the inner rules
CONTENT_X = mm(34)
CONTENT_WIDTH = PAGE_WIDTH - 2 * CONTENT_X
CONTENT_TOP = PAGE_HEIGHT - mm(29)
FOOT_Y = mm(24)

LABEL = Style(8, 11, GOLD, bold=True, tracking=2.2)
TITLE_ZH = Style(26, 34, NAVY, bold=True)
TITLE_EN = Style(13, 18, INK_SOFT)
CERTIFY = Style(9, 13, INK_MUTED, tracking=0.4)
RECIPIENT_ZH = Style(22, 30, INK, bold=True)
RECIPIENT_EN = Style(14.5, 20, NAVY, bold=True)
RECEIVED = Style(9, 13, INK_SOFT)
CITATION = Style(11, 16.5, INK_SOFT)
OCCASION = Style(7.5, 10.5, INK_MUTED)
PRESENTER_NAME = Style(9, 12.5, INK, bold=True)
PRESENTER_TEXT = Style(7.3, 10, INK_SOFT)
FOOT = Style(7.5, 10, INK_MUTED)
FOOT_VALUE = Style(8.5, 10, INK, bold=True)
COLON = "\uff1a"
"""The full-width colon between a bilingual label ("Presented by  頒授嘉賓") and names."""


def _check(data: CertificateData) -> None:
    recipient = data.recipient
    if not (recipient.has_name or clean_text(recipient.organisation + recipient.organisation_zh)):
        raise DocumentError(
            "certificate %(reference)s names no recipient (a person or an organisation)",
            field="recipient",
            reference=data.reference,
        )
    if not clean_text(data.reference):
        raise DocumentError("the certificate has no reference number", field="reference")
    if not (clean_text(data.title_en) or clean_text(data.title_zh)):
        raise DocumentError(
            "certificate %(reference)s has no title", field="title_en", reference=data.reference
        )


@functools.cache
def _border() -> Content:
    """Return the drawing of the border (the same on every certificate)."""
    content = Content()
    _guilloche(content)
    return content


def _guilloche(content: Content) -> None:
    """Draw the border: outer rule, band of waves, corner pieces, inner rules."""
    content.stroke_colour(NAVY)
    content.line_width(1.8)
    content.stroke_rect(OUTER, OUTER, PAGE_WIDTH - 2 * OUTER, PAGE_HEIGHT - 2 * OUTER)

    low, high = BAND
    middle, amplitude = (low + high) / 2, (high - low) / 2 - 0.4
    content.stroke_colour(GOLD)
    content.line_width(0.35)
    for start, end, fixed, horizontal in (
        (low, PAGE_WIDTH - low, middle, True),
        (low, PAGE_WIDTH - low, PAGE_HEIGHT - middle, True),
        (low, PAGE_HEIGHT - low, middle, False),
        (low, PAGE_HEIGHT - low, PAGE_WIDTH - middle, False),
    ):
        length = end - start
        period = length / max(1, round(length / mm(5.5)))
        steps = max(2, int(length / 1.2))
        for phase in range(6):
            shift = phase * math.pi / 3
            scale = amplitude if phase % 2 == 0 else amplitude * 0.55
            points = []
            for step in range(steps + 1):
                along = start + length * step / steps
                across = fixed + scale * math.sin(2 * math.pi * (along - start) / period + shift)
                points.append((along, across) if horizontal else (across, along))
            content.polyline(points)

    content.stroke_colour(NAVY)
    content.line_width(0.6)
    content.stroke_rect(INNER, INNER, PAGE_WIDTH - 2 * INNER, PAGE_HEIGHT - 2 * INNER)
    content.line_width(0.25)
    inset = INNER + mm(1.2)
    content.stroke_rect(inset, inset, PAGE_WIDTH - 2 * inset, PAGE_HEIGHT - 2 * inset)

    side = high - low + mm(2.4)
    for cx in (middle, PAGE_WIDTH - middle):
        for cy in (middle, PAGE_HEIGHT - middle):
            content.fill_colour(NAVY)
            content.rect(cx - side / 2, cy - side / 2, side, side)
            content.fill_colour(GOLD_LIGHT)
            r = side * 0.3
            content.polyline([(cx, cy + r), (cx + r, cy), (cx, cy - r), (cx - r, cy)], fill=True)


def _ornament(content: Content, y: float) -> None:
    """Draw a short gold rule with a diamond in its middle, centred at height y."""
    cx = PAGE_WIDTH / 2
    content.stroke_colour(GOLD)
    content.line_width(0.6)
    content.line(cx - mm(22), y, cx - mm(3), y)
    content.line(cx + mm(3), y, cx + mm(22), y)
    content.fill_colour(GOLD)
    r = mm(1.3)
    content.polyline([(cx, y + r), (cx + r, y), (cx, y - r), (cx - r, y)], fill=True)


Part = tuple[float, Callable[[Content, float], None]]
"""A piece of the certificate: its height, and how to draw it from a top y."""


def _text_part(
    ts: Typesetter, text: str, style: Style, min_size: float, max_lines: int = 2
) -> Part | None:
    """Return centred text, shrunk down to min_size to fit max_lines (balanced lines)."""
    if not clean_text(text):
        return None
    fitted = ts.fit(text, style, CONTENT_WIDTH, min_size, max_lines=max_lines)
    sized = style.but(size=fitted.size, leading=style.leading * fitted.size / style.size)
    lines = list(fitted.lines)
    if len(lines) > 1 and not fitted.truncated:
        lines = ts.wrap(text, sized, CONTENT_WIDTH, balanced=True)

    def draw(content: Content, top: float) -> None:
        for line in lines:
            ts.draw(
                content,
                CONTENT_X,
                baseline(top, sized),
                line,
                sized,
                align="centre",
                width=CONTENT_WIDTH,
            )
            top -= sized.leading

    return len(lines) * sized.leading, draw


def _space(height: float) -> Part:
    return height, lambda content, top: None


def _presenter_lines(
    ts: Typesetter, person: Person, width: float, scale: float
) -> list[tuple[str, Style]]:
    lines = []
    name_style = PRESENTER_NAME.but(
        size=PRESENTER_NAME.size * scale, leading=PRESENTER_NAME.leading * scale
    )
    text_style = PRESENTER_TEXT.but(
        size=PRESENTER_TEXT.size * scale, leading=PRESENTER_TEXT.leading * scale
    )
    name = join(person.name_en, person.name_zh, separator="  ")
    if name:
        fitted = ts.fit(name, name_style, width, 6 * scale, max_lines=2)
        lines += [(line, name_style.but(size=fitted.size)) for line in fitted.lines]
    for text in (person.title, person.organisation, person.organisation_zh):
        if clean_text(text):
            fitted = ts.fit(text, text_style, width, 5.5 * scale, max_lines=2)
            sized = text_style.but(size=fitted.size)
            if len(fitted.lines) > 1 and not fitted.truncated:  # even lines, good breaks
                fitted_lines = ts.wrap(text, sized, width, balanced=True)
            else:
                fitted_lines = list(fitted.lines)
            lines += [(line, sized) for line in fitted_lines]
    return lines


def _presenters_part(
    ts: Typesetter, presenters: tuple[Person, ...], scale: float, wording: Wording
) -> Part | None:
    """Return the presenters: up to 8 above signature rules, in rows of up to 4; more, listed."""
    if not presenters:
        return None
    if len(presenters) > 8:
        names = ", ".join(
            join(p.name_en, p.name_zh, separator=" ")
            or join(p.organisation, p.organisation_zh, separator=" ")
            for p in presenters
        )
        style = PRESENTER_TEXT.but(size=8 * scale, leading=11 * scale)
        said = wording.both(N_("Presented by")) + COLON + names
        return _text_part(ts, said, style, 5.5, max_lines=4)
    columns = min(len(presenters), 4)
    gap = mm(8)
    width = min(mm(62), (CONTENT_WIDTH - (columns - 1) * gap) / columns)
    rows = [presenters[i : i + columns] for i in range(0, len(presenters), columns)]
    space = mm(11) * scale  # to sign in, above the rule
    laid = [[_presenter_lines(ts, p, width, scale) for p in row] for row in rows]
    heights = [space + mm(2) + max(sum(s.leading for _, s in c) for c in row) for row in laid]
    total = sum(heights) + mm(3) * (len(rows) - 1)

    def draw(content: Content, top: float) -> None:
        for row, height in zip(laid, heights, strict=True):
            span = len(row) * width + (len(row) - 1) * gap
            x = (PAGE_WIDTH - span) / 2
            for lines in row:
                rule_y = top - space
                content.stroke_colour(INK)
                content.line_width(0.5)
                content.line(x + mm(3), rule_y, x + width - mm(3), rule_y)
                y = rule_y - mm(2)
                for line, style in lines:
                    ts.draw(
                        content, x, baseline(y, style), line, style, align="centre", width=width
                    )
                    y -= style.leading
                x += width + gap
            top -= height + mm(3)

    return total, draw


def _citation_part(
    ts: Typesetter, data: CertificateData, height: float, scale: float
) -> Part | None:
    """Return the citation shrunk (from 11 pt to 7.5 pt) and at worst cut, to fit height."""
    texts = [p for text in data.citation for p in paragraphs(text)]
    if not texts:
        return None
    width = CONTENT_WIDTH * 0.86
    size = CITATION.size * scale
    while True:
        style = CITATION.but(size=size, leading=size * 1.5)
        lines = [line for text in texts for line in ts.wrap(text, style, width, balanced=True)]
        if len(lines) * style.leading <= height or size <= 7.5:
            break
        size = max(7.5, size - 0.5)
    room = int(height // style.leading)
    if room < 1:
        return None
    if len(lines) > room:
        rest = " ".join(lines[room - 1 :])
        fitted = ts.fit(rest, style, width, size, max_lines=1)
        lines = [*lines[: room - 1], *fitted.lines]

    def draw(content: Content, top: float) -> None:
        for line in lines:
            ts.draw(
                content,
                CONTENT_X,
                baseline(top, style),
                line,
                style,
                align="centre",
                width=CONTENT_WIDTH,
            )
            top -= style.leading

    return len(lines) * style.leading, draw


def _ornament_part() -> Part:
    def draw(content: Content, top: float) -> None:
        _ornament(content, top - mm(3))

    return mm(6), draw


def _scaled(style: Style, scale: float) -> Style:
    return style.but(size=style.size * scale, leading=style.leading * scale)


def _layout(
    ts: Typesetter, data: CertificateData, scale: float
) -> tuple[list[Part], list[Part], float]:
    """Return the parts from the top, the parts above the foot, and the room between them."""
    recipient = data.recipient
    has_organisation = bool(clean_text(recipient.organisation + recipient.organisation_zh))
    if has_organisation:
        main_zh, main_en = recipient.organisation_zh, recipient.organisation
        received = join(
            join(recipient.name_en, recipient.name_zh, separator=" "),
            recipient.title,
            separator=", ",
        )
    else:
        main_zh, main_en = recipient.name_zh, recipient.name_en
        received = ""
    words = data.wording
    certify = words.both(N_("This is to certify that"), "   ")
    received_by = words.both(N_("Received by")) + COLON + received if received else ""
    top: list[Part | None] = [
        _text_part(ts, label(words, N_("Certificate")), LABEL, LABEL.size, 1),
        _space(mm(4) * scale),
        _text_part(ts, data.title_zh, _scaled(TITLE_ZH, scale), 14),
        _text_part(ts, data.title_en, _scaled(TITLE_EN, scale), 8),
        _space(mm(2) * scale),
        _ornament_part(),
        _space(mm(3) * scale),
        _text_part(ts, certify, CERTIFY, CERTIFY.size, 1),
        _space(mm(2) * scale),
        _text_part(ts, main_zh, _scaled(RECIPIENT_ZH, scale), 12),
        _text_part(ts, main_en, _scaled(RECIPIENT_EN, scale), 8),
        _text_part(ts, received_by, _scaled(RECEIVED, scale), 6.5),
        _space(mm(4) * scale),
    ]
    bottom: list[Part | None] = [
        _text_part(ts, data.occasion_zh, OCCASION, 6, 1),
        _text_part(ts, data.occasion_en, OCCASION, 6, 1),
        _presenters_part(ts, data.presenters, scale, words),
        _space(mm(5)),
    ]
    tops = [part for part in top if part is not None]
    bottoms = [part for part in bottom if part is not None]
    room = (CONTENT_TOP - sum(h for h, _ in tops)) - (FOOT_Y + mm(8) + sum(h for h, _ in bottoms))
    return tops, bottoms, room


def draw_certificate(ts: Typesetter, data: CertificateData, border: str) -> Content:
    """Return the page of one certificate (raises DocumentError if it cannot be made).

    border is the name of the border's form in the writer (see ``add_border``). Everything
    shrinks together until it fits, leaving the citation at least two lines.
    """
    _check(data)
    scale = 1.0
    while True:
        tops, bottoms, room = _layout(ts, data, scale)
        needed = 2 * 7.5 * 1.5 if data.citation else 0.0
        if room >= needed or scale < 0.5:
            break
        scale *= 0.9
    content = Content()
    content.raw(f"/{border} Do")
    y = CONTENT_TOP
    for height, draw in tops:
        draw(content, y)
        y -= height
    citation = _citation_part(ts, data, max(0.0, room), scale)
    if citation is not None:
        citation[1](content, y)
    y = FOOT_Y + mm(8) + sum(h for h, _ in bottoms)
    for height, draw in bottoms:
        draw(content, y)
        y -= height
    _draw_foot(ts, content, data)
    return content


def _draw_foot(ts: Typesetter, content: Content, data: CertificateData) -> None:
    """Draw the foot of a certificate: its date at the left, its number at the right."""
    date = join(data.date_en, data.date_zh, separator="   ")
    left = CONTENT_X - mm(8)
    width = CONTENT_WIDTH + mm(16)
    foot_label = FOOT.but(tracking=0.6)
    reference = clean_text(data.reference)
    reference_width = ts.width(reference, FOOT_VALUE)
    no_label = label(data.wording, N_("No."))
    date_label = label(data.wording, N_("Date"))
    right_width = reference_width + mm(2.5) + ts.width(no_label, foot_label)
    if date:
        offset = ts.width(date_label, foot_label) + mm(2.5)
        available = width - right_width - mm(10) - offset
        fitted = ts.fit(date, FOOT_VALUE, available, 6, max_lines=1)
        ts.draw(content, left, FOOT_Y, date_label, foot_label)
        for line in fitted.lines:
            ts.draw(content, left + offset, FOOT_Y, line, FOOT_VALUE.but(size=fitted.size))
    ts.draw(content, left, FOOT_Y, reference, FOOT_VALUE, align="right", width=width)
    ts.draw(
        content,
        left,
        FOOT_Y,
        no_label,
        foot_label,
        align="right",
        width=width - reference_width - mm(2.5),
    )


def add_border(writer: PdfWriter) -> str:
    """Write the border once into a writer; return its name for draw_certificate."""
    return writer.add_form(PAGE_WIDTH, PAGE_HEIGHT, _border())


def render_certificate(data: CertificateData) -> bytes:
    """Return one certificate as an A4 landscape PDF (raises DocumentError if impossible)."""
    _check(data)
    buffer = io.BytesIO()
    title = f"Certificate {clean_text(data.reference)}"
    writer, ts = new_writer(buffer, title, data.wording.language)
    writer.add_page(PAGE_WIDTH, PAGE_HEIGHT, draw_certificate(ts, data, add_border(writer)))
    writer.close()
    return buffer.getvalue()


def write_certificates(
    certificates: Iterable[CertificateData],
    out: BinaryIO,
    *,
    wording: Wording,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Stream certificates, one page each, into one PDF; return how many.

    progress, if given, is called with the number written after each certificate. wording
    gives the Chinese of the page saying there is nothing, and the PDF's language.
    """
    writer, ts = new_writer(out, "Certificates", wording.language)
    border = ""
    count = 0
    for data in certificates:
        _check(data)
        border = border or add_border(writer)
        writer.add_page(PAGE_WIDTH, PAGE_HEIGHT, draw_certificate(ts, data, border))
        count += 1
        if progress is not None:
            progress(count)
    if count == 0:
        content = Content()
        ts.draw(
            content,
            CONTENT_X,
            CONTENT_TOP,
            wording.both(N_("No certificates to print.")),
            CITATION,
        )
        writer.add_page(PAGE_WIDTH, PAGE_HEIGHT, content)
    writer.close()
    return count
