"""`flask gdpr erase PANEL_CODE [--with-answers]`, `flask gdpr purge [--dry-run]`, `flask gdpr export PANEL_CODE`."""

import json

import click
from flask.cli import AppGroup

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.gdpr import service
from surveyapp.gdpr.subject_access import subject_access

gdpr_cli = AppGroup("gdpr", help="Data protection: erasure, contact retention, subject access.")
ACTOR = "cli"


def _participant(panel_code: str):
    try:
        return service.find_participant(panel_code)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None


@gdpr_cli.command("erase")
@click.argument("panel_code")
@click.option("--with-answers", is_flag=True, help="Also delete the participant's responses and answers.")
def erase_command(panel_code: str, with_answers: bool) -> None:
    """Erase a participant's contact data, links and send log (and answers with --with-answers); keep the code."""
    participant = _participant(panel_code)
    result = service.erase(participant, with_answers=with_answers, actor=ACTOR)
    db.session.commit()
    click.echo(f"{participant.panel_code}: erased; {result.responses_deleted} responses deleted.")


@gdpr_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only print what would be removed.")
def purge_command(dry_run: bool) -> None:
    """Remove contact data whose programme's retention period has run out (see purge_contacts); idempotent."""
    lines = service.purge_contacts(dry_run=dry_run, actor=ACTOR)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would remove" if dry_run else "removed"
    for line in lines:
        click.echo(f"{line.programme_code}: {verb} the contact data of {len(line.participant_ids)} participants "
                   f"(retention {line.months} months)")
    if not lines:
        click.echo("No programme has a contact retention rule.")


@gdpr_cli.command("export")
@click.argument("panel_code")
def export_command(panel_code: str) -> None:
    """Print everything held about one participant as JSON (subject access); audited."""
    data = subject_access(_participant(panel_code), actor=ACTOR)
    db.session.commit()
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
