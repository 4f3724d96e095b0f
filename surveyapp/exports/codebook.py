"""The codebook: every exported variable with its question, type and option codes and labels per language."""

from __future__ import annotations

from dataclasses import dataclass

from surveyapp.datasets.frames import Scope, declines_on_any_version
from surveyapp.datasets.pivot import EXPORTED_DECLINED
from surveyapp.datasets.versions import History
from surveyapp.exports.versions import value_labels
from surveyapp.questionnaires.models import Item


@dataclass(frozen=True)
class Variable:
    """One exported column; ``values`` maps a stored code to its label per language."""

    name: str
    item: Item
    option: str | None  # the option of a multiple-choice indicator column
    values: dict[str, dict[str, str]]

    def question(self, lang: str) -> str:
        """Its question; a part's after its composite's ("How satisfied are you with …: the library")."""
        text = self.item.text("label", lang)
        if self.item.parent is not None:
            text = f"{self.item.parent.text('label', lang)}: {text}"
        if self.option is not None:
            text = f"{text}: {self.values['1'][lang]}"
        return text


def variables(scope: Scope) -> list[Variable]:
    langs, history = languages(scope), scope.history
    return [variable for item in scope.items for variable in _item_variables(item, langs, history)]


def _item_variables(item: Item, langs: list[str], history: History) -> list[Variable]:
    """The item's export columns over every version, with its value labels in every language and version (a
    coded "don't know" under its export code)."""
    labels = {lang: value_labels(history, item, lang) for lang in langs}
    if declines_on_any_version(item, history):
        for lang in langs:
            labels[lang][EXPORTED_DECLINED] = item.kind.dont_know_label(item, lang)
    codes = list(labels[langs[0]]) if langs else []

    def in_every_language(code: str) -> dict[str, str]:
        return {lang: labels[lang].get(code, code) for lang in langs}

    return [
        Variable(column.name, item, column.option,
                 {"1": in_every_language(column.option)} if column.option is not None
                 else {code: in_every_language(code) for code in codes})
        for column in history.columns(item)
    ]


def languages(scope: Scope) -> list[str]:
    langs: list[str] = []
    for questionnaire in scope.questionnaires:
        langs += [lang for lang in questionnaire.languages if lang not in langs]
    return langs


def codebook_rows(scope: Scope) -> tuple[list[str], list[list[str]]]:
    """Header and rows: one row per variable, then one per value code with its labels."""
    langs = languages(scope)
    header = [
        "variable",
        "item",
        "type",
        *(f"question_{lang}" for lang in langs),
        "code",
        *(f"label_{lang}" for lang in langs),
    ]
    rows = []
    for variable in variables(scope):
        rows.append(
            [
                variable.name,
                variable.item.code,
                variable.item.type,
                *(variable.question(lang) for lang in langs),
                "",
                *("" for _ in langs),
            ]
        )
        for code, labels in variable.values.items():
            rows.append(
                [
                    variable.name,
                    variable.item.code,
                    "",
                    *("" for _ in langs),
                    code,
                    *(labels.get(lang, "") for lang in langs),
                ]
            )
    return header, rows
