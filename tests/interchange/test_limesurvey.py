"""LimeSurvey files (.lss) read into Drafts and created as questionnaires: the real files in
../shared/limesurvey/ (LimeSurvey's own demo surveys), hostile XML refused (service, command line, upload),
ExpressionScript translated, HTML made plain.

Each shared file is read once per module (drafts are plain data); creating runs per test, in the test's
database, through interchange.service.create, the command line or the builder's upload.
"""
import os
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from surveyapp import create_app
from surveyapp.interchange import limesurvey, service
from surveyapp.interchange.lss_expressions import Target, Untranslatable, translate
from surveyapp.interchange.lss_file import NotLimeSurvey
from surveyapp.interchange.lss_text import pipes, plain
from surveyapp.questionnaires.models import Page, Questionnaire
from tests.conftest import _test_config
from tests.interchange import test_views
from tests.interchange.test_views import _confirm, _counts, _upload

SHARED = Path(__file__).parents[2].parent / "shared" / "limesurvey"
FILES = sorted(path.name for path in SHARED.glob("*.lss")) if SHARED.is_dir() else []
manager = test_views.manager  # the upload's fixture: a logged-in manager of a programme
needs_files = pytest.mark.skipif(not FILES and os.environ.get("CI") != "true",
                                 reason="../shared/limesurvey is not here")


@pytest.fixture(scope="module")
def drafts(database_url):
    """Every shared file's draft, read once per module in an app context of its own (messages in English):
    reading stores nothing, so no test database is needed."""
    with create_app(_test_config(database_url, None)).app_context():
        yield {name: limesurvey.read((SHARED / name).read_bytes()) for name in FILES}


def items(read) -> dict[str, dict]:
    return {item["code"]: item for page in read.data["pages"] for item in page["items"]}


def reasons(read) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in read.problems:
        found.setdefault(problem.where, []).append(problem.reason)
    return found


# --- every shared file ---
@needs_files
@pytest.mark.parametrize("name", FILES)
def test_every_file_reads_with_problems_named_by_question_or_group(drafts, name):
    read = drafts[name]
    assert read.source == "limesurvey" and read.item_count > 20
    assert all(problem.where.startswith(("question ", "group ")) for problem in read.problems)
    assert all(problem.reason.endswith(".") for problem in read.problems)


@needs_files
@pytest.mark.parametrize("name", FILES)
def test_every_file_creates_a_questionnaire_when_problems_are_skipped(app, db, make, drafts, name):
    """Refused while it has problems; with them skipped, every item, text (in every language) and condition
    of the draft is in the database, each page's condition too."""
    read = drafts[name]
    with pytest.raises(service.Refused):
        service.create(read, make.programme(), "refused")
    db.session.rollback()
    questionnaire = service.create(read, make.programme(), "imported", skip_unsupported=True)
    db.session.commit()
    assert questionnaire.languages == read.data["languages"]
    stored = {item.code: item for item in questionnaire.items}
    for spec in (spec for page in read.data["pages"] for spec in page["items"]):
        item = stored[spec["code"]]
        assert (item.type, item.condition) == (spec["type"], spec.get("condition"))
        assert {lang: item.text("label", lang) for lang in questionnaire.languages} == spec["texts"]["label"]
        assert [part.condition for part in item.parts][:len(spec.get("rows", []))] == \
            [row.get("condition") for row in spec.get("rows", [])]
    conditions = [page.get("condition") for page in read.data["pages"]]
    assert [(questionnaire.page(n) or Page()).condition for n in range(1, len(conditions) + 1)] == conditions
    assert max(item.page for item in questionnaire.items) == len(read.data["pages"])


# --- languages and texts (the multilingual LimeSurvey 5 file) ---
LS5 = "ls5_sample_survey_multilingual_fr_de_en_it.lss"


@needs_files
def test_every_language_of_the_file_with_a_variant_read_as_its_base(drafts):
    read = drafts[LS5]
    assert read.data["languages"] == ["en", "fr", "it", "de"]
    assert read.notes == ["LimeSurvey language “de-informal” read as “de”."]
    assert read.data["title"]["de"] == "Beispielfragebogen für Limesurvey EN/FR/DE"
    assert read.data["texts"]["intro"]["fr"].startswith("Ce sondage montre")
    assert "<" not in read.data["texts"]["intro"]["en"] and "\n" in read.data["texts"]["intro"]["en"]
    yes_no = items(drafts[LS5])["y"]
    assert yes_no["type"] == "yesno" and yes_no["texts"]["label"] == {"en": "Yes/No", "fr": "Oui/Non",
                                                                       "it": "Sì/No", "de": "Ja/Nein"}


@needs_files
def test_question_types_map_to_the_registry(drafts):
    found = items(drafts[LS5])
    types = {code: found[code]["type"] for code in ("s", "t", "h", "n", "y", "g", "q5", "ldd", "l", "d", "x",
                                                    "f", "abc", "a", "b", "e", "c", "m", "r")}
    assert types == {"s": "text", "t": "longtext", "h": "longtext", "n": "number", "y": "yesno", "g": "single",
                     "q5": "likert", "ldd": "single", "l": "single", "d": "date", "x": "display", "f": "matrix",
                     "abc": "matrix", "a": "matrix", "b": "matrix", "e": "matrix", "c": "matrix", "m": "multiple",
                     "r": "ranking"}
    assert found["l"]["settings"]["other"] is True and found["m"]["settings"]["other"] is True
    assert found["a"]["settings"] == {"scale": "likert", "points": 5}
    assert [option["code"] for option in found["c"]["options"]] == ["y", "n", "u"]
    assert found["c"]["options"][0]["label"] == {"en": "Yes", "fr": "Oui", "it": "Sì", "de": "Ja"}
    assert [row["code"] for row in found["f"]["rows"]] == ["sq01", "sq02", "sq03", "sq04"]
    assert found["r1"]["settings"] == {"rank_at_most": 2, "rank_exactly": True}
    assert found["s1"]["settings"] == {"pattern": "-?[0-9]+[.,0-9]*"}  # numbers only
    assert reasons(drafts[LS5])["question ldd"] == ["its default answer is left out: an item starts unanswered."]


@needs_files
def test_unsupported_types_are_reported_question_by_question(drafts):
    found = reasons(drafts[LS5])
    for code, kind in (("Q", "Q"), ("MN", "K"), ("AT", ";"), ("ANT", ":"), ("I", "I"), ("O", "O"), ("dual", "1"),
                       ("K", "P")):
        assert any(f"its type “{kind}”" in reason for reason in found[f"question {code}"]), code
        assert code.lower() not in items(drafts[LS5])


@needs_files
def test_relevance_equations_become_conditions(drafts):
    found = items(drafts[LS5])
    assert found["qcyes"]["condition"] == "qc = 'yes'"
    assert found["qcdefault"]["condition"] == "empty(qc)"
    assert found["qcs3"]["condition"] == ("(selected(qcs1, 'sh101') or selected(qcs1, 'sh102')) or "
                                          "(selected(qcs2, 'sq201') or selected(qcs2, 'sq202'))")  # SGQA names
    assert found["faf"]["condition"] == "count(af) > 0"
    assert [row["condition"] for row in found["faf"]["rows"]][:2] == ["selected(af, 'sq01')", "selected(af, 'sq02')"]
    assert found["fafe"]["rows"][0]["condition"] == "not selected(af, 'sq01')"


# --- group relevance ---
GROUPS = "ls205_group_relevance.lss"


@needs_files
def test_group_relevance_becomes_the_page_condition(drafts):
    pages = drafts[GROUPS].data["pages"]
    assert [page.get("condition") for page in pages] == [
        None, "cohabs > 0", "cohabs > 1 and answered(p1rel)", "cohabs > 2 and answered(p2rel)",
        "cohabs > 3 and answered(p3rel)", "answered(cohabs)", None]
    finished = reasons(drafts[GROUPS])["group “Finished”"]
    assert finished == ["its condition “!is_empty(cohabs) && count(p1rel.NAOK, p2rel.NAOK, p3rel.NAOK, "
                        "p4rel.NAOK) == cohabs” is left out (the function count() is not supported here), so "
                        "the page is shown to everyone."]
    assert items(drafts[GROUPS])["age"]["settings"] == {"decimals": 6, "min": 18, "max": 65}
    assert items(drafts[GROUPS])["p1age"]["texts"]["label"]["en"] == "How old is {p1name}?"  # a pipe kept
    assert any("{if (p1sex == 'M' , 'his' , 'her')}" in reason for reason in reasons(drafts[GROUPS])["question p1name"])


# --- validation ---
VALIDATION = "ls205_validation_tests.lss"


@needs_files
def test_validation_maps_where_it_fits_and_is_reported_where_not(drafts):
    found, problems = items(drafts[VALIDATION]), reasons(drafts[VALIDATION])
    assert found["v1mc"]["settings"] == {"other": True, "min_choices": 1, "max_choices": 3}
    assert found["vs"]["settings"] == {"pattern": r"\$?\d+(\.(\d{2}))?"}
    assert found["minselect"]["settings"] == {"decimals": 0, "min": 0, "max": 5}
    assert "min_num_value_n “yearsMarried” is not a whole number and is left out." in problems["question v5N"]
    assert any("its format" in reason for reason in problems["question vT"])  # long text: no pattern
    assert any("options cannot be filtered" in reason for reason in problems["question afL"])
    assert "min_answers “minSelect” is not a fixed number and is left out." in problems["question afMC"]
    assert found["afmc"]["texts"]["other_label"] == {"en": "{afsrcfilter_other_text}"}  # the other's text piped


# --- array filters ---
FILTERS = "ls205_array_filter_tests.lss"


@needs_files
def test_array_filters_from_a_ranking_show_rows_of_ranked_options(drafts):
    found, problems = items(drafts[FILTERS]), reasons(drafts[FILTERS])
    assert [row["condition"] for row in found["afivet1"]["rows"]][:2] == ["answered(ft1_sq1)", "answered(ft1_sq2)"]
    assert found["afiveet1"]["rows"][0]["condition"] == "not answered(ft1_sq1)"
    assert problems["question afivet2"] == ["its array filter on “ft2” is left out: it must name an earlier "
                                            "multiple choice or ranking that was imported."]  # ft2: an array
    assert any("options cannot be filtered" in reason for reason in problems["question listt1"])


# --- the classic sample survey ---
SAMPLE = "ls205_sample_survey_english.lss"


@needs_files
def test_sample_survey_maps_its_types_and_reports_the_rest(drafts):
    found, problems = items(drafts[SAMPLE]), reasons(drafts[SAMPLE])
    assert found["married"]["type"] == "yesno" and found["yearsmarried"]["condition"] == "married = 'yes'"
    assert found["q5pointchoice"]["condition"] == "selected(onpagerelevance, 'q5c')"
    assert found["qgender"]["options"] == [{"code": "f", "label": {"en": "Female"}},
                                           {"code": "m", "label": {"en": "Male"}}]
    for code, kind in (("qFileUpload", "|"), ("hidden2", "*"), ("qLanguage", "I"), ("qMultipleNumerical", "K")):
        assert any(f"its type “{kind}”" in reason for reason in problems[f"question {code}"]), code
    assert any("hidden" in reason for reason in problems["question hidden1"])


# --- refused files: nothing stored ---
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>
<document><LimeSurveyDocType>Survey</LimeSurveyDocType><DBVersion>&lol9;</DBVersion></document>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<document><LimeSurveyDocType>Survey</LimeSurveyDocType><DBVersion>177</DBVersion>
<languages><language>&secret;</language></languages></document>"""


@pytest.mark.parametrize(("data", "message"), [
    (BOMB, "unsafe XML"),
    (EXTERNAL, "unsafe XML"),
    (b"PK\x03\x04 not xml at all", "not readable XML"),
    (b"<document><LimeSurveyDocType>Group</LimeSurveyDocType></document>", "<LimeSurveyDocType>Survey"),
    (b"<document><LimeSurveyDocType>Survey</LimeSurveyDocType><DBVersion>111</DBVersion></document>",
     "DBVersion 111"),
])
def test_hostile_or_foreign_files_are_refused_fast(drafts, data, message):
    """Reading stores nothing; the command line and the upload below show that nothing is stored."""
    started = time.perf_counter()
    with pytest.raises(NotLimeSurvey) as refused:
        service.read("survey.lss", data)
    assert time.perf_counter() - started < 1
    assert message in str(refused.value.message) and refused.value.status_code == 422


# --- the pieces, without files ---
QUESTIONS = {"q1": Target("q1", {"A1": "a1", "A2": "a2"}), "age": Target("age"), "yn": Target("yn", {"Y": "yes"}),
             "m_sq1": Target("m", choice="sq1"), "m": Target("m", {}, multi=True)}


def _resolve(name):
    if name not in QUESTIONS:
        raise Untranslatable("unknown")
    return QUESTIONS[name]


@pytest.mark.parametrize(("equation", "condition"), [
    ("1", None), ("", None),
    ('q1.NAOK == "A1"', "q1 = 'a1'"), ("q1 != 'A2'", "q1 != 'a2'"),
    ("yn == 'Y'", "yn = 'yes'"), ("!is_empty(age)", "answered(age)"), ("is_empty(q1)", "empty(q1)"),
    ("age >= 18 && age < 65 || !(q1 == 'A1')", "age >= 18 and age < 65 or not q1 = 'a1'"),
    ("age gt 5 and yn eq 'Y'", "age > 5 and yn = 'yes'"), ("18 <= age", "age >= 18"),
    ('m_sq1 == "Y"', "selected(m, 'sq1')"), ('m_sq1.NAOK != "Y"', "not selected(m, 'sq1')"),
    ("count(that.m) >= 2", "count(m) >= 2"), ('q1 == ""', "empty(q1)"), ("age > -1", "age > -1"),
])
def test_expressionscript_translates_what_fits(equation, condition):
    assert translate(equation, _resolve) == condition


@pytest.mark.parametrize("equation", [
    "q1 == 'A9'", "age + 1 > 3", "strlen(q1) > 2", "age = 3", "q1.shown == 'x'", "age", "count(q1, age) > 1",
    "(age > 1", "age > 'abc' && $", "m == 'x'", 'Q1.NAOK == "A1"',
])
def test_expressionscript_refuses_what_does_not(equation):
    with pytest.raises(Untranslatable):
        translate(equation, _resolve)


def test_html_becomes_plain_text_with_line_breaks():
    html = ("<p>Hello&nbsp;<b>you</b>,</p>\n<p>line<br/>two &amp; <script>alert(1)</script>"
            "<style>p{}</style></p><ul><li>a</li><li>b</li></ul>")
    assert plain(html) == "Hello you,\n\nline\ntwo &\n\na\n\nb"
    assert plain("<img src=x onerror=alert(1)>&lt;b&gt;") == "<b>"


def test_pipes_are_rewritten_and_expressions_taken_out():
    text, dropped = pipes("Hi {Name}, {if(a, 'x', 'y')} you are {Age.shown}.", {"Name": "name", "Age": "age"}.get)
    assert text == "Hi {name}, you are {age}." and dropped == ["{if(a, 'x', 'y')}"]
    text, dropped = pipes("A {if(x, {Name}, 'y')} b { c", {"Name": "name"}.get)
    assert text == "A b { c" and dropped == ["{if(x, {Name}, 'y')}"]


# --- a small file of our own: codes, languages, conditions on what was left out ---
def _rows(table: str, rows: list[dict]) -> str:
    cells = "".join("<row>" + "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in row.items()) + "</row>"
                    for row in rows)
    return f"<{table}><rows>{cells}</rows></{table}>"


def _question(qid, title, kind, text, order, relevance="1", lang="en", gid="1", mandatory="N"):
    return {"qid": qid, "parent_qid": "0", "gid": gid, "type": kind, "title": title, "question": text,
            "mandatory": mandatory, "other": "N", "question_order": order, "language": lang,
            "relevance": relevance, "scale_id": "0"}


def _small_survey() -> bytes:
    questions = [
        _question("1", "Q1", "Y", "<b>First</b>", 1, mandatory="Y"),
        _question("1", "Q1", "Y", "Erste", 1, "1", "de-easy"),
        _question("2", "q1", "S", "Second {Q1}", 2, 'Q1 == "Y"'), _question("3", "k1", "K", "Numbers", 3),
        _question("4", "a-b", "N", "Third", 4, "!is_empty(k1) or q1 == 'x'"),
        _question("5", "later", "S", "Fourth", 5, "!is_empty(last)"), _question("6", "last", "S", "Last", 6, gid="2"),
    ]
    return ("<document><LimeSurveyDocType>Survey</LimeSurveyDocType><DBVersion>177</DBVersion>"
            "<languages><language>en</language><language>de-easy</language></languages>"
            + _rows("groups", [{"gid": "1", "group_name": "Start", "group_order": "0", "language": "en"},
                               {"gid": "2", "group_name": "Yes", "group_order": "1", "language": "en",
                                "grelevance": 'Q1.NAOK == "Y"'}])
            + _rows("questions", questions)
            + _rows("surveys", [{"language": "en", "additional_languages": "de-easy"}])
            + _rows("surveys_languagesettings", [{"surveyls_language": "en", "surveyls_title": "Small"}])
            + "</document>").encode()


def test_codes_are_sanitised_unique_and_followed_by_conditions_and_pipes(drafts):
    read = limesurvey.read(_small_survey())
    found = items(read)
    assert list(found) == ["q1", "q1_2", "a_b", "later", "last"]
    assert found["q1"]["required"] is True and found["q1"]["texts"]["label"] == {"en": "First", "de": "Erste"}
    assert found["q1_2"]["condition"] == "q1 = 'yes'" and found["q1_2"]["texts"]["label"]["en"] == "Second {q1}"
    assert read.data["languages"] == ["en", "de"] and read.notes == ["LimeSurvey language “de-easy” read as “de”."]
    assert "condition" not in found["a_b"] and "condition" not in found["later"]
    problems = reasons(read)
    assert problems["question a-b"] == ["its condition “!is_empty(k1) or q1 == 'x'” is left out (it reads k1, "
                                        "which is left out), so the question is shown to everyone."]
    assert problems["question later"] == ["its condition “!is_empty(last)” is left out (it reads last, which is "
                                          "not asked before it), so the question is shown to everyone."]


def test_deeply_nested_or_overlong_equations_are_refused_not_crashed():
    with pytest.raises(Untranslatable):
        translate("!" * 5000 + "is_empty(age)", _resolve)
    with pytest.raises(Untranslatable):
        translate("(" * 600 + "age > 1" + ")" * 600, _resolve)


# --- through the command line and the builder's upload ---
def test_the_command_line_imports_every_language_and_reports_each_question(runner, db, make, tmp_path):
    make.programme(code="council")
    path = tmp_path / "small.lss"
    path.write_bytes(_small_survey())
    args = ["questionnaires", "import", str(path), "--programme", "council", "--slug", "small"]
    refused = runner.invoke(args=args)
    assert refused.exit_code == 1 and "not imported: question k1: its type “K”" in refused.output
    created = runner.invoke(args=[*args, "--skip-unsupported"])
    assert created.exit_code == 0, created.output
    assert "note: LimeSurvey language “de-easy” read as “de”." in created.output
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == "small"))
    assert questionnaire.languages == ["en", "de"] and questionnaire.page(2).condition == "q1 = 'yes'"
    assert questionnaire.items[0].text("label", "de") == "Erste"


def test_an_xml_bomb_is_refused_on_the_command_line_and_in_the_upload(runner, client, db, manager, tmp_path):
    path = tmp_path / "bomb.lss"
    path.write_bytes(BOMB)
    result = runner.invoke(args=["questionnaires", "import", str(path), "--programme", manager.code])
    assert result.exit_code == 1 and "unsafe XML" in result.output
    before = _counts(db)
    response = _upload(client, manager, EXTERNAL, "survey.lss")
    assert response.status_code == 422 and "unsafe XML" in response.get_data(as_text=True)
    assert _counts(db) == before
    assert db.session.scalar(select(func.count()).select_from(Questionnaire)) == 0


def test_the_upload_previews_page_conditions_and_problems_then_creates(client, db, manager):
    preview = _upload(client, manager, _small_survey(), "small.lss")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "q1 = &#39;yes&#39;" in html and "question a-b" in html
    assert _confirm(client, preview).status_code == 422
    assert _confirm(client, preview, skip_unsupported="y").status_code == 302
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.programme_id == manager.id))
    assert questionnaire.page(2).condition == "q1 = 'yes'"
