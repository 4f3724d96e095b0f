"""Indicators that cannot mislead (#13): printed precision agrees with the mark, trends only between comparable
periods, public-link answers said to be such, targets within the item's range, names unique, decimal commas."""
from pathlib import Path

from babel.messages.extract import extract_from_file
from flask_babel import force_locale
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.indicators import service
from surveyapp.indicators.models import Indicator
from surveyapp.indicators.results import MET, NOT_MET, target_digits, value_digits
from tests.conftest import csrf_token
from tests.reports.panel_seed import AGREE_POST, POST_WORDING
from tests.reports.seed import seed_responses

ROOT = Path(__file__).resolve().parents[2]
FORM = {"name": "Drives more carefully", "item_code": "careful_driving", "statistic": "share", "top_boxes": "2",
        "target": "85", "direction": "at_least", "dimension": "site", "period": "wave"}


def _post(client, programme, **changes):
    url = f"/manage/programmes/{programme.id}/indicators/new"
    return client.post(url, data=FORM | {"csrf_token": csrf_token(client, url)} | changes)


def _indicators(db) -> list[Indicator]:
    db.session.expire_all()
    return list(db.session.scalars(select(Indicator)))


def _screen(client, programme) -> str:
    return " ".join(client.get(f"/manage/programmes/{programme.id}/indicators").get_data(as_text=True).split())


def test_digits_make_the_printed_numbers_agree_with_the_mark():
    assert [target_digits("share", t) for t in (0.85, 0.809, 0.8125)] == [0, 1, 2]
    assert [target_digits("mean", t) for t in (20.0, 20.5, 20.125)] == [0, 1, 3]  # as entered: "20", not "20.00"
    assert value_digits("share", 0.806, 0.81, "at_least") == 1  # not "81 %" next to "target not met"
    assert value_digits("share", 0.8086, 0.809, "at_least") == 2  # not "80.9 %" against "≥ 80.9 %"
    assert value_digits("share", 0.7, 0.81, "at_least") == 0
    assert value_digits("share", 0.814, 0.81, "at_most") == 1  # "81 %" would read as at most 81 %
    assert value_digits("mean", 19.996, 20.0, "at_least") == 3


def test_target_and_a_value_near_it_are_shown_precisely(close_to_panel, client, auth, make, db):
    programme = close_to_panel.programme
    auth.login(make.user(Role.MANAGER, programme).email)
    # 1,289 of 1,448 agree after the session: 89.02 %; against "at least 89.1 %" not met.
    assert _post(client, programme, target="89.1", dimension="all").status_code == 302
    page = _screen(client, programme)
    assert "≥ 89.1%" in page and "≥ 89%" not in page
    assert "<strong>89.0%</strong>" in page and "✗ target not met" in page
    assert AGREE_POST / 1448 < 0.891
    [result] = service.programme_results(programme, "en", 5)
    post = result.rows[0].cells[0]
    assert post.status == NOT_MET and post.digits == 1 and result.target_digits == 1


def test_public_link_answers_have_their_own_row_and_no_trend(close_to_panel, db):
    seed_responses(close_to_panel.post, [{"careful_driving": 5}] * 20 + [{"careful_driving": 1}] * 5, lang="en")
    service.save_indicator(programme := close_to_panel.programme, {
        "name": "Careful", "item_code": "careful_driving", "statistic": "share", "top_boxes": 2, "target": 0.85,
        "direction": "at_least", "dimension": "site", "period": "wave"})
    db.session.commit()
    with force_locale("en"):
        [result] = service.programme_results(programme, "en", 5)
    assert result.periods == ["post-session", "follow-up", "without a wave"]
    assert result.public_period == "without a wave"
    public = result.rows[-1]
    assert public.group == "No site (public link)" and len(result.rows) == 41
    assert [cell.n for cell in public.cells] == [None, None, 25] and public.cells[2].value == 0.8
    assert all(row.cells[2].n is None for row in result.rows[:-1])
    total = result.total.cells[2]
    assert total.n == 25 and total.trend is None and total.change is None and not total.wording_changed
    # Asked in the post-session words, so it would have been a trend from the follow-up otherwise.
    assert ("without a wave", POST_WORDING["en"]) in result.wordings


def test_public_link_wording_and_row_on_the_page(close_to_panel, client, auth, make, db):
    seed_responses(close_to_panel.post, [{"careful_driving": 5}] * 25, lang="en")
    programme = close_to_panel.programme
    auth.login(make.user(Role.MANAGER, programme).email)
    assert _post(client, programme).status_code == 302
    page = _screen(client, programme)
    assert f"Public link: asked as “{POST_WORDING['en']}”" in page
    assert "Asked in without a wave" not in page and "No site (public link)" in page
    assert "wording changed" in page


def test_same_wording_keeps_its_trend_and_other_wording_has_none(close_to_panel, db):
    with force_locale("en"):
        service.save_indicator(close_to_panel.programme, {
            "name": "Careful", "item_code": "careful_driving", "statistic": "share", "top_boxes": 2,
            "target": 0.85, "direction": "at_least", "dimension": "all", "period": "wave"})
        [result] = service.programme_results(close_to_panel.programme, "en", 5)
    post, follow = result.rows[0].cells
    assert post.status == MET and follow.wording_changed and follow.trend is None


def test_a_mean_target_outside_the_items_range_is_refused(close_to_panel, client, auth, make, db):
    programme = close_to_panel.programme
    auth.login(make.user(Role.MANAGER, programme).email)
    for target in ("-5", "99999999999999", "14.9", "99.5"):
        response = _post(client, programme, item_code="age", statistic="mean", target=target)
        assert response.status_code == 422
        assert "The target must be a value the item can have: from 15 to 99." in response.get_data(as_text=True)
    assert _indicators(db) == []
    assert _post(client, programme, item_code="age", statistic="mean", target="99").status_code == 302
    assert [i.target for i in _indicators(db)] == [99.0]


def test_a_decimal_comma_is_accepted_in_german(close_to_panel, client, auth, make, db):
    programme = close_to_panel.programme
    auth.login(make.user(Role.MANAGER, programme).email)
    client.get(f"/manage/programmes/{programme.id}/indicators?ui=de")
    assert _post(client, programme, target="70,5").status_code == 302
    assert _post(client, programme, target="20,25", name="Alter", item_code="age", statistic="mean").status_code == 302
    assert sorted(i.target for i in _indicators(db)) == [0.705, 20.25]
    assert _post(client, programme, target="7x", name="Bad").status_code == 422
    assert len(_indicators(db)) == 2


def test_a_decimal_comma_is_accepted_in_english_too(close_to_panel, client, auth, make, db):
    programme = close_to_panel.programme
    auth.login(make.user(Role.MANAGER, programme).email)
    assert _post(client, programme, target="70,5").status_code == 302
    assert [i.target for i in _indicators(db)] == [0.705]


def test_a_second_indicator_of_the_same_name_is_refused(close_to_panel, client, auth, make, db):
    programme = close_to_panel.programme
    auth.login(make.user(Role.MANAGER, programme).email)
    assert _post(client, programme).status_code == 302
    response = _post(client, programme, name="  drives  more carefully ", target="90")
    assert response.status_code == 422
    assert "This programme already has an indicator named" in response.get_data(as_text=True)
    [indicator] = _indicators(db)
    assert indicator.target == 0.85
    # Saving it under its own name is no duplicate; another programme may use the name.
    edit = f"/manage/indicators/{indicator.id}"
    assert client.post(edit, data=FORM | {"csrf_token": csrf_token(client, edit), "target": "90"}).status_code == 302
    assert [i.target for i in _indicators(db)] == [0.9]


def test_the_target_column_has_its_own_msgid():
    """“Target” alone is the audit trail's (the object of an action): the indicator column asks in context."""
    found = {(context, message) for _line, message, _comments, context
             in extract_from_file("jinja2.ext:babel_extract", ROOT / "surveyapp/templates/indicators/screen.html")}
    assert ("indicator", "Target") in found and (None, "Target") not in found


def test_long_names_wrap_on_a_phone():
    css = (ROOT / "surveyapp/static/app.css").read_text(encoding="utf-8")
    rule = ".indicators h3,.indicators th,.indicators td,.indicator-list td,.indicator-title{overflow-wrap:anywhere}"
    assert rule in css
    form = (ROOT / "surveyapp/templates/indicators/form.html").read_text(encoding="utf-8")
    screen = (ROOT / "surveyapp/templates/indicators/screen.html").read_text(encoding="utf-8")
    assert '<h1 class="indicator-title">' in form and '<table class="indicator-list">' in screen


def test_the_edit_form_shows_the_target_as_entered_and_keeps_it(close_to_panel, client, auth, make, db):
    programme = close_to_panel.programme
    auth.login(make.user(Role.MANAGER, programme).email)
    assert _post(client, programme, target="80.125").status_code == 302
    [indicator] = _indicators(db)
    edit = f"/manage/indicators/{indicator.id}"
    assert 'value="80.125"' in client.get(edit).get_data(as_text=True)  # not "80.13", saved back as 80.13 %
    assert "≥ 80.125%" in _screen(client, programme)


def test_targets_show_as_entered_per_locale_and_are_stored_as_shown(close_to_panel, client, auth, make, db):
    """A mean of 20 shows as "20" (not "20.00"); 80.9000000001 % is stored
    as the 80.9 % shown, so re-saving the form changes nothing."""
    programme = close_to_panel.programme
    auth.login(make.user(Role.MANAGER, programme).email)
    assert _post(client, programme, target="80.9000000001").status_code == 302
    assert _post(client, programme, target="20", name="Alter", item_code="age", statistic="mean").status_code == 302
    share, mean = sorted(_indicators(db), key=lambda i: i.statistic, reverse=True)
    assert share.target == 0.809 and mean.target == 20
    screen = _screen(client, programme)
    assert "mean 20<" in screen and "20.00" not in screen
