"""Console printing: one click for badge sheets, programme, agreements, certificates, stage sheet.

Every document is a GET (session sign-in) answered with the same PDF bytes the JSON API
gives, made by the same service functions (`events_app.services.documents.Documents`,
`events_app.services.badge_print`). A PDF is written whole before it is sent, so a document that
cannot be made (no confirmed guests, a ceremony without items, a withdrawn ceremony...)
answers a plain page saying why, never a half-sent file or a 500. The documents print the
Chinese of the console's language beside the English (Simplified for a console read in
Simplified, `?lang=zh_Hans_CN`; else Traditional); each badge, the guest's own.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any
from uuid import UUID

from flask import abort, g, request, url_for
from flask_babel import gettext

from domain.ceremony import CeremonyKind, CeremonyState
from domain.common import N_
from domain.errors import DomainError
from domain.gathering import Gathering
from domain.roles import Permission
from events_app.context import services
from events_app.errors import domain_status, refusal_text
from events_app.languages import current_language
from events_app.pages.console.common import (
    console_blueprint,
    download,
    gathering_or_404,
    parse_uuid,
    render_console,
)
from events_app.pages.console.dashboard_data import ordered_categories
from events_app.pages.console.planning_labels import (
    CEREMONY_KINDS,
    category_name,
    field_label,
    register_globals,
)
from events_app.pages.console.unprintable import ceremony_unprintable
from events_app.pages.sessions import organiser_page
from events_app.services.badge_print import ORDER_KEYS, registration_badges, registrations_to_print
from events_app.services.badge_runs import record_print
from events_app.services.documents import PAGE_SIZES, Documents

bp = console_blueprint("console_printing", __name__)
register_globals(bp)

PDF = "application/pdf"
SPOOL_IN_MEMORY = 8 * 1024 * 1024
ORDER_LABELS = {
    "name": N_("All badges, by name"),
    "category": N_("All badges, by category"),
    "organisation": N_("All badges, by organisation"),
}
UNPRINTABLE_SHOWN = 20
"""How many guests with characters no font covers the printing page names (it counts all)."""
ORDER_NAMES = {"name": N_("Name"), "category": N_("Category"), "organisation": N_("Organisation")}


class CannotPrint(Exception):
    """A document request the console answers with a plain message."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class CeremonyDocument:
    """A ceremony of the plan and the document it prints, if any."""

    id: UUID
    kind: str
    title_en: str
    title_zh: str
    starts_at: Any
    items: int
    withdrawn: bool
    unprintable: int = 0
    """People of its items with characters no font covers."""

    @property
    def document(self) -> str:
        """Return "agreements" or "certificates"."""
        return "certificates" if self.kind == CeremonyKind.AWARD.value else "agreements"

    @property
    def printable(self) -> bool:
        """Tell whether the ceremony has something to print."""
        return self.items > 0 and not self.withdrawn


def documents() -> Documents:
    """Return the document service (the one the API uses)."""
    return Documents(services().box_office)


def ceremony_documents(slug: str) -> list[CeremonyDocument]:
    """Return the ceremonies of the current plan, in running order."""
    plan = documents().plan(slug)
    return [
        CeremonyDocument(
            id=ceremony.id,
            kind=ceremony.kind.value,
            title_en=ceremony.title_en,
            title_zh=ceremony.title_zh,
            starts_at=ceremony.starts_at.astimezone(plan.zone),
            items=len(ceremony.items),
            withdrawn=ceremony.state is CeremonyState.WITHDRAWN,
            unprintable=ceremony_unprintable(ceremony),
        )
        for ceremony in plan.ceremonies
    ]


@bp.get("/printing")
@organiser_page(Permission.VIEW_DOCUMENTS)
def printing(slug: str) -> Any:
    """List every document to print, each one click away."""
    gathering = gathering_or_404(slug)
    counts = services().guest_list.counts(str(gathering.id))["by_category"]
    confirmed = {name: int(states.get("confirmed", 0)) for name, states in counts.items()}
    return render_console(
        "console/printing.html",
        slug,
        gathering=gathering,
        categories=ordered_categories(gathering, *confirmed),
        confirmed=confirmed,
        confirmed_total=sum(confirmed.values()),
        orders=ORDER_LABELS,
        order_names=ORDER_NAMES,
        ceremonies=ceremony_documents(slug),
        kind_labels=CEREMONY_KINDS,
        page_sizes=PAGE_SIZES,
        unprintable=services().guest_list.search(
            str(gathering.id), states=["confirmed"], unprintable=True, limit=UNPRINTABLE_SHOWN
        ),
    )


def refusal(slug: str, gathering: Gathering, message: str, status: int) -> tuple[str, int]:
    """Return the plain page that says why a document was not made."""
    page = render_console(
        "console/printing_refused.html",
        slug,
        gathering=gathering,
        message=message,
        back=url_for("console_printing.printing", slug=slug),
    )
    return page, status


def serve_pdf(slug: str, filename: str, write: Callable[[IO[bytes]], Any]) -> Any:
    """Write a whole PDF, then send it as a download; say why if it cannot be made."""
    gathering = gathering_or_404(slug)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    try:
        write(spool)
    except CannotPrint as error:
        spool.close()
        return refusal(slug, gathering, error.message, error.status)
    except DomainError as error:
        spool.close()
        reason = refusal_text(error)
        if error.field:
            reason = gettext(
                "%(reason)s (%(field)s)", reason=reason, field=field_label(error.field)
            )
        message = gettext("This document cannot be printed: %(reason)s.", reason=reason)
        return refusal(slug, gathering, message, domain_status(error))
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        with spool:
            while chunk := spool.read(64 * 1024):
                yield chunk

    return download(chunks(), filename, PDF)


def badge_query(gathering: Gathering) -> tuple[str, list[str]]:
    """Return the order and categories asked for, or raise CannotPrint."""
    order = request.args.get("order", "name")
    if order not in ORDER_KEYS:
        raise CannotPrint(gettext("Badges are printed by name, category or organisation."))
    categories = [c for c in request.args.getlist("category") if c]
    unknown = sorted(set(categories) - set(gathering.categories))
    if unknown:
        listed = ", ".join(repr(c[:40]) for c in unknown)
        raise CannotPrint(gettext("This event has no guest category %(names)s.", names=listed))
    return order, categories


@bp.get("/printing/badges.pdf")
@organiser_page(Permission.PRINT)
def badges(slug: str) -> Any:
    """Download the badge sheets: all confirmed guests, or some categories, in an order."""
    gathering = gathering_or_404(slug)

    def write(out: IO[bytes]) -> None:
        order, categories = badge_query(gathering)
        rows = registrations_to_print(services(), gathering, order, categories)
        if not rows:
            raise CannotPrint(no_badges(categories))
        found = [services().box_office.registration(UUID(row.id)) for row in rows]
        registration_badges(services(), gathering, found, out)
        record_print(services(), gathering.id, found, "sheet", g.organiser.label)

    suffix = "-".join(sorted(set(request.args.getlist("category")) & set(gathering.categories)))
    return serve_pdf(slug, f"badges-{slug}{'-' + suffix if suffix else ''}.pdf", write)


@bp.get("/printing/programme.pdf")
@organiser_page(Permission.VIEW_DOCUMENTS)
def programme(slug: str) -> Any:
    """Download the programme booklet (A5, or A4 with ?size=A4)."""
    size = request.args.get("size", "A5")

    def write(out: IO[bytes]) -> None:
        if size not in PAGE_SIZES:
            raise CannotPrint(gettext("The programme comes in A5 or A4."))
        documents().programme(slug, out, size=size, language=current_language())  # type: ignore[arg-type]

    return serve_pdf(slug, f"programme-{slug}.pdf", write)


@bp.get("/printing/stage-sheet.pdf")
@organiser_page(Permission.VIEW_DOCUMENTS)
def stage_sheet(slug: str) -> Any:
    """Download the stage manager's sheet."""
    return serve_pdf(
        slug,
        f"stage-sheet-{slug}.pdf",
        lambda out: documents().stage_sheet(slug, out, language=current_language()),  # type: ignore[arg-type]
    )


@bp.get("/printing/ceremonies/<ceremony_id>/agreements.pdf")
@organiser_page(Permission.VIEW_DOCUMENTS)
def agreements(slug: str, ceremony_id: str) -> Any:
    """Download every agreement (or pledge) of a signing or pledge ceremony."""
    found_id = ceremony_of(slug, ceremony_id)

    def write(out: IO[bytes]) -> None:
        service = documents()
        language = current_language()
        found = service.agreements(slug, found_id, language=language)
        if not found:
            raise CannotPrint(gettext(NO_ITEMS))
        service.write_agreements(found, out, language=language)  # type: ignore[arg-type]

    return serve_pdf(slug, f"agreements-{found_id}.pdf", write)


@bp.get("/printing/ceremonies/<ceremony_id>/certificates.pdf")
@organiser_page(Permission.VIEW_DOCUMENTS)
def certificates(slug: str, ceremony_id: str) -> Any:
    """Download the certificates of an award ceremony, one page per recipient."""
    found_id = ceremony_of(slug, ceremony_id)

    def write(out: IO[bytes]) -> None:
        service = documents()
        language = current_language()
        found = service.certificates(slug, found_id, language=language)
        if not found:
            raise CannotPrint(gettext(NO_ITEMS))
        service.write_certificates(found, out, language=language)  # type: ignore[arg-type]

    return serve_pdf(slug, f"certificates-{found_id}.pdf", write)


NO_ITEMS = N_("This ceremony has no items yet, so there is nothing to print.")


def no_badges(categories: list[str]) -> str:
    """Say that no confirmed guest (of these categories) has a badge to print yet."""
    if not categories:
        return gettext("No confirmed guests yet, so there are no badges to print.")
    return gettext(
        "No confirmed guests in %(categories)s yet, so there are no badges to print.",
        categories=", ".join(category_name(c) for c in categories),
    )


def ceremony_of(slug: str, raw: str) -> UUID:
    """Return the id of a ceremony of this gathering, or answer 404."""
    ceremony_id = parse_uuid(raw)
    gathering_or_404(slug)
    if ceremony_id not in {c.id for c in ceremony_documents(slug)}:
        abort(404)
    return ceremony_id
