"""Report pages and PDF downloads for a questionnaire or a whole programme (evaluators and managers)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from surveyapp.accounts.access import READ, require, staff_required
from surveyapp.datasets import respondents
from surveyapp.datasets.frames import Scope, programme_scope, questionnaire_scope
from surveyapp.extensions import db
from surveyapp.filenames import safe_filename
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires.views import get_questionnaire
from surveyapp.reports.forms import ReportOptionsForm
from surveyapp.reports.model import NumberFormat
from surveyapp.reports.service import build_report, report_pdf

bp = Blueprint("reports", __name__, url_prefix="/manage")


def _questionnaire(questionnaire_id: int) -> Scope:
    questionnaire = get_questionnaire(questionnaire_id)
    require(questionnaire.programme_id, READ)
    return questionnaire_scope(questionnaire)


def _programme(programme_id: int) -> Scope:
    programme = db.session.get(Programme, programme_id) or abort(404)
    require(programme.id, READ)
    return programme_scope(programme)


def _form(scope: Scope) -> ReportOptionsForm:
    waves = [wave.name for wave in respondents.waves_of(scope.programme.id)]
    return ReportOptionsForm(request.args, waves, str(get_locale()))


def _page(scope: Scope, pdf_endpoint: str, **ids):
    form = _form(scope)
    # The page speaks the staff member's language; the language option is for the PDF.
    report = build_report(scope, replace(form.options(), lang=str(get_locale()))) if form.validate() else None
    return render_template(
        "reports/report.html",
        scope=scope,
        form=form,
        report=report,
        numbers=NumberFormat.babel(str(get_locale())),
        ci_label=_("95 % CI"),
        hidden_label=_("n < %(min_n)s") % {"min_n": current_app.config["SUPPRESSION_MIN_N"]},
        pdf_endpoint=pdf_endpoint,
        ids=ids,
    )


def _pdf(scope: Scope):
    form = _form(scope)
    if not form.validate():
        abort(400)
    options = form.options()
    name = safe_filename(f"{scope.slug}-report-{options.lang}-{date.today().isoformat()}", "pdf")
    return Response(
        report_pdf(scope, options),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/questionnaires/<int:questionnaire_id>/report")
@staff_required
def questionnaire_report(questionnaire_id: int):
    return _page(
        _questionnaire(questionnaire_id), "reports.questionnaire_pdf", questionnaire_id=questionnaire_id
    )


@bp.get("/questionnaires/<int:questionnaire_id>/report.pdf")
@staff_required
def questionnaire_pdf(questionnaire_id: int):
    return _pdf(_questionnaire(questionnaire_id))


@bp.get("/programmes/<int:programme_id>/report")
@staff_required
def programme_report(programme_id: int):
    return _page(_programme(programme_id), "reports.programme_pdf", programme_id=programme_id)


@bp.get("/programmes/<int:programme_id>/report.pdf")
@staff_required
def programme_pdf(programme_id: int):
    return _pdf(_programme(programme_id))
