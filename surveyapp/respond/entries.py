"""The public link and the builder's preview as entry points of the one page flow (see respond.flow).

The personal link (/i/<token>) is in respond.invitation: it needs the waves package, these two do not.
"""
import json
from collections.abc import MutableMapping

from flask import url_for

from surveyapp.questionnaires.models import Questionnaire
from surveyapp.respond import service
from surveyapp.respond.flow import EntryPoint, Stored, kept_in


class Public(EntryPoint):
    """The public link /s/<slug>. The key comes with the respondent: from their resume cookie on a GET (None for
    a new respondent, who is then given a fresh one without any lookup) and from the form on a POST."""

    continue_later = True

    def __init__(self, questionnaire: Questionnaire, lang: str, key: str | None = None):
        super().__init__(questionnaire, lang)
        self.key = key

    def form_key(self) -> str:
        if self.key is None:
            self.key = service.new_response_key()
        return self.key

    def check(self, form) -> None:
        self.key = service.checked_key(form.rk.data)

    def stored(self) -> Stored | None:
        return kept_in(service.find_response(self.key, self.questionnaire), self.questionnaire)

    def save(self, page, answers, *, final):
        service.save_page(self.questionnaire, self.key, page, self.lang, answers, final=final)

    def keep_draft(self, page, answers, *, resume_here):
        service.save_draft(self.questionnaire, self.key, self.lang, answers,
                           resume_page=page if resume_here else None)

    def answered(self) -> set[int]:
        return service.answered_items(self.questionnaire, self.key)

    def page_url(self, page: int, **args) -> str:
        return url_for("respond.show", slug=self.questionnaire.slug, page=page, **args)

    def action_url(self) -> str:
        return url_for("respond.answer", slug=self.questionnaire.slug)


class Preview(EntryPoint):
    """The builder's preview: checked like any response, stored nowhere but in the staff member's own session
    (`store`), so that Back and Next show what was typed. One questionnaire's answers at a time, and only as
    many as fit a small bound (the session is a cookie): past it the longest answers are dropped first, so a
    long text costs itself, not the other answers."""

    preview = True
    STORE_KEY = "preview_answers"
    LIMIT = 2000  # characters of the answers' JSON kept at most

    def __init__(self, questionnaire: Questionnaire, lang: str, store: MutableMapping):
        super().__init__(questionnaire, lang)
        self.store = store

    def form_key(self) -> str:
        return "preview"

    def stored(self) -> Stored:
        return Stored(1, service.form_data(self.questionnaire, self._values()))

    def save(self, page, answers, *, final):
        if final:
            self.store.pop(self.STORE_KEY, None)
        else:
            self._keep(answers)

    def keep_draft(self, page, answers, *, resume_here):
        self._keep(answers)

    def answered(self) -> set[int]:
        return set(self._values())

    def _values(self) -> dict[int, list[str]]:
        kept = self.store.get(self.STORE_KEY) or {}
        if kept.get("questionnaire") != self.questionnaire.id:
            return {}
        return {int(item_id): values for item_id, values in kept.get("answers", {}).items()}

    def _keep(self, answers: dict[int, list[str]]) -> None:
        values = {str(item_id): kept for item_id, kept in {**self._values(), **answers}.items() if kept}
        self.store[self.STORE_KEY] = {"questionnaire": self.questionnaire.id, "answers": _fitting(values, self.LIMIT)}

    def page_url(self, page: int, **args) -> str:
        args.setdefault("lang", self.lang)
        return url_for("respond_preview.show", questionnaire_id=self.questionnaire.id, page=page, **args)

    def action_url(self) -> str:
        return url_for("respond_preview.answer", questionnaire_id=self.questionnaire.id, lang=self.lang)


def _fitting(values: dict[str, list[str]], limit: int) -> dict[str, list[str]]:
    """`values` without their longest answers, longest first, until their JSON is at most `limit` characters."""
    kept = dict(values)
    for item_id in sorted(values, key=lambda item_id: len(json.dumps(values[item_id])), reverse=True):
        if len(json.dumps(kept)) <= limit:
            break
        del kept[item_id]
    return kept
