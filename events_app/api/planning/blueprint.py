"""The planning API's blueprint, the paths it serves and the service its views call."""

from __future__ import annotations

from events_app.api.docs import error_docs
from events_app.api.parsing import Blueprint
from events_app.context import services
from events_app.services.planning import Planning

bp = Blueprint(
    "planning",
    __name__,
    description="Exhibition (booth slots, firms, staff quotas), ceremonies and the running order "
    "(organiser). Every change is a domain event; each slot, firm, ceremony and agenda item "
    "has its history.",
)
errors = error_docs(bp)

EXHIBITION = "/gatherings/<slug>/exhibition"
FIRM = EXHIBITION + "/firms/<uuid:firm_id>"
CEREMONIES = "/gatherings/<slug>/ceremonies"
CEREMONY = CEREMONIES + "/<uuid:ceremony_id>"
AGENDA = "/gatherings/<slug>/agenda"


def planning() -> Planning:
    """Return the planning service of the current app."""
    return services().planning
