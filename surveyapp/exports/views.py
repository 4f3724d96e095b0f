"""Data downloads for evaluators and managers: CSV (streamed), XLSX with codebook, SPSS, panel CSV."""

from datetime import date

from flask import Blueprint, Response, abort, request, send_file

from surveyapp.accounts.access import READ, require, staff_required
from surveyapp.datasets.frames import (
    Scope,
    item_columns,
    programme_scope,
    questionnaire_scope,
    response_frame,
)
from surveyapp.exports import formats
from surveyapp.exports.dataset import LONG_COLUMNS, everyone, export_columns, iter_long, iter_wide, panel_frame
from surveyapp.exports.spss import sav_file
from surveyapp.exports.xlsx import xlsx_file
from surveyapp.extensions import db
from surveyapp.filenames import safe_filename
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires.views import get_questionnaire
from surveyapp.web import stream_in_app_context

bp = Blueprint("exports", __name__, url_prefix="/manage")


def _scope(questionnaire_id: int) -> Scope:
    questionnaire = get_questionnaire(questionnaire_id)
    require(questionnaire.programme_id, READ)
    return questionnaire_scope(questionnaire)


def _name(scope: Scope, extension: str, suffix: str = "") -> str:
    return safe_filename(f"{scope.slug}{suffix}-{date.today().isoformat()}", extension)


def _labels_language(scope: Scope, *names: str) -> str | None:
    """The labels' language asked for by the first of `names` in the query that names an offered language.

    CSV and SPSS both take `labels=<language>`; SPSS also takes `lang=`, which its older links used.
    """
    offered = scope.questionnaires[0].languages
    return next((request.args[name] for name in names if request.args.get(name) in offered), None)


def _attachment(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@bp.get("/questionnaires/<int:questionnaire_id>/export.csv")
@staff_required
def csv(questionnaire_id: int):
    """Streamed in chunks, so a large export neither holds a worker's memory nor waits to start."""
    scope = _scope(questionnaire_id)
    if request.args.get("format") == "long":
        chunks = formats.csv_chunks(iter_long(scope), LONG_COLUMNS)
        name = _name(scope, "csv", "-long")
    else:
        labels = _labels_language(scope, "labels")
        chunks = formats.csv_chunks(iter_wide(scope, labels_lang=labels), export_columns(scope))
        name = _name(scope, "csv")
    return Response(stream_in_app_context(chunks), content_type="text/csv; charset=utf-8", headers=_attachment(name))


@bp.get("/questionnaires/<int:questionnaire_id>/export.xlsx")
@staff_required
def xlsx(questionnaire_id: int):
    scope = _scope(questionnaire_id)
    handle = xlsx_file(scope, iter_wide(scope), export_columns(scope))
    return send_file(
        handle,
        as_attachment=True,
        download_name=_name(scope, "xlsx"),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@bp.get("/questionnaires/<int:questionnaire_id>/export.sav")
@staff_required
def sav(questionnaire_id: int):
    scope = _scope(questionnaire_id)
    lang = _labels_language(scope, "labels", "lang") or scope.default_lang
    handle = sav_file(scope, response_frame(scope, everyone(), keep_declined=True), lang)
    return send_file(
        handle,
        as_attachment=True,
        download_name=_name(scope, "sav", f"-{lang}"),
        mimetype="application/x-spss-sav",
    )


@bp.get("/programmes/<int:programme_id>/panel.csv")
@staff_required
def panel(programme_id: int):
    """One row per panel code, every wave's answers side by side."""
    programme = db.session.get(Programme, programme_id) or abort(404)
    require(programme.id, READ)
    scope = programme_scope(programme)
    frame = response_frame(scope, everyone(), keep_declined=True)
    waves = list(frame.dropna(subset=["wave"]).sort_values("wave_position")["wave"].unique())
    values = [column for item in scope.items for column in item_columns(scope, item)]
    table = panel_frame(frame, waves, values)
    return Response(
        formats.to_csv(table),
        content_type="text/csv; charset=utf-8",
        headers=_attachment(_name(scope, "csv", "-panel")),
    )
