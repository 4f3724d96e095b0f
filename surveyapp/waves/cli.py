"""`flask waves dispatch` and `flask waves schedule`."""

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.programmes.models import Programme
from surveyapp.waves.dispatch import SecretMismatch, dispatch_due
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
    """Send every invitation and reminder that is due (exactly once, even beside other dispatchers).

    SIGTERM (systemd's stop) lets the message in hand finish; the rest of its batch is released, still due;
    then it exits 0.
    """
    startup_check = current_app.extensions.get("surveyapp.startup_check")
    if startup_check:  # the app's own start-up checks (surveyapp.ops): settings, SECRET_KEY, a migrated database
        startup_check()
    with _stop_on_sigterm() as stop:
        while not stop:
            try:
                report = dispatch_due(batch=batch, lease=lease, stopping=lambda: bool(stop))
            except (NoPublicAddress, SecretMismatch) as error:
                raise click.ClickException(str(error.message)) from None
            click.echo(
                f"sent {report.sent} (of which retries {report.retried}), "
                f"failed {report.failed} (will retry), bounced {report.bounced}"
                + (f", released {report.released} unsent (still due)" if report.released else "")
            )
            for line in report.errors:
                click.echo(line, err=True)
            if not loop:
                break
            _sleep(interval, stop)
        if stop:
            click.echo("stopped on SIGTERM", err=True)


@contextmanager
def _stop_on_sigterm() -> Iterator[list]:
    """A flag (a list, true once SIGTERM arrived) the loop reads between batches and while it waits; the
    previous handler is back afterwards (the command also runs inside test processes)."""
    stop: list = []
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield stop
        return
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    try:
        yield stop
    finally:
        signal.signal(signal.SIGTERM, previous)


def _sleep(seconds: float, stop: list) -> None:
    deadline = time.monotonic() + seconds
    while not stop and time.monotonic() < deadline:
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))


@waves_cli.command("schedule")
def schedule_command() -> None:
    """Create the missing invitations of every programme (after manual changes in the database)."""
    added = sum(ensure_invitations(programme_id) for programme_id in db.session.scalars(select(Programme.id)))
    db.session.commit()
    click.echo(f"{added} invitations added.")
