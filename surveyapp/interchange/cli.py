"""`flask questionnaires import FILE --programme CODE` and `flask questionnaires export SLUG --out FILE.xlsx`.

As the other commands do, the command line acts as a site administrator: the questionnaire is committed with
its audit record, or not at all. The report (what will be created, every problem as "where: reason") is
printed first; a refusal exits with status 1 and stores nothing, and --dry-run stores nothing either.
"""
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.interchange import service
from surveyapp.interchange.model import Draft
from surveyapp.programmes.cli import change, programme_by_code
from surveyapp.questionnaires.models import Questionnaire

questionnaires_cli = AppGroup("questionnaires", help="Import questionnaires from XLSForm or LimeSurvey, export "
                                                     "them as XLSForm.")


@questionnaires_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--programme", "programme_code", required=True, help="Code of the programme it belongs to.")
@click.option("--slug", help="Link name (default: from the form's id or the file's name).")
@click.option("--dry-run", is_flag=True, help="Report what would be created; store nothing.")
@click.option("--skip-unsupported", is_flag=True, help="Create it without the rows that cannot be imported.")
def import_command(file: Path, programme_code: str, slug: str | None, dry_run: bool,
                   skip_unsupported: bool) -> None:
    """Create a draft questionnaire from FILE (.xlsx XLSForm or .lss LimeSurvey)."""
    programme = programme_by_code(programme_code)
    with force_locale("en"):
        try:
            draft = service.read(file.name, file.read_bytes())
        except DomainError as error:
            raise click.ClickException(str(error)) from error
        slug = slug or service.suggest_slug(draft, file.name)
        _report(draft, slug)
    if dry_run:
        _try(draft, programme, slug, skip_unsupported)
        click.echo("Dry run: nothing was stored.")
        return
    with change("questionnaire.import") as targets:
        questionnaire = service.create(draft, programme, slug, skip_unsupported=skip_unsupported)
        targets.append(f"questionnaire:{questionnaire.id}")
    left_out = f", {_count(len(draft.problems), 'row')} left out" if draft.problems else ""
    click.echo(f"Draft questionnaire {questionnaire.id} created: /s/{questionnaire.slug} "
               f"({', '.join(questionnaire.languages)}, {_count(draft.item_count, 'item')}{left_out}).")


def _count(number: int, noun: str) -> str:
    """"1 item", "2 items": the command line speaks English (its messages are read in logs and scripts)."""
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _try(draft: Draft, programme, slug: str, skip_unsupported: bool) -> None:
    """Build and roll back, so a dry run reports what the builder would refuse too."""
    try:
        with force_locale("en"):
            service.create(draft, programme, slug, skip_unsupported=skip_unsupported)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    finally:
        db.session.rollback()


def _report(draft: Draft, slug: str) -> None:
    languages = ", ".join(draft.data["languages"])
    click.echo(f"{draft.source}: {_count(len(draft.data['pages']), 'page')}, {_count(draft.item_count, 'item')}, "
               f"languages "
               f"{languages}, link name {slug}")
    for number, (title, condition, entries) in enumerate(service.summary(draft), start=1):
        click.echo(f"  page {number}: {title}" + (f"  [shown when {condition}]" if condition else ""))
        for entry in entries:
            click.echo(f"    {entry.code} ({entry.type_label}): {entry.label}"
                       + (f"  [shown when {entry.condition}]" if entry.condition else ""))
    for note in draft.notes:
        click.echo(f"note: {note}")
    for problem in draft.problems:
        click.echo(f"not imported: {problem.where}: {problem.reason}")


@questionnaires_cli.command("export")
@click.argument("slug")
@click.option("--format", "file_format", type=click.Choice(["xlsform"]), default="xlsform", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The file to write.")
def export_command(slug: str, file_format: str, out: Path) -> None:
    """Write questionnaire SLUG as an XLSForm workbook."""
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == slug))
    if questionnaire is None:
        raise click.ClickException(f"no questionnaire with the link name {slug}")
    with change("export.xlsform") as targets:
        data = service.export_xlsform(questionnaire)
        targets.append(f"questionnaire:{questionnaire.id}")
    out.write_bytes(data)
    click.echo(f"{out}: {len(data)} bytes, {_count(len(questionnaire.items), 'item')}, "
               f"{', '.join(questionnaire.languages)}")
