"""Markup in every staff text and in a respondent's text answer is escaped in every HTML page that shows it (builder,
item and option editors, preview, respondent page, reports, dashboard, sessions, audit view), literal in the PDF
report and in both parts of the e-mails (real SMTP, the real dispatcher). Texts are written straight into the
database, so these cases hold whatever the input side cleans today."""
import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from surveyapp.accounts.models import Role
from surveyapp.waves.dispatch import dispatch_due
from surveyapp.waves.service import reschedule, set_wave_message
from tests.reports.seed import seed_responses
from tests.security import world
from tests.security.test_outputs import pdf_text

MARKUP = {
    "script": "<script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "template": "{{7*7}}",
    "textarea": "</textarea><b>bold</b>",
}
RAW = [b"<script>alert(1)", b"<img src=x", b"<b>bold</b>", b"M1 49"]  # what must never appear unescaped


@pytest.fixture
def marked(db, make):
    """Programme, session, questionnaire texts (both languages), item and option labels, wave message and a
    respondent's answer all carry the markup under test."""
    def build(markup: str):
        own = world.build(db, make, "own")
        params = {"m": f"M1 {markup}", "q": own.ids["questionnaire_id"]}
        db.session.execute(text("UPDATE programmes SET name = :m WHERE id = :p"),
                           {**params, "p": own.ids["programme_id"]})
        db.session.execute(text("UPDATE training_sessions SET place = :m, held_on = :d WHERE id = :s"),
                           {**params, "s": own.ids["session_id"], "d": date.today() - timedelta(days=1)})
        db.session.execute(text("UPDATE questionnaire_texts SET text = :m WHERE questionnaire_id = :q"), params)
        db.session.execute(text("UPDATE item_texts SET text = :m WHERE item_id IN "
                                "(SELECT id FROM items WHERE questionnaire_id = :q)"), params)
        db.session.execute(text("UPDATE option_texts SET text = :m WHERE option_id IN (SELECT o.id FROM options o "
                                "JOIN items i ON i.id = o.item_id WHERE i.questionnaire_id = :q)"), params)
        db.session.execute(text("UPDATE waves SET name = :m WHERE id = :w"), {**params, "w": own.ids["wave_id"]})
        db.session.commit()
        from surveyapp.questionnaires.models import Questionnaire
        from surveyapp.waves.models import Wave

        wave = db.session.get(Wave, own.ids["wave_id"])
        for lang in ("de", "en"):
            set_wave_message(wave, lang, f"M1 {markup} {{place}}")
        reschedule(wave)  # the session now took place yesterday: its invitation is due
        seed_responses(db.session.get(Questionnaire, own.ids["questionnaire_id"]),
                       [{"colour": "red", "remark": f"M1 {markup}"}] * 5)
        db.session.commit()
        return own
    return build


def _pages(own) -> dict[str, str]:
    q, ids = own.ids["questionnaire_id"], own.ids
    return {
        "builder": f"/manage/questionnaires/{q}", "item": f"/manage/items/{ids['item_id']}",
        "option": f"/manage/options/{ids['option_id']}", "preview": f"/manage/questionnaires/{q}/preview",
        "translations": f"/manage/questionnaires/{q}/translations", "report": f"/manage/questionnaires/{q}/report",
        "programme-report": f"/manage/programmes/{ids['programme_id']}/report",
        "dashboard": f"/manage/programmes/{ids['programme_id']}/waves", "wave": f"/manage/waves/{ids['wave_id']}",
        "wave-texts": f"/manage/waves/{ids['wave_id']}/texts",
        "sessions": f"/manage/programmes/{ids['programme_id']}/sessions",
        "session": f"/manage/sessions/{ids['session_id']}", "index": "/manage/", "panel": "/manage/panel",
        "audit": "/admin/audit/", "respondent": f"/s/{ids['slug']}", "respondent-en": f"/s/{ids['slug']}?lang=en",
    }


@pytest.mark.parametrize("markup", list(MARKUP))
def test_markup_is_escaped_on_every_page(db, client, marked, row_counts, logs, markup):
    own = marked(MARKUP[markup])
    world.sign_in(client, world.staff(db, Role.ADMIN))
    client.get(f"/manage/questionnaires/{own.ids['questionnaire_id']}/export.csv").close()  # an audit row to show
    before = row_counts(audit=False)
    shown = []
    for page, path in _pages(own).items():
        response = client.get(path)
        body = response.get_data()
        assert response.status_code == 200, page
        assert not [raw for raw in RAW if raw in body], page
        if b"M1 " in body:
            shown.append(page)
    assert {"builder", "item", "preview", "report", "dashboard", "session", "respondent"} <= set(shown), shown
    assert row_counts(audit=False) == before
    logs.assert_clean(MARKUP[markup])


@pytest.mark.parametrize("markup", list(MARKUP))
@pytest.mark.parametrize("pdf", ["questionnaire", "programme"])
def test_markup_is_literal_in_the_pdf(db, client, marked, markup, pdf):
    own = marked(MARKUP[markup])
    world.sign_in(client, world.staff(db, Role.MANAGER, own.programme))
    key = "questionnaire_id" if pdf == "questionnaire" else "programme_id"
    response = client.get(f"/manage/{pdf}s/{own.ids[key]}/report.pdf")
    assert response.status_code == 200
    extracted = " ".join(pdf_text(response.get_data()).split())
    assert MARKUP[markup] in extracted or MARKUP[markup].replace(" ", "") in extracted.replace(" ", "")


@pytest.mark.parametrize("markup", list(MARKUP))
def test_markup_in_the_email_is_escaped_in_html_and_literal_in_text(db, smtp, marked, logs, caplog, markup):
    caplog.set_level(logging.WARNING, logger="mail.log")  # the test's own SMTP server logs the envelope
    own = marked(MARKUP[markup])
    report = dispatch_due()
    assert report.sent == 1 and report.failed == 0
    [(recipients, message)] = smtp.messages
    assert len(recipients) == 1
    plain = message.get_body(("plain",)).get_content()
    assert MARKUP[markup] in plain
    html = message.get_body(("html",))
    if html is not None:
        body = html.get_content().encode()
        assert not [raw for raw in RAW[:3] if raw in body]
    logs.assert_clean(recipients[0], own.ids["token"])
