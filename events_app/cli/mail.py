"""`flask mail ...`: list guest e-mails, send the due ones (once or in a loop), retry one."""

from __future__ import annotations

import os
import signal
from types import FrameType
from uuid import UUID

import click
from flask.cli import AppGroup
from flask_babel import gettext

from domain.guest_mail import MailState
from domain.roles import Permission
from events_app.cli.acting import acting, acting_label
from events_app.cli.support import gathering_option, run_or_fail
from events_app.context import services
from events_app.mail.outbox import MailRow, Outbox, SendReport

mail = AppGroup("mail", help="Guest e-mails: the outbox.")


@mail.command("list")
@acting(Permission.VIEW)
@gathering_option(default=None, help="Only this gathering's mails.")
@click.option("--failed", is_flag=True, help="Only mails whose last attempt failed.")
@click.option(
    "--state",
    multiple=True,
    type=click.Choice([s.value for s in MailState]),
    help="Only mails in this state (repeatable).",
)
def list_mail(slug: str | None, failed: bool, state: tuple[str, ...]) -> None:
    """Print the guest e-mails, oldest first, with any failure in plain words."""
    gathering_id = None
    if slug is not None:
        gathering_id = str(run_or_fail(lambda: services().box_office.gathering(slug)).id)
    states = [*state, MailState.FAILED.value] if failed else list(state)
    rows, total = services().outbox.search(gathering_id, states=states, limit=1_000_000)
    for row in rows:
        click.echo(describe(row))
    click.echo(gettext("%(total)s mail(s)", total=total))


def describe(row: MailRow) -> str:
    """Return one mail as a line (and its failure on the next)."""
    line = f"{row.id}  {row.state:<6} {row.kind:<14} {row.recipient}  attempts: {row.attempts}"
    if row.state == MailState.SENT:
        line += f"  sent {row.sent_at} via {row.via}"
    elif row.gave_up:
        line += "  given up (flask mail retry ID tries again)"
    elif row.next_attempt_at:
        line += f"  next attempt {row.next_attempt_at}"
    if row.state == MailState.FAILED:
        line += f"\n    last error: {row.last_error}"
    return line


@mail.command("send")
@acting(Permission.MAINTAIN)
@click.option(
    "--all", "everything", is_flag=True, help="Also retry failed mails now, not at their time."
)
@click.option(
    "--loop",
    is_flag=True,
    help="Keep running: the sender as its own process (stops on SIGTERM or Ctrl-C).",
)
@click.option(
    "--poll",
    type=click.FloatRange(min=0.01),
    default=None,
    help="With --loop: seconds between passes (default MAIL_POLL_SECONDS).",
)
@click.option(
    "--nice",
    type=click.IntRange(0, 19),
    default=10,
    show_default=True,
    help="With --loop: lower this process's CPU priority, so that requests go first.",
)
def send(everything: bool, loop: bool, poll: float | None, nice: int) -> None:
    """Queue what is new and send every due mail now (what the sender thread does)."""
    outbox = services().outbox
    if loop:
        if everything:
            raise click.UsageError(gettext("--all sends once; use it without --loop"))
        os.nice(nice)
        send_until_stopped(outbox, poll)
        return
    report = outbox.run_once(wait=True, everything=everything)
    click.echo(gettext("sent %(count)s mail(s)", count=len(report.sent)))
    if report.failed:
        reasons = sorted({error for _, error in report.failed})
        click.echo(f"{len(report.failed)} mail(s) not sent: " + "; ".join(reasons), err=True)
        click.echo(
            gettext(
                "They stay in the outbox and are tried again later; `flask mail list --failed` "
                "shows them."
            ),
            err=True,
        )
        raise SystemExit(1)


def send_until_stopped(outbox: Outbox, poll: float | None) -> None:
    """Run the sender in this process until SIGTERM or SIGINT; finish the mail in hand."""

    def stop(signum: int, frame: FrameType | None) -> None:
        outbox.stop()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    every = outbox.settings.poll_seconds if poll is None else poll
    click.echo(
        gettext(
            "guest-mail sender running (pid %(pid)s, nice %(nice)s, a pass every %(every)s s)",
            pid=os.getpid(),
            nice=os.nice(0),
            every=format(every, "g"),
        )
    )
    try:
        outbox.send_forever(every, on_pass=_tell)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo(gettext("guest-mail sender stopped"))


def _tell(report: SendReport) -> None:
    """Print what a pass of the loop did, if it did anything."""
    if report.sent:
        click.echo(gettext("sent %(count)s mail(s)", count=len(report.sent)))
    if report.failed:
        reasons = "; ".join(sorted({error for _, error in report.failed}))
        click.echo(
            gettext(
                "%(count)s mail(s) not sent: %(reasons)s", count=len(report.failed), reasons=reasons
            ),
            err=True,
        )


@mail.command("retry")
@acting(Permission.MANAGE_REGISTRATIONS)
@click.argument("mail_id", type=click.UUID)
def retry(mail_id: UUID) -> None:
    """Try a failed mail again at the next pass (e.g. after its address was fixed)."""
    row = run_or_fail(lambda: services().outbox.retry(mail_id, actor=acting_label()))
    click.echo(gettext("queued again: %(id)s to %(recipient)s", id=row.id, recipient=row.recipient))


@mail.command("rebuild")
@acting(Permission.MAINTAIN)
def rebuild() -> None:
    """Drop the mail listing and list every mail in the store again."""
    position = services().outbox.rebuild()
    click.echo(gettext("rebuilt up to notification %(position)s", position=position))
