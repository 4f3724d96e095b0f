"""Programme members: added by e-mail of an existing account, re-roled and removed by site and programme admins.

Decision under test: the programme's last admin-role member can be removed or demoted only by a site
administrator (who can always add one back), so a programme admin cannot lock the programme out by mistake.
"""
import pytest
from sqlalchemy import func, select

from surveyapp.accounts.members import service
from surveyapp.accounts.members.service import MemberError
from surveyapp.accounts.models import Membership, Role, User
from surveyapp.audit.models import AuditEvent
from tests.conftest import PASSWORD, csrf_token


def _post(client, url: str, data: dict | None = None, token: str | None = None):
    return client.post(url, data={"csrf_token": token or csrf_token(client, "/manage/programmes/"), **(data or {})})


def _memberships(db) -> list[tuple[str, str]]:
    db.session.expire_all()
    rows = db.session.execute(select(User.email, Membership.role).join(Membership.user).order_by(User.email))
    return [(email, role.value) for email, role in rows]


def _account(db, email: str, memberships: dict[int, Role] | None = None) -> User:
    """A staff account with no role but `memberships` (programme id -> role), e.g. a programme's admin."""
    user = User(email=email, password_hash="!")
    user.set_password(PASSWORD)
    user.memberships = [Membership(programme_id=pid, role=role) for pid, role in (memberships or {}).items()]
    db.session.add(user)
    db.session.commit()
    return user


def _membership(db, user) -> Membership:
    return db.session.scalar(select(Membership).where(Membership.user_id == user.id))


def test_admin_adds_changes_and_removes_a_member(client, auth, make, db):
    programme = make.programme(code="closeto")
    newcomer = _account(db, "newcomer@example.org")
    auth.login(make.user(Role.ADMIN).email)
    base = f"/manage/programmes/{programme.id}/members"
    added = _post(client, base, {"email": " NEWCOMER@example.org ", "role": "evaluator"})
    assert added.status_code == 302 and added.location.endswith(f"/manage/programmes/{programme.id}#members")
    assert _memberships(db) == [("newcomer@example.org", "evaluator")]
    membership_id = _membership(db, newcomer).id
    page = client.get(f"/manage/programmes/{programme.id}").get_data(as_text=True)
    assert "newcomer@example.org" in page and f'id="role-{membership_id}"' in page
    assert _post(client, f"{base}/{membership_id}/role", {"role": "manager"}).status_code == 302
    assert _memberships(db) == [("newcomer@example.org", "manager")]
    assert _post(client, f"{base}/{membership_id}/remove").status_code == 302
    assert _memberships(db) == []
    assert db.session.get(User, newcomer.id) is not None  # the account stays
    events = db.session.execute(select(AuditEvent.action, AuditEvent.target).where(
        AuditEvent.action.like("membership.%")).order_by(AuditEvent.seq)).all()
    assert [action for action, _ in events] == ["membership.create", "membership.role", "membership.delete"]
    assert events[0].target == f"membership:{membership_id}" and events[2].target == f"programme:{programme.id}"


def test_unknown_account_and_second_membership_are_422_with_a_message(client, auth, make, db):
    programme = make.programme()
    member = make.user(Role.MANAGER, programme, email="member@example.org")
    auth.login(make.user(Role.ADMIN).email)
    url = f"/manage/programmes/{programme.id}/members"
    unknown = _post(client, url, {"email": "nobody@example.org", "role": "manager"})
    assert unknown.status_code == 422
    assert "There is no staff account with this e-mail address" in unknown.get_data(as_text=True)
    again = _post(client, url, {"email": member.email, "role": "evaluator"})
    assert again.status_code == 422 and "is a member already" in again.get_data(as_text=True)
    bad_role = _post(client, url, {"email": member.email, "role": "root"})
    assert bad_role.status_code == 422 and "Not a valid choice" in bad_role.get_data(as_text=True)
    assert _post(client, url, {"role": "manager"}).status_code == 422
    assert _memberships(db) == [("member@example.org", "manager")]


def test_a_programme_admin_manages_members_but_not_of_other_programmes(client, auth, make, db):
    programme, other = make.programme(), make.programme()
    boss = _account(db, "boss@example.org", {programme.id: Role.ADMIN})
    _account(db, "helper@example.org")
    stranger = make.user(Role.MANAGER, other)
    auth.login(boss.email)
    page = client.get(f"/manage/programmes/{programme.id}").get_data(as_text=True)
    assert "Add member" in page
    token = csrf_token(client, f"/manage/programmes/{programme.id}")
    assert _post(client, f"/manage/programmes/{programme.id}/members",
                 {"email": "helper@example.org", "role": "manager"}, token).status_code == 302
    foreign = _membership(db, stranger)
    assert _post(client, f"/manage/programmes/{other.id}/members/{foreign.id}/remove", {}, token).status_code == 403
    # another programme's membership under this programme's URL: not found, not removed
    assert _post(client, f"/manage/programmes/{programme.id}/members/{foreign.id}/remove", {},
                 token).status_code == 404
    assert ("helper@example.org", "manager") in _memberships(db) and _membership(db, stranger) is not None


def test_the_last_programme_admin_cannot_remove_or_demote_themselves(client, auth, make, db):
    programme = make.programme()
    boss = _account(db, "boss@example.org", {programme.id: Role.ADMIN})
    membership = _membership(db, boss)
    auth.login(boss.email)
    base = f"/manage/programmes/{programme.id}/members/{membership.id}"
    token = csrf_token(client, f"/manage/programmes/{programme.id}")
    for response in (_post(client, f"{base}/role", {"role": "manager"}, token), _post(client, f"{base}/remove", {},
                                                                                       token)):
        assert response.status_code == 422
        assert "the programme&#39;s last admin" in response.get_data(as_text=True)
    assert _memberships(db) == [("boss@example.org", "admin")]


def test_a_site_admin_may_remove_the_last_programme_admin(db, make):
    programme = make.programme()
    boss = make.user(Role.EVALUATOR, programme)
    membership = _membership(db, boss)
    membership.role = Role.ADMIN
    db.session.commit()
    with pytest.raises(MemberError, match="last admin"):
        service.remove_member(membership, actor=boss)
    service.set_role(membership, Role.MANAGER, actor=make.user(Role.ADMIN))
    service.remove_member(membership, actor=None)  # the command line
    db.session.commit()
    assert _memberships(db) == []


def test_a_second_admin_lets_the_first_go(db, make):
    programme = make.programme()
    first, second = make.user(Role.MANAGER, programme), make.user(Role.MANAGER, programme)
    for user in (first, second):
        _membership(db, user).role = Role.ADMIN
    db.session.commit()
    service.remove_member(_membership(db, first), actor=first)
    db.session.commit()
    with pytest.raises(MemberError):
        service.set_role(_membership(db, second), Role.EVALUATOR, actor=second)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EVALUATOR])
def test_managers_and_evaluators_cannot_change_members(client, auth, make, db, role):
    programme = make.programme()
    user = make.user(role, programme)
    colleague = make.user(Role.MANAGER, programme, email="colleague@example.org")
    auth.login(user.email)
    token = csrf_token(client, "/manage/programmes/")
    base = f"/manage/programmes/{programme.id}/members"
    membership = _membership(db, colleague)
    before = _memberships(db)
    assert _post(client, base, {"email": colleague.email, "role": "admin"}, token).status_code == 403
    assert _post(client, f"{base}/{membership.id}/role", {"role": "admin"}, token).status_code == 403
    assert _post(client, f"{base}/{membership.id}/remove", {}, token).status_code == 403
    assert _memberships(db) == before


def test_member_changes_need_the_csrf_token(client, auth, make, db):
    programme = make.programme()
    colleague = make.user(Role.MANAGER, programme)
    auth.login(make.user(Role.ADMIN).email)
    client.get("/manage/programmes/")
    base = f"/manage/programmes/{programme.id}/members"
    membership = _membership(db, colleague)
    assert client.post(base, data={"email": colleague.email, "role": "admin"}).status_code == 400
    assert client.post(f"{base}/{membership.id}/remove").status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1


def test_a_role_change_ends_the_members_sessions(db, make):
    programme = make.programme()
    user = make.user(Role.MANAGER, programme)
    generation = user.session_generation
    service.set_role(_membership(db, user), Role.EVALUATOR, actor=None)
    db.session.commit()
    assert db.session.get(User, user.id).session_generation == generation + 1
