"""Staff pages: managers build checklists and record visits; managers and evaluators see results, PDF and CSV."""

from datetime import UTC, datetime, time

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from surveyapp.accounts.access import MANAGE, READ, require, staff_required
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.filenames import safe_filename
from surveyapp.mystery import service
from surveyapp.mystery.export import visits_csv
from surveyapp.mystery.figures import Figures
from surveyapp.mystery.forms import CHANNEL_LABELS, VALUE_LABELS, ChecklistForm, VisitForm
from surveyapp.mystery.models import Checklist
from surveyapp.mystery.report import checklist_pdf
from surveyapp.mystery.results import build_results
from surveyapp.programmes.models import Programme

bp = Blueprint("mystery", __name__, url_prefix="/manage")


def _checklist(checklist_id: int, roles=READ) -> Checklist:
    checklist = db.session.get(Checklist, checklist_id) or abort(404)
    require(checklist.programme_id, roles)
    return checklist


@bp.route("/programmes/<int:programme_id>/mystery", methods=["GET", "POST"])
@staff_required
def index(programme_id: int):
    """The programme's checklists, and a new one (managers)."""
    programme = db.session.get(Programme, programme_id) or abort(404)
    require(programme.id, MANAGE if request.method == "POST" else READ)
    form = ChecklistForm(lang=str(get_locale()))
    if form.validate_on_submit():
        saved = _save(lambda: service.create_checklist(programme.id, form.title.data, form.lang.data,
                                                       form.channels.data, form.items.data))
        if saved is not None:
            return redirect(url_for("mystery.results", checklist_id=saved.id))
    page = render_template("mystery/index.html", programme=programme, form=form,
                           checklists=service.programme_checklists(programme.id),
                           can_manage=current_user.can(programme.id, *MANAGE))
    return page, 422 if form.is_submitted() else 200


@bp.route("/mystery/<int:checklist_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(checklist_id: int):
    checklist = _checklist(checklist_id, MANAGE)
    # keywords, not obj=checklist: WTForms prefers obj's attribute, and checklist.items is the item rows
    form = ChecklistForm(data={"title": checklist.title, "lang": checklist.lang, "channels": checklist.channel_list,
                               "items": service.items_as_text(checklist)})
    if form.validate_on_submit():
        saved = _save(lambda: service.update_checklist(checklist, form.title.data, form.channels.data,
                                                       form.items.data) or checklist)
        if saved is not None:
            return redirect(url_for("mystery.results", checklist_id=checklist.id))
    page = render_template("mystery/edit.html", checklist=checklist, form=form)
    return page, 422 if form.is_submitted() else 200


def _save(write):
    """Run one write in one transaction: its row after the commit, or None with its message flashed."""
    try:
        row = write()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return None
    db.session.commit()
    flash(_("Saved."), "success")
    return row


@bp.route("/mystery/<int:checklist_id>/visit", methods=["GET", "POST"])
@staff_required
def visit(checklist_id: int):
    """Record one visit: every item's value and evidence note, all stored or none."""
    checklist = _checklist(checklist_id, MANAGE)
    form = VisitForm(checklist.channel_list)
    if form.validate_on_submit():
        saved = _save(lambda: service.record_visit(checklist, current_user.id, _visit_input(form)))
        if saved is not None:
            return redirect(url_for("mystery.results", checklist_id=checklist.id))
    page = render_template("mystery/visit.html", checklist=checklist, form=form, posted=request.form,
                           value_labels=VALUE_LABELS)
    return page, 422 if form.is_submitted() else 200


def _visit_input(form: VisitForm) -> service.VisitInput:
    def posted(prefix: str) -> dict[int, str]:
        return {item_id: value for item_id, value in ((_item_id(name, prefix), value)
                                                      for name, value in request.form.items()) if item_id}

    return service.VisitInput(
        channel=form.channel.data, scenario=form.scenario.data,
        visited_at=datetime.combine(form.visited_on.data, time(12), UTC), notes=form.notes.data or "",
        values=posted("value-"), evidence=posted("evidence-"))


def _item_id(name: str, prefix: str) -> int | None:
    rest = name.removeprefix(prefix)
    return int(rest) if rest != name and rest.isdigit() and len(rest) < 12 else None


@bp.get("/mystery/<int:checklist_id>")
@staff_required
def results(checklist_id: int):
    checklist = _checklist(checklist_id)
    return render_template("mystery/results.html", checklist=checklist, results=build_results(checklist),
                           figures=Figures(str(get_locale())),
                           channel_labels=CHANNEL_LABELS, can_manage=current_user.can(checklist.programme_id,
                                                                                      *MANAGE))


def _download(checklist: Checklist, body: bytes, mimetype: str, suffix: str, extension: str) -> Response:
    name = safe_filename(f"mystery-{checklist.id}-{suffix}-{datetime.now(UTC).date().isoformat()}", extension)
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/mystery/<int:checklist_id>/report.pdf")
@staff_required
def report_pdf(checklist_id: int):
    checklist = _checklist(checklist_id)
    return _download(checklist, checklist_pdf(build_results(checklist)), "application/pdf", "report", "pdf")


@bp.get("/mystery/<int:checklist_id>/visits.csv")
@staff_required
def export_csv(checklist_id: int):
    checklist = _checklist(checklist_id)
    return _download(checklist, visits_csv(build_results(checklist)), "text/csv", "visits", "csv")
