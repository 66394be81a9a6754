"""Guest e-mails: written in the guest's language, queued from events, sent by an outbox."""

from events_app.mail.outbox import MailRow, Outbox, SendReport
from events_app.mail.settings import MailConfigError, MailSettings

__all__ = ["MailConfigError", "MailRow", "MailSettings", "Outbox", "SendReport"]
