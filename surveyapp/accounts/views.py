from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from surveyapp.accounts import service
from surveyapp.accounts.access import SEEN_KEY, start_session
from surveyapp.accounts.forms import LoginForm, PasswordForm
from surveyapp.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = service.authenticate(form.email.data, form.password.data)
        if user:
            start_session(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("Unknown e-mail or wrong password."))
    status = 422 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    """End every session of this user, not only this cookie: a copy taken earlier stops working too."""
    if current_user.is_authenticated:
        service.end_sessions(current_user)
        db.session.commit()
    logout_user()
    session.pop(SEEN_KEY, None)
    flash(_("You have been logged out."))
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            service.change_password(user, form.current.data, form.new.data)
        except service.PasswordError as error:
            db.session.rollback()
            form[error.field].errors.append(str(error.message))
        else:
            db.session.commit()
            start_session(user)  # this session goes on under the new generation; all others end
            flash(_("Your password has been changed. You have been logged out everywhere else."))
            return redirect(url_for("questionnaires.index"))
    status = 422 if form.errors else 200
    return render_template("accounts/password.html", form=form, min_length=service.MIN_PASSWORD_LENGTH), status


def _safe_next(target: str | None) -> str:
    """Only follow local paths, so the login page cannot be used as an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("questionnaires.index")
