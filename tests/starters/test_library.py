"""Every template builds a questionnaire that opens, complete in German and English, through the builder's
own service functions; the two Close To templates share the codes of their repeated questions."""
import pytest
from sqlalchemy import func, select

from surveyapp.audit.models import AuditEvent
from surveyapp.errors import DomainError
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Item, Questionnaire, Status
from surveyapp.questionnaires.opening import check_openable
from surveyapp.questionnaires.slots import completeness
from surveyapp.responses.models import Answer
from surveyapp.starters import service
from surveyapp.starters.service import UnknownStarter
from tests.conftest import hidden_fields

KEYS = [starter.key for starter in service.library()]
REPEATED = {"careful_driving", "remember_story", "recommend", "comment"}


def test_the_library_holds_the_five_templates_in_order():
    assert KEYS == ["close_to_post_session", "close_to_follow_up", "youth_survey", "complaint_handling",
                    "mystery_shopping"]


def _texts(node, path="") -> list[tuple[str, dict]]:
    """Every {language: text} mapping in a template file, with where it sits."""
    if isinstance(node, dict) and node and all(len(key) == 2 for key in node) and \
            all(isinstance(value, str) for value in node.values()):
        return [(path, node)]
    if isinstance(node, dict):
        return [found for key, value in node.items() for found in _texts(value, f"{path}.{key}")]
    if isinstance(node, list):
        return [found for index, value in enumerate(node) for found in _texts(value, f"{path}[{index}]")]
    return []


@pytest.mark.parametrize("key", KEYS)
def test_every_text_of_a_template_is_written_in_each_of_its_languages(key):
    starter = service.find(key)
    assert {"de", "en"} <= set(starter.languages)
    texts = _texts(starter.data)
    assert len(texts) > 10
    incomplete = [path for path, by_lang in texts
                  if set(by_lang) != set(starter.languages) or not all(text.strip() for text in by_lang.values())]
    assert incomplete == []


@pytest.mark.parametrize("languages", [["de", "en"], ["en", "de"], ["en"]])
@pytest.mark.parametrize("key", KEYS)
def test_every_template_creates_a_draft_that_opens(db, make, key, languages):
    programme = make.programme()
    questionnaire = service.create_from(key, programme, f"{key.replace('_', '-')}-x", languages)
    db.session.commit()
    assert (questionnaire.status, questionnaire.default_lang, questionnaire.languages) == (
        Status.DRAFT, languages[0], languages)
    assert questionnaire.text("title", languages[0]) == service.find(key).title(languages[0])
    assert [status.missing for status in completeness(questionnaire)] == [[] for _ in languages]
    check_openable(questionnaire)
    builder.set_status(questionnaire, Status.OPEN)
    db.session.commit()
    assert questionnaire.status is Status.OPEN


@pytest.mark.parametrize("key", KEYS)
def test_the_questionnaire_holds_the_template_item_for_item(db, make, key):
    starter = service.find(key)
    questionnaire = service.create_from(key, make.programme(), "from-template", ["de", "en"])
    top = [item for item in questionnaire.items if item.parent is None]
    assert [(item.code, item.type, item.page) for item in top] == [
        (spec["code"], spec["type"], number)
        for number, page in enumerate(starter.pages, start=1) for spec in page["items"]]
    for number, page in enumerate(starter.pages, start=1):
        assert questionnaire.text(f"page.{number}", "en") == page["title"]["en"]
    first = starter.pages[0]["items"][0]
    assert questionnaire.items[0].text("label", "de") == first["texts"]["label"]["de"]


def test_close_to_post_session_and_follow_up_share_the_codes_of_their_repeated_questions(db, make):
    programme = make.programme()
    post = service.create_from("close_to_post_session", programme, "close-to-post", ["de", "en"])
    follow_up = service.create_from("close_to_follow_up", programme, "close-to-follow-up", ["de", "en"])
    post_types = {item.code: item.type for item in post.items}
    follow_up_types = {item.code: item.type for item in follow_up.items}
    assert REPEATED <= set(post_types) & set(follow_up_types)
    assert {code: post_types[code] for code in REPEATED} == {code: follow_up_types[code] for code in REPEATED}


def test_the_post_session_template_keeps_the_demo_codes(db, make):
    from surveyapp.demo import LIKERT_ITEMS

    questionnaire = service.create_from("close_to_post_session", make.programme(), "close-to-post", ["de"])
    assert {code for code, _labels in LIKERT_ITEMS} | {"age", "gender", "comment"} <= {
        item.code for item in questionnaire.items}


def test_the_youth_survey_asks_its_satisfaction_as_a_matrix_with_a_row_per_service(db, make):
    questionnaire = service.create_from("youth_survey", make.programme(), "youth", ["de", "en"])
    matrix = next(item for item in questionnaire.items if item.code == "satisfaction")
    assert matrix.type == "matrix"
    assert [(part.code, part.text("label", "de"), part.text("label", "en"), part.type) for part in matrix.parts] == [
        ("satisfaction_library", "Bücherei", "Library", "likert"),
        ("satisfaction_buses", "Busse", "Buses", "likert"),
        ("satisfaction_parks", "Parks", "Parks", "likert"),
        ("satisfaction_youth_club", "Jugendzentrum", "Youth club", "likert"),
        ("satisfaction_sports", "Sportanlagen", "Sports facilities", "likert"),
    ]
    assert all(part.page == matrix.page and not part.required for part in matrix.parts)
    assert matrix.parts[0].condition == "selected(services_used, 'library')"


def test_the_youth_survey_rates_only_the_services_used(app, db, make):
    """No row must be rated, and a row of a service not used is ignored (logic.js hides it)."""
    questionnaire = service.create_from("youth_survey", make.programme(), "youth", ["de", "en"])
    builder.set_status(questionnaire, Status.OPEN)
    db.session.commit()
    client, url = app.test_client(), f"/s/{questionnaire.slug}?lang=en"
    html = client.get(url).get_data(as_text=True)
    assert "data-condition" in html.split('id="q_satisfaction_library"', 1)[1].split(">", 1)[0]
    data = {"q_services_used": ["library"], "q_satisfaction_library": "4", "q_satisfaction_buses": "1",
            "nav": "next"}
    assert client.post(url, data={**hidden_fields(html), **data}).status_code == 302
    stored = dict(db.session.execute(select(Item.code, Answer.value).join(Answer, Answer.item_id == Item.id)).all())
    assert stored.get("satisfaction_library") == "4" and "satisfaction_buses" not in stored


def test_only_the_chosen_languages_are_copied(db, make):
    questionnaire = service.create_from("complaint_handling", make.programme(), "complaints", ["en"])
    langs = {row.lang for item in questionnaire.items for row in item.texts}
    langs |= {row.lang for row in questionnaire.texts}
    assert langs == {"en"}


def test_the_default_language_comes_first(db, make):
    questionnaire = service.create_from("complaint_handling", make.programme(), "complaints", ["de", "en"],
                                        default_lang="en")
    assert (questionnaire.default_lang, questionnaire.languages) == ("en", ["en", "de"])


@pytest.mark.parametrize(("languages", "default"), [(["fr"], None), (["de", "tr"], None), ([], None),
                                                    (["de"], "it")])
def test_a_language_the_template_is_not_written_in_is_refused(db, make, languages, default):
    with pytest.raises(DomainError):
        service.create_from("complaint_handling", make.programme(), "complaints", languages, default)


def test_an_unknown_template_is_refused(db, make):
    with pytest.raises(UnknownStarter):
        service.create_from("no_such_template", make.programme(), "nothing", ["de"])


def test_a_taken_link_name_is_refused_and_the_rollback_leaves_nothing(db, make):
    programme = make.programme()
    make.questionnaire(programme, slug="taken")
    before = db.session.scalar(select(func.count()).select_from(Item))
    with pytest.raises(DomainError):
        service.create_from("youth_survey", programme, "taken", ["de", "en"])
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Questionnaire)) == 1
    assert db.session.scalar(select(func.count()).select_from(Item)) == before


def test_the_list_is_in_the_language_asked_for_with_english_for_any_other(app):
    titles = {lang: [title for _key, title, _description in service.listing(lang)] for lang in ("de", "en", "tr")}
    assert titles["de"][2] == "Jugendbefragung: Angebote und Lebensqualität"
    assert titles["en"][2] == "Youth survey: services and quality of life"
    assert titles["tr"] == titles["en"]
    assert all(description for _key, _title, description in service.listing("de"))


def test_the_cli_creates_a_draft_from_a_template(db, make, runner):
    programme = make.programme(code="youthwork")
    result = runner.invoke(args=["starters", "create", "youth_survey", "--programme", "youthwork",
                                 "--slug", "jugend-2027"])
    assert result.exit_code == 0, result.output
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == "jugend-2027"))
    assert (questionnaire.programme_id, questionnaire.status, questionnaire.languages) == (
        programme.id, Status.DRAFT, ["de", "en"])
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "questionnaire.create_from_template"))
    assert (event.actor, event.target) == ("cli", f"questionnaire:{questionnaire.id}")
    listed = runner.invoke(args=["starters", "list"])
    assert "youth_survey" in listed.output and "Youth survey" in listed.output


@pytest.mark.parametrize(("args", "message"), [
    (["youth_survey", "--programme", "nope", "--slug", "jugend"], "no programme with the code nope"),
    (["youth_survey", "--programme", "youthwork", "--slug", "Bad Slug"], "link name"),
    (["youth_survey", "--programme", "youthwork", "--slug", "jugend", "--language", "fr"], "written in de, en"),
    (["unknown", "--programme", "youthwork", "--slug", "jugend"], "no template"),
])
def test_the_cli_refuses_with_a_message_and_writes_nothing(db, make, runner, args, message):
    make.programme(code="youthwork")
    result = runner.invoke(args=["starters", "create", *args])
    assert result.exit_code == 1
    assert message in result.output
    assert db.session.scalar(select(func.count()).select_from(Questionnaire)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_the_checklist_offers_not_applicable_as_a_coded_answer_kept_out_of_shares(db, make):
    questionnaire = service.create_from("mystery_shopping", make.programme(), "website-check", ["de", "en"])
    checks = [item for item in questionnaire.items if item.type == "yesno"]
    assert len(checks) == 10 and all(item.required for item in checks)
    for item in checks:
        assert [(choice.code, str(choice.label)) for choice in item.kind.offered(item, "en")][-1] == (
            "dk", "not applicable")
        assert str(item.kind.offered(item, "de")[-1].label) == "nicht zutreffend"
        assert item.kind.share_codes(item, 1) == ["yes"]
    assert {item.code for item in questionnaire.items if item.type == "longtext"} == {
        "evidence_finding", "evidence_contact", "evidence_language"}


def test_the_youth_survey_offers_dont_know_where_it_fits(db, make):
    questionnaire = service.create_from("youth_survey", make.programme(), "youth", ["en"])
    declinable = {item.code for item in questionnaire.items if item.settings.get("dont_know")}
    assert declinable == {"safe_evening", "taken_seriously", "stay_here"}
    stay = next(item for item in questionnaire.items if item.code == "stay_here")
    assert [choice.code for choice in stay.kind.offered(stay, "en")] == ["yes", "no", "dk"]


@pytest.mark.parametrize(("pathway", "post", "follow_up"), [
    (None, {"attention": "output", "risk_aware": "short_term", "careful_driving": "short_term",
            "remember_story": "short_term"},
     {"careful_driving": "long_term", "changed_driving": "long_term", "near_miss": "long_term"}),
    ("phineo", {"attention": "phineo_3", "risk_aware": "phineo_4", "careful_driving": "phineo_4",
                "remember_story": "phineo_4"},
     {"careful_driving": "phineo_5", "changed_driving": "phineo_5", "near_miss": "phineo_6"}),
])
def test_close_to_items_sit_on_the_programme_s_outcome_pathway(db, make, pathway, post, follow_up):
    programme = make.programme()
    programme.pathway = pathway
    for key, slug, expected in (("close_to_post_session", "post", post),
                                ("close_to_follow_up", "follow-up", follow_up)):
        questionnaire = service.create_from(key, programme, slug, ["de", "en"])
        assert {item.code: item.stage for item in questionnaire.items if item.stage} == expected
