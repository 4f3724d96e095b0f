"""flask --app surveyapp audit verify"""
import click
from flask.cli import AppGroup

from surveyapp.audit.chain import verify
from surveyapp.extensions import db

audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
def verify_command():
    """Walk the hash chain; exit 1 naming the first event that was edited, deleted or reordered."""
    verdict = verify(db.session)
    db.session.rollback()
    if verdict.intact:
        click.echo(f"{verdict.events} events, chain intact (head {verdict.head})")
        return
    click.echo(f"chain broken at event seq {verdict.broken_seq} (id {verdict.broken_id}): {verdict.reason}; "
               f"{verdict.events} events before it are intact", err=True)
    raise SystemExit(1)
