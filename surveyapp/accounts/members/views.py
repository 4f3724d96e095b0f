"""The members section of a programme's page: add, re-role and remove members (site and programme admins).

The page itself is programmes' (programmes.views.render_page); this package adds its section through the
`programme_members` template global, since programmes may not import accounts. The audit request hook records
each change (audit/registry.py).
"""
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from surveyapp.accounts.access import require, staff_required
from surveyapp.accounts.members import service
from surveyapp.accounts.members.forms import ROLE_LABELS, AddMemberForm, RoleForm
from surveyapp.accounts.models import Membership
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme
from surveyapp.programmes.views import render_page

bp = Blueprint("members", __name__, url_prefix="/manage/programmes/<int:programme_id>/members")
ADMINS = ()  # require() with no role: site administrators and the programme's admin-role members


@dataclass
class MembersSection:
    members: list[Membership]
    can_change: bool
    add_form: AddMemberForm
    labels: dict

    @staticmethod
    def role_form(membership: Membership) -> RoleForm:
        return RoleForm(formdata=None, data={"role": membership.role.value})


@bp.app_template_global()
def programme_members(programme: Programme, add_form: AddMemberForm | None = None) -> MembersSection:
    """What the programme's page shows of its members (the page has checked that the user may see it)."""
    return MembersSection(service.members_of(programme), current_user.can(programme.id, *ADMINS),
                          add_form or AddMemberForm(formdata=None), ROLE_LABELS)


@bp.post("")
@staff_required
def add(programme_id: int):
    programme = _programme(programme_id)
    form = AddMemberForm()
    if not form.validate_on_submit():
        return render_page(programme, status=422, member_form=form)
    try:
        membership = service.add_member(programme, form.email.data, form.chosen())
        db.session.commit()
    except DomainError as error:
        return _refused(programme, error, form)
    flash(_("%(email)s added as %(role)s.", email=membership.user.email, role=ROLE_LABELS[membership.role]),
          "success")
    return _back(programme)


@bp.post("/<int:membership_id>/role")
@staff_required
def role(programme_id: int, membership_id: int):
    programme, membership = _membership(programme_id, membership_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return render_page(programme, status=422, members_error=_("Please choose a role."))
    try:
        if service.set_role(membership, form.chosen(), actor=current_user):
            db.session.commit()
            flash(_("The role of %(email)s is now %(role)s.", email=membership.user.email,
                    role=ROLE_LABELS[membership.role]), "success")
    except DomainError as error:
        return _refused(programme, error)
    return _back(programme)


@bp.post("/<int:membership_id>/remove")
@staff_required
def remove(programme_id: int, membership_id: int):
    programme, membership = _membership(programme_id, membership_id)
    email = membership.user.email
    try:
        service.remove_member(membership, actor=current_user)
        db.session.commit()
    except DomainError as error:
        return _refused(programme, error)
    flash(_("%(email)s is no longer a member of this programme.", email=email), "success")
    return _back(programme)


def _programme(programme_id: int) -> Programme:
    programme = db.session.get(Programme, programme_id) or abort(404)
    require(programme.id, ADMINS)
    return programme


def _membership(programme_id: int, membership_id: int) -> tuple[Programme, Membership]:
    programme = _programme(programme_id)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.programme_id != programme.id:
        abort(404)
    return programme, membership


def _refused(programme: Programme, error: DomainError, form: AddMemberForm | None = None):
    """Undo the half-done change; the page again with the message (on the add form when it came from there)."""
    db.session.rollback()
    if form is None:
        return render_page(programme, status=error.status_code, members_error=str(error.message))
    form.form_errors.append(str(error.message))
    return render_page(programme, status=error.status_code, member_form=form)


def _back(programme: Programme):
    return redirect(url_for("programmes.page", programme_id=programme.id, _anchor="members"))
