from datetime import date

from flask import Blueprint, Response, request

from surveyapp.accounts.access import READ, require, staff_required
from surveyapp.exports import formats
from surveyapp.exports.dataset import response_frame
from surveyapp.questionnaires.views import get_questionnaire

bp = Blueprint("exports", __name__, url_prefix="/manage")


@bp.get("/questionnaires/<int:questionnaire_id>/export.csv")
@staff_required
def csv(questionnaire_id: int):
    questionnaire = get_questionnaire(questionnaire_id)
    require(questionnaire.programme_id, READ)
    labels = request.args.get("labels")
    frame = response_frame(questionnaire, labels if labels in questionnaire.languages else None)
    name = formats.safe_filename(f"{questionnaire.slug}-{date.today().isoformat()}", "csv")
    return Response(formats.to_csv(frame), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
