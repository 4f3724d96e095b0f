"""Indicator screens for managers and evaluators: define indicators and see them against their targets."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from surveyapp.accounts.access import MANAGE, READ, require, staff_required
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.indicators import service
from surveyapp.indicators.forms import DeleteForm, IndicatorForm
from surveyapp.indicators.models import Indicator
from surveyapp.programmes.models import Programme

bp = Blueprint("indicators", __name__, url_prefix="/manage")


def _programme(programme_id: int, roles=READ) -> Programme:
    programme = db.session.get(Programme, programme_id) or abort(404)
    require(programme.id, roles)
    return programme


def _indicator(indicator_id: int) -> Indicator:
    indicator = db.session.get(Indicator, indicator_id) or abort(404)
    require(indicator.programme_id, MANAGE)
    return indicator


@bp.get("/programmes/<int:programme_id>/indicators")
@staff_required
def screen(programme_id: int):
    """Each indicator as a table of groups × periods against its target."""
    programme = _programme(programme_id)
    lang, min_n = str(get_locale()), current_app.config["SUPPRESSION_MIN_N"]
    return render_template(
        "indicators/screen.html", programme=programme, indicators=service.programme_indicators(programme.id),
        results=service.programme_results(programme, lang, min_n),
        hidden_label=_("n < %(min_n)s") % {"min_n": min_n}, delete_form=DeleteForm(),
        can_manage=current_user.can(programme.id, *MANAGE))


@bp.route("/programmes/<int:programme_id>/indicators/new", methods=["GET", "POST"])
@staff_required
def create(programme_id: int):
    programme = _programme(programme_id, MANAGE)
    return _form_page(programme, IndicatorForm())


@bp.route("/indicators/<int:indicator_id>", methods=["GET", "POST"])
@staff_required
def edit(indicator_id: int):
    indicator = _indicator(indicator_id)
    form = IndicatorForm()
    if not form.is_submitted():
        form.show(indicator)
    return _form_page(indicator.programme, form, indicator)


@bp.post("/indicators/<int:indicator_id>/delete")
@staff_required
def delete(indicator_id: int):
    indicator = _indicator(indicator_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    programme_id = indicator.programme_id
    service.delete_indicator(indicator)
    db.session.commit()
    flash(_("The indicator is deleted."), "success")
    return redirect(url_for("indicators.screen", programme_id=programme_id))


def _form_page(programme: Programme, form: IndicatorForm, indicator: Indicator | None = None):
    """Save a valid form (one transaction) and go to the screen; else show it with its errors (422)."""
    items = service.programme_items(programme.id)
    lang = str(get_locale())
    form.item_code.choices = [SelectChoice(code, f"{code}: {item.text('label', lang) or code}")
                              for code, item in items.items()]
    error = None
    if form.validate_on_submit():
        try:
            service.save_indicator(programme, form.values(), indicator)
        except DomainError as problem:
            db.session.rollback()
            error = problem.message
        else:
            db.session.commit()
            flash(_("The indicator is saved."), "success")
            return redirect(url_for("indicators.screen", programme_id=programme.id))
    status = 422 if form.is_submitted() else 200
    page = render_template("indicators/form.html", programme=programme, form=form, indicator=indicator,
                           error=error)
    return page, status
