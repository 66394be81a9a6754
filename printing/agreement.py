"""Agreements for signing on stage: A4 portrait, on reportlab's platypus.

Page one opens with the reference, the titles (Chinese, then English, in balanced lines),
where and when it is signed, and the parties; the numbered clauses follow, flowing over as
many pages as they need (never one line of a clause alone at the foot or head of a page). A
clause whose text starts with its own number ("1.", "(a)", "第一條", "一、") keeps it and is
given no second one. The signature blocks come last, two to a row: each names the
organisation, leaves room to sign above a rule, and gives the signatory's names, title and a
date line; a row is kept together (``KeepTogether``), moving whole to the next page. Every
page carries the reference, "as of" (the version of the text printed) and "Page x of y"; an
agreement not yet approved (``draft``) carries DRAFT across every page in both languages.

``render_agreement`` returns one agreement as PDF bytes; ``write_agreements`` writes many
into one PDF (pages numbered per agreement, a bookmark for each), titled with the gathering
and the ceremonies.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)

from printing.agreement_pages import Pages
from printing.agreement_parts import (
    MARGIN_X,
    NUMBER_WIDTH,
    TEXT_WIDTH,
    Parts,
)
from printing.clause_numbers import own_number
from printing.documents import AgreementData, DocumentError, Person
from printing.flow import Bookmark, Document, Meta, draw_draft
from printing.formal import clean, draft_word, font_book, join
from printing.typefaces import FontBook, script_of
from printing.wording import N_, Wording

__all__ = ["NUMBER_WIDTH", "own_number", "render_agreement", "write_agreements"]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP = 22 * mm
MARGIN_TOP_LATER = 27 * mm  # below the running head
MARGIN_BOTTOM = 27 * mm
LABEL_KEYS = (
    N_("Agreement"),
    N_("Ref."),
    N_("Parties"),
    N_("Terms"),
    N_("Signatures"),
    N_("For and on behalf of"),
    N_("Signature"),
    N_("Date"),
    N_("As of"),
    N_("Page {page} of {total}"),
    N_("In witness whereof, the parties have signed this agreement on the dates below."),
    N_("This agreement is made on {date} at {place} between:"),
    N_("This agreement is made on {date} between:"),
    N_("The parties agree as follows:"),
    N_("No agreements to print."),
)


def _check(data: AgreementData) -> None:
    item = data.item
    if not clean(item.reference):
        raise DocumentError("the agreement has no reference number", field="reference")
    reference = item.reference
    if not (clean(item.title_en) or clean(item.title_zh)):
        raise DocumentError(
            "agreement %(reference)s has no title", field="title_en", reference=reference
        )
    if not item.people:
        raise DocumentError(
            "agreement %(reference)s names no signatory: add at least one person",
            field="people",
            reference=reference,
        )
    for person in item.people:
        if not person.has_name:
            raise DocumentError(
                "a signatory of agreement %(reference)s has no name",
                field="people",
                reference=reference,
            )
    if not any(clean(clause) for clause in item.clauses):
        raise DocumentError(
            "agreement %(reference)s has no clauses", field="clauses", reference=reference
        )


def _organisation(person: Person) -> str:
    return join(person.organisation, person.organisation_zh, separator="  ")


def _parties(data: AgreementData) -> list[str]:
    parties = [clean(p) for p in data.item.parties if clean(p)]
    if parties:
        return parties
    # No parties named: the signatories' organisations, each once, in signing order.
    return list(dict.fromkeys(_organisation(p) for p in data.item.people if _organisation(p)))


def _story(parts: Parts, data: AgreementData) -> list[Any]:
    """Return the flowables of one agreement."""
    item = data.item
    story: list[Any] = [*parts.heading(data)]
    parties = _parties(data)
    if parties:
        numbered = [parts.numbered(f"({n})", p, 1.5 * mm) for n, p in enumerate(parties, 1)]
        opening = [parts.section(N_("Parties")), *parts.preamble(data), *numbered[0]]
        story.append(KeepTogether(opening))
        story += [flowable for party in numbered[1:] for flowable in party]
        story.append(Spacer(1, 6 * mm))
    clauses = [clause for clause in item.clauses if clean(clause)]
    blocks = parts.clauses(clauses)
    story += [parts.section(N_("Terms")), *parts.agreed(), *blocks, Spacer(1, 5 * mm)]
    people = list(item.people)
    rows = [parts.signature_row(people[i : i + 2]) for i in range(0, len(people), 2)]
    witness = parts.witness()
    story.append(KeepTogether([parts.section(N_("Signatures")), *witness, rows[0]]))
    story += [KeepTogether([Spacer(1, 6 * mm), row]) for row in rows[1:]]
    return story


class _Batch(Document):
    """A document of agreements: each page knows its agreement; drafts are marked."""

    def __init__(self, out: Any, book: FontBook, meta: Meta, agreements: list) -> None:
        """Start a document of agreements, in order, written to out."""
        self.agreements, self.upcoming = agreements, 0
        first = Frame(MARGIN_X, MARGIN_BOTTOM, TEXT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM)
        later = Frame(
            MARGIN_X, MARGIN_BOTTOM, TEXT_WIDTH, PAGE_HEIGHT - MARGIN_TOP_LATER - MARGIN_BOTTOM
        )
        for frame in (first, later):
            frame.leftPadding = frame.rightPadding = frame.topPadding = frame.bottomPadding = 0
        super().__init__(
            out,
            book,
            meta,
            pagesize=A4,
            pageTemplates=[
                PageTemplate("first", [first], autoNextPageTemplate="later"),
                PageTemplate("later", [later]),
            ],
        )

    def handle_pageBegin(self) -> None:  # noqa: N802 (reportlab's name)
        """Begin a page of the upcoming agreement, under DRAFT if it is a draft."""
        super().handle_pageBegin()
        data = self.agreements[self.upcoming] if self.upcoming < len(self.agreements) else None
        self.canv._agreement = (self.upcoming, data)
        if data is not None and data.draft:
            draw_draft(self.canv, self.book, self.meta)


class _Done(Spacer):
    """Where an agreement ends: the next page is the next one's; progress is told."""

    def __init__(self, doc: _Batch, following: int, tell: Callable[[], None]) -> None:
        super().__init__(0, 0)
        self.doc, self.following, self.tell = doc, following, tell

    def draw(self) -> None:
        """Pass the pages that follow to the next agreement and report progress."""
        self.doc.upcoming = self.following
        self.tell()


def _meta(agreements: list[AgreementData], wording: Wording) -> Meta:
    """Return the metadata: one agreement's title, or the batch's gathering and ceremonies."""
    if not agreements:
        return Meta("Agreements", "launch-events", "No agreements to print", wording.language)
    first = agreements[0]
    occasion = first.occasion
    author = "; ".join(h.name_en for h in occasion.hosts if clean(h.name_en)) or "launch-events"
    ceremonies = " / ".join(
        dict.fromkeys(clean(a.ceremony_en) for a in agreements if a.ceremony_en)
    )
    where = join(ceremonies, clean(occasion.title_en), first.signing_date or occasion.date_en)
    draft = any(a.draft for a in agreements)
    if len(agreements) == 1:
        item = first.item
        name = clean(item.title_en) or clean(item.title_zh)
        title = f"{name} ({clean(item.reference)})"
        return Meta(title, author, f"Agreement for signing: {where}", wording.language, draft)
    title = join("Agreements", ceremonies, clean(occasion.title_en), separator=" — ")
    subject = f"{len(agreements)} agreements for signing: {where}"
    return Meta(title, author, subject, wording.language, draft)


def _build(
    agreements: list[AgreementData],
    out: Any,
    wording: Wording,
    progress: Callable[[int], None] | None = None,
) -> None:
    for data in agreements:
        _check(data)
    book = font_book(agreements, wording, LABEL_KEYS)
    meta = _meta(agreements, wording)
    plain = Meta(meta.title, meta.author, meta.subject, meta.lang, draft_zh=draft_word(wording))
    doc = _Batch(out, book, plain, agreements)  # DRAFT: on the pages of drafts only
    done = [0]

    def tell() -> None:
        done[0] += 1
        if progress is not None:
            progress(done[0])

    story: list[Any] = []
    for index, data in enumerate(agreements):
        parts = Parts(book, data.wording, script_of(data.wording.language))
        if index:
            story += [NextPageTemplate("first"), PageBreak()]
        if len(agreements) > 1:
            item = data.item
            story.append(Bookmark(join(item.reference, item.title_en or item.title_zh)))
        story += [*_story(parts, data), _Done(doc, index + 1, tell)]
    if not agreements:
        parts = Parts(book, wording, script_of(wording.language))
        story = parts.nothing(N_("No agreements to print."))
    script = script_of(wording.language)
    canvas_class = type("AgreementPages", (Pages,), {"book": book, "script": script})
    doc.build(story, canvasmaker=canvas_class)


def render_agreement(data: AgreementData) -> bytes:
    """Return one agreement as an A4 PDF (raises DocumentError if it cannot be made)."""
    buffer = io.BytesIO()
    _build([data], buffer, data.wording)
    return buffer.getvalue()


def write_agreements(
    agreements: Iterable[AgreementData],
    out: BinaryIO,
    *,
    wording: Wording,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write agreements, in order, into one PDF; return how many.

    Each starts on a new page, numbered from 1, with a bookmark. progress, if given, is
    called with the number laid out after each agreement. An agreement that cannot be made
    raises DocumentError before anything is written. wording gives the Chinese of the page
    saying there is nothing, and the PDF's language.
    """
    batch = list(agreements)
    _build(batch, out, wording, progress)
    return len(batch)
