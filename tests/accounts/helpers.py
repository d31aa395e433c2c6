"""Helpers for sign-in tests: real TOTP authenticators and the two login stages."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now, as allauth computes it.

    allauth accepts only the current period (no tolerance), so a code minted
    in the last seconds of a period would expire before it is posted: wait
    for the next period instead.
    """
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def wrong_totp_code(secret: str) -> str:
    """A well-formed code that no counter in allauth's window produces."""
    valid = {format_hotp_value(hotp_value(secret, c)) for c in yield_hotp_counters_from_time()}
    candidate = 0
    while format_hotp_value(candidate) in valid:
        candidate += 1
    return format_hotp_value(candidate)


def enable_totp(user) -> str:
    """Give the user a TOTP authenticator, as the setup page would; return its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def enable_recovery_codes(user) -> list[str]:
    return RecoveryCodes.activate(user).generate_codes()


def post_login(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password, **extra})


def post_mfa_code(client: Client, code: str):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session
