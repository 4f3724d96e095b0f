"""The builder shows the settings parts of an item's own type only: on its page, and on the new-item page once
its type is chosen."""
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


@pytest.mark.parametrize("code", [code for code, kind in REGISTRY.items() if not kind.part_only])
def test_the_new_item_page_of_a_type_shows_that_type_s_settings_only(client, make, manager, code):
    questionnaire = questionnaire_with(make, "text", manager)
    kind = REGISTRY[code]
    page = client.get(f"/manage/questionnaires/{questionnaire.id}/items/new?type={code}").get_data(as_text=True)
    for part in {part for other in REGISTRY.values() for part in other.settings_parts}:
        assert page.count(f"<legend>{part.legend}</legend>") == (part in kind.settings_parts), part.legend
    for name in kind.settings_fields:
        assert page.count(f'name="{name}"') == 1
