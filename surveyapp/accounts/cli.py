from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from surveyapp.accounts.models import Role
from surveyapp.accounts.service import create_user, find_user, normalise_email, set_active, set_password
from surveyapp.errors import DomainError
from surveyapp.extensions import db

users_cli = AppGroup("users", help="Manage staff accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--programme", "programme_code", help="Programme code (managers and evaluators).")
@click.password_option("--password", help="Taken from the prompt when not given.")
def create(email, role, programme_code, password):
    """Create a staff account."""
    with _change():
        email = normalise_email(email)
        user = create_user(email, password, Role(role), programme_code)
        _audit("user.create", user)
    click.echo(f"created {email} ({role})")


@contextmanager
def _change() -> Iterator[None]:
    """One account change from the CLI: messages in English (no request to choose a locale from), committed
    with its audit record, or rolled back and reported as the command's error."""
    try:
        with force_locale("en"):
            yield
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error


def _audit(action: str, user) -> None:
    from surveyapp.audit.service import record  # lazy: the audit package is newer than this module

    record(action, target=f"user:{user.id}", actor="cli")


def _user(email: str):
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no account {email}")
    return user


@users_cli.command("set-password")
@click.argument("email")
@click.password_option("--password", help="Taken from the prompt when not given.")
def set_password_command(email, password):
    """Set a staff member's password; every session of that account ends."""
    user = _user(email)
    with _change():
        set_password(user, password)
        _audit("user.set_password", user)
    click.echo(f"password set for {user.email}; all of its sessions have ended")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate(email):
    """Lock an account out: it cannot log in, and every session of it ends at once."""
    user = _user(email)
    set_active(user, False)
    _audit("user.deactivate", user)
    db.session.commit()
    click.echo(f"deactivated {user.email}; all of its sessions have ended")


@users_cli.command("activate")
@click.argument("email")
def activate(email):
    """Allow a deactivated account to log in again."""
    user = _user(email)
    set_active(user, True)
    _audit("user.activate", user)
    db.session.commit()
    click.echo(f"activated {user.email}")
