"""The codebook: every exported variable with its question, type and option codes and labels per language."""

from __future__ import annotations

from dataclasses import dataclass

from surveyapp.datasets.frames import Scope, multi_column
from surveyapp.questionnaires.models import Item


@dataclass(frozen=True)
class Variable:
    """One exported column; ``values`` maps a stored code to its label per language."""

    name: str
    item: Item
    option: str | None  # the option of a multiple-choice indicator column
    values: dict[str, dict[str, str]]

    def question(self, lang: str) -> str:
        text = self.item.text("label", lang)
        if self.option is not None:
            text = f"{text}: {self.values['1'][lang]}"
        return text


def variables(scope: Scope) -> list[Variable]:
    langs = languages(scope)
    out = []
    for item in scope.items:
        kind = item.kind
        if kind.multi:
            for option in kind.option_codes(item):
                labels = {lang: _label(item, option, lang) for lang in langs}
                out.append(Variable(multi_column(item, option), item, option, {"1": labels}))
        elif kind.coded:
            codes = kind.option_codes(item)
            values = {code: {lang: _label(item, code, lang) for lang in langs} for code in codes}
            if item.type == "likert":
                _label_scale_ends(item, values, langs)
            out.append(Variable(item.code, item, None, values))
        else:
            out.append(Variable(item.code, item, None, {}))
    return out


def languages(scope: Scope) -> list[str]:
    langs: list[str] = []
    for questionnaire in scope.questionnaires:
        langs += [lang for lang in questionnaire.languages if lang not in langs]
    return langs


def _label(item: Item, code: str, lang: str) -> str:
    return next((c.label for c in item.kind.choices(item, lang) if c.code == code), code)


def _label_scale_ends(item: Item, values: dict, langs: list[str]) -> None:
    codes = list(values)
    for lang in langs:
        for key, code in (("low", codes[0]), ("high", codes[-1])):
            end = item.text(key, lang)
            if end:
                values[code][lang] = f"{code} – {end}"


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
