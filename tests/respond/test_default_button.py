"""Enter (a phone keyboard's "Go") presses the form's first submit button: on every respondent page that is a
hidden Next (Submit on the last page), never a language button."""
from html.parser import HTMLParser

from tests.conftest import hidden_fields
from tests.respond.test_flow import way  # noqa: F401 (the three entry points, as a fixture)

ITEMS = [
    ("name", "text", False, 1, {}, []),
    ("age", "number", False, 2, {}, []),
]


class SubmitButtons(HTMLParser):
    """The submit buttons inside the page's form, in document order, as their attribute dicts."""

    def __init__(self):
        super().__init__()
        self.in_form, self.buttons = False, []

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.in_form = True
        elif tag == "button" and self.in_form and dict(attrs).get("type", "submit") == "submit":
            self.buttons.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False


def submit_buttons(html: str) -> list[dict]:
    parser = SubmitButtons()
    parser.feed(html)
    return parser.buttons


def assert_default_is(buttons: list[dict], value: str, langs=("de", "ar", "en")) -> None:
    first = buttons[0]
    assert (first["name"], first["value"]) == ("nav", value)
    assert first["tabindex"] == "-1" and first["aria-hidden"] == "true", "out of the tab order and unheard"
    assert "default-submit" in first["class"].split()
    assert [b["value"] for b in buttons if b.get("name") == "lang"] == list(langs)


def test_first_submit_button_moves_on_not_the_language(client, make):
    questionnaire = make.questionnaire(items=ITEMS, languages=("de", "ar", "en"))
    first = client.get(f"/s/{questionnaire.slug}?lang=ar").get_data(as_text=True)
    assert_default_is(submit_buttons(first), "next")
    moved = client.post(f"/s/{questionnaire.slug}", data={**hidden_fields(first), "q_name": "Amal", "nav": "next"})
    assert moved.status_code == 302
    last = client.get(moved.location).get_data(as_text=True)
    assert 'name="page" value="2"' in last
    assert_default_is(submit_buttons(last), "submit")


def test_pressing_the_default_button_moves_on_in_the_same_language(client, make):
    """What the browser sends on Enter: the fields and the default button's name and value, no `lang`."""
    questionnaire = make.questionnaire(items=ITEMS, languages=("de", "ar", "en"))
    first = client.get(f"/s/{questionnaire.slug}?lang=ar").get_data(as_text=True)
    default = submit_buttons(first)[0]
    moved = client.post(f"/s/{questionnaire.slug}",
                        data={**hidden_fields(first), "q_name": "Amal", default["name"]: default["value"]})
    assert moved.status_code == 302
    assert '<html lang="ar"' in client.get(moved.location).get_data(as_text=True)


def test_every_entry_point_has_the_default_button(way):  # noqa: F811
    """The public link, the personal link and the preview: Next on page 1, Submit on the last page."""
    assert_default_is(submit_buttons(way.open().get_data(as_text=True)), "next", ("en", "de"))
    way.through_page_one()
    assert_default_is(submit_buttons(way.open(2).get_data(as_text=True)), "submit", ("en", "de"))
