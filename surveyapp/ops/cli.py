"""`flask backup create PATH` and `flask backup restore PATH [--force]`."""
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import AppGroup

from surveyapp.extensions import db
from surveyapp.ops import backup

backup_cli = AppGroup("backup", help="Back up the database, or restore a backup.")


@backup_cli.command("create")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def create_command(path: Path) -> None:
    """Write a consistent backup to PATH (SQLite file, or pg_dump's custom format), even while the app runs."""
    _report(lambda: backup.create(db.engine, path))


@backup_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite even a database holding newer data than the backup.")
def restore_command(path: Path, force: bool) -> None:
    """Replace the database with the backup at PATH (stop the app and the dispatcher first)."""
    config = current_app.extensions["migrate"].migrate.get_config()
    revisions = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    _report(lambda: backup.restore(db.engine, path, force, revisions))


def _report(step) -> None:
    try:
        outcome = step()
    except backup.BackupRefused as refused:
        raise click.ClickException(str(refused)) from None
    if not outcome.done:
        raise click.ClickException(outcome.message)
    click.echo(outcome.message)
