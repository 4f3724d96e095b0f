"""The programme's outcome-pathway page: managers choose the model whose stages items are tagged with."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from surveyapp.accounts.access import MANAGE, require, staff_required
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme
from surveyapp.programmes.pathways import DEFAULT, PATHWAYS
from surveyapp.questionnaires.blueprint import bp, refused
from surveyapp.questionnaires.forms import PathwayForm
from surveyapp.questionnaires.pathway import set_pathway


@bp.route("/programmes/<int:programme_id>/pathway", methods=["GET", "POST"])
@staff_required
def pathway(programme_id: int):
    programme = db.session.get(Programme, programme_id) or abort(404)
    require(programme.id, MANAGE)
    form = PathwayForm(data={"pathway": programme.pathway or DEFAULT})
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            cleared = set_pathway(programme, form.pathway.data, clear=form.clear.data)
            db.session.commit()
        except DomainError as error:
            status = refused(form, error)
        else:
            flash(_("Saved."), "success")
            if cleared:
                flash(ngettext("%(num)d item lost its stage.", "%(num)d items lost their stage.", cleared))
            return redirect(url_for("questionnaires.pathway", programme_id=programme.id))
    return render_template("questionnaires/pathway.html", programme=programme, form=form,
                           pathways=PATHWAYS), status
