"""`flask users create`, as an administrator would type it."""
import pytest
from sqlalchemy import func, select

from surveyapp.accounts.models import Role, User


def test_create_manager_with_password_option(runner, make, db):
    programme = make.programme(code="closeto")
    result = runner.invoke(args=["users", "create", "Anna@Example.org", "--role", "manager",
                                 "--programme", "closeto", "--password", "long enough pw"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "anna@example.org"))
    assert user.check_password("long enough pw")
    assert user.role_in(programme.id) is Role.MANAGER and not user.is_admin


def test_create_admin_asks_for_password(runner, db):
    result = runner.invoke(args=["users", "create", "root@example.org", "--role", "admin"],
                           input="a secret phrase\na secret phrase\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.email == "root@example.org")).is_admin


def test_duplicate_email_is_an_error(runner, make, db):
    make.user(Role.ADMIN, email="dup@example.org")
    result = runner.invoke(args=["users", "create", "DUP@example.org", "--role", "admin",
                                 "--password", "long enough pw"])
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_short_password_and_unknown_programme_are_errors(runner, db):
    short = runner.invoke(args=["users", "create", "a@example.org", "--role", "admin", "--password", "short"])
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    orphan = runner.invoke(args=["users", "create", "b@example.org", "--role", "evaluator",
                                 "--programme", "nope", "--password", "long enough pw"])
    assert orphan.exit_code == 1 and "existing programme code" in orphan.output
    assert db.session.scalar(select(User).where(User.email == "b@example.org")) is None


@pytest.mark.parametrize("email", ["", "   ", "notanemail", "bad\nline@example.org", "two@@example.org",
                                   "a@b", "x@example.org\r\nBcc: y@example.org"],
                         ids=["empty", "blank", "no-at", "newline", "double-at", "no-dot", "header"])
def test_create_refuses_an_invalid_email_and_creates_nothing(runner, db, email):
    result = runner.invoke(args=["users", "create", email, "--role", "admin", "--password", "long enough pw"])
    assert result.exit_code == 1 and "Not a valid e-mail address" in result.output
    assert "Traceback" not in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_normalises_the_address_as_the_login_looks_it_up(runner, db, client, auth):
    result = runner.invoke(args=["users", "create", "  Root@EXAMPLE.org ", "--role", "admin",
                                 "--password", "long enough pw"])
    assert result.exit_code == 0, result.output
    assert db.session.scalars(select(User.email)).all() == ["root@example.org"]
    assert auth.login("ROOT@example.org", "long enough pw").status_code == 302
