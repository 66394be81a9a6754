"""Console dashboard: registrations, capacity, arrivals, scan conflicts and mails at a glance."""

from __future__ import annotations

from flask import current_app

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
from events_app.pages.labels import CATEGORY_LABELS
from events_app.pages.sessions import organiser_page

bp = console_blueprint("console_dashboard", __name__)

STATE_LABELS = {
    "pending": "Pending 待審批",
    "confirmed": "Confirmed 已確認",
    "waitlisted": "Waitlisted 候補",
    "rejected": "Rejected 已拒絕",
    "cancelled": "Cancelled 已取消",
}
MAIL_KINDS = {
    "confirmed": "Confirmation 確認",
    "pending": "Received 已收到",
    "waitlisted": "Waitlist 候補",
    "rejected": "Rejection 拒絕",
    "approved": "Approved 已批核",
    "promoted": "Off the waitlist 候補轉正",
    "cancelled": "Cancellation 取消",
    "badge_reissued": "New badge 新襟章",
}


@bp.get("/")
@organiser_page
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
        state_labels=STATE_LABELS,
        category_labels=CATEGORY_LABELS,
        figures=services().arrivals.figures(slug),
        conflicts=found,
        conflict_total=conflict_total,
        mails=mails_to_review(gathering),
        mail_kinds=MAIL_KINDS,
        local=local,
        invalid_alerts=invalid_badge_alerts(gathering),
        alert_minutes=alert_minutes(),
    )
    response = current_app.make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response
