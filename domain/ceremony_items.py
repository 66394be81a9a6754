"""The items of a ceremony as entered: agreements, pledges and awards, with their people.

An award's item may name its issuing authorities (in English and Chinese), each with the
signatory who signs the certificate for it and whether its seal is applied; any item may
name who presents it (an award) or witnesses it (a signing) on stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.common import check_text
from domain.errors import InvalidValue

MAX_PEOPLE = 40
MAX_AUTHORITIES = 6


@dataclass(frozen=True)
class Person:
    """A signatory or recipient, as printed on the document."""

    name_en: str
    name_zh: str
    title: str
    organisation: str
    registration_id: str = ""

    def checked(self, group: str = "people") -> dict[str, Any]:
        """Return the person as plain data, or raise InvalidValue (naming `group`, if nameless)."""
        if not (self.name_en.strip() or self.name_zh.strip()):
            raise InvalidValue("a signatory needs a name in English or Chinese", field=group)
        return {
            "name_en": check_text(self.name_en, "name_en", required=False),
            "name_zh": check_text(self.name_zh, "name_zh", limit=60, required=False),
            "title": check_text(self.title, "title", required=False),
            "organisation": check_text(self.organisation, "organisation"),
            "registration_id": self.registration_id,
        }


@dataclass(frozen=True)
class Signatory:
    """Who signs a certificate for an issuing authority: a name and a title, in either language."""

    name_en: str = ""
    name_zh: str = ""
    title_en: str = ""
    title_zh: str = ""

    def checked(self, authority: str) -> dict[str, str]:
        """Return the signatory as plain data (all empty: a bare signature line), or raise."""
        data = {
            "name_en": _authority_text(self.name_en, "signatory name_en", 200),
            "name_zh": _authority_text(self.name_zh, "signatory name_zh", 60),
            "title_en": _authority_text(self.title_en, "signatory title_en", 200),
            "title_zh": _authority_text(self.title_zh, "signatory title_zh", 100),
        }
        if any(data.values()) and not (data["name_en"] or data["name_zh"]):
            raise InvalidValue(
                "the signatory for %(authority)s needs a name in English or Chinese",
                field="authorities",
                authority=authority,
            )
        return data


@dataclass(frozen=True)
class Authority:
    """An issuing authority of an award: its names, who signs for it, and whether it seals it."""

    name_en: str
    name_zh: str = ""
    signatory: Signatory = field(default_factory=Signatory)
    seal: bool = False

    def checked(self) -> dict[str, Any]:
        """Return the authority as plain data, or raise InvalidValue naming ``authorities``."""
        name_en = _authority_text(self.name_en, "name_en", 200)
        name_zh = _authority_text(self.name_zh, "name_zh", 100)
        if not (name_en or name_zh):
            raise InvalidValue(
                "an issuing authority needs a name in English or Chinese", field="authorities"
            )
        if not isinstance(self.seal, bool):
            raise InvalidValue("seal must be true or false", field="authorities")
        return {
            "name_en": name_en,
            "name_zh": name_zh,
            "signatory": self.signatory.checked(name_en or name_zh),
            "seal": self.seal,
        }


def _authority_text(value: str, name: str, limit: int) -> str:
    """Return an authority's text stripped, or raise InvalidValue naming ``authorities``."""
    return check_text(value, "authorities", limit=limit, required=False, name=name)


ITEM_DEFAULTS: dict[str, Any] = {"presenters": [], "authorities": []}
"""What an item recorded before presenters and authorities could be entered has of them."""


def with_defaults(item: dict[str, Any]) -> dict[str, Any]:
    """Return a recorded item with the fields older events lack (fresh lists, not shared)."""
    return {**{k: list(v) for k, v in ITEM_DEFAULTS.items()}, **item}


@dataclass(frozen=True)
class CeremonyItem:
    """One agreement, pledge or award within a ceremony."""

    reference: str
    title_en: str
    title_zh: str
    parties: tuple[str, ...]
    people: tuple[Person, ...]
    clauses: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    presenters: tuple[Person, ...] = ()
    """Who presents an award, or witnesses a signing, on stage (not who signs it)."""
    authorities: tuple[Authority, ...] = ()
    """An award's issuing authorities, in the order their signatures are printed."""

    def checked(self) -> dict[str, Any]:
        """Return the item as plain data (without its id), or raise InvalidValue."""
        for group in ("people", "presenters"):
            if len(getattr(self, group)) > MAX_PEOPLE:
                raise InvalidValue(
                    "at most %(limit)s people an item", field=group, limit=MAX_PEOPLE
                )
        parties = [check_text(p, "parties") for p in self.parties]
        if len(set(parties)) != len(parties):
            raise InvalidValue("a party is named twice", field="parties")
        return {
            "reference": check_text(self.reference, "reference", limit=40),
            "title_en": check_text(self.title_en, "title_en"),
            "title_zh": check_text(self.title_zh, "title_zh", limit=100),
            "parties": parties,
            "people": [person.checked() for person in self.people],
            "clauses": [check_text(c, "clauses", limit=4000) for c in self.clauses],
            "extra": dict(self.extra),
            "presenters": [person.checked("presenters") for person in self.presenters],
            "authorities": self._checked_authorities(),
        }

    def _checked_authorities(self) -> list[dict[str, Any]]:
        if len(self.authorities) > MAX_AUTHORITIES:
            raise InvalidValue(
                "at most %(limit)s issuing authorities an award",
                field="authorities",
                limit=MAX_AUTHORITIES,
            )
        authorities = [authority.checked() for authority in self.authorities]
        names = [a["name_en"].casefold() for a in authorities if a["name_en"]]
        names += [a["name_zh"] for a in authorities if a["name_zh"]]
        if len(set(names)) != len(names):
            raise InvalidValue("an issuing authority is named twice", field="authorities")
        return authorities
