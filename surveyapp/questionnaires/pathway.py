"""A programme's outcome-pathway model (programmes.pathways): the stages its items can be tagged with.

It lives with the questionnaires, which own the items' stages: a change of model has to look at them
(programmes sits below questionnaires and accounts, so its own package could not).
"""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import select

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme
from surveyapp.programmes.pathways import DEFAULT, PATHWAYS, stages
from surveyapp.questionnaires.models import Item, Questionnaire
from surveyapp.questionnaires.service import LockedError


class StagesTagged(LockedError):
    """Items carry stages the new model lacks: switching would leave them pointing nowhere."""


def tagged_outside(programme: Programme, pathway: str) -> list[Item]:
    """The programme's items tagged with a stage that `pathway` does not have."""
    codes = [stage.code for stage in stages(pathway)]
    return list(db.session.scalars(
        select(Item).join(Questionnaire).where(Questionnaire.programme_id == programme.id,
                                               Item.stage.is_not(None), Item.stage.not_in(codes))))


def set_pathway(programme: Programme, pathway: str, *, clear: bool = False) -> int:
    """Switch the programme to `pathway`; return how many items lost their stage.

    Items tagged with stages of the other model are refused (StagesTagged, naming how many) unless `clear`,
    which removes those stages in the same transaction. Flushes, never commits.
    """
    if pathway not in PATHWAYS:
        raise DomainError(_l("Unknown pathway model: %(code)s.", code=pathway))
    tagged = tagged_outside(programme, pathway)
    if tagged and not clear:
        raise StagesTagged(lazy_ngettext(
            "%(num)d item is tagged with a stage the chosen model does not have. Tick “Remove those stages” "
            "to switch anyway, or change the item first.",
            "%(num)d items are tagged with stages the chosen model does not have. Tick “Remove those stages” "
            "to switch anyway, or change the items first.", len(tagged)))
    for item in tagged:
        item.stage = None
    programme.pathway = None if pathway == DEFAULT else pathway
    db.session.flush()
    return len(tagged)
