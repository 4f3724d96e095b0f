"""The sharing page: the full public link with a copy button, its QR code (SVG, PNG) and an A4 poster (PDF).

The link follows the rule of every public link (enrolment, invitations, letters; web.public_url): it starts with
SURVEYAPP_PUBLIC_BASE_URL when that is set; when it is not (the default) it is built for this request's host and scheme
(behind a proxy the SURVEYAPP_PROXY_FIX_X_PROTO / _X_HOST settings make them the public ones). Registered on the
builder blueprint by views.py.
"""
from flask import Response, render_template, url_for
from flask_babel import gettext as _

from surveyapp.accounts.access import staff_required
from surveyapp.db import utcnow
from surveyapp.filenames import safe_filename
from surveyapp.questionnaires import sharing
from surveyapp.questionnaires.blueprint import bp, managed_questionnaire
from surveyapp.questionnaires.lifecycle import Reach, reachable
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.web import public_url


def public_link(questionnaire: Questionnaire) -> str:
    """The address respondents get: what the share page shows and the QR code and poster carry."""
    return public_url(url_for("respond.show", slug=questionnaire.slug))


@bp.get("/questionnaires/<int:questionnaire_id>/share")
@staff_required
def share(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    link = public_link(questionnaire)
    return render_template(
        "questionnaires/share.html", questionnaire=questionnaire, link=link,
        title=questionnaire.text("title", questionnaire.default_lang),
        qr=sharing.qr_svg(link, _("QR code of the link %(link)s", link=link)),
        reach=reachable(questionnaire, utcnow()), Reach=Reach)


@bp.get("/questionnaires/<int:questionnaire_id>/share/qr.png")
@staff_required
def share_png(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    return _download(sharing.qr_png(public_link(questionnaire)), "image/png",
                     safe_filename(f"qr-{questionnaire.slug}", "png"))


@bp.get("/questionnaires/<int:questionnaire_id>/share/poster.pdf")
@staff_required
def share_poster(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    pdf = sharing.poster_pdf(public_link(questionnaire), sharing.poster_lines(questionnaire))
    return _download(pdf, "application/pdf", safe_filename(f"poster-{questionnaire.slug}", "pdf"))


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
