"""Staff pages of live polls: sessions, the poll builder, open/close/reveal, the presenter, moderation, export.

Participants' pages are in join_views.py; the live stream and the results JSON (stream_views.py) go on the same
blueprint.
"""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.routing import BuildError

from surveyapp.accounts.access import MANAGE, READ, require, staff_required, visible_programme_ids
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.filenames import safe_filename
from surveyapp.forms import require_csrf_token
from surveyapp.polls import export, live, service
from surveyapp.polls.blueprint import bp, can_manage, poll, poll_session
from surveyapp.polls.forms import KIND_LABELS, ModerationForm, PollForm, SessionForm
from surveyapp.polls.join_views import join_link
from surveyapp.polls.models import PollSession, State
from surveyapp.questionnaires.blueprint import managed_programmes
from surveyapp.questionnaires.sharing import qr_svg
from surveyapp.web import http_error

__all__ = ["bp"]


@bp.route("/manage/polls", methods=["GET", "POST"])
@staff_required
def index():
    programmes = managed_programmes()
    if request.method == "POST" and not programmes:
        abort(403)
    form = SessionForm(programmes)
    if form.validate_on_submit():
        require(form.programme.data, MANAGE)
        session = service.create_session(form.programme.data, form.title.data, form.lang.data, current_user.id)
        db.session.commit()
        return redirect(url_for("polls.session", poll_session_id=session.id))
    query = select(PollSession).order_by(PollSession.closed_at.is_not(None), PollSession.id.desc())
    visible = visible_programme_ids()
    if visible is not None:
        query = query.where(PollSession.programme_id.in_(visible))
    return render_template("polls/index.html", sessions=db.session.scalars(query).all(), form=form,
                           can_create=bool(programmes)), 422 if form.errors else 200


@bp.get("/manage/poll-sessions/<int:poll_session_id>")
@staff_required
def session(poll_session_id: int):
    return _session_page(poll_session(poll_session_id), PollForm())


def _session_page(session: PollSession, form: PollForm, status: int = 200):
    return render_template("polls/session.html", session=session, form=form, link=join_link(session),
                           can_manage=can_manage(session.programme_id), kinds=KIND_LABELS,
                           counts={p.id: service.vote_count(p) for p in session.polls}), status


@bp.post("/manage/poll-sessions/<int:poll_session_id>/polls")
@staff_required
def add_poll(poll_session_id: int):
    session = poll_session(poll_session_id, MANAGE)
    form = PollForm()
    if not form.validate_on_submit():
        return _session_page(session, form, 422)
    try:
        service.add_poll(session, form.kind.data, form.question.data, (form.options.data or "").splitlines(),
                         form.max_choices.data, form.scale.data)
    except DomainError as error:
        db.session.rollback()
        form.form_errors.append(str(error.message))
        return _session_page(session, form, error.status_code if error.status_code != 400 else 422)
    db.session.commit()
    flash(_("Poll added as a draft."), "success")
    return redirect(url_for("polls.session", poll_session_id=session.id))


@bp.post("/manage/poll-sessions/<int:poll_session_id>/close")
@staff_required
def close_session(poll_session_id: int):
    session = poll_session(poll_session_id, MANAGE)
    require_csrf_token()
    if session.closed_at is not None:
        raise http_error(service.Conflict(_("This session is closed.")))
    changed = service.close_session(session)
    db.session.commit()
    for each in changed:
        live.announce(each.id)
    flash(_("Session closed: its code no longer works."), "success")
    return redirect(url_for("polls.session", poll_session_id=session.id))


@bp.post("/manage/polls/<int:poll_id>/state")
@staff_required
def state(poll_id: int):
    row = poll(poll_id, MANAGE)
    require_csrf_token()
    try:
        service.change_state(row, request.form.get("action", ""))
    except DomainError as error:
        db.session.rollback()
        raise http_error(error) from None
    db.session.commit()
    live.announce(row.id)
    if request.form.get("next") == "present":
        return redirect(url_for("polls.present", poll_id=row.id))
    return redirect(url_for("polls.session", poll_session_id=row.session_id))


@bp.get("/manage/polls/<int:poll_id>/present")
@staff_required
def present(poll_id: int):
    row = poll(poll_id)
    link = join_link(row.session)
    return render_template("polls/present.html", poll=row, session=row.session, link=link,
                           qr=qr_svg(link, _("QR code of the link %(link)s", link=link)),
                           results=service.results(row, for_presenter=True), can_manage=can_manage(row.programme_id),
                           stream_url=_optional_url("polls.stream", poll_id=row.id),
                           results_url=_optional_url("polls.results_json", poll_id=row.id), State=State)


def _optional_url(endpoint: str, **values) -> str:
    """The live stream's addresses, empty while stream_views is not there (the page then refreshes itself)."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return ""


@bp.route("/manage/polls/<int:poll_id>/words", methods=["GET", "POST"])
@staff_required
def words(poll_id: int):
    row = poll(poll_id, MANAGE if request.method == "POST" else READ)
    form = ModerationForm()
    if form.validate_on_submit():
        try:
            service.set_word_hidden(row, form.word.data, form.hidden.data)
        except DomainError as error:
            db.session.rollback()
            raise http_error(error) from None
        db.session.commit()
        live.announce(row.id)
        return redirect(url_for("polls.words", poll_id=row.id))
    if request.method == "POST":
        abort(400)
    return render_template("polls/words.html", poll=row, queue=service.word_queue(row),
                           can_manage=can_manage(row.programme_id))


@bp.get("/manage/poll-sessions/<int:poll_session_id>/results.csv")
@staff_required
def export_csv(poll_session_id: int):
    session = poll_session(poll_session_id)
    return _download(export.csv_bytes(service.export_rows(session)), "text/csv", session, "csv")


@bp.get("/manage/poll-sessions/<int:poll_session_id>/results.xlsx")
@staff_required
def export_xlsx(poll_session_id: int):
    session = poll_session(poll_session_id)
    return _download(export.xlsx_bytes(service.export_rows(session)),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", session, "xlsx")


def _download(body: bytes, mimetype: str, session: PollSession, extension: str) -> Response:
    name = safe_filename(f"poll-results-{session.code}", extension)
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})



from surveyapp.polls import stream_views  # noqa: E402,F401 - the live stream and results.json, on this blueprint
