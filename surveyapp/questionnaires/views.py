"""Staff builder: list, create and edit questionnaires (thin HTTP layer over service.py)."""
from flask import Blueprint, abort, render_template
from sqlalchemy import select

from surveyapp.accounts.access import staff_required, visible_programme_ids
from surveyapp.extensions import db
from surveyapp.questionnaires.models import Questionnaire

bp = Blueprint("questionnaires", __name__, url_prefix="/manage")


def get_questionnaire(questionnaire_id: int) -> Questionnaire:
    questionnaire = db.session.get(Questionnaire, questionnaire_id)
    if questionnaire is None:
        abort(404)
    return questionnaire


@bp.get("/")
@staff_required
def index():
    query = select(Questionnaire).order_by(Questionnaire.id)
    visible = visible_programme_ids()
    if visible is not None:
        query = query.where(Questionnaire.programme_id.in_(visible))
    return render_template("questionnaires/index.html", questionnaires=db.session.scalars(query).all())
