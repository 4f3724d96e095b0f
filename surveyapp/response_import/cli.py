"""`flask responses import FILE --questionnaire SLUG [--wave NAME] [--dry-run] [--map COLUMN=CODE ...]`."""
import os

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.response_import import reader, service

responses_cli = AppGroup("responses", help="Responses: import of earlier answers.")
SHOWN_PROBLEMS = 500


@responses_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--questionnaire", "slug", required=True, help="The questionnaire's slug.")
@click.option("--wave", help="Attach the responses to this wave of the programme (created if missing).")
@click.option("--dry-run", is_flag=True, help="Check and report; store nothing.")
@click.option("--map", "mappings", multiple=True, metavar="COLUMN=CODE",
              help="Read COLUMN as the item CODE (COLUMN= ignores it); repeatable.")
def import_command(path: str, slug: str, wave: str | None, dry_run: bool, mappings: tuple[str, ...]) -> None:
    """Import the answers in a CSV, XLSX or SPSS (.sav) file: all rows, or none when any has a problem."""
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == slug))
    if questionnaire is None:
        raise click.ClickException(_("No questionnaire called “%(slug)s”.", slug=slug))
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        name = os.path.basename(path)
        result = service.plan(questionnaire, reader.read(name, data), name, _mapping(mappings), wave)
        _report(result)
        if result.refused:
            raise click.ClickException(_("Nothing was imported."))
        if dry_run:
            click.echo(_("Dry run: nothing was stored."))
            return
        done = service.apply(result)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(ngettext("Imported %(num)d response.", "Imported %(num)d responses.", done.responses))


def _mapping(mappings: tuple[str, ...]) -> dict[str, str]:
    pairs = {}
    for mapping in mappings:
        column, equals, code = mapping.partition("=")
        if not equals:
            raise click.BadParameter(_("Please write COLUMN=CODE (or COLUMN= to ignore the column)."),
                                     param_hint="--map")
        pairs[column.strip()] = code.strip()
    return pairs


def _report(result: service.ImportPlan) -> None:
    click.echo(", ".join([
        ngettext("%(num)d row to import", "%(num)d rows to import", len(result.rows)),
        ngettext("%(num)d already imported", "%(num)d already imported", result.already),
        ngettext("%(num)d new panel code", "%(num)d new panel codes", result.new_participants),
        ngettext("%(num)d problem.", "%(num)d problems.", len(result.problems))]))
    if result.rows and not result.dated:
        click.echo(_("The file has no submitted_at column: the responses are stored as submitted now."))
    if result.unmatched:
        click.echo(_("Columns matching no item: %(columns)s. Map them with --map COLUMN=CODE, or ignore them "
                     "with --map COLUMN=.", columns=", ".join(result.unmatched)), err=True)
    for problem in result.problems[:SHOWN_PROBLEMS]:
        click.echo(str(problem), err=True)
    if len(result.problems) > SHOWN_PROBLEMS:
        click.echo(_("… and %(n)s more problems.", n=len(result.problems) - SHOWN_PROBLEMS), err=True)
