import pytest
from django.urls import reverse

from support_portal.accounts.roles import Role
from tests.factories import StaffFactory, UserFactory
from tests.tickets.factories import TicketFactory, deposit_intake, upload
from tickets.models import Ticket
from tickets.services import (
    ticket_assign,
    ticket_open,
    ticket_reply_as_agent,
)

pytestmark = pytest.mark.django_db
NOTE = "INTERNAL-NOTE-4b7e: requester is on the fraud watchlist"


def transcript(ticket) -> str:
    return reverse("tickets:ticket-transcript", args=[ticket.reference])


@pytest.fixture
def client_a(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def conversation(customer, committed):
    """A ticket with a public reply, an internal note (with a file) and an assignment."""
    agent = StaffFactory(role=Role.AGENT, name="Alice Chen", email="alice.chen@corp.example")
    with committed():
        ticket = ticket_open(
            requester=customer,
            subject="BTC deposit missing",
            body="My BTC deposit is pending since Monday.",
            category=Ticket.Category.DEPOSIT,
            intake=deposit_intake(),
            language="en",
            attachments=[upload("wallet-screen.png")],
        )
        ticket_assign(ticket=ticket, actor=agent, assignee=agent)
        ticket_reply_as_agent(
            ticket=ticket, agent=agent, body=NOTE, internal=True, attachments=[upload("kyc.png")]
        )
        ticket_reply_as_agent(ticket=ticket, agent=agent, body="It is credited now.")
    ticket.refresh_from_db()
    return ticket


def _open(customer, **kwargs) -> Ticket:
    return ticket_open(
        requester=customer,
        subject=kwargs.pop("subject", "Cannot log in"),
        body="Help",
        category=Ticket.Category.OTHER,
        language="en",
        **kwargs,
    )


# --- requester transcript ------------------------------------------------------


def test_transcript_is_a_plain_text_download_of_the_public_thread(client_a, conversation):
    response = client_a.get(transcript(conversation))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{conversation.reference}-conversation.txt"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode("utf-8")
    assert f"Reference: {conversation.reference}" in text
    assert "Subject: BTC deposit missing" in text
    assert f"Status: {conversation.get_status_display()}" in text
    assert "Category: Deposit not credited" in text
    assert "You · " in text
    assert "My BTC deposit is pending since Monday." in text
    assert "Attachments: wallet-screen.png" in text
    # Agents appear as on the page: first name and role, never their address.
    assert "Support agent Alice (Official) · " in text
    assert "It is credited now." in text
    assert text.index("pending since Monday") < text.index("credited now")


def test_transcript_never_contains_internal_notes_or_history(client_a, conversation):
    assert conversation.messages.filter(is_internal=True, body=NOTE).exists()
    assert conversation.events.filter(field="assignee").exists()

    text = client_a.get(transcript(conversation)).content.decode("utf-8")

    assert "INTERNAL-NOTE-4b7e" not in text
    assert "fraud watchlist" not in text
    assert "kyc.png" not in text
    assert "alice.chen@corp.example" not in text
    assert "Chen" not in text


def test_transcript_shows_the_public_system_messages_the_page_shows(client_a, customer, committed):
    with committed():
        ticket = _open(customer)  # the acknowledgement is a public system message
    ticket.refresh_from_db()
    ack = ticket.messages.get(kind="system")

    text = client_a.get(transcript(ticket)).content.decode("utf-8")

    assert "Support system · " in text
    assert ack.body.splitlines()[0] in text


def test_ticket_page_links_to_the_transcript(client_a, customer):
    ticket = _open(customer)
    html = client_a.get(reverse("tickets:ticket-detail", args=[ticket.reference])).content.decode()
    assert f'href="{transcript(ticket)}"' in html
    assert "Download conversation" in html


def test_transcript_in_chinese_for_a_chinese_requester(client, committed):
    user = UserFactory(preferred_language="zh-hans")
    client.force_login(user)
    with committed():
        ticket = _open(user, subject="提币未到账")

    page = client.get(reverse("tickets:ticket-detail", args=[ticket.reference])).content.decode()
    text = client.get(transcript(ticket)).content.decode("utf-8")

    assert "下载对话记录" in page
    assert "主题: 提币未到账" in text
    assert "您 · " in text


def test_someone_elses_transcript_is_not_found(client, conversation, other_customer):
    client.force_login(other_customer)
    assert client.get(transcript(conversation)).status_code == 404


def test_held_ticket_has_no_transcript(client_a, customer):
    ticket = TicketFactory(requester=customer, held_for_confirmation=True)
    assert client_a.get(transcript(ticket)).status_code == 404


def test_unknown_reference_is_not_found(client_a):
    url = reverse("tickets:ticket-transcript", args=["T-NOSUCHTICKET"])
    assert client_a.get(url).status_code == 404


def test_transcript_only_answers_get(client_a, customer):
    ticket = _open(customer)
    assert client_a.post(transcript(ticket)).status_code == 405


def test_anonymous_transcript_redirects_to_login(client, conversation):
    response = client.get(transcript(conversation))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
