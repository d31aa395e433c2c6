"""Is this channel official? The registry comparison behind the verifier page and API."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .. import verifier
from ..models import OfficialChannel


@dataclass
class ChannelVerdict:
    value: str
    kind: str
    official: bool
    flags: list[str]
    lookalike_of: str
    ascii_host: str
    headline: str
    advice: list[str]


def _advice(check: verifier.ChannelCheck) -> list[str]:
    if check.official:
        return [
            _("This is one of our official channels."),
            _(
                "Even here, never share your password, 2FA codes, private keys or seed phrase: "
                "nobody from support will ever ask for them."
            ),
        ]
    reasons = {
        verifier.Flag.HOMOGLYPH: _(
            "It imitates %(official)s with look-alike characters (such as 0 for o, "
            "rn for m or Cyrillic letters)."
        ),
        verifier.Flag.CONTAINS_OFFICIAL: _(
            "It uses our name %(official)s inside a different domain or handle: "
            "the part that counts belongs to someone else."
        ),
        verifier.Flag.TYPOSQUAT: _("It is one or two letters away from %(official)s."),
        verifier.Flag.UNLISTED_ADDRESS: _(
            "The domain is ours, but this address is not one we list: do not trust it "
            "until support confirms it."
        ),
        verifier.Flag.IDN: _(
            "It contains non-Latin characters; browsers may show it as %(ascii)s."
        ),
    }
    lines = [
        reasons[flag] % {"official": check.lookalike_of, "ascii": check.normalized.ascii_host}
        for flag in check.flags
    ]
    if check.normalized.kind == verifier.Kind.UNKNOWN:
        lines.append(
            _("We could not read this as a website, e-mail address, phone number or handle.")
        )
    lines += [
        _("Do not sign in, send funds or share codes through it."),
        _(
            "If you already did, change your password, check your 2FA and freeze your "
            "account from the self-service tools."
        ),
        _("Our official channels are listed at the bottom of every page of this site."),
    ]
    return lines


def channel_verify(*, value: str) -> ChannelVerdict:
    """Official only on an exact match with the admin's registry; lookalikes are flagged."""
    registry = list(OfficialChannel.objects.values_list("kind", "value"))
    check = verifier.channel_check(value=value, registry=registry)
    if check.official:
        headline = _("Official")
    elif check.flags:
        headline = _("NOT official — likely phishing")
    else:
        headline = _("NOT official")
    return ChannelVerdict(
        value=check.normalized.value,
        kind=check.normalized.kind,
        official=check.official,
        flags=check.flags,
        lookalike_of=check.lookalike_of,
        ascii_host=check.normalized.ascii_host,
        headline=headline,
        advice=_advice(check),
    )


def official_channels() -> list[OfficialChannel]:
    return list(OfficialChannel.objects.all())
