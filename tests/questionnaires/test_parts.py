"""Parts of composite items (questionnaires.parts): a matrix's rows from a bulk text, a ranking's ranks from
its options; each part a complete item of its own, kept in line with its composite on every change."""
import pytest

from surveyapp.accounts.models import Role
from surveyapp.errors import DomainError
from surveyapp.questionnaires import parts
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Status
from surveyapp.responses.models import Response
from tests.questionnaires.builder import Builder, item_fields

ROWS = "library = Library\nBuses and trams\n\nÖffentliche Parks"


def _matrix(make, **settings):
    settings = {"scale": "likert", "points": 5, "rows": ROWS, **settings}
    return make.questionnaire(status=Status.DRAFT, items=[("intro", "yesno", False, 1, {}, []),
                                                          ("services", "matrix", True, 1, settings, []),
                                                          ("after", "text", False, 1, {}, [])])


def _codes(questionnaire):
    return [item.code for item in questionnaire.items]


def test_rows_from_lines_with_given_and_suggested_codes_right_after_the_matrix(make):
    questionnaire = _matrix(make)
    assert _codes(questionnaire) == ["intro", "services", "services_library", "services_buses_and_trams",
                                     "services_oeffentliche_parks", "after"]
    matrix = questionnaire.items[1]
    assert [part.text("label", "de") for part in matrix.parts] == ["Library", "Buses and trams", "Öffentliche Parks"]
    assert parts.rows_text(matrix, "de").splitlines()[0] == "library = Library"
    assert "rows" not in matrix.settings


def test_each_row_is_a_complete_item_of_the_scale(make, db):
    questionnaire = _matrix(make, points=7)
    matrix = questionnaire.items[1]
    builder.set_item_texts(matrix, "de", {"low": "gar nicht", "high": "sehr"})
    for row in matrix.parts:
        assert (row.type, row.settings, row.required, row.page) == ("likert", {"points": 7}, True, 1)
        assert (row.text("low", "de"), row.text("high", "de")) == ("gar nicht", "sehr")
        assert row.kind.option_codes(row) == [str(n) for n in range(1, 8)]


def test_options_scale_copies_the_matrix_options_to_every_row(make, db):
    questionnaire = _matrix(make)
    matrix = questionnaire.items[1]
    builder.update_item(matrix, code="services", required=False, page=2, settings={"scale": "options"})
    builder.add_option(matrix, "often", {"de": "oft", "en": "often"})
    builder.add_option(matrix, "never", {"de": "nie", "en": "never"})
    builder.set_item_texts(matrix, "de", {"low": "egal"})
    db.session.commit()
    for row in matrix.parts:
        assert (row.type, row.required, row.page) == ("single", False, 2)
        assert [(o.code, o.label("en")) for o in row.options] == [("often", "often"), ("never", "never")]
        assert row.text("low", "de") == ""  # end labels belong to scales only
    builder.delete_option(matrix.options[0])
    assert [o.code for o in matrix.parts[0].options] == ["never"]


def test_rewording_and_reordering_keep_codes_new_rows_get_codes_removed_rows_go(make, db):
    questionnaire = _matrix(make)
    matrix = questionnaire.items[1]
    builder.update_item(matrix, code="services", required=True, page=1, lang="en", settings={
        "rows": "buses_and_trams = Buses\nlibrary = City library\nYouth club"})
    assert _codes(questionnaire) == ["intro", "services", "services_buses_and_trams", "services_library",
                                     "services_youth_club", "after"]
    assert matrix.parts[1].text("label", "en") == "City library"
    assert matrix.parts[1].text("label", "de") == "Library"  # other languages keep their texts


def test_rows_in_another_language_show_and_take_that_language_s_texts_only(make, db):
    matrix = _matrix(make).items[1]
    assert parts.rows_text(matrix, "en").splitlines()[0] == "library = "  # not the German text
    parts.sync(matrix, {"rows": "library = Library\nbuses_and_trams = \noeffentliche_parks = Parks"}, "en")
    assert [part.text("label", "en") for part in matrix.parts] == ["Library", "Buses and trams", "Parks"]
    assert [row.lang for row in matrix.parts[1].texts] == ["de"]  # still to be translated
    with pytest.raises(DomainError, match="needs a text"):
        parts.sync(matrix, {"rows": "library = \nbuses_and_trams = Busse"}, "de")


def test_renaming_the_matrix_renames_its_rows(make, db):
    matrix = _matrix(make).items[1]
    builder.update_item(matrix, code="places", required=True, page=1, settings={})
    assert [part.code for part in matrix.parts][:1] == ["places_library"]


@pytest.mark.parametrize("rows, message", [
    ("", "at least one row"),
    ("a = One\na = Two", "Two rows have the code a"),
    ("a = ", "needs a text"),
])
def test_bad_rows_are_refused_with_a_message(make, rows, message):
    matrix = _matrix(make).items[1]
    with pytest.raises(DomainError, match=message):
        parts.sync(matrix, {"rows": rows})


def test_a_row_code_taken_by_another_item_is_refused(make):
    questionnaire = make.questionnaire(status=Status.DRAFT, items=[("m_a", "text", False, 1, {}, [])])
    with pytest.raises(DomainError, match="m_a already exists"):
        builder.add_item(questionnaire, "m", "matrix", settings={"rows": "a = A"})


def test_removing_a_row_is_refused_once_responses_exist_adding_one_is_not(make, db):
    questionnaire = _matrix(make)
    matrix = questionnaire.items[1]
    db.session.add(Response(questionnaire_id=questionnaire.id, key="k" * 32, lang="de"))
    db.session.flush()
    with pytest.raises(parts.PartsLocked, match="services_library"):
        parts.sync(matrix, {"rows": "Buses and trams\nÖffentliche Parks"})
    parts.sync(matrix, {"rows": parts.rows_text(matrix, "de") + "\nSwimming pool"})
    assert matrix.parts[-1].code == "services_swimming_pool"


def test_deleting_the_matrix_deletes_its_rows(make, db):
    questionnaire = _matrix(make)
    builder.delete_item(questionnaire.items[1])
    db.session.commit()
    assert _codes(questionnaire) == ["intro", "after"]


def test_ranking_parts_follow_its_options(make, db):
    questionnaire = make.questionnaire(status=Status.DRAFT, items=[
        ("best", "ranking", True, 1, {"rank_at_most": 2}, ["bus", "bike", "car"])])
    ranking = questionnaire.items[0]
    assert _codes(questionnaire) == ["best", "best_bus", "best_bike", "best_car"]
    part = ranking.parts[1]
    assert (part.type, part.settings, part.required, part.text("label", "en")) == ("rank", {"ranks": 2}, False,
                                                                                    "bike-en")
    builder.add_option(ranking, "walk", {"en": "on foot"})
    builder.move_option(ranking.options[0], 1)
    builder.update_item(ranking, code="best", required=True, page=1, settings={"rank_at_most": None})
    db.session.commit()
    assert _codes(questionnaire) == ["best", "best_bike", "best_bus", "best_car", "best_walk"]
    assert ranking.parts[-1].settings == {"ranks": 4} and ranking.parts[-1].text("label", "en") == "on foot"
    builder.delete_option(ranking.options[0])
    assert _codes(questionnaire) == ["best", "best_bus", "best_car", "best_walk"]


def test_the_builder_makes_and_edits_a_matrix_through_its_forms(client, make, auth, db):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    builder_http = Builder(client)
    questionnaire = make.questionnaire(programme, status=Status.DRAFT, items=[("intro", "yesno", False, 1, {}, [])])
    added = builder_http.add_item(questionnaire.id, "", "matrix", "Wie zufrieden bist du mit …",
                                  scale="scale10", rows="Bibliothek\nParks")
    assert added.status_code == 302, added.get_data(as_text=True)
    db.session.expire_all()
    matrix = questionnaire.items[1]
    assert [(part.code, part.type) for part in matrix.parts] == [
        (f"{matrix.code}_bibliothek", "scale10"), (f"{matrix.code}_parks", "scale10")]
    page = client.get(f"/manage/items/{matrix.id}").get_data(as_text=True)
    assert "bibliothek = Bibliothek\nparks = Parks" in page  # the rows text area, codes shown
    edited = builder_http.post(f"/manage/items/{matrix.id}", item_fields(
        matrix, scale="likert", rows="parks = Parks und Plätze\nbibliothek = Bibliothek\nJugendzentrum",
        edit_version=questionnaire.edit_version))
    assert edited.status_code == 302, edited.get_data(as_text=True)
    db.session.expire_all()
    assert [(part.code.removeprefix(matrix.code + "_"), part.type, part.text("label", "de"))
            for part in matrix.parts] == [("parks", "likert", "Parks und Plätze"),
                                          ("bibliothek", "likert", "Bibliothek"),
                                          ("jugendzentrum", "likert", "Jugendzentrum")]
