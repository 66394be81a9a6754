"""Console dashboard: registrations, capacity, arrivals, scan conflicts and mails at a glance."""

from __future__ import annotations

from flask import current_app

from domain.roles import Permission
from events_app.context import services
from events_app.pages.console.common import console_blueprint, gathering_or_404, render_console
from events_app.pages.console.dashboard_alerts import alert_minutes, invalid_badge_alerts
from events_app.pages.console.dashboard_data import (
    STATES,
    conflicts,
    local,
    mails_to_review,
    registrations,
)
from events_app.pages.console.retention_notice import retention_notice
from events_app.pages.console.words import category_labels
from events_app.pages.record_words import MAIL_KINDS
from events_app.pages.sessions import organiser_page

bp = console_blueprint("console_dashboard", __name__)


@bp.get("/")
@organiser_page(Permission.VIEW)
def dashboard(slug: str) -> object:
    """Show the gathering's figures: registrations, capacity, arrivals, conflicts, mails."""
    gathering = gathering_or_404(slug)
    found, conflict_total = conflicts(gathering)
    page = render_console(
        "console/dashboard.html",
        slug,
        gathering=gathering,
        registrations=registrations(gathering),
        states=STATES,
        category_labels=category_labels(),
        figures=services().arrivals.figures(slug),
        conflicts=found,
        conflict_total=conflict_total,
        mails=mails_to_review(gathering),
        mail_kinds=MAIL_KINDS,
        local=local,
        invalid_alerts=invalid_badge_alerts(gathering),
        alert_minutes=alert_minutes(),
        retention=retention_notice(gathering),
    )
    response = current_app.make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response
