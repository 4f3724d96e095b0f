"""Helpers for driving the builder through HTTP as a browser would."""
import re

from tests.conftest import csrf_token


class Builder:
    """Posts the staff forms with the session's CSRF token; returns the response."""

    def __init__(self, client):
        self.client = client
        self.token = csrf_token(client, "/manage/")

    def post(self, url: str, data: dict | None = None, **kwargs):
        return self.client.post(url, data={"csrf_token": self.token, **(data or {})}, **kwargs)

    def create(self, programme_id: int, slug: str = "fahrt", title: str = "Fahrstunde",
               languages: str = "de, en"):
        return self.post("/manage/questionnaires/new", {"programme_id": programme_id, "title": title,
                                                         "slug": slug, "default_lang": "de",
                                                         "languages": languages})

    def add_item(self, questionnaire_id: int, code: str, type_code: str, label: str, **extra):
        data = {"code": code, "type": type_code, "page": 1, "label": label, "points": 5, **extra}
        return self.post(f"/manage/questionnaires/{questionnaire_id}/items/new", data)


def item_fields(item, **changes) -> dict:
    """The edit form of an item as the page shows it, with `changes` applied."""
    label = item.text("label", item.questionnaire.default_lang)
    data = {"code": item.code, "page": item.page, "label": label, "points": 5, **item.settings}
    if item.required:
        data["required"] = "y"
    return {**data, **changes}


def id_from(location: str, kind: str) -> int:
    return int(re.search(rf"/{kind}/(\d+)", location).group(1))
