"""Emergency freeze: signed in (re-authenticated), locked out (no enumeration), four eyes."""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from selfservice.models import AccountFreeze, OutboundWebhook
from selfservice.services import (
    account_freeze,
    account_freeze_confirm,
    backoff_seconds,
    freeze_unfreeze_approve,
    freeze_unfreeze_request,
    outbound_webhook_attempt,
    outbound_webhooks_retry_due,
    signature_compute,
)
from selfservice.services.freeze import FREEZE_LINK_SALT
from support_portal.accounts.roles import Role
from tests.accounts.helpers import is_logged_in, post_login
from tests.factories import PASSWORD, StaffFactory, UserFactory
from tickets.models import Message, Shift, Team, Ticket

from .conftest import SECRET, post_event
from .servers import ExchangeEndpoint

# Real commits, so the after-commit work (webhook task, e-mail) runs in place;
# tests/conftest.py puts back the staff groups that the flush afterwards drops.
pytestmark = pytest.mark.django_db(transaction=True)

FREEZE = reverse("selfservice:freeze")
REQUEST = reverse("selfservice:freeze-request")


@pytest.fixture
def exchange(settings):
    with ExchangeEndpoint() as endpoint:
        settings.EXCHANGE_WEBHOOK_URL = endpoint.url
        yield endpoint


def _login(user, ua="Firefox/140.0 (X11; Linux)"):
    client = Client(HTTP_USER_AGENT=ua)
    assert post_login(client, user.email).status_code == 302
    return client


def test_freeze_requires_reauthentication(exchange):
    user = UserFactory()
    client = Client()
    client.force_login(user)  # no recent password entry in this session

    response = client.post(FREEZE)

    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]
    assert not AccountFreeze.objects.exists()

    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.post(FREEZE).status_code == 302
    assert AccountFreeze.objects.filter(user=user, lifted_at__isnull=True).exists()


def test_signed_in_freeze_signs_out_others_and_notifies_the_exchange(
    exchange, django_capture_on_commit_callbacks
):
    user = UserFactory(exchange_uid="40817352")
    laptop = _login(user)
    phone = _login(user, ua="Safari iPhone")

    laptop.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = laptop.post(FREEZE)

    assert response.status_code == 302
    assert response["Location"] == FREEZE
    freeze = AccountFreeze.objects.get(user=user)
    assert freeze.source == AccountFreeze.Source.SELF_SERVICE and freeze.is_active
    assert is_logged_in(laptop) and not is_logged_in(phone)
    webhook = OutboundWebhook.objects.get(type="account.freeze_requested")
    assert webhook.status == OutboundWebhook.Status.DELIVERED
    assert webhook.attempts.count() == 1
    sent = exchange.requests[0]
    body = json.loads(sent["body"])
    assert body["type"] == "account.freeze_requested"
    assert body["data"]["uid"] == "40817352"
    expected = signature_compute(
        secret=SECRET, timestamp=sent["headers"]["X-Timestamp"], body=sent["body"]
    )
    assert sent["headers"]["X-Signature"] == f"sha256={expected}"
    assert "frozen" in laptop.get(FREEZE).content.decode()
    _assert_one_urgent_security_ticket(user, channel=Ticket.Channel.WEB)


def _assert_one_urgent_security_ticket(user, *, channel):
    ticket = Ticket.objects.get(requester=user)
    assert ticket.priority == Ticket.Priority.URGENT
    assert ticket.category == Ticket.Category.ACCOUNT_COMPROMISED
    assert ticket.team.slug == "account-security"
    assert ticket.channel == channel
    assert ticket.first_response_due and ticket.resolution_due
    assert ticket.messages.filter(kind=Message.Kind.SYSTEM).count() == 1
    acknowledgement = [m for m in mail.outbox if ticket.reference in m.subject]
    assert len(acknowledgement) == 1 and acknowledgement[0].to == [user.email]


def test_freezing_twice_keeps_one_freeze_and_one_webhook(exchange):
    user = UserFactory()
    first, created = account_freeze(user=user, source=AccountFreeze.Source.SELF_SERVICE)
    again, created_again = account_freeze(user=user, source=AccountFreeze.Source.SELF_SERVICE)
    assert created and not created_again and first.pk == again.pk
    assert OutboundWebhook.objects.count() == 1
    assert Ticket.objects.filter(requester=user).count() == 1


def test_database_allows_only_one_active_freeze_per_user():
    user = UserFactory()
    AccountFreeze.objects.create(user=user, source="self_service", created_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountFreeze.objects.create(user=user, source="self_service", created_at=timezone.now())


def test_webhook_is_retried_with_backoff_until_acknowledged(settings):
    with ExchangeEndpoint(statuses=[503, 500]) as endpoint:
        settings.EXCHANGE_WEBHOOK_URL = endpoint.url
        user = UserFactory()
        account_freeze(user=user, source=AccountFreeze.Source.SELF_SERVICE)  # attempt 1: 503
        webhook = OutboundWebhook.objects.get()
        assert webhook.status == OutboundWebhook.Status.PENDING
        assert webhook.attempt_count == 1
        assert webhook.next_attempt_at > timezone.now()

        outbound_webhook_attempt(webhook=webhook)  # attempt 2: 500
        outbound_webhook_attempt(webhook=webhook)  # attempt 3: 200

    webhook.refresh_from_db()
    assert webhook.status == OutboundWebhook.Status.DELIVERED
    assert [a.status_code for a in webhook.attempts.all()] == [503, 500, 200]
    assert len({json.loads(r["body"])["event_id"] for r in endpoint.requests}) == 1
    assert outbound_webhook_attempt(webhook=webhook) is None  # delivered: no more tries


def test_unreachable_exchange_is_recorded_and_gives_up_after_max_attempts(settings):
    settings.EXCHANGE_WEBHOOK_URL = "http://127.0.0.1:9/closed"
    settings.EXCHANGE_WEBHOOK_MAX_ATTEMPTS = 2
    account_freeze(user=UserFactory(), source=AccountFreeze.Source.SELF_SERVICE)
    webhook = OutboundWebhook.objects.get()
    assert webhook.attempts.get().error
    outbound_webhook_attempt(webhook=webhook)
    webhook.refresh_from_db()
    assert webhook.status == OutboundWebhook.Status.FAILED
    assert webhook.attempts.count() == 2


def test_due_webhooks_are_picked_up_again(settings):
    with ExchangeEndpoint(statuses=[500]) as endpoint:
        settings.EXCHANGE_WEBHOOK_URL = endpoint.url
        account_freeze(user=UserFactory(), source=AccountFreeze.Source.SELF_SERVICE)
        OutboundWebhook.objects.update(next_attempt_at=timezone.now())
        with transaction.atomic():
            assert outbound_webhooks_retry_due() == 1
    assert OutboundWebhook.objects.get().status == OutboundWebhook.Status.DELIVERED


def test_backoff_doubles_and_is_capped(settings):
    settings.EXCHANGE_WEBHOOK_BACKOFF_SECONDS = 30
    settings.EXCHANGE_WEBHOOK_BACKOFF_MAX_SECONDS = 3600
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_seconds(20) == 3600


def _request(client, email, uid):
    return client.post(REQUEST, {"email": email, "exchange_uid": uid})


def test_locked_out_request_answers_the_same_whether_or_not_the_account_exists(client, exchange):
    user = UserFactory(email="victim@example.com", exchange_uid="40817352")
    cases = [
        ("victim@example.com", "40817352"),  # match
        ("victim@example.com", "99999999"),  # wrong UID
        ("nobody@example.com", "40817352"),  # unknown e-mail
    ]
    bodies = []
    for email, uid in cases:
        response = _request(client, email, uid)
        assert response.status_code == 200
        bodies.append(
            re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        )
    assert bodies[0] == bodies[1] == bodies[2]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert not AccountFreeze.objects.exists()  # nothing happens until the link is followed


def test_following_the_mailed_link_freezes_and_signs_out_everywhere(client, exchange):
    user = UserFactory(email="victim@example.com", exchange_uid="40817352")
    attacker = _login(user)
    _request(client, "VICTIM@example.com", " 40817352 ")
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)

    response = client.get(link)

    assert response.status_code == 200
    freeze = AccountFreeze.objects.get(user=user)
    assert freeze.source == AccountFreeze.Source.LOCKED_OUT
    assert not is_logged_in(attacker)
    assert OutboundWebhook.objects.filter(type="account.freeze_requested").count() == 1
    _assert_one_urgent_security_ticket(user, channel=Ticket.Channel.EMAIL)


@pytest.mark.parametrize("token", ["garbage", "a" * 300, "..", "%00"])
def test_bad_freeze_links_are_a_clear_400(client, token):
    response = client.get(reverse("selfservice:freeze-confirm", kwargs={"token": token}))
    assert response.status_code == 400
    assert not AccountFreeze.objects.exists()


def test_expired_freeze_link_is_refused(settings):
    user = UserFactory()
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=FREEZE_LINK_SALT)
    settings.SELFSERVICE_FREEZE_LINK_MAX_AGE = -1
    with pytest.raises(ValidationError):
        account_freeze_confirm(token=token)


def test_link_stops_working_after_an_e_mail_change():
    user = UserFactory()
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=FREEZE_LINK_SALT)
    user.email = "new@example.com"
    user.save(update_fields=["email"])
    with pytest.raises(ValidationError):
        account_freeze_confirm(token=token)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"email": "not-an-email", "exchange_uid": "123"},
        {"email": "a@b.co", "exchange_uid": "<x>"},
        {"email": "a" * 300 + "@example.com", "exchange_uid": "40817352"},
    ],
)
def test_locked_out_form_rejects_bad_input_without_sending(client, data):
    response = client.post(REQUEST, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not mail.outbox


def test_locked_out_requests_are_rate_limited(client, settings):
    settings.SELFSERVICE_FREEZE_RATE_LIMIT = "2/h"
    UserFactory(email="victim@example.com", exchange_uid="40817352")
    for _ in range(2):
        assert _request(client, "victim@example.com", "40817352").status_code == 200
    assert _request(client, "victim@example.com", "40817352").status_code == 429
    assert len(mail.outbox) == 2


def _frozen():
    user = UserFactory()
    return AccountFreeze.objects.create(user=user, source="self_service", created_at=timezone.now())


def test_two_different_people_lift_a_freeze():
    freeze = _frozen()
    agent = StaffFactory(role=Role.AGENT)
    senior = StaffFactory(role=Role.SENIOR_AGENT)

    freeze_unfreeze_request(freeze=freeze, agent=agent, note="Video call, ID matched.")
    freeze = freeze_unfreeze_approve(freeze=freeze, approver=senior)

    assert freeze.lifted_at is not None
    assert (freeze.unfreeze_requested_by, freeze.unfreeze_approved_by) == (agent, senior)
    assert OutboundWebhook.objects.filter(type="account.unfreeze_approved").exists()


def test_the_same_person_can_never_request_and_approve():
    freeze = _frozen()
    senior = StaffFactory(role=Role.SENIOR_AGENT)
    freeze_unfreeze_request(freeze=freeze, agent=senior, note="Checked ID.")

    with pytest.raises(PermissionDenied):
        freeze_unfreeze_approve(freeze=freeze, approver=senior)

    freeze.refresh_from_db()
    assert freeze.lifted_at is None


def test_database_refuses_the_same_requester_and_approver():
    freeze = _frozen()
    senior = StaffFactory(role=Role.SENIOR_AGENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountFreeze.objects.filter(pk=freeze.pk).update(
            unfreeze_requested_by=senior, unfreeze_approved_by=senior, lifted_at=timezone.now()
        )


def test_plain_agents_cannot_approve_and_customers_cannot_request():
    freeze = _frozen()
    agent, other_agent = StaffFactory(role=Role.AGENT), StaffFactory(role=Role.AGENT)
    with pytest.raises(PermissionDenied):
        freeze_unfreeze_request(freeze=freeze, agent=UserFactory(), note="x")
    freeze_unfreeze_request(freeze=freeze, agent=agent, note="Checked.")
    with pytest.raises(PermissionDenied):
        freeze_unfreeze_approve(freeze=freeze, approver=other_agent)


def test_approval_needs_a_request_and_a_note():
    freeze = _frozen()
    with pytest.raises(ValidationError):
        freeze_unfreeze_approve(freeze=freeze, approver=StaffFactory(role=Role.SENIOR_AGENT))
    with pytest.raises(ValidationError):
        freeze_unfreeze_request(freeze=freeze, agent=StaffFactory(), note="   ")


def test_unfreeze_in_the_admin_by_two_people(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    freeze = _frozen()
    agent = StaffFactory(role=Role.AGENT)
    senior = StaffFactory(role=Role.SENIOR_AGENT)
    change = reverse("admin:selfservice_accountfreeze_change", args=[freeze.pk])

    client.force_login(agent)
    assert client.get(change).status_code == 200
    client.post(
        reverse("admin:selfservice_accountfreeze_request_unfreeze", args=[freeze.pk]),
        {"note": "Video call"},
    )
    # The requester's own approval is refused with a message, not a 500.
    client.post(reverse("admin:selfservice_accountfreeze_approve_unfreeze", args=[freeze.pk]))
    freeze.refresh_from_db()
    assert freeze.unfreeze_requested_by == agent and freeze.lifted_at is None

    client.force_login(senior)
    response = client.post(
        reverse("admin:selfservice_accountfreeze_approve_unfreeze", args=[freeze.pk])
    )
    assert response.status_code == 302
    freeze.refresh_from_db()
    assert freeze.lifted_at is not None


def test_outbound_webhooks_are_visible_in_the_admin(client, settings, exchange):
    settings.STAFF_MFA_REQUIRED = False
    account_freeze(user=UserFactory(exchange_uid="40817352"), source="self_service")
    client.force_login(StaffFactory(role=Role.SENIOR_AGENT))
    webhook = OutboundWebhook.objects.get()
    assert client.get(reverse("admin:selfservice_outboundwebhook_changelist")).status_code == 200
    html = client.get(
        reverse("admin:selfservice_outboundwebhook_change", args=[webhook.pk])
    ).content.decode()
    assert "40****52" in html and "40817352" not in html


def test_freeze_ticket_is_in_the_customers_language_and_goes_to_an_agent_on_shift(exchange):
    team, _ = Team.objects.get_or_create(slug="account-security", defaults={"name": "Sec"})
    agent = StaffFactory(role=Role.AGENT)
    now = timezone.now()
    Shift.objects.create(
        team=team,
        agent=agent,
        start=now - timedelta(hours=1),
        end=now + timedelta(hours=1),
        languages=["zh-hans"],
        capacity=5,
    )
    user = UserFactory(preferred_language="zh-hans")

    account_freeze(user=user, source=AccountFreeze.Source.SELF_SERVICE)

    ticket = Ticket.objects.get(requester=user)
    assert ticket.language == "zh-hans" and ticket.assignee == agent
    assert not ticket.needs_routing


def test_exchange_side_freezes_open_no_ticket(client):
    user = UserFactory(exchange_uid="777001")
    event = {
        "event_id": "ev-freeze-1",
        "type": "account.frozen",
        "occurred_at": timezone.now().isoformat(),
        "data": {"uid": "777001"},
    }
    assert post_event(client, event).status_code in (200, 201, 202)
    assert AccountFreeze.objects.filter(user=user, source="exchange").exists()
    assert not Ticket.objects.exists()
