"""`flask starters list` and `flask starters create KEY --programme CODE --slug SLUG`."""
import click
from flask.cli import AppGroup
from sqlalchemy import select

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme
from surveyapp.starters import service

starters_cli = AppGroup("starters", help="Questionnaire templates to start from.")


@starters_cli.command("list")
def list_command() -> None:
    """List the templates: key, languages and title."""
    for starter in service.library():
        click.echo(f"{starter.key:<24} {', '.join(starter.languages):<8} {starter.title('en')}")


@starters_cli.command("create")
@click.argument("key")
@click.option("--programme", "programme_code", required=True, help="Code of the programme it belongs to.")
@click.option("--slug", required=True, help="Link name: the public link is /s/ followed by it.")
@click.option("--language", "languages", multiple=True,
              help="A language to copy (repeatable; the first is the default). Default: all of the template's.")
def create_command(key: str, programme_code: str, slug: str, languages: tuple[str, ...]) -> None:
    """Create a draft questionnaire from template KEY."""
    programme = db.session.scalar(select(Programme).where(Programme.code == programme_code))
    if programme is None:
        raise click.ClickException(f"No programme with the code {programme_code}.")
    try:
        chosen = list(languages) or service.find(key).languages
        questionnaire = service.create_from(key, programme, slug, chosen)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    click.echo(f"Draft questionnaire {questionnaire.id} created from {key}: /s/{questionnaire.slug} "
               f"({', '.join(questionnaire.languages)}).")
