"""`flask gdpr erase PANEL_CODE [--with-answers]`, `flask gdpr purge [--dry-run]`, `flask gdpr export PANEL_CODE`."""

import json

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

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
    click.echo(ngettext("%(code)s: erased; %(num)d response deleted.", "%(code)s: erased; %(num)d responses deleted.",
                        result.responses_deleted, code=participant.panel_code))


@gdpr_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only print what would be removed.")
def purge_command(dry_run: bool) -> None:
    """Remove contact data whose programme's retention period has run out (see purge_contacts); idempotent."""
    lines = service.purge_contacts(dry_run=dry_run, actor=ACTOR)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for line in lines:
        click.echo(_purge_line(line, dry_run))
    if not lines:
        click.echo(_("No programme has a contact retention rule."))


def _purge_line(line, dry_run: bool) -> str:
    retention = ngettext("retention %(num)d month", "retention %(num)d months", line.months)
    count = len(line.participant_ids)
    if dry_run:
        done = ngettext("%(programme)s: would remove the contact data of %(num)d participant (%(retention)s)",
                        "%(programme)s: would remove the contact data of %(num)d participants (%(retention)s)",
                        count, programme=line.programme_code, retention=retention)
    else:
        done = ngettext("%(programme)s: removed the contact data of %(num)d participant (%(retention)s)",
                        "%(programme)s: removed the contact data of %(num)d participants (%(retention)s)",
                        count, programme=line.programme_code, retention=retention)
    return done


@gdpr_cli.command("export")
@click.argument("panel_code")
def export_command(panel_code: str) -> None:
    """Print everything held about one participant as JSON (subject access); audited."""
    data = subject_access(_participant(panel_code), actor=ACTOR)
    db.session.commit()
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
