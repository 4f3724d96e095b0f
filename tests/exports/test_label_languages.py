"""Exports in each language of the questionnaire: the staff pages offer CSV and SPSS labels in every one, and
both downloads take `labels=<language>` (SPSS also its older `lang=`)."""
import re

import pyreadstat
import pytest

from surveyapp.accounts.models import Role
from tests.reports.seed import seed_responses

ITEMS = [("colour", "single", True, 1, {}, ["red", "green"])]


@pytest.fixture
def survey(make, auth):
    questionnaire = make.questionnaire(languages=("de", "en", "ar"), items=ITEMS)
    seed_responses(questionnaire, [{"colour": "red"}, {"colour": "green"}])
    auth.login(make.user(Role.MANAGER, programme=questionnaire.programme).email)
    return questionnaire


def _sav_labels(client, url, tmp_path) -> dict:
    with client.get(url) as response:
        assert response.status_code == 200
        (tmp_path / "export.sav").write_bytes(response.data)
    _frame, meta = pyreadstat.read_sav(str(tmp_path / "export.sav"))
    return meta.variable_value_labels["colour"]


@pytest.mark.parametrize("page", ["/manage/questionnaires/{id}", "/manage/"])
def test_the_staff_pages_offer_spss_in_each_language(client, survey, page):
    html = client.get(page.format(id=survey.id)).get_data(as_text=True)
    form = re.search(rf'<form method="get" action="/manage/questionnaires/{survey.id}/export.sav"'
                     r'.*?</form>', html, re.S).group(0)
    assert re.findall(r'<option value="(\w+)"', form) == ["de", "en", "ar"]
    assert 'name="labels"' in form and '<option value="de" selected>' in form
    assert "Download SPSS" in form


@pytest.mark.parametrize(("query", "red"), [("labels=ar", "red-ar"), ("labels=en", "red-en"), ("lang=ar", "red-ar"),
                                            ("labels=xx", "red-de"), ("", "red-de")])
def test_spss_labels_in_the_language_asked_for(client, survey, tmp_path, query, red):
    url = f"/manage/questionnaires/{survey.id}/export.sav?{query}"
    assert _sav_labels(client, url, tmp_path)[1.0] == red


def test_csv_takes_the_same_parameter(client, survey):
    body = client.get(f"/manage/questionnaires/{survey.id}/export.csv?labels=ar").get_data(as_text=True)
    assert "red-ar" in body and "green-ar" in body


def test_the_report_s_spss_link_asks_for_the_report_s_language(client, survey):
    html = client.get(f"/manage/questionnaires/{survey.id}/report?lang=ar").get_data(as_text=True)
    assert f'href="/manage/questionnaires/{survey.id}/export.sav?labels=ar"' in html
