"""Duplicate a questionnaire: next year's wave, or the same survey in another programme.

The copy is a draft holding everything a respondent would see and everything the builder set: texts in every
language, items (codes, settings, stage, display condition, composite parts), options and their texts, pages
(display conditions, skip rules). Nothing that belongs to the original's fielding is copied: no responses, no
earlier versions, no schedule, no archive mark.
"""
import copy

from surveyapp.extensions import db
from surveyapp.programmes.models import Programme
from surveyapp.programmes.pathways import stage as pathway_stage
from surveyapp.questionnaires import service
from surveyapp.questionnaires.models import (
    Item,
    ItemText,
    Option,
    OptionText,
    Page,
    Questionnaire,
    QuestionnaireText,
    set_text,
)


def suggested_slug(questionnaire: Questionnaire) -> str:
    """`<slug>-copy`, within the link name's 80 characters."""
    return f"{questionnaire.slug[:75]}-copy"


def duplicate(questionnaire: Questionnaire, programme: Programme, slug: str) -> Questionnaire:
    """A draft copy of `questionnaire` in `programme` at `slug` (checked as a new questionnaire's is)."""
    title = questionnaire.text("title", questionnaire.default_lang)
    twin = service.create_questionnaire(programme.id, slug, questionnaire.default_lang,
                                        list(questionnaire.languages), title)
    for row in questionnaire.texts:
        set_text(twin, QuestionnaireText, row.key, row.lang, row.text)
    twin.pages = [Page(number=page.number, condition=page.condition, skips=copy.deepcopy(page.skips or []))
                  for page in questionnaire.pages]
    copies: dict[int, Item] = {}
    for item in questionnaire.items:
        copies[item.id] = _copy_item(item, programme)
        twin.items.append(copies[item.id])
    for item in questionnaire.items:
        if item.parent_id is not None:
            copies[item.id].parent = copies[item.parent_id]
    db.session.flush()
    return twin


def _copy_item(item: Item, programme: Programme) -> Item:
    """The item with its texts and options; a stage only where the programme's outcome pathway has it."""
    stage = item.stage if item.stage and pathway_stage(programme.pathway, item.stage) else None
    twin = Item(code=item.code, type=item.type, required=item.required, page=item.page, position=item.position,
                settings=copy.deepcopy(item.settings or {}), stage=stage, condition=item.condition)
    twin.texts = [ItemText(key=row.key, lang=row.lang, text=row.text) for row in item.texts]
    twin.options = [_copy_option(option) for option in item.options]
    return twin


def _copy_option(option: Option) -> Option:
    twin = Option(code=option.code, position=option.position)
    twin.texts = [OptionText(key=row.key, lang=row.lang, text=row.text) for row in option.texts]
    return twin
