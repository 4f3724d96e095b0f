"""The builder shows each type's settings parts: the item page its type's, the new-item page every type's.

A part shared by several types (the end labels of every scale) is shown once."""
import pytest

from surveyapp.accounts.models import Role
from surveyapp.itemtypes import REGISTRY
from tests.itemtypes.examples import questionnaire_with


@pytest.fixture
def manager(client, make, auth):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    return programme


@pytest.mark.parametrize("code", list(REGISTRY))
def test_an_item_page_shows_its_own_type_s_settings_only(client, make, manager, code):
    item = questionnaire_with(make, code, manager).items[0]
    page = client.get(f"/manage/items/{item.id}").get_data(as_text=True)
    for part in {part for kind in REGISTRY.values() for part in kind.settings_parts}:
        assert page.count(f"<legend>{part.legend}</legend>") == (part in item.kind.settings_parts), part.legend
    for name in item.kind.settings_fields:
        assert f'name="{name}"' in page


def test_the_new_item_page_shows_every_type_s_settings(client, make, manager):
    questionnaire = questionnaire_with(make, "text", manager)
    page = client.get(f"/manage/questionnaires/{questionnaire.id}/items/new").get_data(as_text=True)
    for kind in REGISTRY.values():
        for part in kind.settings_parts:
            assert page.count(f"<legend>{part.legend}</legend>") == 1  # shared by several types: shown once
        for name in kind.settings_fields:
            assert page.count(f'name="{name}"') == 1
