import pytest

from support_portal.accounts.roles import Role
from tests.factories import StaffFactory, UserFactory


@pytest.fixture
def customer():
    return UserFactory(preferred_language="en")


@pytest.fixture
def other_customer():
    return UserFactory()


@pytest.fixture
def agent():
    return StaffFactory(role=Role.AGENT, preferred_language="en")


@pytest.fixture
def senior_agent():
    return StaffFactory(role=Role.SENIOR_AGENT)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Context manager: run on_commit callbacks (task enqueues, e-mail) at its end,
    as a real commit would; the test transaction itself never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
