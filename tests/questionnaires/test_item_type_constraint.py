"""The database's CHECK on items.type (ck_items_type, migration 0004_integrity) allows exactly the registry."""
from surveyapp.itemtypes import CODES, REGISTRY
from surveyapp.questionnaires.models import ITEM_TYPES


def test_the_database_allows_exactly_the_registered_item_types():
    assert ITEM_TYPES == CODES == tuple(REGISTRY), (
        "a new item type needs ITEM_TYPES and a migration that replaces ck_items_type")
