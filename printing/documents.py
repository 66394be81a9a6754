"""Plain input data of the printed documents: programme, agreements, certificates, stage sheet.

Everything here is a frozen dataclass of strings and tuples, so a caller (the API, the CLI)
builds them from its read models without importing anything else from ``printing``. Times
and dates are passed preformatted, in the words and time zone the caller wants printed
("09:30", "2 March 2026", "1 March 2026, 18:00 (UTC+8)"): the documents never convert them.
Texts may be in any script the fonts cover (``printing.typefaces``: Latin, Greek, Cyrillic,
Chinese, Japanese, Korean); a character no font has prints as a white square, and callers
flag it to the organiser beforehand (``typefaces.uncovered``). Empty strings mean "not
known" and leave the line out. ``draft`` (a ceremony not yet approved) prints the DRAFT
watermark on every page.

Each document's data carries its ``Wording`` (printing.wording): the Chinese half of the
bilingual labels in the script the reader asked for, whose glyph forms (SC or HK) the
Chinese text is set in.

A document that cannot be made (an agreement without signatories, a certificate without a
recipient) raises ``DocumentError``, a ``ValueError`` naming the field, which an API turns
into a 4xx answer; its message is an English template with named ``%(name)s`` parameters,
a message of the errors catalogue.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from printing.wording import Wording


class DocumentError(ValueError):
    """The data cannot make the document asked for; ``field`` names the culprit.

    ``template`` is the English message with ``%(name)s`` parameters, ``params`` their values.
    """

    def __init__(self, template: str, field: str = "", **params: str) -> None:
        self.template = template
        self.params = params
        self.message = template % params if params else template
        super().__init__(self.message)
        self.field = field


@dataclass(frozen=True)
class Person:
    """A signatory, recipient or presenter, as printed (domain.ceremony.Person fits)."""

    name_en: str
    name_zh: str = ""
    title: str = ""  # in either language (the English one when both are known)
    organisation: str = ""
    organisation_zh: str = ""  # optional second language of the organisation
    title_zh: str = ""  # optional second language of the title (Chinese beside an English one)

    @property
    def has_name(self) -> bool:
        """Tell whether the person has a name in either language."""
        return bool(self.name_en.strip() or self.name_zh.strip())


@dataclass(frozen=True)
class Authority:
    """An issuing authority of an award, who signs for it, and whether it is sealed.

    ``signatory`` is printed on the authority's signature line: its name, and its ``title``
    (with ``title_zh`` when the title is known in both languages); its organisation is the
    authority, so it is left empty. A signatory without a name leaves a bare signature line.
    ``seal`` asks for space for the authority's seal beside the signature.
    """

    name_en: str
    name_zh: str = ""
    signatory: Person = field(default_factory=lambda: Person(""))
    seal: bool = False


@dataclass(frozen=True)
class Host:
    """A host or organiser of the occasion, in English and Chinese."""

    name_en: str
    name_zh: str = ""


@dataclass(frozen=True)
class Occasion:
    """The gathering the documents belong to (title, date, venue, hosts), as printed."""

    title_en: str
    title_zh: str
    date_en: str  # e.g. "Monday 2 March 2026"
    date_zh: str = ""  # e.g. "2026年3月2日（星期一）"
    venue_en: str = ""
    venue_zh: str = ""
    hosts: tuple[Host, ...] = ()


@dataclass(frozen=True)
class CeremonyItemData:
    """One agreement, pledge or award of a ceremony (domain.ceremony.CeremonyItem fits).

    ``people`` are the signatories (signing, pledge) or the recipients (award), in the order
    they sign or receive; ``parties`` the organisations bound, in the order they are named.
    ``clauses`` are the numbered terms of an agreement, or the citation of an award.
    ``presenters`` present an award (or witness a signing) on stage; ``authorities`` issue
    an award and sign its certificates; ``time`` ("10:45") and ``notes`` are for the stage sheet.
    """

    reference: str
    title_en: str
    title_zh: str
    parties: tuple[str, ...] = ()
    people: tuple[Person, ...] = ()
    clauses: tuple[str, ...] = ()
    presenters: tuple[Person, ...] = ()
    time: str = ""
    notes: str = ""
    authorities: tuple[Authority, ...] = ()


@dataclass(frozen=True)
class CeremonyData:
    """A ceremony of the day with its items in running order (domain.ceremony.Ceremony fits).

    ``kind`` is "signing", "pledge" or "award"; ``draft`` when its documents are not
    approved yet (the ceremony is still planned), to be marked DRAFT on paper.
    """

    kind: str
    title_en: str
    title_zh: str
    starts: str  # e.g. "10:40"
    location: str = ""
    items: tuple[CeremonyItemData, ...] = ()
    notes: str = ""
    draft: bool = False


@dataclass(frozen=True)
class AgendaEntry:
    """One item of the running order (domain.running_order.AgendaItem fits)."""

    starts: str  # e.g. "09:30"
    title_en: str
    title_zh: str = ""
    ends: str = ""  # e.g. "09:45"
    location: str = ""
    speaker: str = ""  # e.g. "Sun Dong 孫東, Secretary for Innovation, Technology and Industry"
    kind: str = ""  # speech, ceremony, exhibition, tour, reception, other
    notes: str = ""


@dataclass(frozen=True)
class BoothSlot:
    """A booth of the showcase (domain.exhibition.BoothSlot fits)."""

    code: str  # e.g. "A-01"
    zone: str  # e.g. "Zone A"
    floor: str = ""  # e.g. "G/F"
    sector: str = ""  # a sector key, e.g. "life-health"
    size: str = ""  # e.g. "3x3" (metres); a booth twice as wide is drawn twice as wide


@dataclass(frozen=True)
class Exhibitor:
    """An exhibiting firm and its booth code ("" before it has one)."""

    name_en: str
    name_zh: str = ""
    sector: str = ""
    booth: str = ""
    description: str = ""


@dataclass(frozen=True)
class Sector:
    """How a sector is named in print; known keys have default names (see programme.SECTORS)."""

    key: str
    name_en: str
    name_zh: str = ""


@dataclass(frozen=True)
class ProgrammeData:
    """Everything the programme booklet shows, as of one version of the plan.

    ``as_of`` is printed on every page ("1 March 2026, 18:00 (UTC+8)"), so that a reader
    knows which version of the plan a printed copy shows.
    """

    occasion: Occasion
    as_of: str
    agenda: tuple[AgendaEntry, ...] = ()
    ceremonies: tuple[CeremonyData, ...] = ()
    exhibitors: tuple[Exhibitor, ...] = ()
    slots: tuple[BoothSlot, ...] = ()
    sectors: tuple[Sector, ...] = ()  # names of sectors beyond (or instead of) the defaults
    draft: bool = False  # a ceremony in it is not approved yet (see CeremonyData.draft)
    wording: Wording = field(kw_only=True)
    """The Chinese of the labels, in the reader's script."""


@dataclass(frozen=True)
class AgreementData:
    """One agreement to be signed: a signing ceremony's item, with where and when.

    ``signing_date`` ("2 March 2026") and ``place`` go into the preamble and the date
    lines; ``as_of`` names the version of the text printed (in every footer).
    """

    occasion: Occasion
    item: CeremonyItemData
    as_of: str
    ceremony_en: str = ""  # e.g. "Tenant enterprise signing ceremony"
    ceremony_zh: str = ""
    signing_date: str = ""
    place: str = ""
    draft: bool = False  # the ceremony's documents are not approved yet: print DRAFT
    wording: Wording = field(kw_only=True)
    """The Chinese of the labels, in the reader's script."""


@dataclass(frozen=True)
class CertificateData:
    """One certificate for one recipient of an award (see ``certificates_for``)."""

    reference: str
    title_en: str  # e.g. "Business Visa Endorsement"
    title_zh: str  # e.g. "商務簽注備案證書"
    recipient: Person  # an organisation (organisation, organisation_zh) and/or a person
    citation: tuple[str, ...] = ()  # paragraphs, in either language
    presenters: tuple[Person, ...] = ()
    date_en: str = ""
    date_zh: str = ""
    occasion_en: str = ""  # e.g. the occasion's title, printed small
    occasion_zh: str = ""
    authorities: tuple[Authority, ...] = ()  # who issues it: signature lines, seals
    draft: bool = False  # the award is not approved yet: print DRAFT
    wording: Wording = field(kw_only=True)
    """The Chinese of the labels, in the reader's script."""


@dataclass(frozen=True)
class StageSheetData:
    """What the stage manager needs: the ceremonies of the day, in order, as of a version."""

    occasion: Occasion
    as_of: str
    ceremonies: tuple[CeremonyData, ...]
    draft: bool = False  # a ceremony on it is not approved yet (see CeremonyData.draft)
    wording: Wording = field(kw_only=True)
    """The Chinese of the labels, in the reader's script."""


def certificates_for(
    item: CeremonyItemData,
    occasion: Occasion,
    date_en: str = "",
    date_zh: str = "",
    *,
    wording: Wording,
    draft: bool = False,
) -> list[CertificateData]:
    """Return one certificate per recipient of an award item, references numbered /1, /2...

    Each carries the item's issuing authorities, and ``draft`` (the award is not approved).
    """
    if not item.people:
        raise DocumentError(
            "award %(reference)s names no recipient", field="people", reference=item.reference
        )
    many = len(item.people) > 1
    return [
        CertificateData(
            reference=f"{item.reference}/{index}" if many else item.reference,
            title_en=item.title_en,
            title_zh=item.title_zh,
            recipient=person,
            citation=item.clauses,
            presenters=item.presenters,
            date_en=date_en or occasion.date_en,
            date_zh=date_zh or occasion.date_zh,
            occasion_en=occasion.title_en,
            occasion_zh=occasion.title_zh,
            authorities=item.authorities,
            draft=draft,
            wording=wording,
        )
        for index, person in enumerate(item.people, start=1)
    ]


def strings_of(value: Any) -> Iterator[str]:
    """Yield every string of a document's data, however deep (its wording left out)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple | list):
        for member in value:
            yield from strings_of(member)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type | Wording):
        for member in dataclasses.fields(value):
            yield from strings_of(getattr(value, member.name))
