"""Guest e-mails for organisers: what is queued, what failed and why, what was sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import Schema, fields, validate

from domain.guest_mail import MailKind, MailState
from domain.roles import Permission
from events_app.api.auth import SECURITY, organiser_required
from events_app.api.docs import error_docs
from events_app.api.parsing import Blueprint
from events_app.context import services
from events_app.mail import MailRow
from events_app.schemas.common import MAX_OFFSET

bp = Blueprint("mail", __name__, description="Guest e-mails")
errors = error_docs(bp)


class MailQuerySchema(Schema):
    """Filters of the mail list."""

    state = fields.List(
        fields.String(validate=validate.OneOf([s.value for s in MailState])),
        load_default=list,
        metadata={"description": "queued, failed (the last attempt failed) or sent; repeatable"},
    )
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_OFFSET))


class MailSchema(Schema):
    """One e-mail to a guest and what became of it."""

    id = fields.UUID()
    registration_id = fields.UUID()
    kind = fields.String(metadata={"enum": [k.value for k in MailKind]})
    to = fields.String()
    state = fields.String(metadata={"enum": [s.value for s in MailState]})
    attempts = fields.Integer()
    last_error = fields.String(metadata={"description": "why the last attempt failed"})
    next_attempt_at = fields.DateTime(
        allow_none=True, metadata={"description": "null once sent, or given up"}
    )
    gave_up = fields.Boolean(
        metadata={"description": "failed for good: `flask mail retry ID` tries again"}
    )
    queued_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)
    via = fields.String(metadata={"description": "the SMTP server, or the .eml file written"})


class MailPageSchema(Schema):
    """A page of a gathering's guest e-mails, with counts by state."""

    items = fields.List(fields.Nested(MailSchema))
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())


def mail_data(row: MailRow) -> dict[str, Any]:
    """Return one listed mail as the API shows it."""
    return {
        "id": row.id,
        "registration_id": row.registration_id,
        "kind": row.kind,
        "to": row.recipient,
        "state": row.state,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "next_attempt_at": _moment(row.next_attempt_at),
        "gave_up": row.gave_up,
        "queued_at": _moment(row.queued_at),
        "sent_at": _moment(row.sent_at),
        "via": row.via,
    }


def _moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


@bp.route("/gatherings/<slug>/mail", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.arguments(MailQuerySchema, location="query")
@bp.response(200, MailPageSchema)
@errors(401, 403, 404, 422)
@bp.doc(security=SECURITY)
def list_mail(query: dict[str, Any], slug: str) -> dict[str, Any]:
    """List the gathering's guest e-mails, oldest first; `state=failed` shows the failures."""
    gathering = services().box_office.gathering(slug)
    outbox = services().outbox
    rows, total = outbox.search(
        str(gathering.id), states=query["state"], limit=query["limit"], offset=query["offset"]
    )
    return {
        "items": [mail_data(row) for row in rows],
        "total": total,
        "limit": query["limit"],
        "offset": query["offset"],
        "counts": outbox.counts(str(gathering.id)),
    }
