"""`flask waves dispatch` and `flask waves schedule`."""

import time

import click
from flask.cli import AppGroup
from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.programmes.models import Programme
from surveyapp.waves.dispatch import dispatch_due
from surveyapp.waves.letters import NoPublicAddress
from surveyapp.waves.service import ensure_invitations

waves_cli = AppGroup("waves", help="Follow-up waves: invitations and reminders.")


@waves_cli.command("dispatch")
@click.option("--loop", is_flag=True, help="Keep running; check for due mail every --interval seconds.")
@click.option("--batch", default=100, show_default=True, help="Invitations claimed per transaction.")
@click.option("--interval", default=60, show_default=True, help="Seconds between rounds with --loop.")
@click.option(
    "--lease",
    default=600,
    show_default=True,
    help="Seconds a claim is held; a dispatcher that dies frees its claims after this.",
)
def dispatch_command(loop: bool, batch: int, interval: int, lease: int) -> None:
    """Send every invitation and reminder that is due (exactly once, even beside other dispatchers)."""
    while True:
        try:
            report = dispatch_due(batch=batch, lease=lease)
        except NoPublicAddress as error:
            raise click.ClickException(str(error.message)) from None
        click.echo(
            f"sent {report.sent} (of which retries {report.retried}), "
            f"failed {report.failed} (will retry), bounced {report.bounced}"
        )
        for line in report.errors:
            click.echo(line, err=True)
        if not loop:
            break
        time.sleep(interval)


@waves_cli.command("schedule")
def schedule_command() -> None:
    """Create the missing invitations of every programme (after manual changes in the database)."""
    added = sum(ensure_invitations(programme_id) for programme_id in db.session.scalars(select(Programme.id)))
    db.session.commit()
    click.echo(f"{added} invitations added.")
