import pytest
from django.urls import reverse
from django.utils import timezone

from selfservice.models import KycLevel
from support_portal.accounts.roles import Role
from tests.factories import StaffFactory, UserFactory
from tests.tickets.factories import TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(client, settings):
    settings.STAFF_MFA_REQUIRED = False

    def sign_in(role):
        client.force_login(StaffFactory(role=role))
        return client

    return sign_in


def _url(ticket):
    return reverse("admin:tickets_ticket_account_summary", args=[ticket.pk])


def test_agent_sees_the_requesters_kyc_and_security_state(console):
    requester = UserFactory()
    KycLevel.objects.create(
        user=requester,
        level=KycLevel.Level.ADDRESS,
        status=KycLevel.Status.NEEDS_INFO,
        reason_codes=["POA_TOO_OLD"],
        updated_at=timezone.now(),
    )
    ticket = TicketFactory(requester=requester)

    response = console(Role.AGENT).get(_url(ticket))

    assert response.status_code == 200
    text = response.content.decode()
    assert "older than 3 months" in text
    assert "Score" in text


def test_the_change_form_links_the_summary_without_loading_it(console):
    ticket = TicketFactory()

    response = console(Role.AGENT).get(reverse("admin:tickets_ticket_change", args=[ticket.pk]))

    assert f'data-account-summary-url="{_url(ticket)}"'.encode() in response.content


def test_editors_and_customers_cannot_read_it(client, console, settings):
    ticket = TicketFactory()

    assert console(Role.EDITOR).get(_url(ticket)).status_code == 403
    client.force_login(UserFactory())
    assert client.get(_url(ticket)).status_code in (302, 403)


def test_unknown_ticket_is_404(console):
    assert (
        console(Role.AGENT)
        .get(reverse("admin:tickets_ticket_account_summary", args=[999999]))
        .status_code
        == 404
    )
