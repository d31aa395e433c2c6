"""The exchange's signed events: signature, replay window, idempotency, bad input."""

import json
import time
import uuid

import pytest
from django.urls import reverse

from selfservice.models import (
    AccountFreeze,
    ChainNetwork,
    IntegrationEvent,
    KycChange,
    KycLevel,
    SecuritySnapshot,
)
from tests.factories import StaffFactory, UserFactory

from .conftest import EVENTS_URL, signed_headers
from .factories import ChainNetworkFactory

pytestmark = pytest.mark.django_db


def _event(type_, data, **extra):
    return {
        "event_id": extra.pop("event_id", f"evt_{uuid.uuid4().hex}"),
        "type": type_,
        "occurred_at": extra.pop("occurred_at", "2026-01-10T09:00:00Z"),
        "data": data,
    }


def _kyc(uid, **data):
    return _event(
        "kyc.updated",
        {"uid": uid, "level": 2, "status": "needs_more_information", **data},
    )


def test_signed_kyc_event_updates_level_and_timeline(post):
    user = UserFactory()
    response = post(
        _kyc(user.exchange_uid, reason_codes=["POA_TOO_OLD"], estimated_review_hours=24)
    )

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    level = KycLevel.objects.get(user=user, level=2)
    assert level.status == KycLevel.Status.NEEDS_INFO
    assert level.reason_codes == ["POA_TOO_OLD"]
    assert level.estimated_review_hours == 24
    assert KycChange.objects.filter(user=user).count() == 1


def test_replayed_event_id_is_a_duplicate_and_changes_nothing(post):
    user = UserFactory()
    first = {**_kyc(user.exchange_uid), "event_id": "evt_replay_0001"}
    assert post(first).json()["status"] == "accepted"
    replay = {**first, "data": {**first["data"], "status": "approved"}}

    response = post(replay)

    assert response.status_code == 200
    assert response.json() == {"status": "duplicate", "event_id": "evt_replay_0001"}
    assert KycLevel.objects.get(user=user).status == KycLevel.Status.NEEDS_INFO
    assert IntegrationEvent.objects.count() == 1
    assert KycChange.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_X_TIMESTAMP": str(int(time.time()))},
        {"HTTP_X_TIMESTAMP": "yesterday", "HTTP_X_SIGNATURE": "sha256=00"},
        {"HTTP_X_TIMESTAMP": str(int(time.time())), "HTTP_X_SIGNATURE": "sha256=" + "0" * 64},
        {"HTTP_X_TIMESTAMP": str(int(time.time())), "HTTP_X_SIGNATURE": "sha256=ünïcode"},
    ],
    ids=["unsigned", "no-signature", "bad-timestamp", "wrong-signature", "non-ascii-signature"],
)
def test_unsigned_or_badly_signed_requests_are_refused(client, headers):
    user = UserFactory()
    body = json.dumps(_kyc(user.exchange_uid)).encode()

    response = client.post(EVENTS_URL, data=body, content_type="application/json", **headers)

    assert response.status_code == 401
    assert "error" in response.json()
    assert not IntegrationEvent.objects.exists()
    assert not KycLevel.objects.exists()


def test_signature_with_another_secret_is_refused(client):
    user = UserFactory()
    body = json.dumps(_kyc(user.exchange_uid)).encode()

    response = client.post(
        EVENTS_URL, data=body, content_type="application/json", **signed_headers(body, secret="x")
    )

    assert response.status_code == 401
    assert response.json()["error"] == "bad_signature"


def test_body_changed_after_signing_is_refused(client):
    user = UserFactory()
    body = json.dumps(_kyc(user.exchange_uid)).encode()
    tampered = body.replace(b"needs_more_information", b"approved")

    response = client.post(
        EVENTS_URL, data=tampered, content_type="application/json", **signed_headers(body)
    )

    assert response.status_code == 401
    assert not KycLevel.objects.exists()


@pytest.mark.parametrize("skew", [-301, 301, -3600 * 24])
def test_stale_or_future_timestamps_are_refused(post, skew):
    user = UserFactory()

    response = post(_kyc(user.exchange_uid), timestamp=int(time.time()) + skew)

    assert response.status_code == 401
    assert response.json()["error"] == "stale"
    assert not IntegrationEvent.objects.exists()


def test_timestamp_inside_the_window_is_accepted(post):
    user = UserFactory()
    assert post(_kyc(user.exchange_uid), timestamp=int(time.time()) - 240).status_code == 200


def test_missing_secret_refuses_everything(post, settings):
    settings.EXCHANGE_WEBHOOK_SECRET = ""
    user = UserFactory()
    response = post(_kyc(user.exchange_uid), secret="")
    assert response.status_code == 401
    assert response.json()["error"] == "not_configured"


@pytest.mark.parametrize(
    "body, code",
    [
        (b"{not json", "malformed_json"),
        (b"\xff\xfe", "malformed_json"),
        (b"[1, 2]", "malformed_json"),
        (b'"text"', "malformed_json"),
        (json.dumps({"type": "kyc.updated"}).encode(), "invalid"),
        (
            json.dumps(
                {
                    "event_id": "evt_unknown_01",
                    "type": "account.deleted",
                    "occurred_at": "2026-01-01T00:00:00Z",
                    "data": {},
                }
            ).encode(),
            "unknown_type",
        ),
        (
            json.dumps(
                {
                    "event_id": "evt_bad_data_01",
                    "type": "kyc.updated",
                    "occurred_at": "2026-01-01T00:00:00Z",
                    "data": {"uid": "40817352", "level": 9, "status": "approved"},
                }
            ).encode(),
            "invalid",
        ),
        (
            json.dumps(
                {
                    "event_id": "evt_bad_date_01",
                    "type": "account.frozen",
                    "occurred_at": "soon",
                    "data": {"uid": "40817352"},
                }
            ).encode(),
            "invalid",
        ),
        (
            json.dumps(
                {
                    "event_id": "evt_bad_data_02",
                    "type": "security.snapshot",
                    "occurred_at": "2026-01-01T00:00:00Z",
                    "data": "oops",
                }
            ).encode(),
            "invalid",
        ),
    ],
    ids=[
        "broken",
        "not-utf8",
        "array",
        "string",
        "missing-fields",
        "unknown-type",
        "bad-level",
        "bad-date",
        "data-not-object",
    ],
)
def test_bad_input_is_a_clear_400_and_stores_nothing(post, body, code):
    UserFactory(exchange_uid="40817352")

    response = post(body)

    assert response.status_code == 400
    assert response.json()["error"] == code
    assert not IntegrationEvent.objects.exists()
    assert not KycLevel.objects.exists()


def test_event_for_unknown_uid_is_recorded_without_data(post):
    response = post(_kyc("99999999", reason_codes=["POA_TOO_OLD"]))

    assert response.json()["status"] == "ignored_unknown_account"
    stored = IntegrationEvent.objects.get()
    assert stored.user is None
    assert stored.data == {}


def test_older_event_arriving_late_keeps_the_newer_state(post):
    user = UserFactory()
    post(
        _event(
            "kyc.updated",
            {"uid": user.exchange_uid, "level": 1, "status": "approved"},
            occurred_at="2026-01-10T10:00:00Z",
        )
    )
    post(
        _event(
            "kyc.updated",
            {"uid": user.exchange_uid, "level": 1, "status": "pending_review"},
            occurred_at="2026-01-09T10:00:00Z",
        )
    )

    assert KycLevel.objects.get(user=user).status == KycLevel.Status.APPROVED
    assert KycChange.objects.filter(user=user).count() == 2


def test_security_snapshot_is_stored_without_key_material(post):
    user = UserFactory()
    response = post(
        _event(
            "security.snapshot",
            {
                "uid": user.exchange_uid,
                "withdrawal_whitelist_enabled": False,
                "anti_phishing_code_set": True,
                "api_keys": [
                    {"label": "bot", "scopes": ["trade", "withdraw"], "last_used_at": None},
                ],
            },
        )
    )

    assert response.status_code == 200
    snapshot = SecuritySnapshot.objects.get(user=user)
    assert snapshot.withdrawal_whitelist_enabled is False
    assert snapshot.api_keys == [
        {"label": "bot", "scopes": ["trade", "withdraw"], "last_used_at": None}
    ]


def test_frozen_and_unfrozen_events_mirror_the_exchange(post):
    user = UserFactory()
    post(_event("account.frozen", {"uid": user.exchange_uid}))
    freeze = AccountFreeze.objects.get(user=user)
    assert freeze.source == AccountFreeze.Source.EXCHANGE and freeze.is_active

    post(_event("account.unfrozen", {"uid": user.exchange_uid}))

    freeze.refresh_from_db()
    assert not freeze.is_active


def test_chain_status_pauses_deposits_with_a_notice(post):
    ChainNetworkFactory(code="ETH")
    response = post(
        _event(
            "chain.status",
            {
                "network": "ETH",
                "deposits_enabled": False,
                "withdrawals_enabled": True,
                "notice": "Network upgrade",
            },
        )
    )

    assert response.status_code == 200
    network = ChainNetwork.objects.get(code="ETH")
    assert (network.deposits_enabled, network.notice) == (False, "Network upgrade")


def test_chain_status_for_unknown_network_is_refused_and_not_stored(post):
    response = post(
        _event(
            "chain.status",
            {"network": "NOPE", "deposits_enabled": False, "withdrawals_enabled": False},
        )
    )
    assert response.status_code == 422
    assert not IntegrationEvent.objects.exists()


def test_get_is_not_allowed(client):
    assert client.get(EVENTS_URL).status_code in (401, 405)


def test_agent_sees_masked_read_only_records(client, post, settings):
    settings.STAFF_MFA_REQUIRED = False
    user = UserFactory(email="alice.private@example.com", exchange_uid="40817352")
    post(_kyc(user.exchange_uid))
    agent = StaffFactory()
    client.force_login(agent)

    response = client.get(reverse("admin:selfservice_kyclevel_changelist"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "a***@example.com" in html
    assert "40****52" in html
    assert "alice.private" not in html and "40817352" not in html
    level = KycLevel.objects.get()
    detail = client.get(reverse("admin:selfservice_kyclevel_change", args=[level.pk]))
    assert detail.status_code == 200
    assert "alice.private" not in detail.content.decode()
    assert b'name="status"' not in detail.content
    assert client.get(reverse("admin:selfservice_kyclevel_add")).status_code == 403


def test_customers_cannot_open_the_records_in_the_console(client, post):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("admin:selfservice_integrationevent_changelist"))
    assert response.status_code == 302
