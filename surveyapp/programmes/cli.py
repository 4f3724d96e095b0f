"""`flask programmes create | list | archive | unarchive` (members: accounts.members.cli adds its commands here).

The command line acts as a site administrator. Each change commits with its audit record, or not at all.
"""
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from surveyapp.audit.service import record
from surveyapp.db import utcnow
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.programmes import service
from surveyapp.programmes.pathways import PATHWAYS

programmes_cli = AppGroup("programmes", help="Manage programmes and their members.")


@contextmanager
def change(action: str) -> Iterator[list]:
    """One change from the CLI: English messages, committed with its audit record (the target the block appends
    to the yielded list), or rolled back and reported as the command's error (exit code 1)."""
    targets: list[str] = []
    try:
        with force_locale("en"):
            yield targets
            for target in targets:
                record(action, target=target, actor="cli")
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error


def programme_by_code(code: str):
    """The programme with this code (any case), or the command's error."""
    programme = service.find_programme(code)
    if programme is None:
        raise click.ClickException(f"no programme with the code {code}")
    return programme


@programmes_cli.command("create")
@click.argument("code")
@click.option("--name", required=True, help="The programme's name as staff and reports show it.")
@click.option("--pathway", type=click.Choice(list(PATHWAYS)), help="Outcome-pathway model (default: logic_model).")
@click.option("--retention-months", type=int, help="Delete contact data this many months after the last wave.")
def create(code, name, pathway, retention_months):
    """Create a programme with code CODE (2-40 letters, digits, '-' or '_'; fixed once created)."""
    with change("programme.create") as targets:
        programme = service.create_programme(code, name, pathway=pathway, retention_months=retention_months)
        targets.append(f"programme:{programme.id}")
    click.echo(f"created programme {programme.code} ({programme.name})")


@programmes_cli.command("list")
@click.option("--archived", is_flag=True, help="List the archived programmes instead.")
def list_command(archived):
    """List the active (or archived) programmes: code, name."""
    for programme in service.programmes(archived=archived):
        click.echo(f"{programme.code}\t{programme.name}")


@programmes_cli.command("archive")
@click.argument("code")
def archive(code):
    """Archive a programme: it leaves the lists, its questionnaires, panel and data stay."""
    stored = _archived(code, "programme.archive", lambda programme: service.archive(programme, utcnow()))
    click.echo(f"archived {stored}")


@programmes_cli.command("unarchive")
@click.argument("code")
def unarchive(code):
    """Make an archived programme active again."""
    click.echo(f"{_archived(code, 'programme.unarchive', service.unarchive)} is active")


def _archived(code: str, action: str, apply) -> str:
    """Archive or unarchive (`apply`) the programme CODE, recorded when that changed anything; its stored code."""
    programme = programme_by_code(code)
    with change(action) as targets:
        if apply(programme):
            targets.append(f"programme:{programme.id}")
    return programme.code
