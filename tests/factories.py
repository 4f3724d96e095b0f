"""Factories for rows, so tests say what matters and nothing else."""
import itertools

from surveyapp.accounts.models import Role
from surveyapp.accounts.service import create_user
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Status

_seq = itertools.count(1)
PASSWORD = "correct horse battery"


class Factories:
    def __init__(self, db):
        self.db = db

    def programme(self, code: str | None = None, name: str = "Programme") -> Programme:
        programme = Programme(code=code or f"prog{next(_seq)}", name=name)
        self.db.session.add(programme)
        self.db.session.commit()
        return programme

    def user(self, role: Role = Role.MANAGER, programme: Programme | None = None, email: str | None = None):
        email = email or f"{role.value}{next(_seq)}@example.org"
        if role is not Role.ADMIN and programme is None:
            programme = self.programme()
        user = create_user(email, PASSWORD, role, programme.code if programme else None)
        self.db.session.commit()
        return user

    def questionnaire(self, programme: Programme | None = None, *, slug: str | None = None,
                      languages=("de", "en"), status: Status = Status.OPEN, items=None, pages: int = 1):
        """A questionnaire with one item of each common type unless `items` is given.

        `items` is a list of (code, type, required, page, settings, options) tuples.
        """
        programme = programme or self.programme()
        questionnaire = builder.create_questionnaire(
            programme.id, slug or f"survey-{next(_seq)}", languages[0], list(languages), "Titel"
        )
        for lang in languages:
            builder.set_questionnaire_texts(questionnaire, lang, {"title": f"Title {lang}", "thanks": f"Thanks {lang}"})
        for code, type_code, required, page, settings, options in items or default_items(pages):
            builder.add_item(
                questionnaire, code, type_code, required=required, page=page, settings=settings,
                texts={lang: {"label": f"{code} ({lang})"} for lang in languages},
                options=[(option, {lang: f"{option}-{lang}" for lang in languages}) for option in options],
            )
        if status is not Status.DRAFT:
            builder.set_status(questionnaire, status)
        self.db.session.commit()
        return questionnaire


def default_items(pages: int = 1):
    last = pages
    return [
        ("agree", "likert", True, 1, {"points": 5}, []),
        ("colour", "single", True, 1, {}, ["red", "green", "blue"]),
        ("tools", "multiple", False, 1, {}, ["bike", "car", "bus"]),
        ("ok", "yesno", False, 1, {}, []),
        ("age", "number", True, last, {"min": 15, "max": 99}, []),
        ("name", "text", False, last, {}, []),
        ("story", "longtext", False, last, {}, []),
        ("when", "date", False, last, {}, []),
        ("nps", "scale10", False, last, {}, []),
    ]
