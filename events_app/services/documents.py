"""Printed documents of a gathering's plan, current or as it was at any earlier moment.

The plan (gathering, running order, exhibition, ceremonies) is rebuilt from the event
history: for ``as_of`` only the events recorded with ``at <= as_of`` are replayed, and an
aggregate with no such event did not exist then. Every document names the version of the
plan it shows: the time of the latest event it includes, in the gathering's time zone, and
the number of plan events up to then ("2 March 2026, 09:15 (UTC+8) · v14").

Errors (all domain errors, so the API answers a 4xx and the CLI a clean message):
unknown gathering, ceremony or item, or an ``as_of`` before it existed: 404 ``not_found``;
a withdrawn ceremony: 409 ``ceremony_withdrawn``; agreements of an award or certificates
of a signing: 409 ``wrong_ceremony_kind``; a document that cannot be made (a signing
without signatories, an award without recipients): 422 ``document_incomplete`` naming
the field (in the words of the errors catalogue). Over-long text flows onto more pages and
characters the font lacks print as a visible box (see ``printing``).

Every document is bilingual; ``language`` says which Chinese goes beside the English:
Simplified for zh_Hans_CN, else (by default) Traditional (see ``print_wording``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, BinaryIO
from uuid import UUID

from domain.ceremony import Ceremony, CeremonyKind, CeremonyState
from domain.common import require_aware
from domain.errors import DomainError, InvalidValue, NotFound, Term
from domain.exhibition import Exhibition
from domain.gathering import Gathering
from domain.running_order import RunningOrder
from events_app.services.box_office import BoxOffice
from events_app.services.document_data import (
    Plan,
    date_en,
    date_zh,
    is_draft,
    item_data,
    occasion,
    programme_data,
    stage_sheet_data,
    version_text,
)
from events_app.services.print_wording import in_document_script, wording
from events_app.store.reads import replay
from printing.agreement import write_agreements
from printing.certificate import write_certificates
from printing.documents import (
    AgreementData,
    CertificateData,
    DocumentError,
    certificates_for,
)
from printing.programme import write_programme
from printing.stage_sheet import write_stage_sheet

PAGE_SIZES = ("A5", "A4")


Progress = Callable[[int], None]


class DocumentIncomplete(DomainError):
    """The plan lacks something the document needs (e.g. a signing without signatories)."""

    code = "document_incomplete"


class CeremonyWithdrawn(DomainError):
    """The ceremony was called off: its agreements and certificates are not printed."""

    code = "ceremony_withdrawn"


class WrongCeremonyKind(DomainError):
    """Agreements of an award, or certificates of a signing, were asked for."""

    code = "wrong_ceremony_kind"


class Documents:
    """Build the programme, agreements, certificates and stage sheet of a gathering."""

    def __init__(self, app: BoxOffice) -> None:
        self._app = app

    # Reading the plan --------------------------------------------------------------

    def plan(self, slug: str, as_of: datetime | None = None) -> Plan:
        """Return the plan of a gathering, current or as it was at `as_of` (aware)."""
        if as_of is not None:
            try:
                require_aware(as_of, "as_of")
            except ValueError:
                raise InvalidValue(
                    "%(name)s must be timezone-aware", field="as_of", name="as_of"
                ) from None
        gathering_id = Gathering.create_id(slug)
        stamps: list[datetime] = []
        gathering = self._rebuild(gathering_id, as_of, stamps)
        if not isinstance(gathering, Gathering):
            if as_of is not None and self._rebuild(gathering_id, None, []) is not None:
                raise NotFound("the gathering did not exist yet at that time", field="as_of")
            raise NotFound("gathering not found")
        running_order = self._rebuild(
            RunningOrder.create_id(gathering_id), as_of, stamps, untimed=True
        )
        exhibition = self._rebuild(Exhibition.create_id(gathering_id), as_of, stamps, untimed=True)
        ceremonies = []
        for ceremony_id in running_order.ceremony_ids if running_order else []:
            ceremony = self._rebuild(UUID(ceremony_id), as_of, stamps)
            if isinstance(ceremony, Ceremony) and ceremony.gathering_id == gathering_id:
                ceremonies.append(ceremony)
        ceremonies.sort(key=lambda c: (c.starts_at, c.title_en))
        return Plan(
            gathering=gathering,
            running_order=running_order if isinstance(running_order, RunningOrder) else None,
            exhibition=exhibition if isinstance(exhibition, Exhibition) else None,
            ceremonies=ceremonies,
            latest=max(stamps),
            version=len(stamps),
        )

    def _rebuild(
        self,
        aggregate_id: UUID,
        as_of: datetime | None,
        stamps: list[datetime],
        *,
        untimed: bool = False,
    ) -> Any:
        """Replay an aggregate's events up to `as_of`; None if it had none with a time then.

        Events without an ``at`` (a running order or exhibition being opened, a ceremony
        being listed) come with a timed event of the same command (or of the ceremony
        listed, which is filtered by its own time), so they are replayed; an aggregate
        exists when it has a timed event by then, or any event at all with `untimed`.
        """
        included = []
        timed = []
        for domain_event in self._app.events.get(aggregate_id):
            at = getattr(domain_event, "at", None)
            if isinstance(at, datetime):
                if as_of is not None and at > as_of:
                    break
                timed.append(at)
            included.append(domain_event)
        if not included or not (timed or untimed):
            return None
        stamps.extend(timed)
        return replay(None, included)

    # The documents ------------------------------------------------------------------

    def programme(
        self,
        slug: str,
        out: BinaryIO,
        *,
        size: str = "A5",
        as_of: datetime | None = None,
        language: str | None = None,
    ) -> int:
        """Write the programme booklet to out; return its number of pages."""
        if size not in PAGE_SIZES:
            raise InvalidValue("size must be A5 or A4", field="size")
        data = in_document_script(
            programme_data(self.plan(slug, as_of), wording(language)), language
        )
        return _printing(lambda: write_programme(data, out, page_size=size))

    def stage_sheet(
        self,
        slug: str,
        out: BinaryIO,
        *,
        as_of: datetime | None = None,
        language: str | None = None,
    ) -> int:
        """Write the stage manager's sheet to out; return its number of pages."""
        data = in_document_script(
            stage_sheet_data(self.plan(slug, as_of), wording(language)), language
        )
        return _printing(lambda: write_stage_sheet(data, out))

    def agreements(
        self,
        slug: str,
        ceremony_id: UUID,
        *,
        item_id: str | None = None,
        as_of: datetime | None = None,
        language: str | None = None,
    ) -> list[AgreementData]:
        """Return the agreements of a signing or pledge ceremony (or of one of its items)."""
        plan = self.plan(slug, as_of)
        ceremony = _printable(plan.ceremony(ceremony_id))
        if ceremony.kind is CeremonyKind.AWARD:
            raise WrongCeremonyKind(
                "an award ceremony has certificates, not agreements", field="ceremony_id"
            )
        items = [_item_of(ceremony, item_id)] if item_id is not None else ceremony.items
        when = ceremony.starts_at.astimezone(plan.zone)
        agreements = [
            AgreementData(
                occasion=occasion(plan),
                item=item_data(plan, item),
                as_of=version_text(plan),
                ceremony_en=ceremony.title_en,
                ceremony_zh=ceremony.title_zh,
                signing_date=date_en(when),
                place=ceremony.location or plan.gathering.venue,
                draft=is_draft(ceremony),
                wording=wording(language),
            )
            for item in items
        ]
        return in_document_script(agreements, language)

    def write_agreements(
        self,
        agreements: Iterable[AgreementData],
        out: BinaryIO,
        progress: Progress | None = None,
        *,
        language: str | None = None,
    ) -> int:
        """Write agreements into one PDF; return how many."""
        said = wording(language)
        return _printing(lambda: write_agreements(agreements, out, wording=said, progress=progress))

    def certificates(
        self,
        slug: str,
        ceremony_id: UUID,
        *,
        as_of: datetime | None = None,
        language: str | None = None,
    ) -> list[CertificateData]:
        """Return one certificate per recipient of each award of an award ceremony."""
        plan = self.plan(slug, as_of)
        ceremony = _printable(plan.ceremony(ceremony_id))
        if ceremony.kind is not CeremonyKind.AWARD:
            raise WrongCeremonyKind(
                "a %(kind)s ceremony has agreements, not certificates",
                field="ceremony_id",
                kind=Term(ceremony.kind.value),
            )
        when = ceremony.starts_at.astimezone(plan.zone)
        the_occasion = occasion(plan)
        found: list[CertificateData] = []
        try:
            for item in ceremony.items:
                found.extend(
                    certificates_for(
                        item_data(plan, item),
                        the_occasion,
                        date_en(when),
                        date_zh(when),
                        wording=wording(language),
                        draft=is_draft(ceremony),
                    )
                )
        except DocumentError as error:
            raise _incomplete(error) from None
        return in_document_script(found, language)

    def write_certificates(
        self,
        certificates: Iterable[CertificateData],
        out: BinaryIO,
        progress: Progress | None = None,
        *,
        language: str | None = None,
    ) -> int:
        """Write certificates, one page each, into one PDF; return how many."""
        said = wording(language)
        return _printing(
            lambda: write_certificates(certificates, out, wording=said, progress=progress)
        )


def _printable(ceremony: Ceremony) -> Ceremony:
    if ceremony.state is CeremonyState.WITHDRAWN:
        raise CeremonyWithdrawn(
            "this ceremony was withdrawn: its documents are not printed", field="ceremony_id"
        )
    return ceremony


def _item_of(ceremony: Ceremony, item_id: str) -> dict[str, Any]:
    try:
        return ceremony.item(item_id)
    except NotFound:
        raise NotFound("no such item in this ceremony (at that time)", field="item_id") from None


def _printing(action: Callable[[], Any]) -> Any:
    """Run a printing call, turning DocumentError into DocumentIncomplete naming the field."""
    try:
        return action()
    except DocumentError as error:
        raise _incomplete(error) from None


def _incomplete(error: DocumentError) -> DocumentIncomplete:
    """Return the refusal of a document printing could not make: its message, its field."""
    return DocumentIncomplete(error.template, field=error.field or None, **error.params)
