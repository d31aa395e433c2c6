import re
import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Exchange account numbers are digits (OKX, HTX) or short alphanumerics.
EXCHANGE_UID_RE = re.compile(r"^[A-Za-z0-9]{6,32}$")


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in _zones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def validate_exchange_uid(value: str) -> None:
    if not EXCHANGE_UID_RE.match(value):
        raise ValidationError(
            _("An exchange UID is 6 to 32 letters or digits, as shown in your exchange profile."),
            code="invalid_uid",
        )
