"""The official-channel verifier: a table of lookalike and legitimate inputs, page and API."""

import pytest
from django.urls import reverse

from selfservice import verifier
from selfservice.selectors import channel_verify

from .factories import official_registry

pytestmark = pytest.mark.django_db

API = "/api/selfservice/verify-channel/"
OFFICIAL, HOMOGLYPH, CONTAINS, TYPO = "official", "homoglyph", "contains_official_name", "typosquat"
NONE = ""  # not official and no lookalike flag


@pytest.fixture(autouse=True)
def registry():
    official_registry()


CASES = [
    # Legitimate spellings of official channels.
    ("https://www.example-exchange.com", OFFICIAL),
    ("https://www.example-exchange.com/en/login?next=/wallet#top", OFFICIAL),
    ("EXAMPLE-EXCHANGE.COM.", OFFICIAL),
    ("example-exchange.com:443", OFFICIAL),
    ("http://www.example-exchange.com./", OFFICIAL),
    ("help.example-exchange.com", OFFICIAL),
    ("support@example-exchange.com", OFFICIAL),
    ("Support@Example-Exchange.COM", OFFICIAL),
    ("mailto:support@example-exchange.com", OFFICIAL),
    ("@ExampleExchange", OFFICIAL),
    ("@exampleexchange", OFFICIAL),
    ("ExampleExchange", OFFICIAL),
    ("https://t.me/ExampleExchange", OFFICIAL),
    ("t.me/s/ExampleExchange", OFFICIAL),
    ("https://x.com/ExampleExchange", OFFICIAL),
    ("https://twitter.com/exampleexchange/status/1", OFFICIAL),
    ("+1 (415) 555-0100", OFFICIAL),
    ("001-415-555-0100", OFFICIAL),
    ("tel:+14155550100", OFFICIAL),
    # Userinfo tricks: the host is what follows the last @.
    ("https://example-exchange.com@evil.io/login", NONE),
    ("https://www.example-exchange.com:pw@support-help.io", NONE),
    # Homoglyphs.
    ("examp1e-exchange.com", HOMOGLYPH),
    ("exampIe-exchange.com", HOMOGLYPH),
    ("https://www.ex4mple-exchange.com", TYPO),
    ("exarnple-exchange.com", HOMOGLYPH),
    ("example-exchange.c0m", HOMOGLYPH),
    ("\u0435xample-exchange.com", HOMOGLYPH),  # Cyrillic ie
    ("xn--xample-exchange-3nm.com", HOMOGLYPH),  # the same, in punycode
    ("ex\u03b1mple-exchange.com", HOMOGLYPH),  # Greek alpha
    ("@ExampIeExchange", HOMOGLYPH),
    ("@Examp1eExchange", HOMOGLYPH),
    ("support@examp1e-exchange.com", HOMOGLYPH),
    # The official name inside another domain or handle.
    ("example-exchange.com.support-help.io", CONTAINS),
    ("https://example-exchange-support.com/verify", CONTAINS),
    ("login-example-exchange.net", CONTAINS),
    ("example-exchange.net", CONTAINS),
    ("https://t.me/ExampleExchange_Support", CONTAINS),
    ("@example_exchange_help", CONTAINS),
    # Typosquats.
    ("exampel-exchange.com", TYPO),
    ("example-exchnge.com", TYPO),
    ("examplee-exchange.com", TYPO),
    ("@ExampleExchanqe", TYPO),
    ("https://x.com/ExampleExchang", TYPO),
    # Unrelated channels: not official, nothing to flag.
    ("google.com", NONE),
    ("@elonmusk", NONE),
    ("+44 20 7946 0958", NONE),
    ("someone@gmail.com", NONE),
]


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_verifier_table(value, expected):
    verdict = channel_verify(value=value)
    if expected == OFFICIAL:
        assert verdict.official, verdict
        assert verdict.flags == []
    else:
        assert not verdict.official, verdict
        assert (verdict.flags[0] if verdict.flags else NONE) == expected, verdict


def test_table_has_at_least_thirty_cases():
    assert len(CASES) >= 30


def test_userinfo_is_not_the_host():
    assert verifier.channel_normalize("https://okx.com@evil.io").value == "evil.io"


def test_punycode_and_unicode_spellings_are_the_same_host():
    a = verifier.channel_normalize("xn--xample-exchange-3nm.com")
    b = verifier.channel_normalize("\u0435xample-exchange.com")
    assert a.value == b.value and a.ascii_host == b.ascii_host == "xn--xample-exchange-3nm.com"


def test_idn_lookalike_shows_its_punycode_form():
    verdict = channel_verify(value="\u0435xample-exchange.com")
    assert verifier.Flag.IDN in verdict.flags
    assert verdict.ascii_host == "xn--xample-exchange-3nm.com"


def test_unlisted_address_on_official_domain_is_not_official():
    verdict = channel_verify(value="refunds@example-exchange.com")
    assert not verdict.official
    assert verdict.flags == [verifier.Flag.UNLISTED_ADDRESS]


def test_unreadable_input_is_not_official():
    verdict = channel_verify(value="hello there, is this real?")
    assert verdict.kind == verifier.Kind.UNKNOWN and not verdict.official


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("abc", "abc", 0), ("abc", "acb", 1), ("abc", "ab", 1), ("kitten", "sitting", 3)],
)
def test_damerau_levenshtein(a, b, distance):
    assert verifier.damerau_levenshtein(a, b) == distance


def test_empty_registry_trusts_nothing():
    from selfservice.models import OfficialChannel

    OfficialChannel.objects.all().delete()
    assert not channel_verify(value="https://www.example-exchange.com").official


# --- API ------------------------------------------------------------------------------
def test_api_answers_official(client):
    response = client.get(API, {"value": "https://www.example-exchange.com/login"})
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "official" and body["official"] is True
    assert body["kind"] == "website" and body["value"] == "example-exchange.com"


def test_api_flags_phishing(client):
    body = client.get(API, {"value": "example-exchange.com.support-help.io"}).json()
    assert body["verdict"] == "not_official"
    assert body["flags"] == ["contains_official_name"]
    assert body["lookalike_of"] == "example-exchange.com"
    assert body["advice"]


@pytest.mark.parametrize("params", [{}, {"value": ""}, {"value": "a" * 301}])
def test_api_rejects_missing_or_over_long_value(client, params):
    response = client.get(API, params)
    assert response.status_code == 400
    assert "value" in response.json()


def test_api_is_rate_limited(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "selfservice_verify": "2/min",
        },
    }
    from rest_framework.throttling import ScopedRateThrottle

    rates = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:
        codes = [client.get(API, {"value": "google.com"}).status_code for _ in range(3)]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = rates
        cache.clear()
    assert codes == [200, 200, 429]


# --- Page -----------------------------------------------------------------------------
def test_page_renders_form_and_registry(client):
    response = client.get(reverse("selfservice:verify-channel"))
    assert response.status_code == 200
    assert b"support@example-exchange.com" in response.content
    assert b"data-official" not in response.content


def test_page_says_official(client):
    response = client.get(reverse("selfservice:verify-channel"), {"value": "t.me/ExampleExchange"})
    assert b'data-official="true"' in response.content


def test_page_warns_about_phishing(client):
    response = client.get(reverse("selfservice:verify-channel"), {"value": "exampel-exchange.com"})
    assert b'data-official="false"' in response.content
    assert "likely phishing" in response.content.decode()


@pytest.mark.parametrize("value", ["", "x" * 400, "\x00\x01", "http://[::1", "https://:80"])
def test_page_never_fails_on_bad_input(client, value):
    response = client.get(reverse("selfservice:verify-channel"), {"value": value})
    assert response.status_code == 200
