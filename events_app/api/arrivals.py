"""Live arrival figures for organisers."""

from __future__ import annotations

from domain.roles import Permission
from events_app.api.auth import SECURITY, organiser_required
from events_app.api.docs import error_docs
from events_app.api.parsing import Blueprint
from events_app.context import services
from events_app.schemas.arrivals import ArrivalsSchema
from events_app.services.arrivals import ArrivalFigures

bp = Blueprint("arrivals", __name__, description="Live arrival figures")
errors = error_docs(bp)


@bp.route("/gatherings/<slug>/arrivals", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, ArrivalsSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def arrivals(slug: str) -> ArrivalFigures:
    """Return checked in / expected by category and checkpoint, per 5 minutes (organiser)."""
    return services().arrivals.figures(slug)
