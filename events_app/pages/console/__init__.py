"""The organiser console: server-rendered pages to run a launch, behind the organiser sign-in."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import Blueprint, Flask, current_app, g

from domain.roles import Permission
from events_app.pages.console import (
    accounts,
    ceremonies,
    checkpoints,
    corrections,
    dashboard,
    devices,
    exhibition,
    exports,
    gathering_edit,
    invitations,
    personal_data,
    printing,
    questionnaire,
    registration_answers,
    registrations,
    running_order,
    sign_in,
    unprintable,
    walk_ins,
)
from events_app.pages.console.common import NAV, NavLink
from events_app.pages.console.words import (
    category_name,
    chinese_lang,
    event_name,
    in_language,
    in_page_script,
    language_url,
    shown_time,
    state_name,
)
from events_app.pages.role_labels import role_label
from events_app.pages.sessions import request_gathering
from events_app.rate_limits.responses import register_refusal_page
from events_app.services.authorisation import may

assets = Blueprint(
    "console",
    __name__,
    static_folder="static",
    static_url_path="/organiser/static",
)
PAGES = (
    sign_in,
    dashboard,
    registrations,
    exhibition,
    ceremonies,
    running_order,
    printing,
    checkpoints,
    devices,
    exports,
    corrections,
    gathering_edit,
    walk_ins,
    registration_answers,
    questionnaire,
    invitations,
    personal_data,
    accounts,
)


def may_here(permission: str, gathering: str | None = None) -> bool:
    """Tell whether the signed-in account may `permission` on this page's gathering.

    Templates ask it (`may('plan')`) to hide the links and buttons a role cannot use.
    """
    target = gathering if gathering is not None else request_gathering()
    return may(g.get("organiser"), Permission(permission), target)


def console_links() -> list[NavLink]:
    """Return the navigation links whose pages this app serves and the role may open."""
    return [
        link
        for link in NAV
        if link.endpoint in current_app.view_functions and may_here(link.permission)
    ]


def signed_in_organiser() -> dict[str, Any]:
    """Give every template the signed-in organiser, if any (for the sign-out form)."""
    return {"organiser": g.get("organiser")}


def init_app(app: Flask) -> None:
    """Register the console's pages and assets."""
    app.register_blueprint(assets)
    for page in PAGES:
        app.register_blueprint(page.bp)
    app.jinja_env.globals.update(
        console_links=console_links,
        may=may_here,
        role_label=role_label,
        category_name=category_name,
        state_name=state_name,
        event_name=event_name,
        in_language=in_language,
        zh_lang=chinese_lang,
        shown_time=shown_time,
        language_url=language_url,
    )
    app.jinja_env.filters["zh"] = in_page_script
    unprintable.init_app(app)
    register_refusal_page(app, "organiser.submit_sign_in", partial(sign_in.render_sign_in, 429))
    app.context_processor(signed_in_organiser)
