"""Checklist builder, visit form and report over HTTP: managers write, evaluators read, bad input is a 4xx that
stores nothing, and the PDF shows the per-channel and per-scenario scores and the agreement figures."""
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from surveyapp.accounts.models import Role
from surveyapp.mystery.models import Checklist, Visit, VisitAnswer
from tests.conftest import csrf_token

ITEMS = ("greeted | Were you greeted? | yn | 2 | evidence\n"
         "clear | How clear was the answer? | 1-5\n"
         "form | Form online? | yn")


def _counts(db) -> tuple[int, int]:
    db.session.expire_all()
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (Visit, VisitAnswer))


@pytest.fixture
def manager(make, auth):
    programme = make.programme()
    user = make.user(Role.MANAGER, programme)
    auth.login(user.email)
    return programme, user


def _create(client, programme, **changes):
    url = f"/manage/programmes/{programme.id}/mystery"
    data = {"title": "Town hall <check>", "lang": "en", "channels": ["web", "phone"], "items": ITEMS,
            "csrf_token": csrf_token(client, url)} | changes
    return client.post(url, data=data)


def _visit(client, checklist, items, values, **changes):
    url = f"/manage/mystery/{checklist.id}/visit"
    data = {"channel": "web", "scenario": "Renew a passport", "visited_on": "2026-11-02", "notes": "",
            "csrf_token": csrf_token(client, url)}
    data |= {f"value-{items[code]}": value for code, value in values.items()}
    data |= {f"evidence-{items['greeted']}": "Said <b>hello</b> & smiled"} | changes
    return client.post(url, data=data)


def _checklist(db) -> tuple[Checklist, dict[str, int]]:
    checklist = db.session.scalars(select(Checklist)).one()
    return checklist, {item.code: item.id for item in checklist.items}


def test_manager_builds_a_checklist_and_records_visits(client, db, manager, make, auth):
    programme, _ = manager
    assert _create(client, programme).status_code == 302
    checklist, items = _checklist(db)
    assert [(i.code, i.kind, i.points, i.evidence_required) for i in checklist.items] == [
        ("greeted", "yes_no_na", 2, True), ("clear", "rating_1_5", 1, False), ("form", "yes_no_na", 1, False)]
    assert _visit(client, checklist, items, {"greeted": "yes", "clear": "4", "form": "na"}).status_code == 302
    auth.login(make.user(Role.MANAGER, programme).email)  # a second shopper, same scenario and channel
    assert _visit(client, checklist, items, {"greeted": "yes", "clear": "2", "form": "no"}).status_code == 302
    page = client.get(f"/manage/mystery/{checklist.id}").get_data(as_text=True)
    # visit 1: (2 + .75) / 3; visit 2: (2 + .25 + 0) / 4; both: 5 / 7
    assert "Town hall &lt;check&gt;" in page and "71%" in page
    assert "Agreement of shoppers 1 and 2" in page and "(n = 3)" in page


@pytest.mark.parametrize(("values", "changes", "message"), [
    ({"greeted": "yes", "clear": "6", "form": "no"}, {}, "clear: choose one of the answers."),
    ({"greeted": "maybe", "clear": "3", "form": "no"}, {}, "greeted: choose one of the answers."),
    ({"greeted": "yes", "clear": "3"}, {}, "form: choose one of the answers."),
    ({"greeted": "yes", "clear": "3", "form": "no"}, {"evidence-GREETED": "", "channel": "counter"}, "Not a valid"),
    ({"greeted": "no", "clear": "3", "form": "no"}, {"evidence-GREETED": ""}, "an evidence note is required"),
    ({"greeted": "yes", "clear": "3", "form": "no"}, {"scenario": " "}, "This field is required."),
    ({"greeted": "yes", "clear": "3", "form": "no"}, {"visited_on": "yesterday"}, "Not a valid date"),
])
def test_bad_visits_are_refused_and_nothing_is_stored(client, db, manager, values, changes, message):
    programme, _ = manager
    _create(client, programme)
    checklist, items = _checklist(db)
    changes = {key.replace("GREETED", str(items["greeted"])): value for key, value in changes.items()}
    response = _visit(client, checklist, items, values, **changes)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _counts(db) == (0, 0)


@pytest.mark.parametrize(("items", "message"), [
    ("greeted | Greeted? | maybe", "Line 1: the kind must be"),
    ("ok | Fine | yn\n1bad | Code starts with a digit | yn", "Line 2: the code must start with a letter"),
    ("a | A | yn\na | Again | yn", "Each item needs a code of its own."),
    ("a | A | yn | 0", "points must be a whole number"),
])
def test_bad_checklists_are_refused(client, db, manager, items, message):
    programme, _ = manager
    response = _create(client, programme, items=items)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Checklist)) == 0


def test_items_are_locked_once_visits_exist(client, db, manager):
    programme, _ = manager
    _create(client, programme)
    checklist, items = _checklist(db)
    _visit(client, checklist, items, {"greeted": "yes", "clear": "4", "form": "na"})
    url = f"/manage/mystery/{checklist.id}/edit"
    data = {"title": "Renamed", "lang": "en", "channels": ["web"], "csrf_token": csrf_token(client, url)}
    assert client.post(url, data=data | {"items": "only | One item | yn"}).status_code == 422
    assert client.post(url, data=data | {"items": ITEMS}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Checklist, checklist.id).title == "Renamed"


def test_editing_shows_the_items_as_written_and_saving_unchanged_keeps_them(client, db, manager):
    programme, _ = manager
    _create(client, programme)
    checklist, _ = _checklist(db)
    url = f"/manage/mystery/{checklist.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "ChecklistItem" not in page and "greeted | Were you greeted? | yn | 2 | evidence" in page
    data = {"title": "Town hall", "lang": "en", "channels": ["web", "phone"], "csrf_token": csrf_token(client, url),
            "items": ITEMS.replace("| yn\n", "| yn | 1\n").replace("| 1-5", "| 1-5 | 1") + " | 1"}
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert [(i.code, i.points) for i in _checklist(db)[0].items] == [("greeted", 2), ("clear", 1), ("form", 1)]


def test_a_visit_in_the_future_is_refused(client, db, manager):
    programme, _ = manager
    _create(client, programme)
    checklist, items = _checklist(db)
    response = _visit(client, checklist, items, {"greeted": "yes", "clear": "3", "form": "no"},
                      visited_on="2099-01-01")
    assert response.status_code == 422 and "cannot be in the future" in response.get_data(as_text=True)
    assert _counts(db) == (0, 0)


def test_scores_round_half_up_in_the_locale_on_the_page_and_in_the_pdf(client, db, manager):
    programme, _ = manager
    _create(client, programme)
    checklist, items = _checklist(db)
    # (2 + 0.5 + 0) / 4 = 62.5 %: half to even would print 62
    assert _visit(client, checklist, items, {"greeted": "yes", "clear": "3", "form": "no"}).status_code == 302
    assert "<strong>63%</strong>" in client.get(f"/manage/mystery/{checklist.id}").get_data(as_text=True)
    german = client.get(f"/manage/mystery/{checklist.id}?ui=de").get_data(as_text=True)
    assert "<strong>63\u00a0%</strong>" in german
    pdf = client.get(f"/manage/mystery/{checklist.id}/report.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Overall score: 63% (1 visit)" in text


def test_evaluators_read_but_do_not_record(client, db, manager, make, auth):
    programme, _ = manager
    _create(client, programme)
    checklist, items = _checklist(db)
    auth.login(make.user(Role.EVALUATOR, programme).email)
    assert client.get(f"/manage/mystery/{checklist.id}").status_code == 200
    assert client.get(f"/manage/mystery/{checklist.id}/visit").status_code == 403
    assert client.get(f"/manage/mystery/{checklist.id}/report.pdf").status_code == 200


def test_the_demo_report_pdf_shows_scores_per_channel_and_scenario_and_kappa(runner, client, db, auth, make):
    from surveyapp.demo import load_demo

    load_demo(0)
    checklist = db.session.scalars(select(Checklist)).one()
    auth.login(make.user(Role.EVALUATOR, checklist.programme).email)
    response = client.get(f"/manage/mystery/{checklist.id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.data)).pages)
    # web, street light: shopper 1 (2 + 2·.75 + 1 + 2 + 1 + 0) / 9 and shopper 2 (2 + 2·.5 + 1 + 2 + 1 + 1) / 9
    assert "Website: Report a broken street light Score: 86% (2 visits)" in text
    assert "Overall score: 73% (7 visits)" in text and "Score: 46% (1 visit)" in text
    assert "Phone: Report a broken street light" in text and "Counter: Report a broken street light" in text
    assert "Website: Ask how to get a parking permit" in text
    assert "Agreement: needs visits by two shoppers." in text  # the permit scenario: one shopper
    # web: 4 of 6 the same (yes/yes ×3, 5/5; 4/3 and no/yes differ); shopper 1 said yes 3×, 4, 5, no; shopper 2
    # yes 4×, 3, 5: chance agreement (3·4 + 1·1) / 36, kappa (4/6 − 13/36) / (1 − 13/36) = 0.48
    assert "Agreement of shoppers 1 and 2: 67% of n = 6 items; Cohen's kappa 0.48." in text
    assert "Agreement of shoppers 1 and 2: 33% of n = 6 items; Cohen's kappa 0.25." in text  # phone
    assert "By channel" in text and "By scenario" in text
    assert "Search for <street light> worked." in text  # evidence notes: escaped, shown literally
    csv = client.get(f"/manage/mystery/{checklist.id}/visits.csv")
    assert csv.status_code == 200 and b"Report a broken street light" in csv.data
