"""A respondent who answers whatever a page asks (first option, smallest number, a text of the test's choosing),
for tests that need full respondent cycles of any questionnaire, the demo's included."""
import html as html_lib
import re

from tests.conftest import hidden_fields

MAX_PAGES = 20


def page_answers(html: str, text: str) -> dict[str, str]:
    """Values for every question on the page: the first option, the lowest number allowed, `text` for texts."""
    answers: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="(q_[^"]+)"', tag)
        if not name or name.group(1) in answers:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        kind = kind.group(1) if kind else "text"
        value = re.search(r'value="([^"]*)"', tag)
        if kind in ("radio", "checkbox") and value:
            answers[name.group(1)] = html_lib.unescape(value.group(1))
        elif kind == "number" or "inputmode=" in tag:
            low = re.search(r'min="(-?\d+)"', tag)
            answers[name.group(1)] = low.group(1) if low else "30"
        elif kind in ("text", "email", "tel"):
            answers[name.group(1)] = text
    for name in re.findall(r'<textarea[^>]*name="(q_[^"]+)"', html):
        answers[name] = text
    for name, options in re.findall(r'<select[^>]*name="(q_[^"]+)"[^>]*>(.*?)</select>', html, re.S):
        values = [v for v in re.findall(r'<option[^>]*value="([^"]+)"', options)]
        if values:
            answers[name] = html_lib.unescape(values[0])
    return answers


def answer_all(client, url: str, text: str) -> int:
    """Answer every page from `url` to the end; the number of pages answered."""
    page = client.get(url)
    for answered in range(MAX_PAGES):
        html = page.get_data(as_text=True)
        action = re.search(r'<form method="post" action="([^"]+)"', html)
        if page.status_code != 200 or not action:
            return answered
        nav = "submit" if 'name="nav" value="submit"' in html else "next"
        data = {**hidden_fields(html), **page_answers(html, text), "nav": nav}
        sent = client.post(html_lib.unescape(action.group(1)), data=data)
        assert sent.status_code == 302, (sent.status_code, sent.get_data(as_text=True)[:2000])
        page = client.get(sent.location)
    raise AssertionError("more pages than a questionnaire has")
