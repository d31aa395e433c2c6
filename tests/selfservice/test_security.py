"""Security check: sign-in history, unusual sign-ins, the checklist and its API."""

import datetime

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from selfservice.devices import device_family, network_prefix
from selfservice.models import AntiPhishingCode, PasswordChange, SecuritySnapshot, SignIn
from selfservice.services import sign_in_record
from tests.accounts.helpers import enable_recovery_codes, enable_totp, is_logged_in, post_login
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/selfservice/security-check/"
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
CHROME_WIN = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/140.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize(
    "ua, family",
    [
        (FIREFOX_LINUX, "Firefox on Linux"),
        (CHROME_WIN, "Chrome on Windows"),
        (SAFARI_IPHONE, "Safari on iOS"),
        ("Mozilla/5.0 (Windows NT 10.0) Chrome/140.0 Safari/537.36 Edg/140.0", "Edge on Windows"),
        ("", "Other browser on other system"),
    ],
)
def test_device_family(ua, family):
    assert device_family(ua) == family


@pytest.mark.parametrize(
    "ip, prefix",
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:abcd:12::1", "2001:db8:abcd::/48"),
        ("::ffff:198.51.100.9", "198.51.100.0/24"),
        ("not an ip", ""),
    ],
)
def test_network_prefix_keeps_only_the_network(ip, prefix):
    assert network_prefix(ip) == prefix


def test_first_sign_in_sets_the_baseline_and_is_not_flagged():
    user = UserFactory()
    first = sign_in_record(user=user, ip="203.0.113.5", user_agent=FIREFOX_LINUX)
    assert not first.is_unusual


def test_same_network_and_browser_is_not_unusual():
    user = UserFactory()
    sign_in_record(user=user, ip="203.0.113.5", user_agent=FIREFOX_LINUX)
    again = sign_in_record(user=user, ip="203.0.113.200", user_agent=FIREFOX_LINUX)
    assert not again.is_unusual


def test_new_network_is_flagged():
    user = UserFactory()
    sign_in_record(user=user, ip="203.0.113.5", user_agent=FIREFOX_LINUX)
    other = sign_in_record(user=user, ip="198.51.100.7", user_agent=FIREFOX_LINUX)
    assert other.new_network and not other.new_device


def test_new_ipv6_network_is_flagged_by_48_prefix():
    user = UserFactory()
    sign_in_record(user=user, ip="2001:db8:1:1::1", user_agent=FIREFOX_LINUX)
    same = sign_in_record(user=user, ip="2001:db8:1:ffff::9", user_agent=FIREFOX_LINUX)
    other = sign_in_record(user=user, ip="2001:db8:2::1", user_agent=FIREFOX_LINUX)
    assert not same.new_network
    assert other.new_network


def test_new_browser_is_flagged():
    user = UserFactory()
    sign_in_record(user=user, ip="203.0.113.5", user_agent=FIREFOX_LINUX)
    phone = sign_in_record(user=user, ip="203.0.113.6", user_agent=SAFARI_IPHONE)
    assert phone.new_device and not phone.new_network


def test_history_is_per_user():
    alice, bob = UserFactory(), UserFactory()
    sign_in_record(user=alice, ip="203.0.113.5", user_agent=FIREFOX_LINUX)
    sign_in_record(user=bob, ip="198.51.100.7", user_agent=SAFARI_IPHONE)
    alice_again = sign_in_record(user=alice, ip="198.51.100.8", user_agent=SAFARI_IPHONE)
    assert alice_again.new_device and alice_again.new_network


def test_real_login_records_sign_in_without_raw_ip():
    user = UserFactory()
    client = Client(HTTP_USER_AGENT=CHROME_WIN, REMOTE_ADDR="203.0.113.77")
    assert post_login(client, user.email).status_code == 302
    row = SignIn.objects.get(user=user)
    assert (row.network, row.device) == ("203.0.113.0/24", "Chrome on Windows")
    assert "203.0.113.77" not in str(SignIn.objects.filter(user=user).values().get())


def test_password_change_is_recorded_through_allauth(client):
    user = UserFactory()
    post_login(client, user.email)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-phrase-42",
            "password2": "a-new-long-phrase-42",
        },
    )
    assert response.status_code == 302
    assert PasswordChange.objects.get(user=user).kind == PasswordChange.Kind.CHANGED


def _items(client):
    body = client.get(API).json()
    return body, {item["key"]: item for item in body["items"]}


def test_new_user_without_protection_scores_low_with_advice(client):
    user = UserFactory()
    client.force_login(user)

    body, items = _items(client)

    assert set(items) == {
        "email_verified",
        "totp",
        "recovery_codes",
        "password",
        "other_sessions",
        "recent_sign_ins",
        "anti_phishing_code",
        "withdrawal_whitelist",
        "api_keys",
    }
    for item in body["items"]:
        assert set(item) == {"key", "status", "title", "advice", "url"}
        assert item["status"] in {"ok", "warn", "risk"}
        assert item["advice"] and item["url"].startswith("/")
    assert items["email_verified"]["status"] == "ok"
    assert items["totp"]["status"] == "risk"
    assert items["withdrawal_whitelist"]["status"] == "warn"
    assert 0 <= body["score"] < 70


def test_well_protected_user_scores_100(client):
    user = UserFactory()
    enable_totp(user)
    enable_recovery_codes(user)
    AntiPhishingCode.objects.create(user=user, code="Tiger42")
    SecuritySnapshot.objects.create(
        user=user,
        withdrawal_whitelist_enabled=True,
        anti_phishing_code_set=True,
        api_keys=[
            {
                "label": "bot",
                "scopes": ["read", "trade"],
                "last_used_at": timezone.now().isoformat(),
            }
        ],
        as_of=timezone.now(),
    )
    client.force_login(user)

    body, _ = _items(client)

    assert {i["status"] for i in body["items"]} == {"ok"}, body
    assert body["score"] == 100


def test_withdrawal_scope_and_stale_api_keys_are_flagged(client):
    user = UserFactory()
    old = (timezone.now() - datetime.timedelta(days=120)).isoformat()
    snapshot = SecuritySnapshot.objects.create(
        user=user,
        withdrawal_whitelist_enabled=False,
        anti_phishing_code_set=False,
        api_keys=[{"label": "old-bot", "scopes": ["read"], "last_used_at": old}],
        as_of=timezone.now(),
    )
    client.force_login(user)
    _, items = _items(client)
    assert items["api_keys"]["status"] == "warn" and "old-bot" in items["api_keys"]["advice"]
    assert items["withdrawal_whitelist"]["status"] == "risk"

    snapshot.api_keys = [{"label": "payout", "scopes": ["withdraw"], "last_used_at": None}]
    snapshot.save(update_fields=["api_keys"])
    _, items = _items(client)
    assert items["api_keys"]["status"] == "risk" and "payout" in items["api_keys"]["advice"]


def test_old_password_is_a_warning(client):
    user = UserFactory()
    PasswordChange.objects.create(
        user=user, kind="changed", changed_at=timezone.now() - datetime.timedelta(days=400)
    )
    client.force_login(user)
    _, items = _items(client)
    assert items["password"]["status"] == "warn"
    assert "400" in items["password"]["advice"]


def test_unusual_sign_in_is_a_risk_and_shown_on_the_page(client):
    user = UserFactory()
    sign_in_record(user=user, ip="203.0.113.5", user_agent=FIREFOX_LINUX)
    sign_in_record(user=user, ip="198.51.100.7", user_agent=SAFARI_IPHONE)
    client.force_login(user)

    _, items = _items(client)
    assert items["recent_sign_ins"]["status"] == "risk"
    html = client.get(reverse("selfservice:security-check")).content.decode()
    assert "New browser or device" in html and "198.51.100.0/24" in html


def test_other_sessions_are_listed_and_can_be_signed_out_from_the_page():
    user = UserFactory()
    laptop = Client(HTTP_USER_AGENT=FIREFOX_LINUX)
    phone = Client(HTTP_USER_AGENT=SAFARI_IPHONE)
    post_login(laptop, user.email)
    post_login(phone, user.email)

    _, items = _items(laptop)
    assert items["other_sessions"]["status"] == "warn"

    response = laptop.post(reverse("selfservice:sessions-end-others"))

    assert response.status_code == 302
    assert is_logged_in(laptop) and not is_logged_in(phone)
    assert UserSession.objects.filter(user=user).count() == 1


def test_sign_out_others_needs_post_and_login(client):
    url = reverse("selfservice:sessions-end-others")
    assert client.post(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 405


def test_api_needs_login(client):
    assert client.get(API).status_code in (401, 403)


@pytest.mark.parametrize("code", ["", "abc", "has space inside", "<script>", "x" * 21, "密码密码"])
def test_anti_phishing_code_form_rejects_bad_codes(client, code):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("selfservice:anti-phishing-code"), {"code": code})
    assert response.status_code == 200
    assert not AntiPhishingCode.objects.filter(user=user).exists()


def test_anti_phishing_code_can_be_set_and_changed(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("selfservice:anti-phishing-code")
    assert client.post(url, {"code": " Tiger42 "}).status_code == 302
    assert client.post(url, {"code": "Lion77"}).status_code == 302
    assert AntiPhishingCode.objects.get(user=user).code == "Lion77"
    assert "Lion77" in client.get(url).content.decode()
