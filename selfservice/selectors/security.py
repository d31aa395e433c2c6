"""The account security checklist: each item says why it matters and how to fix it."""

import datetime
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from support_portal.accounts.models import User

from ..models import AntiPhishingCode, PasswordChange, SecuritySnapshot, SignIn

OK, WARN, RISK = "ok", "warn", "risk"
PASSWORD_MAX_AGE_DAYS = 365
API_KEY_STALE_DAYS = 90
UNUSUAL_WINDOW_DAYS = 30
_POINTS = {OK: 2, WARN: 1, RISK: 0}
# What an attacker gains when the item fails: 2FA and the whitelist stop most thefts.
_WEIGHTS = {
    "totp": 3,
    "email_verified": 2,
    "recent_sign_ins": 2,
    "withdrawal_whitelist": 2,
    "api_keys": 2,
}


@dataclass
class CheckItem:
    key: str
    status: str
    title: str
    advice: str
    url: str


@dataclass
class SecurityChecklist:
    score: int
    items: list[CheckItem]
    sign_ins: list[SignIn] = field(default_factory=list)
    other_sessions: int = 0


def _article(slug: str) -> str:
    return reverse("knowledge:article-detail", kwargs={"slug": slug})


def _email(user: User) -> CheckItem:
    verified = EmailAddress.objects.filter(user=user, primary=True, verified=True).exists()
    return CheckItem(
        "email_verified",
        OK if verified else RISK,
        _("E-mail address verified"),
        _("Your e-mail is verified, so security alerts and reset links reach you.")
        if verified
        else _("Verify your e-mail: without it you cannot receive security alerts or reset links."),
        reverse("account_email"),
    )


def _totp(types: set[str]) -> CheckItem:
    on = Authenticator.Type.TOTP in types
    return CheckItem(
        "totp",
        OK if on else RISK,
        _("Two-factor authentication (TOTP)"),
        _("An authenticator app protects your account even if your password leaks.")
        if on
        else _(
            "Turn on an authenticator app: a stolen password alone is then not enough to sign in."
        ),
        reverse("mfa_index") if on else reverse("mfa_activate_totp"),
    )


def _recovery(types: set[str]) -> CheckItem:
    on = Authenticator.Type.RECOVERY_CODES in types
    if on:
        status, advice = OK, _("Keep your recovery codes offline, where you can find them.")
    elif Authenticator.Type.TOTP in types:
        status = RISK
        advice = _("Generate recovery codes so a lost phone does not lock you out.")
    else:
        status = WARN
        advice = _("After turning on two-factor authentication, generate recovery codes.")
    return CheckItem("recovery_codes", status, _("Recovery codes"), advice, reverse("mfa_index"))


def _password(user: User, now: datetime.datetime) -> CheckItem:
    last = PasswordChange.objects.filter(user=user).order_by("-changed_at").first()
    since = last.changed_at if last else user.date_joined
    days = (now - since).days
    hint = _(
        "Use a long passphrase (12+ characters) that you use nowhere else, "
        "ideally from a password manager."
    )
    if days > PASSWORD_MAX_AGE_DAYS:
        status = WARN
        advice = (
            ngettext(
                "Your password was last changed %(days)d day ago.",
                "Your password was last changed %(days)d days ago.",
                days,
            )
            % {"days": days}
            + " "
            + hint
        )
    else:
        status = OK
        advice = _("Your password is recent.") + " " + hint
    return CheckItem(
        "password",
        status,
        _("Password age and strength"),
        advice,
        reverse("account_change_password"),
    )


def _sessions(count: int) -> CheckItem:
    if count:
        advice = ngettext(
            "You are signed in on %(count)d other device. Sign it out if you do not recognise it.",
            "You are signed in on %(count)d other devices. "
            "Sign them out if you do not recognise them.",
            count,
        ) % {"count": count}
    else:
        advice = _("You are signed in only here.")
    return CheckItem(
        "other_sessions",
        WARN if count else OK,
        _("Other active sessions"),
        advice,
        reverse("selfservice:security-check") + "#sessions",
    )


def _sign_ins(unusual: list[SignIn]) -> CheckItem:
    if unusual:
        advice = _(
            "We saw a sign-in from a new browser or network. If it was not you, "
            "change your password and freeze your account now."
        )
    else:
        advice = _("No unusual sign-ins in the last 30 days.")
    return CheckItem(
        "recent_sign_ins",
        RISK if unusual else OK,
        _("Recent sign-ins"),
        advice,
        reverse("selfservice:security-check") + "#sign-ins",
    )


def _anti_phishing(user: User, snapshot: SecuritySnapshot | None) -> CheckItem:
    on = AntiPhishingCode.objects.filter(user=user).exists()
    return CheckItem(
        "anti_phishing_code",
        OK if on else WARN,
        _("Anti-phishing code"),
        _("Every e-mail from us shows your code; a message without it is fake.")
        if on
        else _("Set a personal code that every real e-mail from us will show."),
        reverse("selfservice:anti-phishing-code"),
    )


def _whitelist(snapshot: SecuritySnapshot | None) -> CheckItem:
    if snapshot is None:
        status, advice = WARN, _("We have no data from the exchange about your whitelist yet.")
    elif snapshot.withdrawal_whitelist_enabled:
        status, advice = OK, _("Withdrawals can only go to addresses you approved.")
    else:
        status = RISK
        advice = _("Turn on the withdrawal whitelist so a thief cannot withdraw to a new address.")
    return CheckItem(
        "withdrawal_whitelist",
        status,
        _("Withdrawal address whitelist"),
        advice,
        _article("withdrawal-address-whitelist"),
    )


def _api_keys(snapshot: SecuritySnapshot | None, now: datetime.datetime) -> CheckItem:
    keys = snapshot.api_keys if snapshot else []
    withdraw = [k["label"] for k in keys if "withdraw" in k.get("scopes", [])]
    stale = []
    for key in keys:
        used = parse_datetime(key["last_used_at"]) if key.get("last_used_at") else None
        if used is None or (now - used).days > API_KEY_STALE_DAYS:
            stale.append(key["label"])
    if withdraw:
        status = RISK
        advice = _("Remove the withdrawal permission from these API keys: %(keys)s.") % {
            "keys": ", ".join(withdraw)
        }
    elif stale:
        status = WARN
        advice = _("Delete API keys unused for more than 90 days: %(keys)s.") % {
            "keys": ", ".join(stale)
        }
    else:
        status = OK
        advice = (
            _("Your API keys have no withdrawal permission and are in use.")
            if keys
            else _("You have no API keys.")
        )
    return CheckItem("api_keys", status, _("API keys"), advice, _article("api-key-security"))


def security_checklist_for(*, user: User, current_session_key: str | None) -> SecurityChecklist:
    """Nine checks, each ok / warn / risk, and a weighted 0-100 score (warn counts half)."""
    now = timezone.now()
    snapshot = SecuritySnapshot.objects.filter(user=user).first()
    types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    sign_ins = list(SignIn.objects.filter(user=user)[:10])
    since = now - datetime.timedelta(days=UNUSUAL_WINDOW_DAYS)
    unusual = [s for s in sign_ins if s.is_unusual and s.created_at >= since]
    others = (
        UserSession.objects.filter(user=user).exclude(session_key=current_session_key or "").count()
    )
    items = [
        _email(user),
        _totp(types),
        _recovery(types),
        _password(user, now),
        _sessions(others),
        _sign_ins(unusual),
        _anti_phishing(user, snapshot),
        _whitelist(snapshot),
        _api_keys(snapshot, now),
    ]
    weights = [_WEIGHTS.get(i.key, 1) for i in items]
    earned = sum(w * _POINTS[i.status] for w, i in zip(weights, items, strict=True))
    score = round(100 * earned / (2 * sum(weights)))
    return SecurityChecklist(score=score, items=items, sign_ins=sign_ins, other_sessions=others)
