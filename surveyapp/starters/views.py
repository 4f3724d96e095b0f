"""Staff pages: the list of templates (beside a blank start) and the form that starts a questionnaire from one."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from surveyapp.accounts.access import MANAGE, staff_required
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires.blueprint import refused
from surveyapp.starters import service
from surveyapp.starters.forms import start_form

bp = Blueprint("starters", __name__, url_prefix="/manage")


def _programmes() -> list[Programme]:
    """The programmes the user may build questionnaires in (none: the pages are not for them)."""
    query = select(Programme).where(Programme.archived_at.is_(None)).order_by(Programme.name)
    programmes = [programme for programme in db.session.scalars(query) if current_user.can(programme.id, *MANAGE)]
    if not programmes:
        abort(403)
    return programmes


@bp.get("/questionnaires/templates")
@staff_required
def index():
    _programmes()
    return render_template("starters/index.html", starters=service.listing())


@bp.route("/questionnaires/templates/new", methods=["GET", "POST"])
@staff_required
def create():
    programmes = _programmes()
    starters = [(key, title) for key, title, _description in service.listing()]
    chosen = request.args.get("starter")
    chosen = chosen if chosen in dict(starters) else None
    form = start_form(starters, [(programme.id, programme.name) for programme in programmes], service.languages(),
                      chosen, service.suggest_slug(chosen) if chosen else None)
    status = 200
    if form.validate_on_submit():
        programme = next(programme for programme in programmes if programme.id == form.programme_id.data)
        try:
            questionnaire = service.create_from(form.starter.data, programme, form.slug.data.strip(),
                                                form.languages.data, form.default_lang.data)
            db.session.commit()
        except DomainError as error:
            status = refused(form, error)
        else:
            flash(_("Questionnaire created from the template. Check its texts, then open it."))
            return redirect(url_for("questionnaires.edit", questionnaire_id=questionnaire.id))
    elif form.is_submitted():
        status = 422
    return render_template("starters/create.html", form=form), status
