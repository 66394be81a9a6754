"""What the console's irreversible actions ask first, in plain words (see ask_first)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext, ngettext

from domain.ceremony import Ceremony, CeremonyState
from domain.invitation import Invitation, InvitationState
from domain.registration import Registration, RegistrationState
from events_app.context import services
from events_app.pages.ask_first import Question
from events_app.pages.console.words import in_language, shown_time


def guest_name(registration: Registration | Invitation) -> str:
    """Return the guest's (or invitee's) names as the console shows them (as typed)."""
    details = registration.details
    return f"{details['full_name']} {details.get('name_zh', '')}".strip()


def staff_firm(registration: Registration) -> str:
    """Return the names of the firm whose staff badge the registration holds, if any."""
    exhibition = services().box_office.exhibition_of(registration.gathering_id)
    firm_id = exhibition.firm_of_staff(registration.id) if exhibition else None
    if exhibition is None or firm_id is None:
        return ""
    firm = exhibition.firm(firm_id)
    return " ".join(n for n in (firm["name_en"], firm["name_zh"]) if n)


def reason_line(reason: str) -> tuple[str, ...]:
    """Return the line saying which reason is recorded, if one was typed."""
    if not reason:
        return ()
    return (gettext("The reason recorded: “%(reason)s”.", reason=reason),)


def reject(registration: Registration, reason: str, back: str) -> Question:
    """Ask before turning down a pending registration."""
    name = guest_name(registration)
    return Question(
        title=gettext("Reject the registration of %(name)s?", name=name),
        consequences=(
            gettext("%(name)s is turned down and gets no seat and no badge.", name=name),
            *reason_line(reason),
        ),
        yes=gettext("Yes, reject this registration"),
        back=back,
    )


def cancel(registration: Registration, reason: str, back: str, firm: str = "") -> Question:
    """Ask before cancelling an active registration."""
    name = guest_name(registration)
    lines = [gettext("%(name)s's registration is cancelled.", name=name)]
    if registration.state is RegistrationState.CONFIRMED:
        lines += [
            gettext("Their badge stops working at the door."),
            gettext("Their seat goes to the first guest on the waitlist, if any."),
        ]
    if firm:
        lines.append(gettext("The staff badge of %(firm)s is given back.", firm=firm))
    return Question(
        title=gettext("Cancel the registration of %(name)s?", name=name),
        consequences=(*lines, *reason_line(reason)),
        yes=gettext("Yes, cancel this registration"),
        back=back,
    )


def erase(registration: Registration, reason: str, back: str) -> Question:
    """Ask before erasing a guest's personal data (the form asked once already)."""
    return Question(
        title=gettext("Erase the personal data of %(name)s?", name=guest_name(registration)),
        consequences=(
            gettext("Their name, e-mail, phone, notes and answers become unreadable for good."),
            gettext("Their registration, seat, badge state and check-ins stay, reading “erased”."),
            *reason_line(reason),
        ),
        yes=gettext("Yes, erase their personal data"),
        back=back,
        warning=gettext("Nobody can undo this: the key that opens their data is destroyed."),
    )


def erase_invitation(invitation: Invitation, reason: str, back: str) -> Question:
    """Ask before erasing the personal data of an invitee who never accepted."""
    withdrawn = gettext("The invitation is withdrawn: its link stops working, its seats go back.")
    open_now = (withdrawn,) if invitation.state is InvitationState.INVITED else ()
    return Question(
        title=gettext("Erase the personal data of %(name)s?", name=guest_name(invitation)),
        consequences=(
            gettext("Their name, e-mail, organisation and reply become unreadable for good."),
            *open_now,
            gettext("The invitation, its state and its counts stay, reading “erased”."),
            *reason_line(reason),
        ),
        yes=gettext("Yes, erase their personal data"),
        back=back,
        warning=gettext("Nobody can undo this: the key that opens their data is destroyed."),
    )


def withdraw_firm(name: str, slot: str | None, staff: int, reason: str, back: str) -> Question:
    """Ask before withdrawing an exhibiting firm."""
    lines = [gettext("%(name)s leaves the exhibition.", name=name)]
    if slot:
        lines.append(gettext("Booth %(slot)s becomes free.", slot=slot))
    if staff:
        lines.append(
            ngettext(
                "The registration of its %(num)d staff member is cancelled.",
                "The registrations of its %(num)d staff are cancelled.",
                staff,
            )
        )
    return Question(
        title=gettext("Withdraw %(name)s?", name=name),
        consequences=(*lines, *reason_line(reason)),
        yes=gettext("Yes, withdraw the firm"),
        back=back,
    )


def renew_code(name: str, back: str) -> Question:
    """Ask before giving a firm a new staff code."""
    return Question(
        title=gettext("Give %(name)s a new staff code?", name=name),
        consequences=(
            gettext(
                "The current code and its link stop working at once: staff who use them "
                "are told the code is not valid."
            ),
            gettext("Staff registered already keep their badges."),
            gettext("You send the new code to the firm yourself."),
        ),
        yes=gettext("Yes, renew the code"),
        back=back,
    )


def complete(ceremony: Ceremony, when: datetime, zone: ZoneInfo, back: str) -> Question:
    """Ask before recording that a ceremony was signed or its awards presented."""
    shown = shown_time(when, zone)
    if ceremony.completed_state is CeremonyState.AWARDED:
        happened = gettext("It is recorded that the awards were presented on %(when)s.", when=shown)
    else:
        happened = gettext(
            "It is recorded that the agreements were signed on %(when)s.", when=shown
        )
    title = in_language(ceremony.title_en, ceremony.title_zh)
    return Question(
        title=gettext("Record that %(ceremony)s took place?", ceremony=title),
        consequences=(
            happened,
            ngettext(
                "Its %(num)d document is locked for good: no item, name or text can change "
                "afterwards.",
                "Its %(num)d documents are locked for good: no item, name or text can change "
                "afterwards.",
                len(ceremony.items),
            ),
        ),
        yes=gettext("Yes, record it and lock the ceremony"),
        back=back,
    )
