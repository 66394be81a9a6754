"""`flask languages`: keep the message catalogues in step with the code (README, "Translations")."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from events_app.cli.acting import acting
from events_app.languages import catalogues

languages = AppGroup("languages", help="Message catalogues: English, 繁體中文 (HK), 简体中文.")


@languages.command("build")
@acting(None)
def build() -> None:
    """Extract the code's messages, update the catalogues, make Simplified, compile."""
    missing = catalogues.build()
    for line in missing:
        click.echo(f"untranslated: {line}")
    click.echo(f"catalogues built; {len(missing)} message(s) to translate in the zh_Hant_HK files")


@languages.command("check")
@acting(None)
def check() -> None:
    """Fail unless every message the code uses is translated and compiled."""
    problems = catalogues.problems()
    for line in problems:
        click.echo(line, err=True)
    if problems:
        sys.exit(1)
    click.echo("every message is translated and compiled")
