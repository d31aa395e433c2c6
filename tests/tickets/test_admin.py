import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import StaffFactory, UserFactory
from tests.tickets.factories import (
    BTC_TXID,
    CannedReplyFactory,
    MessageFactory,
    TeamFactory,
    TicketFactory,
    upload,
)
from tickets.admin import sla_state
from tickets.models import Message, Notification, Ticket
from tickets.services import ticket_reply_as_agent

pytestmark = pytest.mark.django_db
S = Ticket.Status
CHANGELIST = "admin:tickets_ticket_changelist"


@pytest.fixture
def console(client, agent, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(agent)
    return client


def change_url(ticket):
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


def action_url(ticket, action):
    return reverse("admin:tickets_ticket_action", args=[ticket.pk, action])


def _tickets(n):
    team = TeamFactory()
    agent = StaffFactory()
    for i in range(n):
        TicketFactory(team=team if i % 2 else None, assignee=agent if i % 3 else None)


@pytest.mark.parametrize("count", [10, 200])
def test_changelist_query_count_is_constant(console, django_assert_max_num_queries, count):
    _tickets(count)
    console.get(reverse(CHANGELIST))  # first request records the user session
    # 7 for session, user and allauth's session tracking, 2 for permissions, 3 ours.
    with django_assert_max_num_queries(12):
        response = console.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert response.content.count(b'class="action-checkbox"') == min(count, 50)


def test_changelist_same_queries_for_10_and_200(console):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _tickets(10)
    console.get(reverse(CHANGELIST))
    with CaptureQueriesContext(connection) as few:
        console.get(reverse(CHANGELIST))
    _tickets(190)
    with CaptureQueriesContext(connection) as many:
        console.get(reverse(CHANGELIST))
    assert len(few) == len(many)


def test_changelist_columns_and_badge(console):
    past = timezone.now() - datetime.timedelta(hours=1)
    TicketFactory(first_response_due=past, first_response_breached=True, subject="Late one")
    html = console.get(reverse(CHANGELIST)).content.decode()
    for column in (
        "Reference",
        "Requester",
        "Category",
        "Priority",
        "Status",
        "Team",
        "Assignee",
        "Language",
        "SLA",
    ):
        assert column in html
    assert "sla-breached" in html


@pytest.mark.parametrize(
    "query",
    [
        "assigned=me",
        "assigned=none",
        "assigned=unrouted",
        "sla=breached",
        "sla=soon",
        "status__exact=open",
        "priority__exact=40",
        "language__exact=en",
        "channel__exact=phone",
    ],
)
def test_filters_work(console, query):
    assert console.get(reverse(CHANGELIST) + "?" + query).status_code == 200


def test_my_tickets_filter(console, agent):
    mine = TicketFactory(assignee=agent)
    other = TicketFactory()
    html = console.get(reverse(CHANGELIST) + "?assigned=me").content.decode()
    assert mine.reference in html and other.reference not in html


def test_search_by_reference_email_uid_and_txid(console):
    user = UserFactory(email="trader@example.com", exchange_uid="88888888")
    ticket = TicketFactory(requester=user, intake={"txid": BTC_TXID})
    TicketFactory()
    for q in (ticket.reference, "trader@example.com", "88888888", BTC_TXID):
        html = console.get(reverse(CHANGELIST), {"q": q}).content.decode()
        assert ticket.reference in html, q


def test_sla_state_values():
    now = timezone.now()
    assert sla_state(TicketFactory.build(first_response_breached=True), now) == "breached"
    assert (
        sla_state(TicketFactory.build(resolution_due=now + datetime.timedelta(minutes=10)), now)
        == "soon"
    )
    assert (
        sla_state(TicketFactory.build(resolution_due=now + datetime.timedelta(hours=5)), now)
        == "ok"
    )
    assert sla_state(TicketFactory.build(), now) == "none"


def test_change_form_shows_thread_events_context_and_canned(console, agent):
    user = UserFactory(name="Alice Martin", exchange_uid="40817352")
    ticket = TicketFactory(requester=user)
    older = TicketFactory(requester=user, subject="Older one")
    MessageFactory(ticket=ticket, body="Customer text")
    ticket_reply_as_agent(
        ticket=ticket, agent=agent, body="NOTE-123", internal=True, attachments=[upload()]
    )
    CannedReplyFactory(body="Hi {name}, ref {reference}, {agent} {unknown}")
    html = console.get(change_url(ticket)).content.decode()
    assert "Customer text" in html and "NOTE-123" in html
    assert "40817352" in html and older.reference in html
    assert f"Hi Alice, ref {ticket.reference}" in html and "{unknown}" in html
    assert "<script>" not in html.split("agent-panel")[1]
    assert " onclick=" not in html


def test_reply_public_and_internal_from_console(console, agent, committed):
    ticket = TicketFactory()
    with committed():
        console.post(
            reverse("admin:tickets_ticket_reply", args=[ticket.pk]),
            {"body": "Public words", "attachments": [upload()]},
        )
        console.post(
            reverse("admin:tickets_ticket_reply", args=[ticket.pk]),
            {"body": "Secret note", "internal": "on"},
        )
    public = ticket.messages.get(body="Public words")
    note = ticket.messages.get(body="Secret note")
    assert not public.is_internal and public.attachments.count() == 1
    assert note.is_internal and note.author == agent
    bodies = " ".join(Notification.objects.values_list("body", flat=True))
    assert "Public words" in bodies and "Secret note" not in bodies


def test_reply_with_bad_input_shows_error_not_500(console):
    ticket = TicketFactory()
    url = reverse("admin:tickets_ticket_reply", args=[ticket.pk])
    assert console.post(url, {"body": ""}).status_code == 302
    assert (
        console.post(url, {"body": "x", "attachments": [upload("a.png", b"<svg/>")]}).status_code
        == 302
    )
    assert console.get(url).status_code == 405
    assert not ticket.messages.exists()


def test_change_form_buttons_call_services(console, agent):
    ticket = TicketFactory(requester=UserFactory())
    console.post(action_url(ticket, "assign_to_me"))
    console.post(action_url(ticket, "status"), {"status": "on_hold"})
    console.post(action_url(ticket, "priority"), {"priority": "40"})
    console.post(action_url(ticket, "escalate"), {"reason": "big"})
    ticket.refresh_from_db()
    assert ticket.assignee == agent and ticket.status == S.ON_HOLD
    assert ticket.priority == Ticket.Priority.URGENT and "escalated" in ticket.tags
    assert set(ticket.events.values_list("field", flat=True)) >= {"assignee", "status", "priority"}
    target = TicketFactory(requester=ticket.requester)
    response = console.post(action_url(ticket, "merge"), {"target": target.reference})
    assert response.url == change_url(target)
    console.post(action_url(target, "spam"))
    target.refresh_from_db()
    assert target.is_spam


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("status", {"status": "bogus"}),
        ("priority", {"priority": "x"}),
        ("merge", {"target": "T-X"}),
        ("assign", {"agent": "abc"}),
        ("nope", {}),
    ],
)
def test_button_bad_input_is_a_message_not_500(console, action, data):
    ticket = TicketFactory()
    response = console.post(action_url(ticket, action), data, follow=True)
    assert response.status_code == 200
    assert list(response.context["messages"])


def test_list_actions_use_the_same_services(console, agent):
    a, b = TicketFactory(), TicketFactory()
    data = {"action": "assign_to_me", "_selected_action": [a.pk, b.pk], "index": 0}
    console.post(reverse(CHANGELIST), data)
    assert Ticket.objects.filter(assignee=agent).count() == 2
    other = StaffFactory(email="colleague@example.com")
    data = {
        "action": "assign_to_agent",
        "agent": "colleague@example.com",
        "_selected_action": [b.pk],
    }
    console.post(reverse(CHANGELIST), data)
    b.refresh_from_db()
    assert b.assignee == other
    data = {"action": "change_status", "status": "resolved", "_selected_action": [a.pk]}
    console.post(reverse(CHANGELIST), data)
    a.refresh_from_db()
    assert a.status == S.RESOLVED and a.events.filter(field="status").exists()
    data = {"action": "mark_spam", "_selected_action": [b.pk]}
    console.post(reverse(CHANGELIST), data)
    b.refresh_from_db()
    assert b.is_spam


def _form_data(ticket, **overrides):
    data = {
        "subject": ticket.subject,
        "category": ticket.category,
        "priority": ticket.priority,
        "team": "",
        "language": ticket.language,
        "tags_text": "",
        "version": ticket.version,
    }
    data.update(overrides)
    return data


def test_edit_saves_through_service_with_history(console):
    ticket = TicketFactory()
    response = console.post(
        change_url(ticket), _form_data(ticket, priority=30, tags_text="vip, btc")
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.priority == 30 and ticket.tags == ["btc", "vip"] and ticket.version == 2
    assert ticket.events.filter(field="priority").exists()


def test_stale_edit_gets_conflict_and_overwrites_nothing(console, agent):
    ticket = TicketFactory()
    stale = _form_data(ticket, subject="Agent B subject")
    console.post(change_url(ticket), _form_data(ticket, subject="Agent A subject"))
    response = console.post(change_url(ticket), stale)
    assert response.status_code == 200
    assert "Someone else changed this ticket" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.subject == "Agent A subject"


def test_create_on_behalf_for_phone(console, agent, committed):
    customer = UserFactory()
    with committed():  # the acknowledgement is written after the commit
        response = console.post(
            reverse("admin:tickets_ticket_add"),
            {
                "requester": customer.pk,
                "channel": "phone",
                "category": "other",
                "language": "en",
                "subject": "Called about fees",
                "body": "Customer called",
                "intake_json": "{}",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket = Ticket.objects.get(requester=customer)
    assert ticket.channel == "phone"
    assert ticket.messages.filter(kind=Message.Kind.SYSTEM).exists()
    assert ticket.events.filter(field="channel", actor=agent).exists()


def test_create_on_behalf_bad_intake_shows_errors(console):
    customer = UserFactory()
    response = console.post(
        reverse("admin:tickets_ticket_add"),
        {
            "requester": customer.pk,
            "channel": "social",
            "category": "deposit",
            "language": "en",
            "subject": "x",
            "body": "y",
            "intake_json": '{"network": "BTC", "txid": "zz"}',
        },
    )
    assert response.status_code == 200 and not Ticket.objects.exists()
    assert "64 hexadecimal" in response.content.decode()


def test_staff_attachment_download_and_customer_refused(console, client, customer):
    ticket = TicketFactory()
    message = ticket_reply_as_agent(
        ticket=ticket, agent=StaffFactory(), body="x", attachments=[upload()], internal=True
    )
    url = reverse("admin:tickets_attachment_download", args=[message.attachments.get().pk])
    response = console.get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"


def test_customer_cannot_reach_console(client, customer, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(customer)
    ticket = TicketFactory()
    assert client.post(action_url(ticket, "spam")).status_code == 302  # to login
    ticket.refresh_from_db()
    assert not ticket.is_spam


def test_failed_notification_visible_and_retryable(console, settings, agent, committed):
    settings.EMAIL_BACKEND = "tests.tickets.smtp_down.EmailBackend"
    ticket = TicketFactory()
    with committed():
        ticket_reply_as_agent(ticket=ticket, agent=agent, body="hi")
    html = console.get(change_url(ticket)).content.decode()
    assert "E-mails not delivered" in html and "Retrying" in html
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notification = Notification.objects.get()
    with committed():
        console.post(reverse("admin:tickets_notification_retry", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert console.get(reverse("admin:tickets_notification_changelist")).status_code == 200


def _busy_ticket(agent, messages: int) -> Ticket:
    """A ticket with what the change form shows: a thread with notes, system
    messages and attachments, history, e-mails and the requester's other tickets."""
    ticket = TicketFactory(assignee=agent, team=TeamFactory())
    for i in range(messages):
        kind = [Message.Kind.PUBLIC, Message.Kind.INTERNAL, Message.Kind.SYSTEM][i % 3]
        MessageFactory(
            ticket=ticket,
            kind=kind,
            is_internal=kind == Message.Kind.INTERNAL,
            author=None if kind == Message.Kind.SYSTEM else (agent if i % 2 else ticket.requester),
        )
    ticket_reply_as_agent(ticket=ticket, agent=agent, body="See the file.", attachments=[upload()])
    for _ in range(3):
        TicketFactory(requester=ticket.requester)
    CannedReplyFactory()
    return ticket


@pytest.mark.parametrize("messages", [3, 60])
def test_change_form_query_count_is_bounded(
    console, agent, django_assert_max_num_queries, messages
):
    ticket = _busy_ticket(agent, messages)
    console.get(change_url(ticket))  # first request records the user session
    # Session, user and permissions, then ours: the ticket, its thread (messages,
    # attachments, events), e-mails, the requester's other tickets, canned replies.
    with django_assert_max_num_queries(12):
        response = console.get(change_url(ticket))
    assert response.status_code == 200
    assert b"See the file." in response.content
    # The team picker is labelled from the cached set-up, not a query of its own.
    assert f'<option value="{ticket.team_id}" selected>{ticket.team.name}</option>' in (
        response.content.decode()
    )


def test_assign_picker_lists_active_staff_only(console, agent):
    StaffFactory(email="a-first@example.com")
    StaffFactory(email="z-left@example.com", is_active=False)
    UserFactory(email="b-customer@example.com")
    ticket = TicketFactory()
    page = console.get(change_url(ticket)).content.decode()
    picker = page[page.index('id="assign-agent"') :].split("</select>")[0]
    assert "a-first@example.com" in picker and agent.email in picker
    assert "z-left@example.com" not in picker and "b-customer@example.com" not in picker
    assert picker.index("a-first@example.com") < picker.index(agent.email)
