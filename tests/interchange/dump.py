"""A questionnaire as plain data, for comparing two of them: what respondents see and what answers mean
(codes, types, settings, texts in every language, options, logic, pages), not ids or link names."""
from surveyapp.questionnaires.models import Questionnaire


def _texts(owner) -> list[tuple[str, str, str]]:
    return sorted((row.key, row.lang, row.text) for row in owner.texts)


def dump(questionnaire: Questionnaire) -> dict:
    return {
        "languages": list(questionnaire.languages),
        "default": questionnaire.default_lang,
        "texts": _texts(questionnaire),
        "pages": [(page.number, page.condition, page.skips) for page in questionnaire.pages
                  if page.condition or page.skips],
        "items": [{
            "code": item.code, "type": item.type, "required": item.required, "page": item.page,
            "position": item.position, "settings": item.settings, "condition": item.condition,
            "stage": item.stage, "parent": item.parent.code if item.parent else None, "texts": _texts(item),
            "options": [(option.code, option.position, _texts(option)) for option in item.options],
        } for item in questionnaire.items],
    }
