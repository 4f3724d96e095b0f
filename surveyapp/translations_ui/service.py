"""Translations: offering one more language."""
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.translations_ui.transfer import follow_parts


def add_language(questionnaire: Questionnaire, lang: str) -> None:
    """Offer `lang` too (DomainError for an unknown code). Parts worded by their composite get its wording in
    the new language at once (the default wording of "other"; a ranking's options once translated), so the
    language's completeness counts only what a translator has to write."""
    builder.update_settings(questionnaire, questionnaire.slug, questionnaire.default_lang,
                            [*questionnaire.languages, lang])
    follow_parts(questionnaire)
