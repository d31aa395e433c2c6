import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from support_portal.accounts.roles import Role
from tests.factories import StaffFactory, UserFactory
from tests.tickets.factories import (
    MessageFactory,
    ShiftFactory,
    SLAPolicyFactory,
    TeamFactory,
    TicketFactory,
    deposit_intake,
    upload,
)
from tickets.models import Message, Notification, PriorityRule, Ticket, TicketRating
from tickets.services import (
    TRANSITIONS,
    ticket_acknowledge,
    ticket_assign,
    ticket_change_status,
    ticket_close,
    ticket_confirm_held,
    ticket_escalate,
    ticket_idempotent_open,
    ticket_mark_spam,
    ticket_merge,
    ticket_open,
    ticket_open_without_account,
    ticket_rate,
    ticket_reply_as_agent,
    ticket_reply_as_requester,
    ticket_update,
    tickets_acknowledge_missed,
    tickets_sla_check,
)

pytestmark = pytest.mark.django_db
S = Ticket.Status


def open_deposit(user, **kwargs):
    params = {
        "requester": user,
        "subject": "Deposit missing",
        "body": "My BTC deposit has not arrived.",
        "category": Ticket.Category.DEPOSIT,
        "intake": deposit_intake(),
    }
    params.update(kwargs)
    return ticket_open(**params)


# --- opening ---------------------------------------------------------------
def test_open_stores_cleaned_intake_and_first_message(customer):
    ticket = open_deposit(customer)
    assert ticket.intake["coin"] == "BTC"
    assert ticket.intake["amount"] == "0.5"
    first = ticket.messages.filter(kind=Message.Kind.PUBLIC).get()
    assert first.author == customer
    assert ticket.status == S.NEW
    assert ticket.team.slug == "deposits-withdrawals"


def test_open_drops_unknown_intake_keys(customer):
    ticket = open_deposit(customer, intake=deposit_intake(status="closed", evil="x"))
    assert "evil" not in ticket.intake and "status" not in ticket.intake


@pytest.mark.parametrize(
    ("network", "txid", "expected"),
    [
        ("BTC", "0x" + "a" * 64, "64 hexadecimal"),
        ("ETH", "a" * 64, "0x followed by 64"),
        ("TRON", "abc", "64 hexadecimal"),
        ("SOL", "a" * 64, "87 to 88 base58"),
    ],
)
def test_open_rejects_txid_in_wrong_format_naming_it(customer, network, txid, expected):
    address = {"BTC": "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "ETH": "0x" + "1" * 40}.get(network)
    intake = deposit_intake(network=network, txid=txid, address=address or "T" + "1" * 33)
    with pytest.raises(ValidationError) as exc:
        open_deposit(customer, intake=intake)
    assert expected in " ".join(exc.value.message_dict["txid"])


@pytest.mark.parametrize(
    ("network", "address", "ok"),
    [
        ("BTC", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", True),
        ("BTC", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", True),
        ("BTC", "0x" + "1" * 40, False),
        ("ETH", "0x" + "a" * 40, True),
        ("ETH", "0x" + "a" * 39, False),
        ("TRON", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", True),
        ("TRON", "XR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", False),
    ],
)
def test_address_format_per_network(customer, network, address, ok):
    txid = "0x" + "c" * 64 if network == "ETH" else "c" * 64
    intake = deposit_intake(network=network, txid=txid, address=address)
    if ok:
        assert open_deposit(customer, intake=intake).intake["address"] == address
    else:
        with pytest.raises(ValidationError) as exc:
            open_deposit(customer, intake=intake)
        assert "address" in exc.value.message_dict


def test_open_solana_txid_accepted(customer):
    txid = "5" * 87
    intake = deposit_intake(network="SOL", txid=txid, address="7" * 44)
    assert open_deposit(customer, intake=intake).intake["txid"] == txid


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "-1"),
        ("amount", "abc"),
        ("amount", "NaN"),
        ("time", "yesterday"),
        ("network", "DOGE"),
        ("coin", "<script>"),
        ("txid", ["list"]),
    ],
)
def test_open_bad_intake_gives_field_errors(customer, field, value):
    with pytest.raises(ValidationError) as exc:
        open_deposit(customer, intake=deposit_intake(**{field: value}))
    assert field in exc.value.message_dict


def test_open_requires_subject_body_and_valid_category(customer):
    with pytest.raises(ValidationError) as exc:
        ticket_open(requester=customer, subject="", body="", category="nope", intake={})
    assert {"subject", "body", "category"} <= set(exc.value.message_dict)


def test_open_redacts_secrets_and_flags_message(customer):
    ticket = open_deposit(customer, body="my 2FA code is 123456 please help")
    message = ticket.messages.filter(kind=Message.Kind.PUBLIC).get()
    assert "123456" not in message.body
    assert message.redacted


def test_acknowledgement_message_and_email_in_requester_language(committed):
    user = UserFactory(preferred_language="zh-hans")
    with committed():
        ticket = open_deposit(user)
    ack = ticket.messages.get(kind=Message.Kind.SYSTEM)
    assert ticket.reference in ack.body
    assert "我们已收到您的请求" in ack.body
    sent = [m for m in mail.outbox if m.to == [user.email]]
    assert len(sent) == 1
    assert ticket.reference in sent[0].subject


def test_acknowledgement_is_written_after_the_commit_not_in_the_request(customer, committed):
    with committed():
        ticket = open_deposit(customer)
        # Inside the transaction: the ticket is open, routed and timed, and
        # nothing of the acknowledgement exists yet.
        assert ticket.first_response_due is not None
        assert not ticket.messages.filter(kind=Message.Kind.SYSTEM).exists()
        assert not Notification.objects.exists() and mail.outbox == []
    ticket.refresh_from_db()
    assert ticket.acknowledged_at is not None
    assert ticket.messages.filter(kind=Message.Kind.SYSTEM).count() == 1
    assert [m.to for m in mail.outbox] == [[customer.email]]


def test_acknowledgement_is_written_once(customer, committed):
    with committed():
        ticket = open_deposit(customer)
    assert ticket_acknowledge(ticket_id=ticket.pk) is False
    assert ticket.messages.filter(kind=Message.Kind.SYSTEM).count() == 1
    assert len(mail.outbox) == 1


def test_acknowledgement_suggests_articles_and_tells_the_routed_agent(customer, committed):
    agent = ShiftFactory(team=TeamFactory(slug="deposits-withdrawals")).agent
    with committed():
        ticket = open_deposit(customer)
    assert ticket.assignee == agent
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {customer.email, agent.email}
    assert ticket.reference in sent[customer.email].body
    assert Notification.objects.filter(ticket=ticket, status=Notification.Status.SENT).count() == 2


def test_acknowledgement_skips_an_agent_who_no_longer_holds_the_ticket(customer, agent, committed):
    routed = ShiftFactory(team=TeamFactory(slug="deposits-withdrawals")).agent
    ticket = open_deposit(customer)  # the queued acknowledgement has not run yet
    ticket_assign(ticket=ticket, actor=agent, assignee=agent)
    mail.outbox.clear()
    with committed():
        ticket_acknowledge(ticket_id=ticket.pk, assignee_id=routed.pk)
    assert [m.to for m in mail.outbox] == [[customer.email]]


def test_acknowledgements_lost_on_the_way_are_caught_up(customer):
    ticket = open_deposit(customer)  # its on_commit enqueue never ran
    assert tickets_acknowledge_missed() == 0  # too recent: the queue goes first
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert tickets_acknowledge_missed(now=later) == 1
    assert tickets_acknowledge_missed(now=later) == 0
    assert ticket.messages.filter(kind=Message.Kind.SYSTEM).count() == 1


def test_held_ticket_is_acknowledged_once_confirmed(committed):
    user = UserFactory(email="lost@example.com", exchange_uid="77777777")
    with committed():
        ticket = ticket_open_without_account(
            email="lost@example.com", exchange_uid="77777777", body="Hacked", language="en"
        )
    assert ticket_acknowledge(ticket_id=ticket.pk) is False  # held: nothing to say yet
    token = mail.outbox[0].body.split("/tickets/confirm/")[1].split("/")[0]
    with committed():
        ticket_confirm_held(token=token)
    assert user.tickets.get().messages.filter(kind=Message.Kind.SYSTEM).count() == 1


def test_open_queries_stay_few_once_the_setup_is_cached(customer, django_assert_max_num_queries):
    team = TeamFactory(slug="deposits-withdrawals")
    ShiftFactory.create_batch(5, team=team)
    SLAPolicyFactory(priority=Ticket.Priority.NORMAL)
    PriorityRule.objects.create(name="Big", category="deposit", min_amount=1, priority=30)
    open_deposit(customer)  # loads teams, SLA policies and priority rules once
    # Shifts with their open loads; then savepoint, ticket, message, due times.
    with django_assert_max_num_queries(7):
        ticket = open_deposit(customer, intake=deposit_intake(amount="2"))
    assert ticket.priority == Ticket.Priority.HIGH and ticket.assignee is not None


def test_setup_edits_apply_to_the_next_ticket(customer):
    assert open_deposit(customer).priority == Ticket.Priority.NORMAL  # set-up now cached
    rule = PriorityRule.objects.create(
        name="All deposits", category="deposit", priority=Ticket.Priority.HIGH
    )
    assert open_deposit(customer).priority == Ticket.Priority.HIGH
    rule.is_active = False
    rule.save()
    assert open_deposit(customer).priority == Ticket.Priority.NORMAL
    policy = SLAPolicyFactory(priority=Ticket.Priority.NORMAL, first_response_minutes=17)
    ticket = open_deposit(customer)
    assert ticket.first_response_due - ticket.created_at == datetime.timedelta(minutes=17)
    policy.delete()
    ticket = open_deposit(customer)
    assert ticket.first_response_due - ticket.created_at == datetime.timedelta(hours=4)


def test_acknowledgement_carries_sla_promise(customer, committed):
    SLAPolicyFactory(priority=Ticket.Priority.NORMAL, first_response_minutes=90)
    with committed():
        ticket = open_deposit(customer)
    assert "90 minutes" in ticket.messages.get(kind=Message.Kind.SYSTEM).body


def test_priority_rules_pick_highest_matching(customer):
    PriorityRule.objects.create(
        name="Big withdrawals", category="deposit", min_amount=1, priority=Ticket.Priority.HIGH
    )
    PriorityRule.objects.create(
        name="Compromised", category="account_compromised", priority=Ticket.Priority.URGENT
    )
    assert open_deposit(customer).priority == Ticket.Priority.NORMAL
    assert open_deposit(customer, intake=deposit_intake(amount="2")).priority == 30
    compromised = ticket_open(
        requester=customer,
        subject="Hacked",
        body="Someone logged in",
        category="account_compromised",
        intake={"what_happened": "x", "last_legitimate_login": "2025-01-01"},
    )
    assert compromised.priority == Ticket.Priority.URGENT


def test_sla_due_times_from_policy(customer):
    SLAPolicyFactory(priority=Ticket.Priority.NORMAL, first_response_minutes=60)
    ticket = open_deposit(customer)
    assert ticket.first_response_due - ticket.created_at == datetime.timedelta(minutes=60)
    assert ticket.resolution_due - ticket.created_at == datetime.timedelta(hours=24)


# --- routing ---------------------------------------------------------------
def test_routing_picks_least_loaded_agent_on_shift_speaking_language(customer):
    team = TeamFactory(slug="deposits-withdrawals")
    busy = ShiftFactory(team=team).agent
    free = ShiftFactory(team=team).agent
    ShiftFactory(team=team, languages=["zh-hans"])  # does not speak English
    TicketFactory(assignee=busy)
    ticket = open_deposit(customer)
    assert ticket.assignee == free
    assert not ticket.needs_routing


def test_routing_skips_agents_off_shift_or_at_capacity(customer):
    team = TeamFactory(slug="deposits-withdrawals")
    now = timezone.now()
    ShiftFactory(team=team, start=now - datetime.timedelta(hours=9), end=now)
    full = ShiftFactory(team=team, capacity=1).agent
    TicketFactory(assignee=full)
    ticket = open_deposit(customer)
    assert ticket.assignee is None
    assert ticket.needs_routing
    assert ticket.team == team


def test_routing_by_language(customer):
    team = TeamFactory(slug="deposits-withdrawals")
    zh = ShiftFactory(team=team, languages=["zh-hans", "en"]).agent
    ShiftFactory(team=team, languages=["en"])
    TicketFactory(assignee=zh)  # busier, yet the only Chinese speaker
    ticket = open_deposit(customer, language="zh-hans")
    assert ticket.assignee == zh


def test_new_ticket_notifies_assignee(customer, committed):
    agent = ShiftFactory(team=TeamFactory(slug="deposits-withdrawals")).agent
    with committed():
        open_deposit(customer)
    assert any(m.to == [agent.email] for m in mail.outbox)


# --- replies ---------------------------------------------------------------
def test_agent_public_reply_awaits_customer_and_emails(customer, agent, committed):
    ticket = open_deposit(customer)
    mail.outbox.clear()
    with committed():
        ticket_reply_as_agent(ticket=ticket, agent=agent, body="Credited now.")
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_CUSTOMER
    assert ticket.first_responded_at is not None
    assert [m.to for m in mail.outbox] == [[customer.email]]
    assert "Credited now." in mail.outbox[0].body


def test_internal_note_changes_nothing_customer_facing_and_sends_nothing(
    customer, agent, committed
):
    ticket = open_deposit(customer)
    mail.outbox.clear()
    with committed():
        note = ticket_reply_as_agent(
            ticket=ticket, agent=agent, body="VIP, check AML", internal=True
        )
    ticket.refresh_from_db()
    assert note.is_internal and note.kind == Message.Kind.INTERNAL
    assert ticket.status == S.NEW
    assert mail.outbox == []
    assert not Notification.objects.filter(body__contains="VIP").exists()


def test_agent_cannot_reply_to_closed_ticket(customer, agent):
    ticket = TicketFactory(requester=customer, status=S.CLOSED, closed_at=timezone.now())
    with pytest.raises(ValidationError):
        ticket_reply_as_agent(ticket=ticket, agent=agent, body="hi")


@pytest.mark.parametrize("status", [S.RESOLVED, S.CLOSED, S.PENDING_CUSTOMER])
def test_requester_reply_reopens(customer, status):
    now = timezone.now()
    ticket = TicketFactory(
        requester=customer, status=status, resolved_at=now, closed_at=now, resolution_count=1
    )
    ticket_reply_as_requester(ticket=ticket, user=customer, body="Still broken")
    ticket.refresh_from_db()
    assert ticket.status == S.OPEN
    assert ticket.closed_at is None
    assert ticket.events.filter(field="status").exists()


def test_requester_reply_notifies_assignee_and_sets_next_response_due(customer, agent, committed):
    ticket = TicketFactory(requester=customer, assignee=agent, first_responded_at=timezone.now())
    with committed():
        ticket_reply_as_requester(ticket=ticket, user=customer, body="More info")
    ticket.refresh_from_db()
    assert ticket.next_response_due is not None
    assert any(m.to == [agent.email] for m in mail.outbox)


def test_requester_cannot_reply_to_someone_elses_ticket(customer, other_customer):
    ticket = TicketFactory(requester=customer)
    with pytest.raises(PermissionDenied):
        ticket_reply_as_requester(ticket=ticket, user=other_customer, body="hi")


def test_reply_with_attachment_is_saved(customer):
    ticket = TicketFactory(requester=customer)
    message = ticket_reply_as_requester(
        ticket=ticket, user=customer, body="see", attachments=[upload()]
    )
    attachment = message.attachments.get()
    assert attachment.content_type == "image/png"
    assert "screenshot" not in attachment.file.name


def test_empty_reply_refused(customer):
    with pytest.raises(ValidationError):
        ticket_reply_as_requester(ticket=TicketFactory(requester=customer), user=customer, body=" ")


# --- status ----------------------------------------------------------------
ALL_PAIRS = [(a, b) for a in S.values for b in S.values]


@pytest.mark.parametrize(("old", "new"), ALL_PAIRS)
def test_every_status_transition_allowed_or_refused(agent, old, new):
    now = timezone.now()
    ticket = TicketFactory(status=old, resolved_at=now, closed_at=now, resolution_count=1)
    if new in TRANSITIONS[old]:
        ticket_change_status(ticket=ticket, actor=agent, status=new)
        ticket.refresh_from_db()
        assert ticket.status == new
        assert ticket.events.get(field="status").new_value == str(S(new).label)
        assert (ticket.closed_at is not None) == (new == S.CLOSED)
    else:
        with pytest.raises(ValidationError):
            ticket_change_status(ticket=ticket, actor=agent, status=new)
        ticket.refresh_from_db()
        assert ticket.status == old


def test_status_change_emails_requester(customer, agent, committed):
    ticket = TicketFactory(requester=customer)
    with committed():
        ticket_change_status(ticket=ticket, actor=agent, status=S.RESOLVED)
    assert [m.to for m in mail.outbox] == [[customer.email]]


def test_unknown_status_refused(agent):
    with pytest.raises(ValidationError):
        ticket_change_status(ticket=TicketFactory(), actor=agent, status="deleted")


def test_closed_without_closed_at_violates_constraint():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        TicketFactory(status=S.CLOSED, closed_at=None)


def test_requester_close_and_refusals(customer, other_customer):
    ticket = TicketFactory(requester=customer)
    with pytest.raises(PermissionDenied):
        ticket_close(ticket=ticket, user=other_customer)
    ticket_close(ticket=ticket, user=customer)
    ticket.refresh_from_db()
    assert ticket.status == S.CLOSED
    with pytest.raises(ValidationError):
        ticket_close(ticket=ticket, user=customer)


# --- assign, update, escalate, spam, merge -----------------------------------
def test_assign_records_event_and_notifies(agent, committed):
    other = StaffFactory()
    ticket = TicketFactory(needs_routing=True)
    with committed():
        ticket_assign(ticket=ticket, actor=agent, assignee=other)
    ticket.refresh_from_db()
    assert ticket.assignee == other and not ticket.needs_routing
    event = ticket.events.get(field="assignee")
    assert event.actor == agent and event.new_value == other.email
    assert any(m.to == [other.email] for m in mail.outbox)


def test_assign_refuses_customers(agent, customer):
    with pytest.raises(ValidationError):
        ticket_assign(ticket=TicketFactory(), actor=agent, assignee=customer)


def test_stale_update_is_refused_and_changes_nothing(agent):
    ticket = TicketFactory()
    ticket_update(ticket=ticket, actor=agent, expected_version=1, priority=Ticket.Priority.HIGH)
    with pytest.raises(ValidationError) as exc:
        ticket_update(ticket=ticket, actor=agent, expected_version=1, tags=["vip"])
    assert exc.value.code == "conflict"
    ticket.refresh_from_db()
    assert ticket.tags == [] and ticket.priority == Ticket.Priority.HIGH and ticket.version == 2


def test_update_records_events_for_each_field(agent):
    team = TeamFactory()
    ticket = TicketFactory()
    ticket_update(ticket=ticket, actor=agent, expected_version=1, team=team, tags=["b", "a"])
    assert set(ticket.events.values_list("field", flat=True)) == {"team", "tags"}
    assert ticket.events.get(field="tags").new_value == "a, b"


def test_escalate_raises_priority_and_alerts_seniors(agent, senior_agent, committed):
    ticket = TicketFactory(priority=Ticket.Priority.NORMAL)
    with committed():
        ticket_escalate(ticket=ticket, actor=agent, reason="Large amount")
    ticket.refresh_from_db()
    assert ticket.priority == Ticket.Priority.HIGH
    assert "escalated" in ticket.tags
    assert any(m.to == [senior_agent.email] for m in mail.outbox)
    assert ticket.messages.get(is_internal=True).body == "Large amount"


def test_mark_spam_closes_silently(agent, committed):
    ticket = TicketFactory()
    with committed():
        ticket_mark_spam(ticket=ticket, actor=agent)
    ticket.refresh_from_db()
    assert ticket.is_spam and ticket.status == S.CLOSED
    assert mail.outbox == []
    with pytest.raises(ValidationError):
        ticket_reply_as_requester(ticket=ticket, user=ticket.requester, body="hello?")


def test_merge_moves_thread_and_tells_requester(customer, agent, committed):
    source = TicketFactory(requester=customer)
    target = TicketFactory(requester=customer)
    MessageFactory(ticket=source, body="first")
    with committed():
        ticket_merge(source=source, target=target, actor=agent)
    source.refresh_from_db()
    assert source.merged_into == target and source.status == S.CLOSED
    assert target.messages.filter(body="first").exists()
    assert any(source.reference in m.body for m in mail.outbox)


def test_merge_refuses_other_requester_and_self(agent):
    a, b = TicketFactory(), TicketFactory()
    with pytest.raises(ValidationError):
        ticket_merge(source=a, target=b, actor=agent)
    with pytest.raises(ValidationError):
        ticket_merge(source=a, target=a, actor=agent)


# --- rating ----------------------------------------------------------------
def test_rating_once_per_resolution(customer, agent):
    ticket = TicketFactory(requester=customer)
    with pytest.raises(ValidationError):
        ticket_rate(ticket=ticket, user=customer, score=5)
    ticket_change_status(ticket=ticket, actor=agent, status=S.RESOLVED)
    ticket_rate(ticket=ticket, user=customer, score=4, comment="ok")
    with pytest.raises(ValidationError):
        ticket_rate(ticket=ticket, user=customer, score=5)
    ticket_reply_as_requester(ticket=ticket, user=customer, body="again")
    ticket_change_status(ticket=ticket, actor=agent, status=S.RESOLVED)
    ticket_rate(ticket=ticket, user=customer, score=5)
    assert TicketRating.objects.filter(ticket=ticket).count() == 2


@pytest.mark.parametrize("score", [0, 6, "5", True, None])
def test_rating_score_must_be_1_to_5(customer, score):
    now = timezone.now()
    ticket = TicketFactory(
        requester=customer, status=S.RESOLVED, resolved_at=now, resolution_count=1
    )
    with pytest.raises(ValidationError):
        ticket_rate(ticket=ticket, user=customer, score=score)


def test_rating_by_other_user_refused(customer, other_customer):
    now = timezone.now()
    ticket = TicketFactory(
        requester=customer, status=S.RESOLVED, resolved_at=now, resolution_count=1
    )
    with pytest.raises(PermissionDenied):
        ticket_rate(ticket=ticket, user=other_customer, score=5)


# --- SLA -------------------------------------------------------------------
def test_sla_check_marks_breach_escalates_once_and_alerts_seniors(senior_agent, committed):
    past = timezone.now() - datetime.timedelta(minutes=5)
    ticket = TicketFactory(first_response_due=past, priority=Ticket.Priority.NORMAL)
    fine = TicketFactory(first_response_due=timezone.now() + datetime.timedelta(hours=1))
    with committed():
        assert tickets_sla_check() == 1
    ticket.refresh_from_db()
    assert ticket.first_response_breached and ticket.sla_escalated
    assert ticket.priority == Ticket.Priority.HIGH
    assert any(m.to == [senior_agent.email] for m in mail.outbox)
    ticket.resolution_due = past
    ticket.save(update_fields=["resolution_due"])
    assert tickets_sla_check() == 1
    ticket.refresh_from_db()
    assert ticket.resolution_breached
    assert ticket.priority == Ticket.Priority.HIGH  # raised only once
    fine.refresh_from_db()
    assert not fine.is_breached


def test_sla_check_ignores_resolved_and_answered(senior_agent):
    past = timezone.now() - datetime.timedelta(minutes=5)
    TicketFactory(status=S.RESOLVED, resolved_at=past, first_response_due=past)
    TicketFactory(first_response_due=past, first_responded_at=past)
    assert tickets_sla_check() == 0


def test_sla_check_command_runs(senior_agent):
    from io import StringIO

    from django.core.management import call_command

    TicketFactory(first_response_due=timezone.now() - datetime.timedelta(minutes=1))
    out = StringIO()
    call_command("sla_check", stdout=out)
    assert Ticket.objects.filter(first_response_breached=True).count() == 1


# --- idempotency, no-account path -------------------------------------------
def test_idempotent_open_returns_same_ticket(customer):
    kwargs = {"subject": "s", "body": "b", "category": "other", "intake": {}}
    first, created = ticket_idempotent_open(user=customer, key="k1", **kwargs)
    again, created_again = ticket_idempotent_open(user=customer, key="k1", **kwargs)
    assert created and not created_again and first == again
    assert Ticket.objects.count() == 1


def test_no_account_ticket_held_until_confirmed_and_routed_to_security(committed):
    user = UserFactory(email="lost@example.com", exchange_uid="77777777")
    with committed():
        ticket = ticket_open_without_account(
            email="LOST@example.com", exchange_uid="77777777", body="Hacked", language="en"
        )
    assert ticket.held_for_confirmation and ticket.team.slug == "account-security"
    assert not user.tickets.visible().exists()
    assert len(mail.outbox) == 1 and "confirm" in mail.outbox[0].body.lower()
    token = mail.outbox[0].body.split("/tickets/confirm/")[1].split("/")[0]
    ticket_confirm_held(token=token)
    ticket.refresh_from_db()
    assert not ticket.held_for_confirmation
    assert ticket.priority == Ticket.Priority.URGENT
    assert user.tickets.visible().count() == 1


def test_no_account_unknown_pair_creates_nothing(committed):
    UserFactory(email="lost@example.com", exchange_uid="77777777")
    with committed():
        ticket = ticket_open_without_account(
            email="lost@example.com", exchange_uid="12345678", body="x", language="en"
        )
    assert ticket is None
    assert Ticket.objects.count() == 0 and mail.outbox == []


def test_confirm_rejects_tampered_token():
    with pytest.raises(ValidationError):
        ticket_confirm_held(token="T-XXXX:bad:sig")


def test_senior_role_has_management_permissions():
    senior = StaffFactory(role=Role.SENIOR_AGENT)
    agent = StaffFactory(role=Role.AGENT)
    assert senior.has_perm("tickets.change_slapolicy")
    assert senior.has_perm("tickets.add_shift")
    assert not agent.has_perm("tickets.change_slapolicy")
    assert agent.has_perm("tickets.view_cannedreply")
