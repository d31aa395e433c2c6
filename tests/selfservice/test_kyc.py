"""KYC status: own data only, plain-language reasons, and never any document data."""

import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from selfservice.models import KycChange, KycLevel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

API = "/api/selfservice/kyc/"
ALLOWED_LEVEL_KEYS = {
    "level",
    "label",
    "status",
    "status_label",
    "reasons",
    "estimated_review_hours",
    "updated_at",
}
FORBIDDEN_WORDS = ("document", "number", "image", "photo", "file", "passport", "name", "url")


def _kyc(user, level, status, codes=(), hours=None):
    now = timezone.now()
    KycLevel.objects.create(
        user=user,
        level=level,
        status=status,
        reason_codes=list(codes),
        estimated_review_hours=hours,
        updated_at=now,
    )
    KycChange.objects.create(
        user=user, level=level, status=status, reason_codes=list(codes), occurred_at=now
    )


def _keys(value, prefix=""):
    if isinstance(value, dict):
        for key, child in value.items():
            yield key
            yield from _keys(child)
    elif isinstance(value, list):
        for child in value:
            yield from _keys(child)


def test_api_returns_every_level_with_reasons_and_fixes(client):
    user = UserFactory()
    _kyc(user, 1, KycLevel.Status.APPROVED)
    _kyc(user, 2, KycLevel.Status.NEEDS_INFO, ["POA_TOO_OLD"], hours=24)
    client.force_login(user)

    body = client.get(API).json()

    assert [lv["status"] for lv in body["levels"]] == [
        "approved",
        "needs_more_information",
        "not_started",
    ]
    lv2 = body["levels"][1]
    assert lv2["reasons"][0]["code"] == "POA_TOO_OLD"
    assert "older than 3 months" in lv2["reasons"][0]["text"]
    assert lv2["reasons"][0]["fix"]
    assert lv2["reasons"][0]["article_slug"] == "kyc-rejected"
    assert lv2["estimated_review_hours"] == 24
    assert len(body["timeline"]) == 2


def test_api_payload_has_only_status_keys_and_no_document_data(client):
    user = UserFactory(name="Alice Martin")
    _kyc(user, 2, KycLevel.Status.REJECTED, ["ID_EXPIRED", "SOMETHING_NEW"])
    client.force_login(user)

    body = client.get(API).json()

    assert set(body) == {"levels", "timeline"}
    for level in body["levels"]:
        assert set(level) == ALLOWED_LEVEL_KEYS
        for reason in level["reasons"]:
            assert set(reason) == {"code", "text", "fix", "article_slug"}
    for change in body["timeline"]:
        assert set(change) == {"level", "status", "reason_codes", "occurred_at"}
    keys = set(_keys(body))
    for key in keys:
        # "status_label" and "label" are the level's and status's display names.
        if key in {"label", "status_label"}:
            continue
        assert not any(word in key for word in FORBIDDEN_WORDS), key
    text = str(body)
    assert "Alice" not in text and user.email not in text and user.exchange_uid not in text


def test_unknown_reason_code_gets_generic_advice(client):
    user = UserFactory()
    _kyc(user, 1, KycLevel.Status.REJECTED, ["BRAND_NEW_CODE"])
    client.force_login(user)
    reason = client.get(API).json()["levels"][0]["reasons"][0]
    assert reason["code"] == "BRAND_NEW_CODE"
    assert "something else" in reason["text"]


def test_api_shows_only_ones_own_levels(client):
    me, other = UserFactory(), UserFactory()
    _kyc(other, 1, KycLevel.Status.APPROVED)
    client.force_login(me)
    body = client.get(API).json()
    assert {lv["status"] for lv in body["levels"]} == {"not_started"}
    assert body["timeline"] == []


def test_api_and_page_need_a_signed_in_user(client):
    assert client.get(API).status_code in (401, 403)
    response = client.get(reverse("selfservice:kyc-status"))
    assert response.status_code == 302


def test_page_explains_the_missing_item(client):
    user = UserFactory()
    _kyc(user, 2, KycLevel.Status.NEEDS_INFO, ["POA_TOO_OLD"], hours=24)
    client.force_login(user)

    html = client.get(reverse("selfservice:kyc-status")).content.decode()
    assert "Your proof of address is older than 3 months." in html
    assert "/help/articles/kyc-rejected/" in html


def test_lookup_is_logged_without_personal_data(client, caplog):
    user = UserFactory(email="secret.person@example.com", name="Secret Person")
    _kyc(user, 1, KycLevel.Status.APPROVED)
    client.force_login(user)

    with caplog.at_level(logging.INFO, logger="selfservice"):
        client.get(API)

    records = [r for r in caplog.records if "kyc lookup" in r.getMessage()]
    assert len(records) == 1
    message = records[0].getMessage()
    assert "secret.person" not in message and user.exchange_uid not in message
    assert "Secret" not in message


def test_api_rejects_writes(client):
    client.force_login(UserFactory())
    assert client.post(API, {}).status_code == 405
