"""Personal data as the domain holds it: a read-only mapping that names whose data it is.

The store seals every `PersonalData` with its subject's own key before it is written, and
opens it when it is read (see `events_app.store.sealing`); once the key is destroyed the
data read back are placeholders (`erased_values`). The domain only marks what is personal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from typing import Any
from uuid import UUID

EmailHasher = Callable[[str], str]
"""Turns a normalised e-mail address into the key the guest list keeps (a keyed hash)."""

ERASED_NAME = "erased"
ERASED_NAME_ZH = "已刪除"
ERASED_TEXT = {"full_name": ERASED_NAME, "name_zh": ERASED_NAME_ZH}
"""What erased fields read as (any other field reads as an empty text)."""
NOT_PERSONAL = frozenset({"category", "consent", "language", "registration_id"})
"""Fields of details (and corrections) kept beside the sealed data: they tell no one's identity.

Answers are sealed whole: their keys are the organiser's questions, whatever they are named.
"""


class Kind(StrEnum):
    """What a mapping of personal data holds, which decides how it reads once erased."""

    DETAILS = "details"
    """Field name -> value (a guest's or an invitee's details)."""
    CHANGES = "changes"
    """Field name -> [before, after] (a correction)."""
    ANSWERS = "answers"
    """Question -> answer (reads as no answers once erased)."""
    ANSWER_CHANGES = "answer_changes"
    """Question -> [before, after] (reads as [None, None] once erased)."""
    TEXT = "text"
    """One free text under "text" (e.g. a reason, which may name people); "" once erased."""


class PersonalData(Mapping[str, Any]):
    """A subject's personal data (read-only); `erased` when its key was destroyed."""

    __slots__ = ("_data", "erased", "kind", "subject")

    def __init__(
        self, subject: UUID, data: Mapping[str, Any], kind: Kind, *, erased: bool = False
    ) -> None:
        self.subject = subject
        self.kind = Kind(kind)
        self._data = dict(data)
        self.erased = erased

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        state = "erased" if self.erased else f"{len(self._data)} fields"
        return f"PersonalData({self.subject}, {self.kind}, {state})"

    def plain(self) -> dict[str, Any]:
        """Return the data as a plain dict (e.g. to show them)."""
        return dict(self._data)

    def erased_copy(self) -> PersonalData:
        """Return what these data read as once erased: the same fields, placeholders."""
        return PersonalData(
            self.subject,
            erased_values(self.kind, list(self._data), self._data),
            self.kind,
            erased=True,
        )


def personal(subject: UUID, data: Mapping[str, Any] | None, kind: Kind) -> PersonalData:
    """Return `data` marked as `subject`'s personal data (as it is when it already is)."""
    if isinstance(data, PersonalData) and data.subject == subject and data.kind == kind:
        return data
    return PersonalData(subject, data or {}, kind)


def personal_text(subject: UUID, text: str) -> PersonalData | str:
    """Return a free text as `subject`'s personal data (an empty one as it is: nothing to seal)."""
    return personal(subject, {"text": text}, Kind.TEXT) if text else ""


def sealed_text(value: Mapping[str, Any] | str | None, name: str = "text") -> str:
    """Return the text kept under `name` in personal data (plain in events stored before)."""
    if isinstance(value, Mapping):
        return str(value.get(name) or "")
    return "" if value is None else str(value)


def public_fields(kind: Kind) -> frozenset[str]:
    """Return the fields of data of `kind` that are kept in plain beside the sealed ones."""
    return NOT_PERSONAL if kind in (Kind.DETAILS, Kind.CHANGES) else frozenset()


def erased_value(name: str) -> str:
    """Return what an erased field `name` reads as."""
    return ERASED_TEXT.get(name, "")


def erased_values(kind: Kind, names: list[str], kept: Mapping[str, Any]) -> dict[str, Any]:
    """Return erased data of `kind` with fields `names`; `kept` holds the non-personal ones."""
    if kind is Kind.ANSWERS:
        return {}
    if kind is Kind.ANSWER_CHANGES:
        return {name: [None, None] for name in names}
    public = {name: kept[name] for name in names if name in public_fields(kind) and name in kept}
    if kind is Kind.CHANGES:
        return {name: list(public.get(name) or [erased_value(name)] * 2) for name in names}
    return {name: public.get(name, erased_value(name)) for name in names}
