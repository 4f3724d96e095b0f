"""`flask starters list` and `flask starters create KEY --programme CODE --slug SLUG`.

As the programmes commands do, the command line acts as a site administrator: the questionnaire is committed
with its audit record, or not at all.
"""
import click
from flask.cli import AppGroup

from surveyapp.programmes.cli import change, programme_by_code
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
    programme = programme_by_code(programme_code)
    with change("questionnaire.create_from_template") as targets:
        chosen = list(languages) or service.find(key).languages
        questionnaire = service.create_from(key, programme, slug, chosen)
        targets.append(f"questionnaire:{questionnaire.id}")
    click.echo(f"Draft questionnaire {questionnaire.id} created from {key}: /s/{questionnaire.slug} "
               f"({', '.join(questionnaire.languages)}).")
