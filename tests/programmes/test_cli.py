"""`flask programmes ...` as an administrator types it: exit codes, messages, audit records, nothing half-written."""
import pytest
from sqlalchemy import func, select

from surveyapp.accounts.models import Membership, Role
from surveyapp.audit.models import AuditEvent
from surveyapp.programmes.models import Programme


def _run(runner, *args):
    return runner.invoke(args=["programmes", *args])


def _programmes(db) -> list[tuple[str, str]]:
    db.session.expire_all()
    return [tuple(row) for row in db.session.execute(select(Programme.code, Programme.name).order_by(Programme.code))]


def _actions(db) -> list[tuple[str, str, str]]:
    query = select(AuditEvent.action, AuditEvent.target, AuditEvent.actor).order_by(AuditEvent.seq)
    return [tuple(row) for row in db.session.execute(query)]


def test_create_with_every_option_and_list(runner, db):
    result = _run(runner, "create", "close-to", "--name", " Close  To ", "--pathway", "phineo",
                  "--retention-months", "24")
    assert result.exit_code == 0, result.output
    assert result.output == "created programme close-to (Close To)\n"
    programme = db.session.scalar(select(Programme))
    assert (programme.pathway, programme.contact_retention_months) == ("phineo", 24)
    assert _actions(db) == [("programme.create", f"programme:{programme.id}", "cli")]
    assert _run(runner, "list").output == "close-to\tClose To\n"


@pytest.mark.parametrize(("args", "message"), [
    (["create", "CLOSE-TO", "--name", "Again"], "exists already"),
    (["create", "no spaces", "--name", "X"], "2 to 40 characters"),
    (["create", "fine", "--name", "   "], "Please enter the programme's name."),
    (["create", "fine", "--name", "X", "--retention-months", "0"], "between 1 and 240"),
], ids=["duplicate", "bad-code", "no-name", "months"])
def test_create_errors_exit_1_and_store_nothing(runner, make, db, args, message):
    make.programme(code="close-to", name="Close To")
    result = _run(runner, *args)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert _programmes(db) == [("close-to", "Close To")] and _actions(db) == []


def test_create_needs_a_name_and_a_known_pathway(runner, db):
    assert _run(runner, "create", "fine").exit_code == 2
    assert _run(runner, "create", "fine", "--name", "X", "--pathway", "nope").exit_code == 2
    assert _programmes(db) == []


def test_archive_and_unarchive(runner, make, db):
    programme = make.programme(code="old", name="Old")
    make.programme(code="new", name="New")
    result = _run(runner, "archive", "OLD")
    assert result.exit_code == 0 and result.output == "archived old\n"
    assert _run(runner, "list").output == "new\tNew\n"
    assert _run(runner, "list", "--archived").output == "old\tOld\n"
    assert _run(runner, "archive", "old").exit_code == 0  # again: nothing to do, nothing recorded
    assert _run(runner, "unarchive", "old").output == "old is active\n"
    assert [action for action, _, _ in _actions(db)] == ["programme.archive", "programme.unarchive"]
    db.session.expire_all()
    assert programme.archived_at is None


def test_unknown_programme_is_an_error(runner, db):
    for args in (["archive", "nope"], ["unarchive", "nope"], ["add-member", "nope", "a@example.org", "--role",
                                                               "manager"], ["remove-member", "nope", "a@example.org"]):
        result = _run(runner, *args)
        assert result.exit_code == 1 and "no programme with the code nope" in result.output


def test_add_and_remove_members(runner, make, db):
    programme = make.programme(code="closeto")
    user = make.user(Role.EVALUATOR, make.programme(code="other"), email="anna@example.org")
    added = _run(runner, "add-member", "closeto", "Anna@Example.org", "--role", "manager")
    assert added.exit_code == 0 and added.output == "anna@example.org is manager of closeto\n"
    assert user.role_in(programme.id) is Role.MANAGER
    again = _run(runner, "add-member", "closeto", "anna@example.org", "--role", "admin")
    assert again.exit_code == 1 and "is a member already" in again.output
    unknown = _run(runner, "add-member", "closeto", "nobody@example.org", "--role", "manager")
    assert unknown.exit_code == 1 and "There is no staff account" in unknown.output
    assert _run(runner, "add-member", "closeto", "anna@example.org", "--role", "root").exit_code == 2
    removed = _run(runner, "remove-member", "closeto", "anna@example.org")
    assert removed.exit_code == 0 and removed.output == "anna@example.org is no longer a member of closeto\n"
    missing = _run(runner, "remove-member", "closeto", "anna@example.org")
    assert missing.exit_code == 1 and "is not a member of closeto" in missing.output
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1  # the other programme's
    assert [action for action, _, _ in _actions(db)] == ["membership.create", "membership.delete"]


def test_the_command_line_may_remove_a_programmes_last_admin(runner, make, db):
    make.programme(code="closeto")
    make.user(Role.EVALUATOR, email="boss@example.org")
    assert _run(runner, "add-member", "closeto", "boss@example.org", "--role", "admin").exit_code == 0
    assert _run(runner, "remove-member", "closeto", "boss@example.org").exit_code == 0
