"""Per-category intake forms: the one definition forms, the API and services use.

Each category lists its fields; `intake_clean` validates submitted values and
returns what is stored in Ticket.intake. TXIDs and addresses are checked for a
plausible format on the chosen network, and the error names that format, so a
customer who pasted an order ID into the TXID box learns what we expected.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from .models import Ticket

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

NETWORKS = {
    "BTC": _("Bitcoin"),
    "ETH": _("Ethereum (ERC-20)"),
    "BSC": _("BNB Smart Chain (BEP-20)"),
    "POLYGON": _("Polygon"),
    "ARBITRUM": _("Arbitrum One"),
    "TRON": _("TRON (TRC-20)"),
    "SOL": _("Solana"),
}
EVM_NETWORKS = {"ETH", "BSC", "POLYGON", "ARBITRUM"}

_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_EVM_TX = re.compile(r"0x[0-9a-fA-F]{64}")
_EVM_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_B58 = f"[{BASE58}]"
_SOL_TX = re.compile(f"{_B58}{{87,88}}")
_SOL_ADDRESS = re.compile(f"{_B58}{{32,44}}")
_TRON_ADDRESS = re.compile(f"T{_B58}{{33}}")
_BTC_ADDRESS = re.compile(f"(bc1[02-9ac-hj-np-z]{{11,71}}|[13]{_B58}{{25,34}})")

# (pattern, human description of the expected format) per network.
TXID_FORMATS = {
    "BTC": (_HEX64, _("64 hexadecimal characters")),
    "TRON": (_HEX64, _("64 hexadecimal characters")),
    "SOL": (_SOL_TX, _("87 to 88 base58 characters")),
    **{n: (_EVM_TX, _("0x followed by 64 hexadecimal characters")) for n in EVM_NETWORKS},
}
ADDRESS_FORMATS = {
    "BTC": (_BTC_ADDRESS, _("an address starting with bc1, 1 or 3")),
    "TRON": (_TRON_ADDRESS, _("T followed by 33 base58 characters")),
    "SOL": (_SOL_ADDRESS, _("32 to 44 base58 characters")),
    **{n: (_EVM_ADDRESS, _("0x followed by 40 hexadecimal characters")) for n in EVM_NETWORKS},
}


@dataclass(frozen=True)
class Field:
    name: str
    label: "StrOrPromise"  # lazy: translated when the form is shown
    kind: str = "text"  # text, long_text, coin, network, txid, address, amount, datetime
    required: bool = True
    max_length: int = 200


COIN = Field("coin", _("Coin"), "coin", max_length=12)
NETWORK = Field("network", _("Network"), "network")
AMOUNT = Field("amount", _("Amount"), "amount")
TIME = Field("time", _("Time (approximate)"), "datetime")

CATEGORY_FIELDS: dict[str, list[Field]] = {
    Ticket.Category.DEPOSIT: [
        COIN,
        NETWORK,
        Field("txid", _("Transaction ID (TXID)"), "txid"),
        AMOUNT,
        Field("address", _("Deposit address"), "address"),
        TIME,
    ],
    Ticket.Category.WITHDRAWAL: [
        COIN,
        NETWORK,
        Field("withdrawal_id", _("Withdrawal ID or TXID"), max_length=100),
        AMOUNT,
        TIME,
    ],
    Ticket.Category.ACCOUNT_COMPROMISED: [
        Field("what_happened", _("What happened"), "long_text", max_length=4000),
        Field("last_legitimate_login", _("Your last legitimate login"), "datetime"),
    ],
    Ticket.Category.KYC: [
        Field("verification_level", _("Verification level you applied for"), required=False),
    ],
    Ticket.Category.TRADING: [
        Field("order_id", _("Order ID"), max_length=64),
        Field("instrument", _("Instrument"), max_length=40),
        TIME,
        Field("expected", _("What you expected"), "long_text", max_length=4000),
    ],
    Ticket.Category.BALANCE: [
        Field("asset", _("Asset"), "coin", max_length=12),
        Field("expected_balance", _("Expected balance"), "amount"),
        Field("shown_balance", _("Balance shown"), "amount"),
        TIME,
    ],
    Ticket.Category.API: [
        Field("key_label", _("API key label"), max_length=64),
        Field("endpoint", _("Endpoint"), max_length=200),
        Field("error_message", _("Error message"), "long_text", max_length=2000),
    ],
    Ticket.Category.OTHER: [],
}


def fields_for(category: str) -> list[Field]:
    return CATEGORY_FIELDS.get(category, [])


def _clean_one(field: Field, raw: object, network: str | None) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if field.required:
            raise ValidationError(_("This field is required."), code="required")
        return None
    if not isinstance(raw, str | int | float):
        raise ValidationError(_("Enter a text value."), code="invalid")
    value = str(raw).strip()
    if len(value) > field.max_length:
        raise ValidationError(
            _("Use at most %(max)d characters.") % {"max": field.max_length}, code="max_length"
        )
    if field.kind == "coin":
        if not re.fullmatch(r"[A-Za-z0-9]{2,12}", value):
            raise ValidationError(_("Enter a coin symbol such as BTC or USDT."), code="coin")
        return value.upper()
    if field.kind == "network":
        value = value.upper()
        if value not in NETWORKS:
            raise ValidationError(
                _("Choose one of: %(networks)s.") % {"networks": ", ".join(NETWORKS)},
                code="network",
            )
        return value
    if field.kind == "amount":
        try:
            amount = Decimal(value)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount <= 0 or amount >= 10**20:
            raise ValidationError(_("Enter a positive number, e.g. 0.25."), code="amount")
        return str(amount)
    if field.kind == "datetime":
        parsed = parse_datetime(value)
        if parsed is None:
            try:
                parsed = datetime.datetime.combine(
                    datetime.date.fromisoformat(value), datetime.time()
                )
            except ValueError:
                parsed = None
        if parsed is None:
            raise ValidationError(
                _("Enter a date and time such as 2025-01-31 14:05."), code="datetime"
            )
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, datetime.UTC)
        if parsed > timezone.now() + datetime.timedelta(days=1):
            raise ValidationError(_("This time is in the future."), code="future")
        return parsed.isoformat()
    if field.kind in ("txid", "address"):
        formats = TXID_FORMATS if field.kind == "txid" else ADDRESS_FORMATS
        if network not in formats:
            # The network error is reported on its own field.
            return value
        pattern, description = formats[network]
        if not pattern.fullmatch(value):
            if field.kind == "txid":
                message = _("A %(network)s transaction ID is %(format)s.")
            else:
                message = _("A %(network)s address is %(format)s.")
            raise ValidationError(
                message % {"network": NETWORKS[network], "format": description},
                code=f"{field.kind}_format",
            )
        return value
    return value


def intake_clean(*, category: str, data: dict) -> dict:
    """Validate the category's intake fields; raises ValidationError per field.

    Unknown keys are dropped, so nothing unvalidated reaches the database.
    """
    if category not in Ticket.Category.values:
        raise ValidationError({"category": _("Choose a valid category.")})
    if not isinstance(data, dict):
        raise ValidationError({"intake": _("Send the details as an object.")})
    fields = fields_for(category)
    network = None
    if any(f.kind == "network" for f in fields):
        raw_network = data.get("network")
        if isinstance(raw_network, str) and raw_network.strip().upper() in NETWORKS:
            network = raw_network.strip().upper()
    cleaned: dict = {}
    errors: dict[str, list] = {}
    for field in fields:
        try:
            value = _clean_one(field, data.get(field.name), network)
        except ValidationError as exc:
            errors[field.name] = exc.messages
            continue
        if value is not None:
            cleaned[field.name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def intake_amount(intake: dict) -> Decimal | None:
    try:
        return Decimal(intake["amount"])
    except (KeyError, InvalidOperation, TypeError):
        return None
