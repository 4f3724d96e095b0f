"""Earlier answers piped into item texts, option labels and page titles: in the page's language, escaped, empty
while unanswered, never into another respondent's page."""
from types import SimpleNamespace

from surveyapp.itemtypes import item_type
from surveyapp.piping import answer_texts, pipe, pipe_html, placeholders, readable
from surveyapp.questionnaires import service as builder
from tests.conftest import hidden_fields

ITEMS = [
    ("name", "text", False, 1, {}, []),
    ("vehicle", "single", True, 1, {}, ["bike", "car"]),
    ("drives", "yesno", False, 1, {}, []),
    ("tools", "multiple", False, 1, {}, ["map", "phone"]),
    ("how", "longtext", False, 2, {}, []),
    ("rate", "single", False, 2, {}, ["better", "worse"]),
]
SCRIPT = "<script>alert(1)</script>"
PAGE1 = {"q_name": SCRIPT, "q_vehicle": "bike", "q_drives": "yes", "q_tools": ["map", "phone"], "nav": "next"}


def piped_questionnaire(make, db):
    questionnaire = make.questionnaire(items=ITEMS, languages=("en", "de"))
    items = {item.code: item for item in questionnaire.items}
    for lang, hello in (("en", "Hello"), ("de", "Hallo")):
        builder.set_item_texts(items["vehicle"], lang, {"help": f"{hello} {{name}}!"})
        builder.set_item_texts(items["how"], lang, {"label": f"{{vehicle}}, {{name}}: {{drives}} ({lang})",
                                                    "help": "With {tools}; { unknown } stays."})
        builder.update_option(items["rate"].options[0], "better", {lang: f"Better than the {{vehicle}} ({lang})"})
        builder.set_questionnaire_texts(questionnaire, lang, {"page.2": f"About {{name}} ({lang})"})
    db.session.commit()
    return questionnaire


def test_answers_are_piped_escaped_in_each_language(app, make, db):
    questionnaire = piped_questionnaire(make, db)
    client, url = app.test_client(), f"/s/{questionnaire.slug}"
    moved = client.post(url, data={**hidden_fields(client.get(url).get_data(as_text=True)), **PAGE1})
    assert moved.status_code == 302
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    english = client.get(f"{url}?page=2&lang=en").get_data(as_text=True)
    assert f"<bdi>bike-en</bdi>, <bdi>{escaped}</bdi>: <bdi>Yes</bdi> (en)" in english
    assert "With <bdi>map-en, phone-en</bdi>; { unknown } stays." in english
    assert "Better than the <bdi>bike-en</bdi> (en)" in english
    assert f"<h2>About <bdi>{escaped}</bdi> (en)</h2>" in english
    german = client.get(f"{url}?page=2&lang=de").get_data(as_text=True)
    assert f"<bdi>bike-de</bdi>, <bdi>{escaped}</bdi>: <bdi>Ja</bdi> (de)" in german
    assert "With <bdi>map-de, phone-de</bdi>;" in german
    assert "Better than the <bdi>bike-de</bdi> (de)" in german and f"About <bdi>{escaped}</bdi> (de)" in german
    assert SCRIPT not in english + german
    assert f"Hello <bdi>{escaped}</bdi>!" in client.get(f"{url}?page=1&lang=en").get_data(as_text=True)


def test_a_new_respondent_sees_nothing_of_anothers_answers(app, make, db):
    questionnaire = piped_questionnaire(make, db)
    url = f"/s/{questionnaire.slug}?lang=en"
    first = app.test_client()
    blank = first.get(url).get_data(as_text=True)
    assert "Hello !" in blank  # not answered yet: an empty text
    first.post(url, data={**hidden_fields(blank), **PAGE1, "q_name": "Anna"})
    assert "Hello <bdi>Anna</bdi>!" in first.get(url + "&page=1").get_data(as_text=True)
    for _ in range(2):  # the second new respondent's page is spliced from the cached blank one
        other = app.test_client().get(url).get_data(as_text=True)
        assert "Anna" not in other and "Hello !" in other


def test_answer_texts_reads_labels_in_the_language_asked(app, make):
    questionnaire = make.questionnaire(items=ITEMS, languages=("en", "de"))
    with app.test_request_context():
        texts = answer_texts(questionnaire.items, {"vehicle": ["car"], "drives": ["no"], "tools": ["map", "x"],
                                                   "how": ["Fine"]}, "de")
    assert texts == {"name": "", "vehicle": "car-de", "drives": "Nein", "tools": "map-de, x", "how": "Fine",
                     "rate": ""}


def test_pipe_leaves_unknown_placeholders_and_skips_items_without_answers():
    display = SimpleNamespace(code="intro", kind=item_type("display"))
    assert answer_texts([display], {"intro": ["x"]}, "en") == {}
    assert pipe("{a} and {b}", {"a": "1"}) == "1 and {b}"
    assert placeholders("{a} {b_2} {} {c d}") == {"a", "b_2"}


def test_pipe_html_escapes_the_wording_and_isolates_each_value():
    html = pipe_html("<b>{a}</b> & {b}{c}", {"a": "x < y", "c": ""})
    assert html == "&lt;b&gt;<bdi>x &lt; y</bdi>&lt;/b&gt; &amp; {b}"


def test_a_fallback_stands_in_for_a_missing_value_and_a_missing_fact_is_empty():
    text = "Since {place|your school} ({date}), {vehicle|your car}: {a}"
    assert pipe(text, None) == "Since your school (), your car: {a}"
    assert pipe(text, {"place": "Graz", "date": "3 March", "vehicle": ""}) == "Since Graz (3 March), your car: {a}"
    assert pipe_html("<{place|a & b}> {date|x}", {"date": "<1>"}) == "&lt;a &amp; b&gt; <bdi>&lt;1&gt;</bdi>"
    assert placeholders("{place|your school} {a|} {b|{c}}") == {"place", "a", "c"}


def test_reports_read_pipes_as_brackets_or_their_fallback():
    assert readable("At {place|your school} on {date}, {vehicle}?") == "At your school on [date], [vehicle]?"


def test_a_right_to_left_override_in_an_answer_ends_with_the_answer(app, make, db):
    questionnaire = piped_questionnaire(make, db)
    client, url = app.test_client(), f"/s/{questionnaire.slug}"
    client.post(url, data={**hidden_fields(client.get(url).get_data(as_text=True)), **PAGE1,
                           "q_name": "\u202eevil"})
    html = client.get(f"{url}?page=2&lang=en").get_data(as_text=True)
    assert "<bdi>bike-en</bdi>, <bdi>\u202eevil</bdi>: <bdi>Yes</bdi> (en)" in html  # the question's own words
    assert "<h2>About <bdi>\u202eevil</bdi> (en)</h2>" in html  # stay outside the isolate
