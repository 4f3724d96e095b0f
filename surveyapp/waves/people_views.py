"""Staff pages per participant: status in every wave (codes only), send history, re-send, fix an address.

Evaluators read statuses and histories; only the programme's managers see the address and change anything.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from surveyapp.accounts.access import MANAGE, READ, require, staff_required
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.participants.models import Participant
from surveyapp.participants.service import programme_sessions
from surveyapp.programmes.models import Programme
from surveyapp.waves import people
from surveyapp.waves.models import Invitation
from surveyapp.waves.people_forms import AddressForm, PeopleFilterForm
from surveyapp.waves.service import programme_waves

bp = Blueprint("people", __name__, url_prefix="/manage")


def _get(model, object_id: int, programme_of, roles):
    row = db.session.get(model, object_id)
    if row is None:
        abort(404)
    require(programme_of(row), roles)
    return row


@bp.get("/programmes/<int:programme_id>/participants")
@staff_required
def index(programme_id: int):
    programme = _get(Programme, programme_id, lambda p: p.id, READ)
    waves = programme_waves(programme.id)
    form = PeopleFilterForm(request.args, waves, programme_sessions(programme.id))
    valid = form.validate()
    listing = people.listing(programme.id, form.filters() if valid else people.Filters())
    return render_template(
        "waves/people/index.html",
        programme=programme,
        waves=waves,
        form=form,
        listing=listing,
        labels=people.STATUS_LABELS,
    ), 200 if valid else 422


@bp.get("/participants/<int:participant_id>/history")
@staff_required
def detail(participant_id: int):
    participant = _get(Participant, participant_id, lambda p: p.programme_id, READ)
    return _detail_page(participant, AddressForm())


def _detail_page(participant: Participant, form, status: int = 200):
    entries = people.history(participant)
    return render_template(
        "waves/people/detail.html",
        participant=participant,
        history=entries,
        labels=people.STATUS_LABELS,
        resendable=people.resendable(entries),
        can_manage=current_user.can(participant.programme_id, *MANAGE),  # the address: managers only
        form=form,
    ), status


@bp.post("/invitations/<int:invitation_id>/resend")
@staff_required
def resend(invitation_id: int):
    invitation = _get(Invitation, invitation_id, lambda i: i.wave.programme_id, MANAGE)
    if not FlaskForm().validate_on_submit():  # the CSRF token only
        abort(400)
    try:
        people.resend(invitation)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return _detail_page(invitation.participant, AddressForm(formdata=None), error.status_code)
    db.session.commit()
    flash(_("The message will be sent again within a few minutes, once."), "success")
    return redirect(url_for("people.detail", participant_id=invitation.participant_id))


@bp.post("/participants/<int:participant_id>/address")
@staff_required
def fix_address(participant_id: int):
    participant = _get(Participant, participant_id, lambda p: p.programme_id, MANAGE)
    form = AddressForm()
    if not form.validate_on_submit():
        return _detail_page(participant, form, 422)
    try:
        count = people.fix_address(participant, form.email.data)
    except DomainError as error:
        db.session.rollback()
        form.email.errors.append(str(error.message))
        return _detail_page(participant, form, error.status_code)
    db.session.commit()
    flash(
        ngettext(
            "Address saved; %(num)d message will be sent to it within a few minutes.",
            "Address saved; %(num)d messages will be sent to it within a few minutes.",
            count,
        )
        if count
        else _("Address saved. No wave is open for this participant now: nothing is sent yet."),
        "success",
    )
    return redirect(url_for("people.detail", participant_id=participant.id))
