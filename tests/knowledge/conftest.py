import pytest
from haystack import connections

from support_portal.accounts.roles import Role
from tests.factories import StaffFactory


@pytest.fixture(autouse=True)
def _clear_search_index():
    """Each test starts from an empty private Whoosh index (tests.settings)."""
    backend = connections["default"].get_backend()
    backend.clear()
    yield
    backend.clear()


@pytest.fixture
def editor():
    return StaffFactory(role=Role.EDITOR)


@pytest.fixture
def agent():
    return StaffFactory(role=Role.AGENT)
