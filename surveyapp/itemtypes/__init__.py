"""The item-type registry: one module per type, named by its code, each owning everything about its type.

Adding a type is adding its module and its code to `CODES`, its widget's macro template (templates/items/)
if it needs a new one, and its tests; see `base` for what a type owns.
"""
from importlib import import_module

from surveyapp.itemtypes.base import (
    DONT_KNOW,
    DONT_KNOW_EXPORTED,
    REGISTRY,
    SHARES,
    Choice,
    Column,
    ItemType,
    Measure,
    OptionCodeField,
    PartShape,
    SettingsPart,
    Statistic,
    in_language,
    item_type,
    type_choices,
)

# The builder lists the types in this order; questionnaires.models.ITEM_TYPES (the CHECK constraint) equals it.
CODES = ("single", "multiple", "likert", "scale10", "yesno", "number", "text", "longtext", "date",
         "display", "matrix", "ranking", "rank")
for _code in CODES:
    import_module(f"{__name__}.{_code}")  # registers the type

__all__ = ["CODES", "DONT_KNOW", "DONT_KNOW_EXPORTED", "REGISTRY", "SHARES", "Choice", "Column", "ItemType",
           "Measure", "OptionCodeField", "PartShape", "SettingsPart", "Statistic", "in_language", "item_type",
           "type_choices"]
