"""The builder shows each type's own settings form: the item page its type's, the new-item page every type's."""
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
    for kind in REGISTRY.values():
        if kind.settings_legend:
            assert (f"<legend>{kind.settings_legend}</legend>" in page) == (kind is item.kind), kind.code
    for name in item.kind.settings_fields:
        assert f'name="{name}"' in page


def test_the_new_item_page_shows_every_type_s_settings(client, make, manager):
    questionnaire = questionnaire_with(make, "text", manager)
    page = client.get(f"/manage/questionnaires/{questionnaire.id}/items/new").get_data(as_text=True)
    for kind in REGISTRY.values():
        if kind.settings_legend:
            assert f"<legend>{kind.settings_legend}</legend>" in page
        for name in kind.settings_fields:
            assert f'name="{name}"' in page
