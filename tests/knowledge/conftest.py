import time

import pytest
from haystack import connections

from knowledge import services
from support_portal.accounts.roles import Role
from tests.factories import StaffFactory


@pytest.fixture(autouse=True)
def _clear_search_index():
    """Each test starts from an empty private Whoosh index (tests.settings)."""
    backend = connections["default"].get_backend()
    backend.clear()
    yield
    backend.clear()


@pytest.fixture(autouse=True)
def _no_pending_views():
    """View counts are batched in memory (knowledge.services); start and end
    each test with none pending and a fresh flush timer."""
    services._pending_views.clear()
    services._last_flush = time.monotonic()
    yield
    services._pending_views.clear()


@pytest.fixture(autouse=True)
def _no_pending_searches():
    """Search logs are buffered in memory too (knowledge.services)."""
    services._pending_searches.clear()
    services._pending_clicks.clear()
    services._search_last_flush = time.monotonic()
    yield
    services._pending_searches.clear()
    services._pending_clicks.clear()


@pytest.fixture
def editor():
    return StaffFactory(role=Role.EDITOR)


@pytest.fixture
def agent():
    return StaffFactory(role=Role.AGENT)
