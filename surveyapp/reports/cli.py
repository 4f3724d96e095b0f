"""`flask report QUESTIONNAIRE_OR_PROGRAMME --out FILE.pdf`: the evaluation report without the web."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from surveyapp.datasets.frames import Filters, resolve_scope
from surveyapp.errors import DomainError
from surveyapp.i18n import INTERFACE_LANGUAGES
from surveyapp.pdftext import FontMissingError
from surveyapp.reports.service import ReportOptions, report_pdf

DATE = click.DateTime(formats=["%Y-%m-%d"])


@click.command("report")
@click.argument("target", metavar="QUESTIONNAIRE_OR_PROGRAMME")
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="PDF file to write."
)
@click.option("--wave", help="Only this wave (name or id).")
@click.option(
    "--lang", type=click.Choice(INTERFACE_LANGUAGES), default="en", show_default=True, help="Report language."
)
@click.option("--from", "date_from", type=DATE, help="Submitted on or after this date (YYYY-MM-DD).")
@click.option("--to", "date_to", type=DATE, help="Submitted on or before this date (YYYY-MM-DD).")
@click.option("--open-answers/--no-open-answers", default=False, help="List open-text answers.")
@click.option("--pool-waves", is_flag=True, help="Add a part with all waves pooled (after the per-wave parts).")
@with_appcontext
def report_command(target, out, wave, lang, date_from, date_to, open_answers, pool_waves):
    """Write the evaluation report of a questionnaire (slug) or a programme (code) as PDF."""
    config = current_app.config
    filters = Filters(
        wave=wave,
        date_from=date_from and date_from.date(),
        date_to=date_to and date_to.date(),
        timezone=config["BABEL_DEFAULT_TIMEZONE"],
    )
    options = ReportOptions(lang=lang, filters=filters, include_open_answers=open_answers, pool_waves=pool_waves,
                            min_n=config["SUPPRESSION_MIN_N"])
    try:
        with force_locale(lang):  # no request here to pick a locale from
            scope = resolve_scope(target)
        pdf = report_pdf(scope, options)
    except (DomainError, FontMissingError) as error:
        raise click.ClickException(str(error)) from error
    out.write_bytes(pdf)
    click.echo(f"wrote {out} ({len(pdf):,} bytes)")
