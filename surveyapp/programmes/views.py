"""Staff screens of programmes: the lists (active, archived), a new programme, its page and archiving.

Programmes sit below accounts, so these views ask the logged-in user (flask_login's current_user, an
accounts.User) through its own methods instead of importing accounts.access: `is_admin` for what only site
administrators do, `can(programme_id, ...)` for the rest (no role named: admins and the programme's admin-role
members). The members section of a programme's page comes from accounts (templates/accounts/members.html and
its `programme_members` template global). The audit request hook records every change (audit/registry.py).
"""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from surveyapp.db import utcnow
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.programmes import service
from surveyapp.programmes.forms import ArchiveForm, CreateForm, NameForm
from surveyapp.programmes.models import Programme
from surveyapp.programmes.pathways import DEFAULT, PATHWAYS

bp = Blueprint("programmes", __name__, url_prefix="/manage/programmes")
MANAGER = "manager"  # accounts.Role.MANAGER's value: the role that may see a programme's page


@bp.get("/")
@login_required
def index():
    return render_template("programmes/index.html", programmes=service.programmes(ids=_member_of()),
                           archived=False)


@bp.get("/archived")
@login_required
def archived():
    """Archived programmes, whose reports stay reachable from here."""
    return render_template("programmes/index.html", programmes=service.programmes(archived=True, ids=_member_of()),
                           archived=True)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    _site_admin()
    form = CreateForm()
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            programme = service.create_programme(form.code.data, form.name.data, **form.values())
            db.session.commit()
        except DomainError as error:
            status = _refused(form, error)
        else:
            flash(_("Programme created. Now add its members."), "success")
            return redirect(url_for(".page", programme_id=programme.id))
    return render_template("programmes/new.html", form=form), status


@bp.get("/<int:programme_id>")
@login_required
def page(programme_id: int):
    return render_page(_programme(programme_id, MANAGER))


@bp.post("/<int:programme_id>")
@login_required
def edit(programme_id: int):
    """Rename the programme (its code stays: reports, the command line and links use it)."""
    programme = _programme(programme_id)
    form = NameForm()
    if form.validate_on_submit():
        try:
            changed = service.rename(programme, form.name.data)
            db.session.commit()
        except DomainError as error:
            return render_page(programme, form, _refused(form, error))
        if changed:
            flash(_("Saved."), "success")
        return redirect(url_for(".page", programme_id=programme.id))
    return render_page(programme, form, 422)


@bp.route("/<int:programme_id>/archive", methods=["GET", "POST"])
@login_required
def archive(programme_id: int):
    """Archive after a confirmation: the programme leaves the lists, its questionnaires, panel and data stay."""
    _site_admin()
    programme = db.session.get(Programme, programme_id) or abort(404)
    form = ArchiveForm()
    if form.validate_on_submit():
        if service.archive(programme, utcnow()):
            db.session.commit()
            flash(_("Programme %(name)s archived.", name=programme.name), "success")
        return redirect(url_for(".archived"))
    status = 422 if form.is_submitted() else 200
    return render_template("programmes/archive.html", programme=programme, form=form), status


@bp.post("/<int:programme_id>/unarchive")
@login_required
def unarchive(programme_id: int):
    _site_admin()
    programme = db.session.get(Programme, programme_id) or abort(404)
    if service.unarchive(programme):
        db.session.commit()
        flash(_("Programme %(name)s is active again.", name=programme.name), "success")
    return redirect(url_for(".page", programme_id=programme.id))


def render_page(programme: Programme, form: NameForm | None = None, status: int = 200, **members):
    """The programme's page; accounts' member views re-render it with their form and message (`members`)."""
    if form is None:
        form = NameForm(formdata=None, obj=programme)
    return render_template("programmes/page.html", programme=programme, form=form, button=FlaskForm(),
                           pathway=PATHWAYS.get(programme.pathway or DEFAULT, PATHWAYS[DEFAULT])[0],
                           **members), status


def _programme(programme_id: int, *roles: str) -> Programme:
    """The programme if the user holds one of `roles` in it (none: admins only), else 404/403."""
    programme = db.session.get(Programme, programme_id) or abort(404)
    if not current_user.can(programme.id, *roles):
        abort(403)
    return programme


def _site_admin() -> None:
    if not current_user.is_admin:
        abort(403)


def _member_of() -> list[int] | None:
    """The programmes listed to this user: all for site administrators, else those they have a role in."""
    return None if current_user.is_admin else [m.programme_id for m in current_user.memberships]


def _refused(form, error: DomainError) -> int:
    """Undo the half-done change and put the message on the form."""
    db.session.rollback()
    form.form_errors.append(str(error.message))
    return error.status_code
