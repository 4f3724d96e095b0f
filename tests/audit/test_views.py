"""/admin/audit: admins filter, page and export the trail; both are audited themselves."""
import csv
import io
from datetime import UTC, datetime

import pytest

from surveyapp.accounts.models import Role
from surveyapp.audit.queries import PAGE_SIZE
from surveyapp.audit.service import record
from tests.audit.helpers import events


@pytest.fixture
def admin(make, auth):
    user = make.user(Role.ADMIN, email="chief@example.org")
    auth.login(user.email)
    return user


def _seed(db):
    record("export.csv", target="questionnaire:1", actor="anna@example.org", now=datetime(2026, 3, 1, 9, tzinfo=UTC))
    record("item.delete", target="item:7", actor="bert@example.org", now=datetime(2026, 3, 2, 9, tzinfo=UTC))
    record("export.xlsx", target="questionnaire:2", actor="bert@example.org", now=datetime(2026, 3, 3, 9, tzinfo=UTC))
    db.session.commit()


def _rows(html: str) -> int:
    return html.count("<tr><td>")


def test_admin_sees_and_filters_the_trail(client, db, admin):
    _seed(db)
    page = client.get("/admin/audit/").get_data(as_text=True)
    assert "item:7" in page and "anna@example.org" in page
    assert _rows(client.get("/admin/audit/?actor=BERT").get_data(as_text=True)) == 2
    assert _rows(client.get("/admin/audit/?action=export.").get_data(as_text=True)) == 2
    assert _rows(client.get("/admin/audit/?target=item:7").get_data(as_text=True)) == 1
    assert _rows(client.get("/admin/audit/?since=2026-03-02&until=2026-03-02").get_data(as_text=True)) == 1
    viewed = events(db, "audit.view")
    assert len(viewed) == 5 and viewed[0].actor == admin.email


def test_invalid_filter_is_a_422_with_a_message(client, db, admin):
    response = client.get("/admin/audit/?since=yesterday")
    assert response.status_code == 422
    assert "Not a valid date value" in response.get_data(as_text=True)
    assert client.get("/admin/audit/export.csv?page=-3").status_code == 422


def test_paging_newest_first(client, db, admin):
    for n in range(PAGE_SIZE + 5):
        record("test.bulk", target=f"n:{n}", actor="cli")
    db.session.commit()
    first = client.get("/admin/audit/?action=test.").get_data(as_text=True)
    assert _rows(first) == PAGE_SIZE and f"n:{PAGE_SIZE + 4}<" in first and "Page 1 of 2" in first
    second = client.get("/admin/audit/?action=test.&page=2").get_data(as_text=True)
    assert _rows(second) == 5 and "n:0<" in second
    assert client.get("/admin/audit/?page=99").status_code == 200  # clamped to the last page


def test_csv_export_of_the_filtered_trail(client, db, admin):
    _seed(db)
    response = client.get("/admin/audit/export.csv?actor=bert")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:5] == ["seq", "created_at", "actor_id", "actor", "action"]
    assert [row[4] for row in rows[1:]] == ["item.delete", "export.xlsx"]
    [exported] = events(db, "audit.export")
    assert exported.actor == admin.email


def test_admins_see_the_navigation_link_others_do_not(client, make, auth, db):
    admin = make.user(Role.ADMIN)
    manager = make.user(Role.MANAGER)
    auth.login(manager.email)
    assert "/admin/audit/" not in client.get("/manage/").get_data(as_text=True)
    auth.logout()
    auth.login(admin.email)
    assert "/admin/audit/" in client.get("/manage/").get_data(as_text=True)
