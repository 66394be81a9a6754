"""The translation workflow: extract the messages of each area, update, convert, compile.

English is the source. Translators write the Traditional Chinese (Hong Kong) catalogues;
the Simplified Chinese ones are made from them by OpenCC (`hk2s`), the mainland terms
of `simplified_terms.toml` (电子邮件 for 電郵, 搜索 for 搜尋...) and the
mainland quotation marks (`mainland.py`), never by hand, so the two cannot drift.
Catalogues are compiled to .mo files beside them, which are committed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from events_app.languages.mainland import Mainland, mainland_terms, unmatchable

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = Path(__file__).resolve().parent / "catalogues"
TRADITIONAL, SIMPLIFIED = "zh_Hant_HK", "zh_Hans_CN"
JINJA = "jinja2.ext:babel_extract"
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "true"}


@dataclass(frozen=True)
class Area:
    """A part of the product with its own catalogue: which files its messages come from."""

    name: str
    python: tuple[str, ...]
    templates: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    """Call names beyond gettext's whose first string is a message (e.g. error classes)."""
    refusals_in: tuple[str, ...] = ()
    """Files of which only the first strings given to REFUSALS_ELSEWHERE are this area's."""
    merged: bool = True
    """Read with the others into one set of translations per language (Flask-Babel), so its
    messages must say what theirs say; the print catalogue is read on its own."""


PAGES = "events_app/pages/"
TEMPLATES = PAGES + "templates/"
CONSOLE = PAGES + "console/"
PLANNING = ("exhibition", "ceremon", "running_order", "checkpoint", "printing", "planning")
"""Console modules and templates whose names start so belong to the planning catalogue."""


def _console(planning: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the console's Python files and templates of one catalogue (planning or not)."""
    python = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / CONSOLE).glob("*.py"))
    templates = sorted(
        p.relative_to(ROOT).as_posix() for p in (ROOT / TEMPLATES / "console").glob("*.html")
    )

    def mine(path: str) -> bool:
        return path.rsplit("/", 1)[-1].startswith(PLANNING) == planning

    return tuple(filter(mine, python)), tuple(filter(mine, templates))


REFUSALS = (
    *("DomainError", "Term", "NotFound", "AlreadyExists", "InvalidTransition"),
    *("RegistrationClosed", "EmailAlreadyRegistered", "UnknownCategory", "OverrideNotAllowed"),
    *("NoSeatAvailable", "InvalidSchedule", "Forbidden", "SetupCodeExpired", "SetupCodeUsed"),
    *("DeviceRevoked", "InvalidValue", "SlotTaken", "FirmAlreadyPlaced", "StaffQuotaExceeded"),
    *("StaffCodeInvalid", "DocumentLocked", "AgendaOverlap", "OutsideGathering", "Refusal"),
    *("CapacityBelowConfirmed", "CategoryFull", "CorrectionRefused", "ConcurrencyConflict"),
    *("ChangedMeanwhile", "DocumentIncomplete", "CeremonyWithdrawn", "WrongCeremonyKind"),
    *("RowsRefused", "ScanInFuture", "ScanOutOfReach", "DoorListAhead", "InvalidAnswers"),
    *("InvitationExpired", "InvitationUsed", "InvitationDeclined", "InvitationRevoked"),
    *("ByInvitationOnly", "RoleForbidden", "AlreadyErased", "MigrationRunning"),
)
"""Every DomainError class (and Term): the first string given to one is a message to translate.

tests/unit/test_error_messages.py checks it names every subclass the code defines.
"""

REFUSALS_ELSEWHERE = ("DocumentError",)
"""Refusals raised outside the app (printing/): their messages are the errors catalogue's."""

AREAS = (
    Area(
        "guest",
        (
            PAGES + "guest/**.py",
            PAGES + "labels.py",
            PAGES + "answer_fields.py",
            PAGES + "personal_record.py",
            "events_app/languages/validation.py",
            "events_app/rate_limits/responses.py",
        ),
        (
            TEMPLATES + "base.html",
            TEMPLATES + "register.html",
            TEMPLATES + "confirmation.html",
            TEMPLATES + "confirm_guest.html",
            TEMPLATES + "too_many_requests.html",
            TEMPLATES + "answer_fields_macros.html",
            TEMPLATES + "answers_and_consent.html",
            TEMPLATES + "invitation.html",
            TEMPLATES + "invitation_refused.html",
            TEMPLATES + "personal_data.html",
            TEMPLATES + "personal_data_macros.html",
            TEMPLATES + "erase_my_data.html",
            TEMPLATES + "data_erased.html",
        ),
    ),
    Area("door", (PAGES + "door/**.py", PAGES + "door_labels.py"), (TEMPLATES + "door.html",)),
    Area(
        "console",
        (
            *_console(planning=False)[0],
            PAGES + "ask_first.py",
            PAGES + "sessions.py",
            PAGES + "role_labels.py",
            PAGES + "record_words.py",
            PAGES + "registration_history.py",
        ),
        (
            *_console(planning=False)[1],
            TEMPLATES + "organiser_base.html",
            TEMPLATES + "organiser_home.html",
            TEMPLATES + "organiser_sign_in.html",
            TEMPLATES + "organiser_arrivals.html",
            TEMPLATES + "arrivals_macros.html",
            TEMPLATES + "ask_first_macros.html",
        ),
    ),
    Area("planning", *_console(planning=True)),
    Area("mail", ("events_app/mail/**.py",)),
    Area(
        "errors",
        (
            "domain/**.py",
            "events_app/errors.py",
            "events_app/error_texts.py",
            "events_app/api/**.py",
            "events_app/services/**.py",
            "events_app/schemas/**.py",
            "events_app/store/application.py",
            "events_app/store/seen_versions.py",
            "events_app/cli/**.py",
        ),
        keywords=REFUSALS,
        refusals_in=("printing/**.py",),
    ),
    Area("print", ("printing/**.py",), merged=False),
)
"""The catalogues: each area's messages come from its own files, so each changes alone."""


def _method_map(area: Area) -> list[tuple[str, str]]:
    return [(p, "python") for p in area.python] + [(t, JINJA) for t in area.templates]


GETTEXT_KEYWORDS: dict[str, Any] = {
    **{"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "N_": None},
    "NC_": ((1, "c"), 2),
}
"""The markers of a message: gettext's, N_ for tables, NC_(context, message) (printing)."""


def extract(area: Area) -> Catalog:
    """Return the messages the area's code uses, as a template catalogue."""
    keywords = GETTEXT_KEYWORDS | {name: None for name in area.keywords}
    options = {t: JINJA_OPTIONS for t in area.templates}
    catalog = Catalog(project="launch-events", fuzzy=False)
    found = extract_from_dir(
        ROOT, _method_map(area), options, keywords=keywords, comment_tags=("Translators:",)
    )
    refusals = (
        extract_from_dir(
            ROOT,
            [(p, "python") for p in area.refusals_in],
            keywords={name: None for name in REFUSALS_ELSEWHERE},
            comment_tags=("Translators:",),
        )
        if area.refusals_in
        else ()
    )
    for filename, lineno, message, comments, context in (*found, *refusals):
        catalog.add(
            message, locations=[(filename, lineno)], auto_comments=comments, context=context
        )
    return catalog


def po_path(area: str, language: str) -> Path:
    """Return where the catalogue of `area` in `language` lives."""
    return CATALOGUES / area / language / "LC_MESSAGES" / "messages.po"


def read(area: str, language: str) -> Catalog:
    """Return a catalogue (an empty one if it does not exist yet)."""
    path = po_path(area, language)
    if not path.exists():
        return Catalog(locale=language)
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def update(area: Area) -> Catalog:
    """Bring the Traditional catalogue up to the code's messages; return it."""
    catalogue = read(area.name, TRADITIONAL)
    catalogue.update(extract(area), no_fuzzy_matching=True, update_creation_date=False)
    catalogue.obsolete.clear()
    _write(catalogue, area.name, TRADITIONAL)
    return catalogue


def untranslated(message: Message) -> bool:
    """Tell whether a message (or any plural form of it) has no translation yet."""
    if isinstance(message.string, (tuple, list)):
        return not all(message.string)
    return not message.string


def simplified_of(traditional: Catalog, terms: dict[str, str]) -> Catalog:
    """Return the Simplified catalogue made from the Traditional one."""
    mainland = Mainland(terms)
    made = Catalog(
        locale=SIMPLIFIED,
        project="launch-events",
        fuzzy=False,
        creation_date=traditional.creation_date,
        revision_date=traditional.revision_date,
    )
    for message in traditional:
        if not message.id:
            continue
        made.add(
            message.id,
            _simplified(message.string, mainland),
            context=message.context,
            locations=message.locations,
            auto_comments=message.auto_comments,
        )
    return made


def _simplified(text: object, mainland: Mainland) -> object:
    if isinstance(text, tuple):
        return tuple(_simplified(t, mainland) for t in text)
    return mainland(str(text or ""))


def compiled(catalogue: Catalog) -> bytes:
    """Return the .mo file of a catalogue."""
    out = io.BytesIO()
    write_mo(out, catalogue, use_fuzzy=False)
    return out.getvalue()


def _write(catalogue: Catalog, area: str, language: str) -> None:
    path = po_path(area, language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(
            handle,
            catalogue,
            width=100,
            omit_header=False,
            sort_output=True,
            include_previous=False,
        )
    path.with_suffix(".mo").write_bytes(compiled(catalogue))


def build(areas: Iterable[Area] = AREAS) -> list[str]:
    """Update, convert and compile every area; return the messages still untranslated."""
    missing: list[str] = []
    terms = mainland_terms()
    for area in areas:
        traditional = update(area)
        _write(simplified_of(traditional, terms), area.name, SIMPLIFIED)
        missing += [f"{area.name}: {m.id}" for m in traditional if m.id and untranslated(m)]
    return missing


def clashes(areas: Iterable[Area] = AREAS) -> list[str]:
    """Return the messages two areas translate differently (merged, only one would win)."""
    seen: dict[tuple[object, object], tuple[str, object]] = {}
    found: list[str] = []
    for area in (a for a in areas if a.merged):
        for message in read(area.name, TRADITIONAL):
            if not message.id:
                continue
            key = (message.id, message.context)
            first = seen.setdefault(key, (area.name, message.string))
            if first[1] != message.string:
                found.append(
                    f"{area.name}: {message.id!r} is {message.string!r} here but "
                    f"{first[1]!r} in {first[0]}: use another msgid or a context (pgettext)"
                )
    return found


def problems(areas: Iterable[Area] = AREAS) -> list[str]:
    """Return what is wrong with the committed catalogues (nothing: they are current)."""
    areas = tuple(areas)
    found: list[str] = clashes(areas)
    terms = mainland_terms()
    found += unmatchable(terms)
    for area in areas:
        used = {(m.id, m.context) for m in extract(area) if m.id}
        traditional = read(area.name, TRADITIONAL)
        held = {(m.id, m.context): m for m in traditional if m.id}
        found += [
            f"{area.name}: not in the catalogue: {i!r}"
            for i, _c in sorted(used - held.keys(), key=str)
        ]
        found += [
            f"{area.name}: not translated: {k[0]!r}"
            for k, m in held.items()
            if k in used and untranslated(m)
        ]
        made = simplified_of(traditional, terms)
        for language, catalogue in ((TRADITIONAL, traditional), (SIMPLIFIED, made)):
            mo = po_path(area.name, language).with_suffix(".mo")
            if not mo.exists() or mo.read_bytes() != compiled(catalogue):
                found.append(f"{area.name}: {language} is not built (flask languages build)")
    return found
