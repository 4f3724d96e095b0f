import click
from flask.cli import AppGroup
from flask_babel import force_locale

from surveyapp.accounts.models import Role
from surveyapp.accounts.service import create_user
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
    try:
        with force_locale("en"):  # no request to choose a locale from: messages in English
            create_user(email, password, Role(role), programme_code)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(f"created {email} ({role})")
